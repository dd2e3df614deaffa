"""The GROUP BY queries behind the figures: small tables of counts, never one row a report."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Sequence

from sqlalchemy import Integer, and_, case, cast, extract, false, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from forum.extensions import db
from forum.outcomes import suppression as names
from forum.outcomes.models import (
    COMPLICATIONS, FOLLOW_UP_MONTHS, PGIC, SYMPTOMS, FollowUp, FollowUpComplication,
    TreatmentReport,
)
from forum.outcomes.schedule import latest_treatment_for
from forum.outcomes.suppression import Tally

Report = TreatmentReport


def dimension(name: str) -> ColumnElement[Any]:
    """A filter as SQL: the report's MS type, or the year of its treatment."""
    if name == "ms_type":
        return Report.ms_type
    # EXTRACT is an integer on SQLite and a numeric on PostgreSQL: one type for both.
    return cast(extract("year", Report.treated_on), Integer)


def _counted(treatment_id: int | None):
    """Reports that count: not hidden by a moderator, of either visibility."""
    condition = Report.hidden_at.is_(None)
    if treatment_id is not None:
        condition = and_(condition, Report.treatment_id == treatment_id)
    return condition


def _band(today: date) -> ColumnElement[int]:
    """The longest interval due for the report (0: none yet); the cut-off dates are
    computed here so that no database needs date arithmetic."""
    return case(*((Report.treated_on <= latest_treatment_for(months, today), months)
                  for months in sorted(FOLLOW_UP_MONTHS, reverse=True)), else_=0)


def _follow_up_due(today: date):
    """A follow-up counts only where its interval has come (so gave <= due, always)."""
    return or_(false(), *(and_(FollowUp.months == months,
                               Report.treated_on <= latest_treatment_for(months, today))
                          for months in FOLLOW_UP_MONTHS))


def _add_reports(tallies: dict, rows, by_treatment: bool) -> None:
    for *head, band, count in rows:
        key, region = (head[0], tuple(head[1:])) if by_treatment else (None, tuple(head))
        tally = tallies[key]
        tally.add(names.REPORTS, region, count)
        for months in FOLLOW_UP_MONTHS:
            if band >= months:
                tally.add(names.due(months), region, count)


def report_counts(dims: Sequence[str], today: date, treatment_id: int | None = None,
                  by_treatment: bool = False) -> dict[int | None, Tally]:
    """Reports filed and due at each interval, per region (and per treatment)."""
    groups = [dimension(name) for name in dims]
    if by_treatment:
        groups.insert(0, Report.treatment_id)
    band = _band(today).label("band")
    rows = db.session.execute(
        select(*groups, band, func.count()).where(_counted(treatment_id))
        .group_by(*groups, band)).all()
    tallies: dict[int | None, Tally] = defaultdict(lambda: Tally(dims))
    _add_reports(tallies, rows, by_treatment)
    return tallies


def follow_up_counts(dims: Sequence[str], today: date) -> dict[int, Tally]:
    """For the dashboard: follow-ups given at each interval, per treatment and region."""
    groups = [Report.treatment_id, *(dimension(name) for name in dims)]
    rows = db.session.execute(
        select(*groups, FollowUp.months, func.count())
        .join(Report, FollowUp.report_id == Report.id)
        .where(_counted(None), _follow_up_due(today))
        .group_by(*groups, FollowUp.months)).all()
    tallies: dict[int, Tally] = defaultdict(lambda: Tally(dims))
    for *head, months, count in rows:
        tallies[head[0]].add(names.gave(months), tuple(head[1:]), count)
    return tallies


@dataclass
class Answers:
    """What the follow-ups of one treatment say, per region: counts into the tally, and
    the sums behind the means and the PDDS histograms behind medians."""

    tally: Tally
    symptom_sums: dict[tuple[int, str], dict[tuple, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    pdds_changes: dict[int, dict[tuple, dict[int, int]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(lambda: defaultdict(int))))


def _symptom_columns() -> list:
    columns = []
    for name in SYMPTOMS:
        change = getattr(FollowUp, f"symptom_{name}") - getattr(Report, f"symptom_{name}")
        columns += [func.sum(change), func.count(change)]
    return columns


def _follow_ups(treatment_id: int, today: date, *columns, joins=()):
    query = select(*columns).select_from(FollowUp).join(Report, FollowUp.report_id == Report.id)
    for join in joins:
        query = query.join(*join)
    return query.where(_counted(treatment_id), _follow_up_due(today))


def answer_counts(treatment_id: int, dims: Sequence[str], today: date, tally: Tally
                  ) -> Answers:
    """Three GROUP BY queries: PGIC with the shares and symptom sums, the PDDS change
    histogram, and complications by kind."""
    answers = Answers(tally)
    groups = [dimension(name) for name in dims]
    width = len(groups)
    repeated = func.sum(case((FollowUp.repeated.is_(True), 1), else_=0))
    stopped = func.sum(case((FollowUp.stopped.is_(True), 1), else_=0))
    rows = db.session.execute(_follow_ups(
        treatment_id, today, *groups, FollowUp.months, FollowUp.pgic, func.count(), repeated,
        stopped, *_symptom_columns()).group_by(*groups, FollowUp.months, FollowUp.pgic))
    for row in rows:
        _add_answers(answers, tuple(row[:width]), row[width:])
    change = (FollowUp.pdds - Report.pdds).label("change")
    for *region, months, value, count in db.session.execute(_follow_ups(
            treatment_id, today, *groups, FollowUp.months, change, func.count())
            .group_by(*groups, FollowUp.months, change)):
        answers.pdds_changes[months][tuple(region)][int(value)] += int(count)
    for *region, months, kind, count in db.session.execute(_follow_ups(
            treatment_id, today, *groups, FollowUp.months, FollowUpComplication.kind,
            func.count(), joins=[(FollowUpComplication,
                                  FollowUpComplication.followup_id == FollowUp.id)])
            .group_by(*groups, FollowUp.months, FollowUpComplication.kind)):
        if kind in COMPLICATIONS:
            tally.add(names.complication(months, kind), tuple(region), count)
    return answers


def _add_answers(answers: Answers, region: tuple, row: Sequence[Any]) -> None:
    months, point, count, repeated, stopped, *symptoms = row
    tally = answers.tally
    tally.add(names.gave(months), region, count)
    if point in PGIC:
        tally.add(names.pgic(months, point), region, count)
    tally.add(names.repeated(months), region, repeated or 0)
    tally.add(names.stopped(months), region, stopped or 0)
    for index, name in enumerate(SYMPTOMS):
        total, answered = symptoms[2 * index], symptoms[2 * index + 1]
        tally.add(names.symptom_n(months, name), region, answered or 0)
        answers.symptom_sums[(months, name)][region] += int(total or 0)
