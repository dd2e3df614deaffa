"""What a member's export holds, section by section, read in batches.

Every section is a generator of plain dicts (the records of docs/export-format.md), read
BATCH_SIZE rows at a time in id order, so that an export of 50,000 posts never holds more
than one batch in memory. The JSON and the HTML copy read the same generators.

Other people stay out: a moderator who hid a post, cleared a field or wrote a log line is
"a moderator", never a name or an id; reported posts are named by id, not by their text.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Callable, Iterator

from sqlalchemy import Select, and_, or_, select, tuple_
from sqlalchemy.orm import joinedload, selectinload

from forum.accounts.display import Display
from forum.accounts.models import MailPreference, Profile, ProfileRevision
from forum.auth.models import LoginSession, User
from forum.boards.models import (
    Bookmark,
    Category,
    CategoryRead,
    Post,
    PostRevision,
    Reaction,
    Thread,
    ThreadRead,
)
from forum.extensions import db
from forum.moderation.models import ModerationAction, Report
from forum.notify.models import CategoryWatch, GroupedNotification, Notification, ThreadWatch
from forum.outcomes.models import OutcomeRevision, ReminderSent, TreatmentReport

# Rows read per statement. A module constant so that tests can make it small.
BATCH_SIZE = 500

Record = dict[str, Any]
YOU, A_MODERATOR, THE_SYSTEM = "you", "a moderator", "the system"


def _by(member: User, actor_id: int | None, nobody: str = A_MODERATOR) -> str:
    """Who did something to the member's own row, without naming anyone else."""
    if actor_id is None:
        return nobody
    return YOU if actor_id == member.id else A_MODERATOR


def _batches(statement: Select, key, size: int | None = None) -> Iterator[list]:
    """The statement's rows in batches, by keyset on `key` (never OFFSET, which rescans)."""
    size = size or BATCH_SIZE
    after = 0
    while True:
        rows = db.session.execute(
            statement.where(key > after).order_by(key).limit(size)).all()
        if not rows:
            return
        yield rows
        if len(rows) < size:
            return
        after = rows[-1][0].id


# The member and their profile ----------------------------------------------------------

def member_record(member: User) -> Record:
    return {
        "id": member.id, "username": member.username, "email": member.email,
        "role": member.role, "clinic": member.clinic.name if member.clinic else None,
        "created_at": member.created_at, "email_verified_at": member.email_verified_at,
        "post_count": member.post_count, "suspended_at": member.suspended_at,
        "suspended_until": member.suspended_until,
        "suspension_reason": member.suspension_reason,
        "display": Display.of(member).record(),
    }


def profile_record(member: User) -> Record | None:
    profile = db.session.get(Profile, member.id)
    if profile is None:
        return None
    return {
        "display_name": profile.display_name, "bio": profile.bio,
        "location": profile.location, "location_visibility": profile.location_visibility,
        "ms_type": profile.ms_type, "ms_type_visibility": profile.ms_type_visibility,
        "diagnosis_year": profile.diagnosis_year,
        "diagnosis_year_visibility": profile.diagnosis_year_visibility,
        "posts_visible_to_visitors": profile.posts_visible_to_visitors,
        "updated_at": profile.updated_at,
    }


def profile_history(member: User) -> Iterator[Record]:
    statement = select(ProfileRevision).where(ProfileRevision.user_id == member.id)
    for rows in _batches(statement, ProfileRevision.id):
        for (revision,) in rows:
            yield {"id": revision.id, "field": revision.field,
                   "old_value": revision.old_value, "new_value": revision.new_value,
                   "changed_at": revision.changed_at,
                   "changed_by": _by(member, revision.changed_by_id)}


# What they wrote ------------------------------------------------------------------------

def threads(member: User) -> Iterator[Record]:
    statement = (select(Thread, Category.slug, Category.name)
                 .join(Category, Category.id == Thread.category_id)
                 .where(Thread.author_id == member.id))
    for rows in _batches(statement, Thread.id):
        for thread, slug, name in rows:
            yield {"id": thread.id, "title": thread.title, "url": f"/t/{thread.id}",
                   "category_slug": slug, "category_name": name,
                   "created_at": thread.created_at, "post_count": thread.post_count,
                   "is_pinned": thread.is_pinned, "is_locked": thread.is_locked,
                   "pending": thread.pending, "deleted_at": thread.deleted_at}


def posts(member: User) -> Iterator[Record]:
    statement = (select(Post, Thread.title).join(Thread, Thread.id == Post.thread_id)
                 .where(Post.author_id == member.id))
    for rows in _batches(statement, Post.id):
        revisions = _post_revisions(member, [post.id for post, _title in rows])
        for post, title in rows:
            yield {"id": post.id, "thread_id": post.thread_id, "thread_title": title,
                   "url": f"/p/{post.id}", "body": post.body, "created_at": post.created_at,
                   "edited_at": post.edited_at, "pending": post.pending,
                   "deleted_at": post.deleted_at,
                   "deleted_by": _by(member, post.deleted_by_id)
                   if post.deleted_at is not None else None,
                   "hidden_at": post.hidden_at, "hidden_reason": post.hidden_reason,
                   "revisions": revisions.get(post.id, [])}


def _post_revisions(member: User, post_ids: list[int]) -> dict[int, list[Record]]:
    found: dict[int, list[Record]] = defaultdict(list)
    for revision in db.session.scalars(
            select(PostRevision).where(PostRevision.post_id.in_(post_ids))
            .order_by(PostRevision.id)):
        found[revision.post_id].append({
            "id": revision.id, "body": revision.body, "reason": revision.reason,
            "written_at": revision.written_at, "replaced_at": revision.replaced_at,
            "replaced_by": _by(member, revision.replaced_by_id)})
    return found


def reports_made(member: User) -> Iterator[Record]:
    statement = select(Report).where(Report.reporter_id == member.id)
    for rows in _batches(statement, Report.id):
        for (report,) in rows:
            yield {"id": report.id, "post_id": report.post_id, "reason": report.reason,
                   "note": report.note, "created_at": report.created_at,
                   "status": report.status, "resolved_at": report.resolved_at}


# Treatment reports ----------------------------------------------------------------------

def treatment_reports(member: User) -> Iterator[Record]:
    statement = (select(TreatmentReport).where(TreatmentReport.author_id == member.id)
                 .options(joinedload(TreatmentReport.clinic),
                          selectinload(TreatmentReport.follow_ups)))
    for rows in _batches(statement, TreatmentReport.id):
        ids = [report.id for (report,) in rows]
        revisions = _grouped(select(OutcomeRevision).where(OutcomeRevision.report_id.in_(ids))
                             .order_by(OutcomeRevision.id), _outcome_revision)
        reminders = _grouped(select(ReminderSent).where(ReminderSent.report_id.in_(ids))
                             .order_by(ReminderSent.report_id, ReminderSent.months),
                             lambda row: {"months": row.months, "sent_at": row.sent_at})
        for (report,) in rows:
            yield {**_treatment_report(report),
                   "follow_ups": [_follow_up(follow_up) for follow_up in report.follow_ups],
                   "revisions": revisions.get(report.id, []),
                   "reminders_sent": reminders.get(report.id, [])}


def _grouped(statement: Select, to_record: Callable[[Any], Record]) -> dict[int, list[Record]]:
    found: dict[int, list[Record]] = defaultdict(list)
    for row in db.session.scalars(statement):
        found[row.report_id].append(to_record(row))
    return found


def _treatment_report(report: TreatmentReport) -> Record:
    return {
        "id": report.id, "code": report.code, "url": f"/outcomes/{report.id}",
        "treatment": report.treatment.slug, "treatment_name": report.treatment.name,
        "treatment_other": report.treatment_other, "treated_on": report.treated_on,
        "veins": list(report.veins or []),
        "clinic": report.clinic.name if report.clinic else None,
        "clinic_other": report.clinic_other, "ms_type": report.ms_type,
        "diagnosis_year": report.diagnosis_year, "pdds": report.pdds, "edss": report.edss,
        "relapses_12m": report.relapses_12m, "symptoms": report.symptoms(),
        "visibility": report.visibility, "consent_export": report.consent_export,
        "thread_id": report.thread_id, "created_at": report.created_at,
        "updated_at": report.updated_at, "hidden_at": report.hidden_at,
        "hidden_reason": report.hidden_reason,
    }


def _follow_up(follow_up) -> Record:
    return {
        "id": follow_up.id, "months": follow_up.months, "pgic": follow_up.pgic,
        "pdds": follow_up.pdds, "edss": follow_up.edss, "relapses": follow_up.relapses,
        "symptoms": follow_up.symptoms(), "complications": follow_up.complications,
        "repeated": follow_up.repeated, "stopped": follow_up.stopped, "note": follow_up.note,
        "created_at": follow_up.created_at, "updated_at": follow_up.updated_at,
    }


def _outcome_revision(revision: OutcomeRevision) -> Record:
    return {"id": revision.id, "follow_up_id": revision.followup_id,
            "values": revision.values, "replaced_at": revision.replaced_at}


# Their account ---------------------------------------------------------------------------

def notifications(member: User) -> Iterator[Record]:
    statement = select(Notification).where(Notification.user_id == member.id)
    for rows in _batches(statement, Notification.id):
        for (notice,) in rows:
            yield {"id": notice.id, "kind": notice.kind, "message": notice.message,
                   "link": notice.link, "created_at": notice.created_at,
                   "read_at": notice.read_at}


def sessions(member: User) -> Iterator[Record]:
    # Never the token's hash: it is what stands for the cookie.
    statement = select(LoginSession).where(LoginSession.user_id == member.id)
    for rows in _batches(statement, LoginSession.id):
        for (session,) in rows:
            yield {"id": session.id, "created_at": session.created_at,
                   "last_seen_at": session.last_seen_at, "expires_at": session.expires_at,
                   "remember": session.remember, "user_agent": session.user_agent}


def mail_preferences(member: User) -> Iterator[Record]:
    # A handful of rows at most (one per kind of mail): no batches needed.
    for preference in db.session.scalars(
            select(MailPreference).where(MailPreference.user_id == member.id)
            .order_by(MailPreference.kind)):
        yield {"kind": preference.kind, "choice": preference.choice}


def reactions(member: User) -> Iterator[Record]:
    """Reactions the member gave; the post is named by id, its text is someone else's."""
    statement = select(Reaction).where(Reaction.user_id == member.id)
    for rows in _keyset_batches(statement, (Reaction.post_id, Reaction.kind)):
        for reaction in rows:
            yield {"post_id": reaction.post_id, "kind": reaction.kind,
                   "created_at": reaction.created_at}


def bookmarks(member: User) -> Iterator[Record]:
    statement = select(Bookmark).where(Bookmark.user_id == member.id)
    for rows in _keyset_batches(statement, (Bookmark.post_id,)):
        for bookmark in rows:
            yield {"post_id": bookmark.post_id, "created_at": bookmark.created_at}


def read_marks(member: User) -> Iterator[Record]:
    """How far the member read each thread, and where they marked a category read."""
    statement = select(ThreadRead).where(ThreadRead.user_id == member.id)
    for rows in _keyset_batches(statement, (ThreadRead.thread_id,)):
        for mark in rows:
            yield {"thread_id": mark.thread_id, "category": None,
                   "read_up_to_post_id": mark.last_read_post_id, "read_at": mark.read_at}
    for mark, slug in db.session.execute(
            select(CategoryRead, Category.slug).join(Category)
            .where(CategoryRead.user_id == member.id).order_by(Category.slug)):
        yield {"thread_id": None, "category": slug,
               "read_up_to_post_id": mark.read_up_to_post_id, "read_at": mark.read_at}


def _keyset_batches(statement: Select, keys: tuple) -> Iterator[list]:
    """Rows of a table keyed by (user, other columns), in batches by the other columns."""
    size, after = BATCH_SIZE, None
    while True:
        page = statement
        if after is not None:
            page = page.where(tuple_(*keys) > tuple_(*after))
        rows = list(db.session.scalars(page.order_by(*keys).limit(size)))
        if not rows:
            return
        yield rows
        if len(rows) < size:
            return
        after = tuple(getattr(rows[-1], key.key) for key in keys)


def watches(member: User) -> Iterator[Record]:
    """The threads and categories the member watches or muted (a handful, or thousands
    of threads for a long-time member: batched)."""
    statement = select(ThreadWatch).where(ThreadWatch.user_id == member.id)
    for rows in _keyset_batches(statement, (ThreadWatch.thread_id,)):
        for watch in rows:
            yield {"thread_id": watch.thread_id, "category": None, "level": watch.level,
                   "updated_at": watch.updated_at}
    for watch, slug in db.session.execute(
            select(CategoryWatch, Category.slug).join(Category)
            .where(CategoryWatch.user_id == member.id).order_by(Category.slug)):
        yield {"thread_id": None, "category": slug, "level": watch.level,
               "updated_at": watch.updated_at}


def activity(member: User) -> Iterator[Record]:
    """Lines about replies, mentions, quotes and reactions; who acted is not named."""
    statement = select(GroupedNotification).where(GroupedNotification.user_id == member.id)
    for rows in _batches(statement, GroupedNotification.id):
        for (line,) in rows:
            yield {"id": line.id, "kind": line.kind, "thread_id": line.thread_id,
                   "post_id": line.post_id, "count": line.count,
                   "created_at": line.created_at, "updated_at": line.updated_at,
                   "read_at": line.read_at}


def moderation_actions_about(member: User) -> Iterator[Record]:
    statement = select(ModerationAction).where(_about(member))
    for rows in _batches(statement, ModerationAction.id):
        for (action,) in rows:
            yield {"id": action.id, "action": action.action,
                   "target_type": action.target_type, "target_id": action.target_id,
                   "target_label": action.target_label, "reason": action.reason,
                   "details": action.details or {}, "created_at": action.created_at,
                   "by": _by(member, action.actor_id, nobody=THE_SYSTEM)}


def _about(member: User):
    """Log lines whose target is the member, or a thread, post or report of theirs."""
    action = ModerationAction
    return or_(
        and_(action.target_type == "user", action.target_id == member.id),
        and_(action.target_type == "post",
             action.target_id.in_(select(Post.id).where(Post.author_id == member.id))),
        and_(action.target_type == "thread",
             action.target_id.in_(select(Thread.id).where(Thread.author_id == member.id))),
        and_(action.target_type == "treatment_report",
             action.target_id.in_(select(TreatmentReport.id)
                                  .where(TreatmentReport.author_id == member.id))),
    )


# The sections after "member" and "profile", in the file's order.
SECTIONS: tuple[tuple[str, Callable[[User], Iterator[Record]]], ...] = (
    ("profile_history", profile_history),
    ("threads", threads),
    ("posts", posts),
    ("reports_made", reports_made),
    ("treatment_reports", treatment_reports),
    ("notifications", notifications),
    ("activity", activity),
    ("sessions", sessions),
    ("mail_preferences", mail_preferences),
    ("reactions", reactions),
    ("bookmarks", bookmarks),
    ("read_marks", read_marks),
    ("watches", watches),
    ("moderation_actions_about_you", moderation_actions_about),
)
