"""Which counts a view of the figures may publish: the rule figures.py's docstring explains."""
from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Callable, Iterable, Sequence

from forum.outcomes.models import COMPLICATIONS, FOLLOW_UP_MONTHS, PGIC, SYMPTOMS

THRESHOLD = 5

Region = tuple
Values = dict[Region, int]


# The quantities a treatment's figures are made of, by name ------------------------------

REPORTS = "reports"


def due(months: int) -> str:
    return f"due:{months}"


def gave(months: int) -> str:
    return f"gave:{months}"


def pgic(months: int, point: int) -> str:
    return f"pgic:{months}:{point}"


def complication(months: int, kind: str) -> str:
    return f"complication:{months}:{kind}"


def repeated(months: int) -> str:
    return f"repeated:{months}"


def stopped(months: int) -> str:
    return f"stopped:{months}"


def symptom_n(months: int, name: str) -> str:
    return f"symptom-n:{months}:{name}"


def is_safe(values: Iterable[int]) -> bool:
    """Each count is 0 or at least THRESHOLD: nothing rests on 1 to 4 reports."""
    return all(value == 0 or value >= THRESHOLD for value in values)


class Tally:
    """Counts per region of the finest split the active filters make (one key part per
    filter dimension, in `dims` order); coarser splits are sums of these."""

    def __init__(self, dims: Sequence[str]):
        self.dims = tuple(dims)
        self.counts: dict[str, dict[Region, int]] = defaultdict(lambda: defaultdict(int))

    def add(self, quantity: str, region: Region, value: int) -> None:
        if value:
            self.counts[quantity][region] += int(value)

    def value(self, quantity: str, region: Region) -> int:
        return self.counts[quantity].get(region, 0) if quantity in self.counts else 0

    def total(self, quantity: str) -> int:
        return sum(self.counts[quantity].values()) if quantity in self.counts else 0

    def at(self, quantity: str, level: tuple[str, ...]) -> Values:
        """The quantity in each region of a coarser split (`level`: some of `dims`)."""
        if quantity not in self.counts:
            return {}
        if level == self.dims:
            return dict(self.counts[quantity])
        keep = [self.dims.index(dim) for dim in level]
        values: dict[Region, int] = defaultdict(int)
        for region, value in self.counts[quantity].items():
            values[tuple(region[index] for index in keep)] += value
        return values


class Level:
    """The tally as one split of it (one level) shows it, for the rules below."""

    def __init__(self, tally: Tally, level: tuple[str, ...]):
        self.tally, self.level = tally, level

    def values(self, quantity: str) -> Values:
        return self.tally.at(quantity, self.level)

    def safe(self, quantity: str) -> bool:
        return is_safe(self.values(quantity).values())

    def difference(self, larger: str, smaller: str | None) -> Values:
        """`larger - smaller` in each region where either is not zero."""
        big = self.values(larger)
        small = self.values(smaller) if smaller else {}
        return {region: big.get(region, 0) - small.get(region, 0)
                for region in set(big) | set(small)}

    def safe_difference(self, larger: str, smaller: str | None) -> bool:
        """Whether `larger - smaller`, which a reader can work out, is safe everywhere."""
        return is_safe(self.difference(larger, smaller).values())

    def total(self, quantity: str) -> int:
        return self.tally.total(quantity)


Rules = Callable[[Level, set[str]], set[str]]


def levels(dims: Sequence[str]) -> list[tuple[str, ...]]:
    """The splits a view's figures are checked at, coarsest first, each refining the one
    before: (), (MS type,), (MS type, year). A chain, never two splits side by side: an
    MS type view and a year view published from unrelated splits would together give
    two margins of the same table, from which a small cell can often be solved."""
    return [tuple(dims[:size]) for size in range(len(dims) + 1)]


def withheld(tally: Tally, rules: Rules) -> set[str]:
    """The quantities the view over `tally.dims` must not publish.

    Each level starts from everything the coarser levels withheld, so what is published
    at a finer split is always a subset of what is published at the coarser ones."""
    hidden: set[str] = set()
    for level in levels(tally.dims):
        hidden = rules(Level(tally, level), hidden)
    return hidden


# The rules for each kind of table ----------------------------------------------------------

def primary(level: Level, quantities: Iterable[str], hidden: set[str]) -> set[str]:
    return {quantity for quantity in quantities
            if quantity in hidden or not level.safe(quantity)}


def complement(level: Level, cells: Sequence[str], hidden: set[str]) -> set[str]:
    """A table whose total is published: if one cell alone is withheld, the total minus
    the others would give it, so the smallest other non-zero cell is withheld too.

    Withheld cells are never zero over the whole treatment (a cell zero there is zero in
    every region, so safe), hence "one withheld" is one a reader could not know is zero.
    """
    hidden = set(hidden) & set(cells)
    if len(hidden) != 1:
        return hidden
    others = [cell for cell in cells if cell not in hidden and level.total(cell) > 0]
    if others:
        hidden.add(min(others, key=lambda cell: (level.total(cell), cells.index(cell))))
    return hidden


def share(level: Level, count: str, total: str, hidden: set[str]) -> bool:
    """Whether a count of a total (those who repeated, of those who answered) is withheld:
    both the count and the rest (total minus count) must be safe."""
    return (count in hidden or not level.safe(count)
            or not level.safe_difference(total, count))


def retention(level: Level, hidden: set[str]) -> set[str]:
    """Reports filed, and for each interval how many were due and how many gave it."""
    hidden = set(hidden)
    if REPORTS in hidden or not level.safe(REPORTS):
        return hidden | {REPORTS}
    hidden |= primary(level, [gave(m) for m in FOLLOW_UP_MONTHS], hidden)
    published = _dues(level, hidden)
    return hidden | {due(m) for m in FOLLOW_UP_MONTHS if m not in published}


def _dues(level: Level, hidden: set[str]) -> list[int]:
    """The intervals whose due count is published, longest first.

    Dues are nested (every report due at 12 months is due at 6), so two published dues
    give the count of reports treated between them (a band), and reports minus the
    shortest published due gives those not yet due: each band must be safe. A due whose
    "due but not given" is unsafe is withheld; it must then not be pinned between two
    equal published neighbours either (which would give it, and so the "not given").
    Of the choices that keep every band safe, the one publishing most dues wins (there
    are only 2^5 to try)."""
    candidates = [
        months for months in FOLLOW_UP_MONTHS
        if due(months) not in hidden and level.safe(due(months))
        and (gave(months) in hidden or level.safe_difference(due(months), gave(months)))]
    for size in range(len(candidates), 0, -1):
        for chosen in combinations(candidates, size):
            published = sorted(chosen, reverse=True)
            if _safe_bands(level, published, hidden):
                return published
    return []


def _safe_bands(level: Level, published: list[int], hidden: set[str]) -> bool:
    """Whether publishing these dues (longest first) leaves every band safe."""
    bounds: list[int | None] = [None, *published, 0]  # None: above all; 0: all reports
    for upper, lower in zip(bounds, bounds[1:]):
        band = level.difference(due(lower) if lower else REPORTS,
                                due(upper) if upper else None)
        if not is_safe(band.values()):
            return False
        inside = [m for m in FOLLOW_UP_MONTHS
                  if lower < m < (upper or 10**6) and gave(m) not in hidden]
        empty = [region for region, value in band.items() if value == 0]
        for months in inside:
            missing = level.difference(due(months), gave(months))
            if not is_safe(missing.get(region, 0) for region in empty):
                return False
    return True


def table(level: Level, cells: Sequence[str], hidden: set[str], inherited: set[str]
          ) -> set[str]:
    """A table whose total is published, with the cells withheld in it (`hidden`: those
    withheld so far, `inherited`: those the coarser levels withheld).

    Unfiltered, the usual complementary suppression. Filtered, a table that must
    withhold a cell the coarser views publish is withheld whole: a complementary cell
    withheld in one region can often be worked out there from what the coarser views
    publish of it (its total, and zeros in the other regions)."""
    withheld_here = primary(level, cells, hidden)
    if level.level and withheld_here - inherited:
        return set(cells)
    return complement(level, cells, withheld_here)


def interval(level: Level, months: int, hidden: set[str]) -> set[str]:
    """The answers at one interval; all withheld with their n (those who gave it)."""
    cells = [pgic(months, point) for point in PGIC]
    kinds = [complication(months, kind) for kind in COMPLICATIONS]
    shares = [repeated(months), stopped(months),
              *(symptom_n(months, name) for name in SYMPTOMS)]
    if gave(months) in hidden:
        return set(hidden) | set(cells) | set(kinds) | set(shares)
    total = gave(months)
    inherited = set(hidden)
    hidden = inherited | table(level, cells, inherited, inherited)
    hidden |= {quantity for quantity in shares if share(level, quantity, total, hidden)}
    # A kind is also a share (those who had it, and the rest), before the table rule.
    hidden |= {kind for kind in kinds if share(level, kind, total, hidden)}
    return hidden | table(level, kinds, hidden, inherited)


def treatment_rules(level: Level, hidden: set[str]) -> set[str]:
    """Every table of a treatment's figures."""
    hidden = retention(level, hidden)
    if REPORTS in hidden:
        return hidden
    for months in FOLLOW_UP_MONTHS:
        hidden = interval(level, months, hidden)
    return hidden


def retention_rules(level: Level, hidden: set[str]) -> set[str]:
    """The dashboard's row of a treatment: the same retention as its own page shows."""
    return retention(level, hidden)
