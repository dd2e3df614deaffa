"""Filing treatment reports and their follow-ups, changing them, and moderators hiding them."""
# Each function checks permissions and values, changes the rows, keeps earlier values as
# revisions, brings a public report's thread up to date, writes any log entry and notice,
# and flushes; the request (or command) that called it commits.
from __future__ import annotations

import secrets
from datetime import datetime

from forum import markup
from forum.audit import record
from forum.errors import Conflict, PermissionDenied, ValidationError
from forum.extensions import db
from forum.moderation.services import check_reason
from forum.notify.services import notify
from forum.outcomes import schedule, summary
from forum.outcomes.checks import (
    FollowUpValues, ReportValues, check_follow_up, check_months, check_report,
)
from forum.outcomes.models import (
    FollowUp, FollowUpComplication, OutcomeRevision, TreatmentReport,
)
from forum.outcomes.treatments import STARTING_TREATMENTS, ensure_starting_treatments
from forum.permissions import allowed, require
from forum.timeutil import utcnow
from forum.unit_of_work import flush_unique, update_if

__all__ = [
    "STARTING_TREATMENTS", "FollowUpValues", "ReportValues", "edit_follow_up", "edit_report",
    "check_editable", "check_follow_up_editable", "ensure_starting_treatments", "file_report",
    "give_follow_up", "hide_report", "intervals_open", "report_url", "restore_report",
    "withdraw_consent",
]

HIDDEN = ("A moderator has hidden this report, so it cannot be changed or followed up; "
          "the notice you were sent says why.")


def report_url(report: TreatmentReport) -> str:
    return f"/outcomes/{report.id}"


def _new_code() -> str:
    # Stands for the report in the open data file: random, so it says nothing of the id.
    return secrets.token_hex(8)


def _refuse_if_hidden(report: TreatmentReport) -> None:
    if report.hidden_at is not None:
        raise Conflict(HIDDEN)


def _fixed(kind: str, verb: str, given_at: datetime) -> Conflict:
    until = schedule.edit_until(given_at)
    return Conflict(f"{kind} can be changed for 7 days after it was {verb}; this one could "
                    f"be changed until {until:%d %B %Y, %H:%M} UTC, and now stands as {verb}.")


def check_editable(actor, report: TreatmentReport) -> None:
    """Refuse (403, then 409 with the reason) unless the member may correct the report now."""
    if not allowed(actor, "outcome.edit", report):
        raise PermissionDenied("outcome.edit")
    _refuse_if_hidden(report)
    if not schedule.within_edit_window(report.created_at):
        raise _fixed("A report", "filed", report.created_at)


def check_follow_up_editable(actor, follow_up: FollowUp) -> None:
    if not allowed(actor, "outcome.edit_follow_up", follow_up):
        raise PermissionDenied("outcome.edit_follow_up")
    _refuse_if_hidden(follow_up.report)
    if not schedule.within_edit_window(follow_up.created_at):
        raise _fixed("A follow-up", "given", follow_up.created_at)


def intervals_open(actor, report: TreatmentReport) -> list[int]:
    """The intervals the member may give now; refuses (403, 409 saying when the next falls
    due) when there is none, as giving one would."""
    if not allowed(actor, "outcome.follow_up", report):
        raise PermissionDenied("outcome.follow_up")
    _refuse_if_hidden(report)
    given = [f.months for f in report.follow_ups]
    due = schedule.due_months(report.treated_on, given)
    if not due:
        ahead = schedule.upcoming(report.treated_on, given)
        if not ahead:
            raise Conflict("Every follow-up of this report is given: thank you.")
        months, day = ahead[0]
        raise Conflict(f"No follow-up is due yet: the {months}-month one is due from "
                       f"{day:%d %B %Y}. We will remind you then, unless you turned "
                       "reminders off.")
    return due


# Reports -----------------------------------------------------------------------------

def _apply(report: TreatmentReport, checked: dict) -> None:
    checked = dict(checked)
    # Rows and their ids together, so that the report reads the same before a flush.
    report.treatment = checked.pop("treatment")
    report.treatment_id = report.treatment.id
    report.clinic = checked.pop("clinic")
    report.clinic_id = report.clinic.id if report.clinic else None
    for name, value in checked.items():
        setattr(report, name, value)


def file_report(actor, values: ReportValues) -> TreatmentReport:
    """A member's report of their treatment; a public one opens its discussion thread."""
    require(actor, "outcome.file")
    checked = check_report(values)
    now = utcnow()
    report = TreatmentReport(code=_new_code(), author_id=actor.id, created_at=now,
                             updated_at=now)
    _apply(report, checked)
    db.session.add(report)
    db.session.flush()
    if report.is_public:
        summary.open_thread(actor, report)
    db.session.flush()
    return report


def _follow_ups_still_due(report: TreatmentReport, checked: dict) -> None:
    """A new treatment month must not put a follow-up already given before its due date."""
    for follow_up in report.follow_ups:
        due = schedule.due_on(checked["treated_on"], follow_up.months)
        if due > schedule.today():
            raise ValidationError(
                f"You already gave the {follow_up.months}-month follow-up, which with this "
                f"treatment month would not be due until {due:%d %B %Y}: check the month.",
                "treated_on")


def edit_report(actor, report: TreatmentReport, values: ReportValues) -> bool:
    """Correct a report within 7 days of filing it; the values it had are kept.
    True when something changed."""
    check_editable(actor, report)
    checked = check_report(values, current=report.treatment)
    _follow_ups_still_due(report, checked)
    before = report.baseline_values()
    previous_treatment_id = report.treatment_id
    _apply(report, checked)
    if report.baseline_values() == before:
        return False
    db.session.add(OutcomeRevision(report_id=report.id, values=before))
    report.updated_at = utcnow()
    summary.refresh(actor, report, previous_treatment_id)
    db.session.flush()
    return True


# Follow-ups --------------------------------------------------------------------------

def _given(report: TreatmentReport, months: int) -> FollowUp | None:
    return next((f for f in report.follow_ups if f.months == months), None)


def already_given_message(months: int) -> str:
    return (f"You have already given the {months}-month follow-up for this report. You can "
            "change it from the report's page for 7 days after giving it.")


def _check_due(report: TreatmentReport, months: int) -> None:
    if _given(report, months) is not None:
        raise Conflict(already_given_message(months))
    due = schedule.due_on(report.treated_on, months)
    if due > schedule.today():
        raise ValidationError(
            f"The {months}-month follow-up is due from {due:%d %B %Y}, "
            f"{schedule.months_text(months)} after the treatment: please come back then.",
            "months")


def _set_answers(follow_up: FollowUp, checked: dict) -> None:
    checked = dict(checked)
    kinds = checked.pop("complications")
    for name, value in checked.items():
        setattr(follow_up, name, value)
    # Rendered now, so that showing the note never parses Markdown.
    follow_up.note_html = markup.render(follow_up.note) if follow_up.note else ""
    # Rows kept for kinds still ticked: deleting and re-adding one key in a flush clashes.
    rows = {row.kind: row for row in follow_up.complication_rows}
    follow_up.complication_rows = [rows.get(kind) or FollowUpComplication(kind=kind)
                                   for kind in kinds]


def give_follow_up(actor, report: TreatmentReport, values: FollowUpValues) -> FollowUp:
    """The member's answers at one interval: only once it is due, and once per interval."""
    if not allowed(actor, "outcome.follow_up", report):
        raise PermissionDenied("outcome.follow_up")
    _refuse_if_hidden(report)
    months = check_months(values.months)
    checked = check_follow_up(values)
    _check_due(report, months)
    now = utcnow()
    follow_up = FollowUp(report=report, months=months, created_at=now, updated_at=now)
    _set_answers(follow_up, checked)
    db.session.add(follow_up)
    try:
        # Two tabs sending the same interval at once: the unique constraint decides.
        flush_unique(already_given_message(months), "months")
    except ValidationError as error:
        raise Conflict(error.message) from None
    report.updated_at = now
    summary.refresh(actor, report)
    db.session.flush()
    return follow_up


def edit_follow_up(actor, follow_up: FollowUp, values: FollowUpValues) -> bool:
    """Correct a follow-up within 7 days of giving it; its earlier answers are kept.
    The interval stays what it was. True when something changed."""
    report = follow_up.report
    check_follow_up_editable(actor, follow_up)
    checked = check_follow_up(values)
    before = follow_up.answer_values()
    _set_answers(follow_up, checked)
    if follow_up.answer_values() == before:
        return False
    db.session.add(OutcomeRevision(report_id=report.id, followup_id=follow_up.id,
                                   values=before))
    follow_up.updated_at = report.updated_at = utcnow()
    summary.refresh(actor, report)
    db.session.flush()
    return True


def withdraw_consent(actor, report: TreatmentReport) -> None:
    """Leave the report out of the open data file from now on: at any time, unlike the
    other values, because it is the member's consent."""
    require(actor, "outcome.withdraw_consent", report)
    update_if(report, TreatmentReport.consent_export.is_(True),
              "This report is already left out of the open data file.",
              consent_export=False, updated_at=utcnow())
    db.session.flush()


# Moderation --------------------------------------------------------------------------

def hide_report(actor, report: TreatmentReport, reason: str) -> None:
    """Take a report off its page and out of the figures; logged, and the member told."""
    require(actor, "outcome.hide", report)
    reason = check_reason(reason)
    now = utcnow()
    # updated_at too: cached figures notice a change by the reports' latest stamp.
    update_if(report, TreatmentReport.hidden_at.is_(None), "That report is already hidden.",
              hidden_at=now, hidden_by_id=actor.id, hidden_reason=reason, updated_at=now)
    record(actor, "outcome.hide", report, reason)
    # The notice travels by mail too: it names no treatment, health details stay on the site.
    notify(report.author, "outcome.hidden",
           "A moderator hid one of your treatment reports: it is out of the figures, and "
           f"only you and the moderators see it. Reason: {reason}",
           report_url(report), mail_subject="A moderator hid one of your treatment reports")
    db.session.flush()


def restore_report(actor, report: TreatmentReport, reason: str = "") -> None:
    require(actor, "outcome.restore", report)
    reason = check_reason(reason, required=False)
    update_if(report, TreatmentReport.hidden_at.is_not(None), "That report is not hidden.",
              hidden_at=None, hidden_by_id=None, hidden_reason="", updated_at=utcnow())
    record(actor, "outcome.restore", report, reason)
    notify(report.author, "outcome.restored",
           "A moderator restored one of your treatment reports: it counts in the figures "
           "again.", report_url(report))
    db.session.flush()

