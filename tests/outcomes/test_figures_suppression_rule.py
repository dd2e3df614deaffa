"""The suppression rule itself, without a database: its parts, and an attacker who reads
every view (no filter, each MS type, each year, each pair) and solves for what is hidden."""
from __future__ import annotations

import random
from fractions import Fraction
from itertools import combinations, product

import pytest

from forum.outcomes import suppression as rule
from forum.outcomes.figures import Filters
from forum.outcomes.suppression import Level, Tally, is_safe, levels, withheld

MS = ("cis", "rrms", "spms", "ppms", "unsure")
YEARS = (2019, 2020, 2021)


def test_counts_of_one_to_four_are_unsafe_and_zero_is_safe():
    assert is_safe([0, 5, 12]) and not is_safe([0, 5, 4]) and not is_safe([1])


def test_levels_are_a_chain_from_coarsest_to_finest():
    assert levels(("ms_type", "year")) == [(), ("ms_type",), ("ms_type", "year")]


def test_a_year_filter_splits_by_ms_type_and_year():
    assert Filters(year=2020).split == Filters("rrms", 2020).split == ("ms_type", "year")
    assert Filters("rrms").split == ("ms_type",) and Filters().split == ()


def test_a_tally_adds_up_coarser_splits():
    tally = Tally(("ms_type", "year"))
    tally.add("reports", ("rrms", 2020), 3)
    tally.add("reports", ("rrms", 2021), 4)
    tally.add("reports", ("spms", 2020), 5)
    assert tally.at("reports", ("ms_type",)) == {("rrms",): 7, ("spms",): 5}
    assert tally.at("reports", ("year",)) == {(2020,): 8, (2021,): 4}
    assert tally.total("reports") == 12


def _pgic_level(counts: dict[int, int]) -> Level:
    tally = Tally(())
    for point, count in counts.items():
        tally.add(rule.pgic(12, point), (), count)
    return Level(tally, ())


def test_complement_picks_the_smallest_other_non_zero_cell():
    level = _pgic_level({1: 2, 3: 6, 4: 9, 5: 7})
    cells = [rule.pgic(12, point) for point in range(1, 8)]
    assert rule.complement(level, cells, {rule.pgic(12, 1)}) == {rule.pgic(12, 1),
                                                                rule.pgic(12, 3)}


def test_complement_adds_nothing_when_two_cells_are_withheld():
    level = _pgic_level({1: 2, 3: 6, 4: 9})
    cells = [rule.pgic(12, point) for point in range(1, 8)]
    hidden = {rule.pgic(12, 1), rule.pgic(12, 3)}
    assert rule.complement(level, cells, hidden) == hidden


def _retention(reports: int, dues: dict[int, int], gave: dict[int, int]) -> set[str]:
    tally = Tally(())
    tally.add(rule.REPORTS, (), reports)
    for months, count in dues.items():
        tally.add(rule.due(months), (), count)
    for months, count in gave.items():
        tally.add(rule.gave(months), (), count)
    return withheld(tally, rule.retention_rules)


def test_retention_publishes_most_dues_that_keep_every_band_safe():
    # Bands: 24+: 5, 12-24: 1, 1-12: 0, under 1 month: 0. Publishing 24 would show the
    # 1 (either beside 12 or beside the 7 reports); publishing only 1 month shows none.
    hidden = _retention(7, {1: 7, 3: 6, 6: 6, 12: 6, 24: 5}, {1: 7})
    assert {rule.due(m) for m in (3, 6, 12, 24)} <= hidden
    assert rule.due(1) not in hidden


# The attacker ---------------------------------------------------------------------------

def _views():
    """Every filter combination a reader can ask for, with the (MS type, year) pairs it
    covers."""
    choices = [Filters()] + [Filters(ms_type=ms) for ms in MS] + [
        Filters(year=year) for year in YEARS] + [
        Filters(ms, year) for ms, year in product(MS, YEARS)]
    for filters in choices:
        covered = {(ms, year) for ms, year in product(MS, YEARS)
                   if filters.ms_type in (None, ms) and filters.year in (None, year)}
        yield filters, covered


def _tally(filters: Filters, counts: dict[str, dict[tuple, int]]) -> Tally:
    """The tally figures.py builds for these filters, from counts per (MS type, year)."""
    tally = Tally(filters.split)
    for quantity, by_pair in counts.items():
        for (ms, year), count in by_pair.items():
            key = {"ms_type": ms, "year": year}
            tally.add(quantity, tuple(key[dim] for dim in filters.split), count)
    return tally


def _published(atoms: dict[tuple, int]) -> list[tuple[set, int]]:
    """What each view publishes of "reports filed", under the real rules."""
    shown = []
    for filters, covered in _views():
        tally = _tally(filters, {rule.REPORTS: atoms})
        if rule.REPORTS not in withheld(tally, rule.retention_rules):
            shown.append((covered, sum(atoms.get(atom, 0) for atom in covered)))
    return shown


def _rank(rows: list[list[Fraction]]) -> int:
    rows = [row[:] for row in rows]
    rank, width = 0, len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][column]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][column]:
                factor = rows[i][column] / rows[rank][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank])]
        rank += 1
    return rank


def _disclosed(atoms: dict[tuple, int], world: list[tuple]) -> list[tuple]:
    """Groups of reports (any set of MS type and year pairs of the world, which holds
    every pair that has reports) with 1 to 4 reports whose number follows from the
    published ones by sums and differences, and from "a published 0 means nobody in it".
    Pairs outside the world are in published zeros, so known to be empty."""
    cells = sorted(world)
    index = {atom: i for i, atom in enumerate(cells)}
    known: list[list[Fraction]] = []
    for covered, value in _published(atoms):
        present = [atom for atom in covered if atom in index]
        if value == 0:
            known += [[Fraction(int(i == index[atom])) for i in range(len(cells))]
                      for atom in present]
        else:
            known.append([Fraction(int(atom in covered)) for atom in cells])
    base = _rank(known)
    found = []
    for size in range(1, len(cells) + 1):
        for group in combinations(cells, size):
            count = sum(atoms.get(atom, 0) for atom in group)
            if 1 <= count <= 4:
                row = [Fraction(int(atom in group)) for atom in cells]
                if _rank(known + [row]) == base:
                    found.append(group)
    return found


@pytest.mark.parametrize("seed", range(60))
def test_no_view_or_mix_of_views_reveals_a_group_of_one_to_four(seed):
    rng = random.Random(seed)
    chosen = rng.sample(MS, 3)
    atoms = {(ms, year): rng.choice([0, 0, 1, 2, 3, 5, 6, 8, 13])
             for ms, year in product(chosen, YEARS)}
    world = list(atoms)
    atoms = {atom: count for atom, count in atoms.items() if count}
    assert _disclosed(atoms, world) == []


def test_the_attacker_finds_what_a_naive_rule_would_show():
    """The check above can fail: with "shown when the chosen group and the rest are both
    safe", RRMS (10) and SPMS (8) shown beside all (21) give PPMS: 3."""
    atoms = {("rrms", 2020): 10, ("spms", 2020): 8, ("ppms", 2020): 3}
    naive = [({("rrms", 2020), ("spms", 2020), ("ppms", 2020)}, 21),
             ({("rrms", 2020)}, 10), ({("spms", 2020)}, 8)]
    cells = sorted(atoms)
    known = [[Fraction(int(atom in covered)) for atom in cells] for covered, _ in naive]
    target = [Fraction(int(atom == ("ppms", 2020))) for atom in cells]
    assert _rank(known + [target]) == _rank(known)
    assert _disclosed(atoms, [(ms, 2020) for ms in ("rrms", "spms", "ppms")]) == []


# The same attacker against one interval's PGIC table (cells, their total n) -------------

POINTS = (2, 4, 6)
PAIRS = list(product(("rrms", "spms"), (2020, 2021)))


def _interval_only(level: Level, hidden: set[str]) -> set[str]:
    hidden = hidden | rule.primary(level, [rule.gave(12)], hidden)
    return rule.interval(level, 12, hidden)


def _table_views(atoms: dict[tuple, int]) -> list[tuple[set, int]]:
    """(the (point, MS type, year) atoms a published number covers, its value)."""
    shown = []
    quantities = [(rule.gave(12), set(POINTS))] + [
        (rule.pgic(12, point), {point}) for point in POINTS]
    for filters, covered in _views():
        counts: dict[str, dict[tuple, int]] = {}
        for (point, ms, year), count in atoms.items():
            for quantity in (rule.pgic(12, point), rule.gave(12)):
                pairs = counts.setdefault(quantity, {})
                pairs[(ms, year)] = pairs.get((ms, year), 0) + count
        hidden = withheld(_tally(filters, counts), _interval_only)
        for quantity, points in quantities:
            if quantity not in hidden:
                group = {(p, ms, year) for p in points for ms, year in covered}
                shown.append((group, sum(atoms.get(atom, 0) for atom in group)))
    return shown


def _table_disclosed(atoms: dict[tuple, int]) -> list[set]:
    cells = [(point, ms, year) for point in POINTS for ms, year in PAIRS]
    known = []
    for group, value in _table_views(atoms):
        inside = [atom for atom in cells if atom in group]
        if value == 0:
            known += [[Fraction(int(atom == zero)) for atom in cells] for zero in inside]
        else:
            known.append([Fraction(int(atom in group)) for atom in cells])
    # Stronger still: the reader knows which (MS type, year) pairs nobody answered in
    # (from the reports filed, say), as if every empty region were published as empty.
    for ms, year in PAIRS:
        if not any(atoms.get((point, ms, year)) for point in POINTS):
            known += [[Fraction(int(atom == (point, ms, year))) for atom in cells]
                      for point in POINTS]
    base = _rank(known)
    targets = []
    for _, covered in _views():
        for points in [{point} for point in POINTS] + [set(POINTS)]:
            group = {(p, ms, year) for p in points for ms, year in covered}
            if 1 <= sum(atoms.get(atom, 0) for atom in group) <= 4:
                targets.append(group)
    return [group for group in targets
            if _rank(known + [[Fraction(int(atom in group)) for atom in cells]]) == base]


@pytest.mark.parametrize("seed", range(60))
def test_no_mix_of_views_reveals_a_small_cell_of_a_table(seed):
    rng = random.Random(seed)
    atoms = {(point, ms, year): rng.choice([0, 0, 1, 2, 3, 5, 7, 9])
             for point in POINTS for ms, year in PAIRS}
    assert _table_disclosed(atoms) == []
