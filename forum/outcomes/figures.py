"""The members' figures: what reports and follow-ups say, counted in SQL, suppressed safely.

Only reports not hidden by a moderator count, of both visibilities. Each page runs a
fixed number of GROUP BY queries (forum.outcomes.figure_queries) whatever the number of
reports; medians come from a small histogram, means from SUM and COUNT.

Suppression (DESIGN: "any aggregate cell below 5 reports is suppressed"); the rules are
in forum.outcomes.suppression:

1. A count of 1 to 4 is never published; 0 is. A count a reader can work out from
   published ones by subtraction obeys the same rule: "due" minus "gave" (did not give
   it), a share's rest (those who did *not* repeat), reports minus those due (not yet
   due), two dues' difference (treated between the two intervals).
2. Filters split a treatment's reports into regions: with an MS type filter one region
   per MS type, all five of them (not "chosen" and "the rest": with that split, "all"
   minus each published type would give the one left over); with a year filter one
   per (MS type, year). A filtered view publishes a count only if it is safe (0 or at
   least 5) in *every* region of its split, so the decision does not depend on which
   type or year is chosen: "all minus type A" and "type A minus (type A in year Y)" are
   sums of safe regions, hence safe.
3. The splits form a chain: none, by MS type, by MS type and year (a year-only view uses
   the last and adds up its MS types). Each withholds at least what the coarser ones
   withhold, so adding up one view's regions never gives what another view withholds.
   There is no split by year alone beside the one by MS type: the two would publish two
   margins of one table, and with a few empty regions a small cell can be solved from
   two margins.
4. Complementary suppression in a table with a published total (the PGIC points of one
   interval, complication kinds): unfiltered, when exactly one cell is withheld, the
   smallest other non-zero cell is withheld too (else total minus the rest gives it).
   In a filtered view a table that would withhold a cell the coarser view publishes is
   withheld whole, with its n still shown: a complementary cell picked there could be
   worked out in one region from its published total and zeros elsewhere.
5. Retention: dues are nested (due at 12 months implies due at 6); the dues published
   are the most that keep every band between them, the reports not yet due, and each
   "due but did not give" safe, without pinning a withheld due between two equal
   published ones.
6. A withheld n withholds its whole interval; medians, quartiles and means are
   published only with their n.
7. No figure adds up several treatments, so one treatment's withheld cell cannot be
   found as a total minus the others.

Every withheld number is shown the same way ("suppressed"), small or withheld to
protect a small one: labelling the two differently would let a reader narrow a cell
down from its total (6 over "fewer than 5" and "at least 5" can only be 1 and 5).
tests/outcomes/test_figures_suppression_rule.py plays a reader who reads every view and
solves the sums. What the rule does not do is a full linear-programming audit: bounds
such as "gave <= due <= filed" can, in corner cases, narrow a withheld due further.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from sqlalchemy import select

from forum.extensions import db
from forum.outcomes import figure_queries as queries
from forum.outcomes import figures_cache as cache
from forum.outcomes import suppression as names
from forum.outcomes.models import (
    COMPLICATIONS, FOLLOW_UP_MONTHS, PGIC, SYMPTOM_LABELS, SYMPTOMS, Treatment,
)
from forum.outcomes.schedule import today as utc_today
from forum.outcomes.suppression import Tally, withheld


@dataclass(frozen=True)
class Filters:
    """What a reader chose to look at: one MS type, one treatment year, both, or neither."""

    ms_type: str | None = None
    year: int | None = None

    @property
    def active(self) -> bool:
        return self.ms_type is not None or self.year is not None

    @property
    def split(self) -> tuple[str, ...]:
        """The regions the treatment's reports are counted in for this view: by MS type
        for an MS type filter, by MS type and year as soon as a year is chosen (see the
        chain of levels in suppression.levels)."""
        if self.year is not None:
            return ("ms_type", "year")
        return ("ms_type",) if self.ms_type is not None else ()

    def covers(self, region: tuple) -> bool:
        """Whether a region of `split` is part of what the reader chose."""
        chosen = {"ms_type": self.ms_type, "year": self.year}
        return all(chosen[dim] is None or chosen[dim] == value
                   for dim, value in zip(self.split, region))


@dataclass(frozen=True)
class Count:
    """A published count, or None when suppressed."""

    value: int | None

    @property
    def shown(self) -> bool:
        return self.value is not None

    def percent_of(self, total: "Count") -> float | None:
        if self.value is None or not total.value:
            return None
        return 100.0 * self.value / total.value


@dataclass(frozen=True)
class Answer:
    """One cell of a table of answers: a PGIC point or a complication kind."""

    key: str | int
    label: str
    count: Count


@dataclass(frozen=True)
class Retention:
    months: int
    due: Count
    gave: Count

    @property
    def percent(self) -> float | None:
        return self.gave.percent_of(self.due)


@dataclass(frozen=True)
class PddsChange:
    """The change in PDDS from baseline (negative: better), over n follow-ups."""

    n: Count
    median: float | None = None
    lower_quartile: float | None = None
    upper_quartile: float | None = None


@dataclass(frozen=True)
class SymptomChange:
    """The mean change of a symptom's 0-4 rating from baseline (negative: better)."""

    name: str
    label: str
    n: Count
    mean: float | None


@dataclass(frozen=True)
class Interval:
    """What the follow-ups at one interval say; n is how many gave it."""

    months: int
    n: Count
    pgic: list[Answer]
    pdds: PddsChange
    symptoms: list[SymptomChange]
    complications: list[Answer]
    repeated: Count
    stopped: Count

    @property
    def answered(self) -> bool:
        return bool(self.n.value)


@dataclass(frozen=True)
class TreatmentFigures:
    treatment: Treatment
    filters: Filters
    reports: Count
    retention: list[Retention]
    intervals: list[Interval]


@dataclass(frozen=True)
class TreatmentSummary:
    """A treatment's line on the dashboard: reports filed and retention."""

    treatment: Treatment
    reports: Count
    retention: list[Retention]


class _Published:
    """Reads a tally for the chosen filters, withholding what the rule withholds."""

    def __init__(self, tally: Tally, hidden: set[str], filters: Filters):
        self.tally, self.hidden, self.filters = tally, hidden, filters

    def __call__(self, quantity: str) -> Count:
        # Too few reports to publish even their number: every figure goes with it.
        if quantity in self.hidden or names.REPORTS in self.hidden:
            return Count(None)
        return Count(self.sum(self.tally.counts.get(quantity, {})))

    def sum(self, values: dict[tuple, int]) -> int:
        return sum(value for region, value in values.items() if self.filters.covers(region))

    def histogram(self, by_region: dict[tuple, dict[int, int]]) -> dict[int, int]:
        merged: dict[int, int] = {}
        for region, histogram in by_region.items():
            if self.filters.covers(region):
                for value, count in histogram.items():
                    merged[value] = merged.get(value, 0) + count
        return merged

    def retention(self) -> list[Retention]:
        return [Retention(months, self(names.due(months)), self(names.gave(months)))
                for months in FOLLOW_UP_MONTHS]


def quantile(histogram: dict[int, int], fraction: float) -> float | None:
    """The `fraction` quantile of the values a histogram counts, interpolating between
    neighbouring values as most statistics packages do by default."""
    n = sum(histogram.values())
    if n == 0:
        return None
    position = (n - 1) * fraction
    below, above = int(position), min(int(position) + 1, n - 1)
    values: dict[int, float] = {}
    seen = 0
    for value in sorted(histogram):
        for index in (below, above):
            if seen <= index < seen + histogram[value]:
                values.setdefault(index, value)
        seen += histogram[value]
    return values[below] + (position - below) * (values[above] - values[below])


def _pdds(answers: queries.Answers, months: int, n: Count, read: _Published) -> PddsChange:
    if not n.value:
        return PddsChange(n)
    histogram = read.histogram(answers.pdds_changes[months])
    return PddsChange(n, quantile(histogram, 0.5), quantile(histogram, 0.25),
                      quantile(histogram, 0.75))


def _symptoms(answers: queries.Answers, months: int, read: _Published) -> list[SymptomChange]:
    changes = []
    for name in SYMPTOMS:
        n = read(names.symptom_n(months, name))
        mean = None
        if n.value:
            mean = read.sum(answers.symptom_sums[(months, name)]) / n.value
        changes.append(SymptomChange(name, SYMPTOM_LABELS.get(name, name.title()), n, mean))
    return changes


def _interval(answers: queries.Answers, months: int, read: _Published) -> Interval:
    n = read(names.gave(months))
    return Interval(
        months=months, n=n,
        pgic=[Answer(point, label, read(names.pgic(months, point)))
              for point, label in PGIC.items()],
        pdds=_pdds(answers, months, n, read),
        symptoms=_symptoms(answers, months, read),
        complications=[Answer(kind, label, read(names.complication(months, kind)))
                       for kind, label in COMPLICATIONS.items()],
        repeated=read(names.repeated(months)), stopped=read(names.stopped(months)))


@dataclass(frozen=True)
class _Computed:
    """A treatment's figures without the treatment row, so requests can share them."""

    reports: Count
    retention: list[Retention]
    intervals: list[Interval]


def _compute_treatment(treatment_id: int, filters: Filters, today: date) -> _Computed:
    tally = queries.report_counts(filters.split, today, treatment_id)[None]
    answers = queries.answer_counts(treatment_id, filters.split, today, tally)
    read = _Published(tally, withheld(tally, names.treatment_rules), filters)
    return _Computed(read(names.REPORTS), read.retention(),
                     [_interval(answers, months, read) for months in FOLLOW_UP_MONTHS])


def treatment_figures(treatment: Treatment, filters: Filters = Filters(),
                      today: date | None = None, use_cache: bool = True) -> TreatmentFigures:
    """One treatment's figures as the filters show them: one query to tell whether the
    reports changed since they were last computed, four more to compute them."""
    today = today or utc_today()
    compute = partial(_compute_treatment, treatment.id, filters, today)
    if use_cache:
        key = ("treatment", treatment.id, filters, today, cache.fingerprint(treatment.id))
        computed = cache.cached(key, compute)
    else:
        computed = compute()
    return TreatmentFigures(treatment, filters, computed.reports, computed.retention,
                            computed.intervals)


def _compute_dashboard(filters: Filters, today: date) -> dict[int, tuple[bool, Count, list]]:
    """Per treatment id: whether it has reports at all, its reports and its retention."""
    tallies = queries.report_counts(filters.split, today, by_treatment=True)
    given = queries.follow_up_counts(filters.split, today)
    rows = {}
    for treatment_id, tally in tallies.items():
        _merge(tally, given.get(treatment_id))
        read = _Published(tally, withheld(tally, names.retention_rules), filters)
        rows[treatment_id] = (tally.total(names.REPORTS) > 0, read(names.REPORTS),
                              read.retention())
    return rows


def dashboard_figures(filters: Filters = Filters(), today: date | None = None,
                      use_cache: bool = True) -> list[TreatmentSummary]:
    """Every treatment on the list (and any taken off it that has reports), in the
    list's order, with its reports and retention: the treatments, the fingerprint, and
    two more queries when the reports changed."""
    today = today or utc_today()
    treatments = db.session.scalars(
        select(Treatment).order_by(Treatment.position, Treatment.id)).all()
    compute = partial(_compute_dashboard, filters, today)
    rows = (cache.cached(("dashboard", filters, today, cache.fingerprint()), compute)
            if use_cache else compute())
    empty = _compute_empty(filters)
    summaries = []
    for treatment in treatments:
        counted, reports, retention = rows.get(treatment.id, empty)
        if treatment.active or counted:
            summaries.append(TreatmentSummary(treatment, reports, retention))
    return summaries


def _compute_empty(filters: Filters) -> tuple[bool, Count, list[Retention]]:
    """The row of a treatment nobody reported: zeros, which are safe to show."""
    read = _Published(Tally(filters.split), set(), filters)
    return False, read(names.REPORTS), read.retention()


def _merge(tally: Tally, other: Tally | None) -> None:
    if other is None:
        return
    for quantity, regions in other.counts.items():
        for region, value in regions.items():
            tally.add(quantity, region, value)
