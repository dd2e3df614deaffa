"""Follow-up reminders: one mail per report and interval once it is due, and a signed opt-out."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import (
    ColumnElement, Subquery, and_, exists, literal_column, or_, select, union_all,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import contains_eager

from forum import jobs, mail
from forum.accounts import mail_preferences
from forum.arguments import ID_MAX
from forum.auth.models import User
from forum.extensions import db
from forum.outcomes import schedule
from forum.outcomes.models import FOLLOW_UP_MONTHS, FollowUp, ReminderSent, TreatmentReport
from forum.timeutil import utcnow

# Reports looked at per round trip: the job's statements grow with the number of batches,
# never with the number of reports in one.
BATCH_REPORTS = 200
OPT_OUT_SALT = "outflow-outcome-reminders"
# The 1-month mail's link must still work when the member finally tires of them at 24 months.
OPT_OUT_MAX_AGE = 60 * 60 * 24 * 365 * 3
SUBJECT = "Outflow: a follow-up on your treatment report is due"
# The member's switch for these mails, in forum.accounts.mail_preferences.
REMINDER_MAIL = "outcome_reminders"


# Finding what is due -------------------------------------------------------------------

def _reachable(now: datetime) -> ColumnElement[bool]:
    """Members who want reminders and can act on one: verified, not suspended, not gone."""
    return and_(
        mail_preferences.wants_clause(REMINDER_MAIL),
        User.deleted_at.is_(None),
        User.email_verified_at.is_not(None),
        or_(User.suspended_at.is_(None),
            and_(User.suspended_until.is_not(None), User.suspended_until <= now)),
    )


def _due(today: date) -> Subquery:
    """(report_id, months) for each follow-up that is due, not given and not yet reminded."""
    per_interval = []
    for months in FOLLOW_UP_MONTHS:
        given = exists().where(FollowUp.report_id == TreatmentReport.id,
                               FollowUp.months == months)
        reminded = exists().where(ReminderSent.report_id == TreatmentReport.id,
                                  ReminderSent.months == months)
        per_interval.append(
            # A constant of ours, written into the SQL: a bound parameter in a UNION has no
            # type PostgreSQL can infer.
            select(TreatmentReport.id.label("report_id"),
                   literal_column(str(int(months))).label("months"))
            .where(TreatmentReport.treated_on <= schedule.latest_treatment_for(months, today),
                   ~given, ~reminded))
    return union_all(*per_interval).subquery("due")


Batch = dict[TreatmentReport, list[int]]  # a report and its due intervals, earliest first


def _next_batch(today: date, now: datetime, after: int) -> tuple[Batch, int | None]:
    """The next reports past id `after` with due intervals, and the id to continue after
    (None when this was the last batch). One statement, the authors joined in."""
    due = _due(today)
    limit = BATCH_REPORTS * len(FOLLOW_UP_MONTHS)
    rows = db.session.execute(
        select(TreatmentReport, due.c.months)
        .join(due, due.c.report_id == TreatmentReport.id)
        .join(User, User.id == TreatmentReport.author_id)
        .options(contains_eager(TreatmentReport.author))
        .where(TreatmentReport.id > after, TreatmentReport.hidden_at.is_(None), _reachable(now))
        .order_by(TreatmentReport.id, due.c.months)
        .limit(limit)).all()
    grouped: Batch = defaultdict(list)
    for report, months in rows:
        grouped[report].append(months)
    if len(rows) < limit:
        return grouped, None
    last = rows[-1][0]
    if len(grouped[last]) < len(FOLLOW_UP_MONTHS):
        # The limit may have cut this report's intervals short: it starts the next batch.
        del grouped[last]
    return grouped, max(report.id for report in grouped)


def _claim(pairs: list[tuple[int, int]], now: datetime) -> set[tuple[int, int]]:
    """Record the reminders as sent; returns those this run recorded. A run going on at the
    same moment may have recorded some first: those it mails, and this one does not."""
    if not pairs:
        return set()
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[db.engine.dialect.name]
    statement = (insert(ReminderSent)
                 .values([{"report_id": report_id, "months": months, "sent_at": now}
                          for report_id, months in pairs])
                 .on_conflict_do_nothing()
                 .returning(ReminderSent.report_id, ReminderSent.months))
    return {(report_id, months) for report_id, months in db.session.execute(statement)}


# Sending --------------------------------------------------------------------------------

@jobs.job("outcomes.send_reminders", timeout=1800)
def send_reminders(today: str | None = None) -> int:
    """Mail every member whose follow-up fell due, once per report and interval; returns
    how many mails went. `today` (YYYY-MM-DD) defaults to the current UTC date.

    Each reminder is recorded in the same unit of work that schedules its mail, so a
    retry, a second run or two runs at once never mail anyone twice.
    """
    # The registry's clock and calendar (forum.outcomes.schedule), so that a reminder goes
    # exactly when the member's reports page starts to show the follow-up as due.
    day = date.fromisoformat(today) if today else schedule.today()
    now = utcnow()
    sent = 0
    after: int | None = 0
    while after is not None:
        batch, after = _next_batch(day, now, after)
        claimed = _claim([(report.id, months) for report, intervals in batch.items()
                          for months in intervals], now)
        for report, intervals in batch.items():
            mine = [months for months in intervals if (report.id, months) in claimed]
            if mine:
                _mail(report, mine)
                sent += 1
    return sent


def _mail(report: TreatmentReport, intervals: list[int]) -> None:
    """One mail for a report, naming its latest due interval (and any earlier ones)."""
    member = report.author
    months = max(intervals)
    # The subject shows on lock screens and in shared inboxes: no treatment in it.
    mail.send(member.email, SUBJECT, "mail/follow_up_reminder.txt",
              user=member, report=report, months=months,
              earlier=_earlier(sorted(interval for interval in intervals if interval != months)),
              follow_up_url=mail.absolute(f"/outcomes/{report.id}/follow-up"),
              opt_out_url=mail.absolute(f"/outcomes/reminders/off/{opt_out_token(member)}"))


def _earlier(intervals: list[int]) -> str:
    """The mail's line on earlier intervals still open; empty when there are none."""
    names = [f"{months}-month" for months in intervals]
    if len(names) == 1:
        return f"The {names[0]} follow-up is still open too; you can give it on the same page."
    if names:
        return (f"The {', '.join(names[:-1])} and {names[-1]} follow-ups are still open too; "
                "you can give them on the same page.")
    return ""


# Opting out -------------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=OPT_OUT_SALT)


def opt_out_token(member: User) -> str:
    return _serializer().dumps({"u": member.id})


def member_for_token(token: str) -> User | None:
    """The member an opt-out link was made for; None when it was not made here or is too old."""
    try:
        data = _serializer().loads(token, max_age=OPT_OUT_MAX_AGE)
    except BadData:  # a bad or expired signature, or a payload that is not ours
        return None
    member_id = data.get("u") if isinstance(data, dict) else None
    if not isinstance(member_id, int) or isinstance(member_id, bool) \
            or not 1 <= member_id <= ID_MAX:
        return None
    return db.session.get(User, member_id)


def reminders_on(member: User) -> bool:
    return mail_preferences.wants(member, REMINDER_MAIL)


def set_reminders(member: User, wanted: bool) -> None:
    """Turn a member's follow-up reminders on or off, for all their reports."""
    mail_preferences.set_choice(member, REMINDER_MAIL, "immediately" if wanted else "off")
