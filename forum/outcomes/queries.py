"""The reads behind the registry's pages; each runs a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, exists, false, literal, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from forum.extensions import db
from forum.outcomes.models import (
    FOLLOW_UP_MONTHS, FollowUp, Treatment, TreatmentReport, thread_treatments,
)
from forum.outcomes.schedule import latest_treatment_for, today
from forum.permissions import can

BANNER_LIMIT = 3


def treatments(active_only: bool = True, keep: Treatment | None = None) -> list[Treatment]:
    """The list in its order; `keep` is included even when taken off the list (a report
    being corrected still names it)."""
    query = select(Treatment).order_by(Treatment.position, Treatment.id)
    if active_only:
        shown = Treatment.active.is_(True)
        query = query.where(shown if keep is None else or_(shown, Treatment.id == keep.id))
    return list(db.session.scalars(query))


def treatment(treatment_id: int) -> Treatment | None:
    return db.session.get(Treatment, treatment_id)


def report(report_id: int) -> TreatmentReport | None:
    """A report with everything its page shows: three statements, however many follow-ups."""
    return db.session.scalar(
        select(TreatmentReport).where(TreatmentReport.id == report_id)
        .options(joinedload(TreatmentReport.author), joinedload(TreatmentReport.clinic),
                 joinedload(TreatmentReport.thread),
                 selectinload(TreatmentReport.follow_ups).selectinload(
                     FollowUp.complication_rows)))


def follow_up(report_: TreatmentReport, months: int) -> FollowUp | None:
    return next((item for item in report_.follow_ups if item.months == months), None)


def reports_of(member) -> list[TreatmentReport]:
    """A member's own reports, newest treatment first, with their follow-ups."""
    return list(db.session.scalars(
        select(TreatmentReport).where(TreatmentReport.author_id == member.id)
        .options(joinedload(TreatmentReport.thread),
                 selectinload(TreatmentReport.follow_ups).selectinload(
                     FollowUp.complication_rows))
        .order_by(TreatmentReport.treated_on.desc(), TreatmentReport.id.desc())))


def _given(months: int):
    return exists().where(FollowUp.report_id == TreatmentReport.id, FollowUp.months == months)


def due_condition(on: date, months_list: tuple[int, ...] = FOLLOW_UP_MONTHS):
    """SQL for "some follow-up of this report is due on `on` and not given": an interval
    is due when treated_on is on or before a cut-off computed here, so no database needs
    date arithmetic. Hidden reports ask for nothing."""
    return and_(TreatmentReport.hidden_at.is_(None), or_(false(), *(
        and_(TreatmentReport.treated_on <= latest_treatment_for(months, on), ~_given(months))
        for months in months_list)))


@dataclass(frozen=True)
class DueReport:
    report_id: int
    label: str


def due_for(member, on: date | None = None, limit: int = BANNER_LIMIT) -> list[DueReport]:
    """The member's reports with a follow-up due now: one statement (the site banner)."""
    rows = db.session.execute(
        select(TreatmentReport.id, Treatment.name, TreatmentReport.treatment_other)
        .join(Treatment, Treatment.id == TreatmentReport.treatment_id)
        .where(TreatmentReport.author_id == member.id, due_condition(on or today()))
        .order_by(TreatmentReport.treated_on, TreatmentReport.id).limit(limit))
    return [DueReport(row_id, other or name) for row_id, name, other in rows]


@dataclass(frozen=True)
class ThreadOutcomes:
    """What a thread page shows of the registry: its treatments, and the report it discusses."""

    linked: list[Treatment]
    # Every treatment a linker may choose from (None for those who may not link).
    choices: list[Treatment] | None
    report_id: int | None


def thread_outcomes(thread, viewer) -> ThreadOutcomes:
    """One statement: the treatments (which are linked, or all for a linker) and the id of
    the public report the thread discusses. The treatments are outer-joined to a single
    row, so that the report's id comes back even when no treatment does."""
    linked_flag = exists().where(thread_treatments.c.thread_id == thread.id,
                                 thread_treatments.c.treatment_id == Treatment.id)
    linker = can(viewer, "thread.link_treatment", thread)
    report_id = (select(TreatmentReport.id)
                 .where(TreatmentReport.thread_id == thread.id,
                        TreatmentReport.visibility == "public",
                        TreatmentReport.hidden_at.is_(None))
                 .limit(1).scalar_subquery())
    anchor = select(literal(1).label("one")).subquery()
    rows = db.session.execute(
        select(report_id.label("report_id"), Treatment, linked_flag.label("linked"))
        .select_from(anchor)
        .outerjoin(Treatment, true() if linker else linked_flag)
        .order_by(Treatment.position)).all()
    treatments_ = [(row.Treatment, row.linked) for row in rows if row.Treatment is not None]
    linked = [item for item, is_linked in treatments_ if is_linked]
    choices = ([item for item, is_linked in treatments_ if is_linked or item.active]
               if linker else None)
    return ThreadOutcomes(linked, choices, rows[0].report_id if rows else None)
