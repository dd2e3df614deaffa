"""Moderator actions. Each checks permissions, changes the rows and counters, writes its
log entry and tells the member; the request that called it commits them together.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from forum import events
from forum.audit import record
from forum.auth.models import User
from forum.boards import counters
from forum.boards import services as boards
from forum.boards.models import Category, Post, Thread
from forum.errors import Conflict, ValidationError
from forum.extensions import db
from forum.forms import REASON_MAX
from forum.moderation.models import REPORT_REASONS, Report
from forum.notify.services import notify
from forum.permissions import require
from forum.timeutil import utcnow
from forum.unit_of_work import flush_unique, update_if

NOTE_MAX = 1000
MAX_SUSPENSION_DAYS = 3650


def check_reason(reason: str, required: bool = True) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise ValidationError("Say why, briefly: the member and the log will see it.", "reason")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"Keep the reason under {REASON_MAX} characters.", "reason")
    return reason


def _permalink(post: Post) -> str:
    return f"/p/{post.id}"


# Reports -----------------------------------------------------------------------------

ALREADY_REPORTED = "You have already reported this post; moderators will look at it."


def report_post(reporter, post: Post, reason: str, note: str) -> Report:
    require(reporter, "post.report", post)
    if reason not in REPORT_REASONS:
        raise ValidationError("Choose a reason from the list.", "reason")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(f"Keep the note under {NOTE_MAX} characters.", "note")
    existing = db.session.scalar(select(Report.id).where(
        Report.post_id == post.id, Report.reporter_id == reporter.id, Report.status == "open"))
    if existing is not None:
        raise ValidationError(ALREADY_REPORTED)
    report = Report(post_id=post.id, reporter_id=reporter.id, reason=reason, note=note)
    db.session.add(report)
    # The partial unique index holds when two of the member's requests race past the check.
    flush_unique(ALREADY_REPORTED)
    return report


def _resolve_reports(actor, post: Post, resolution: str, reason: str) -> int:
    result = db.session.execute(
        update(Report).where(Report.post_id == post.id, Report.status == "open")
        .values(status=resolution, resolved_at=utcnow(), resolved_by_id=actor.id,
                resolution_reason=reason)
    )
    return result.rowcount


def dismiss_reports(actor, report: Report, reason: str) -> int:
    """Dismiss every open report on the report's post: the queue shows them as one."""
    require(actor, "report.resolve", report)
    reason = check_reason(reason, required=False)
    count = _resolve_reports(actor, report.post, "dismissed", reason)
    if not count:
        raise Conflict("That report is already resolved.")
    record(actor, "report.dismiss", report, reason, {"reports": count})
    db.session.flush()
    return count


# Posts -------------------------------------------------------------------------------

def hide_post(actor, post: Post, reason: str) -> None:
    require(actor, "post.hide", post)
    reason = check_reason(reason)
    update_if(post, Post.hidden_at.is_(None) & Post.deleted_at.is_(None),
              "That post is already hidden or removed.",
              hidden_at=utcnow(), hidden_by_id=actor.id, hidden_reason=reason)
    _recount_for(post)
    _resolve_reports(actor, post, "hidden", reason)
    record(actor, "post.hide", post, reason)
    notify(post.author, "post.hidden",
           f"A moderator hid your post in “{post.thread.title}”. Reason: {reason}",
           _permalink(post), mail_subject="A moderator hid one of your posts")
    db.session.flush()


def remove_post(actor, post: Post, reason: str) -> None:
    """A moderator removes someone else's post: logged, the member told, restorable."""
    require(actor, "post.remove", post)
    reason = check_reason(reason)
    update_if(post, Post.deleted_at.is_(None), "That post is already removed.",
              deleted_at=utcnow(), deleted_by_id=actor.id, hidden_reason=reason)
    thread = post.thread
    counters.recount(threads=[thread])
    if thread.deleted_at is None and boards.only_post(post):
        thread.deleted_at = post.deleted_at
    counters.recount(categories=[thread.category], user_ids=[post.author_id])
    _resolve_reports(actor, post, "removed", reason)
    record(actor, "post.remove", post, reason)
    notify(post.author, "post.removed",
           f"A moderator removed your post in “{thread.title}”. Reason: {reason}",
           _permalink(post), mail_subject="A moderator removed one of your posts")
    db.session.flush()


def restore_post(actor, post: Post, reason: str) -> None:
    """Show a hidden post again, or bring back one a moderator removed."""
    require(actor, "post.restore", post)
    reason = check_reason(reason, required=False)
    if post.hidden_at is not None:
        update_if(post, Post.hidden_at.is_not(None), "That post is not hidden.",
                  hidden_at=None, hidden_by_id=None, hidden_reason="")
    else:
        removed_at = post.deleted_at
        update_if(post, Post.deleted_at.is_not(None), "That post is not removed.",
                  deleted_at=None, deleted_by_id=None, hidden_reason="")
        # Removing a thread's only post removed the thread with it; restoring brings both.
        if post.thread.deleted_at is not None and post.thread.deleted_at == removed_at:
            post.thread.deleted_at = None
    _recount_for(post)
    record(actor, "post.restore", post, reason)
    notify(post.author, "post.restored",
           f"A moderator restored your post in “{post.thread.title}”.", _permalink(post))
    db.session.flush()


def edit_post(actor, post: Post, body: str, reason: str) -> None:
    """A moderator's edit of someone's post: the earlier version is kept, the author told."""
    require(actor, "post.edit", post)
    reason = check_reason(reason)
    if not boards.edit_post(actor, post, body, reason=reason):
        raise ValidationError("The text is unchanged; edit it, or dismiss the report.", "body")
    _resolve_reports(actor, post, "edited", reason)
    record(actor, "post.edit", post, reason)
    if post.author_id != actor.id:
        notify(post.author, "post.edited",
               f"A moderator edited your post in “{post.thread.title}”. Reason: {reason}",
               _permalink(post), mail_subject="A moderator edited one of your posts")
    db.session.flush()


def approve_post(actor, post: Post, reason: str = "") -> None:
    require(actor, "post.approve", post)
    reason = check_reason(reason, required=False)
    update_if(post, Post.pending.is_(True) & Post.deleted_at.is_(None),
              "That post is not waiting for approval.", pending=False)
    thread = post.thread
    if thread.pending and thread_opening_post_id(thread) == post.id:
        thread.pending = False
    _recount_for(post)
    record(actor, "post.approve", post, reason)
    notify(post.author, "post.approved",
           f"Your post in “{thread.title}” is approved and visible to everyone.",
           _permalink(post))
    db.session.flush()
    events.post_published.send(post, new_thread=thread_opening_post_id(thread) == post.id)


def reject_post(actor, post: Post, reason: str) -> None:
    require(actor, "post.reject", post)
    reason = check_reason(reason)
    # Still "pending" as far as readers go: nobody but its author ever sees a rejected post.
    update_if(post, Post.pending.is_(True) & Post.deleted_at.is_(None),
              "That post is not waiting for approval.",
              deleted_at=utcnow(), deleted_by_id=actor.id, hidden_reason=reason)
    thread = post.thread
    if thread.pending and thread_opening_post_id(thread) == post.id:
        # The thread never appeared; its other waiting posts go with it.
        thread.deleted_at = post.deleted_at
    _recount_for(post)
    record(actor, "post.reject", post, reason)
    notify(post.author, "post.rejected",
           f"A moderator did not approve your post in “{thread.title}”. Reason: {reason}",
           mail_subject="Your post was not approved")
    db.session.flush()


def thread_opening_post_id(thread: Thread) -> int | None:
    return db.session.scalar(select(Post.id).where(Post.thread_id == thread.id)
                             .order_by(Post.id).limit(1))


def _recount_for(post: Post) -> None:
    counters.recount(threads=[post.thread], categories=[post.thread.category],
                     user_ids=[post.author_id])


# Threads -----------------------------------------------------------------------------

THREAD_FLAGS = {
    "lock": (Thread.is_locked, True, "The thread is already locked."),
    "unlock": (Thread.is_locked, False, "The thread is not locked."),
    "pin": (Thread.is_pinned, True, "The thread is already pinned."),
    "unpin": (Thread.is_pinned, False, "The thread is not pinned."),
}


def set_thread_flag(actor, thread: Thread, verb: str, reason: str) -> None:
    require(actor, f"thread.{verb}", thread)
    reason = check_reason(reason, required=False)
    column, value, conflict = THREAD_FLAGS[verb]
    update_if(thread, column.is_(not value), conflict, **{column.key: value})
    record(actor, f"thread.{verb}", thread, reason)
    db.session.flush()


def move_thread(actor, thread: Thread, category: Category, reason: str) -> None:
    require(actor, "thread.move", thread)
    reason = check_reason(reason, required=False)
    if category.id == thread.category_id:
        raise ValidationError("The thread is already in that category.", "category")
    source = thread.category
    thread.category = category
    counters.recount(categories=[source, category])
    record(actor, "thread.move", thread, f"{source.name} → {category.name}. {reason}".strip(),
           {"from": source.slug, "to": category.slug})
    db.session.flush()


def delete_thread(actor, thread: Thread, reason: str) -> None:
    require(actor, "thread.delete", thread)
    reason = check_reason(reason)
    update_if(thread, Thread.deleted_at.is_(None), "The thread is already deleted.",
              deleted_at=utcnow())
    counters.recount(categories=[thread.category], user_ids=counters.thread_author_ids(thread))
    record(actor, "thread.delete", thread, reason)
    notify(thread.author, "thread.deleted",
           f"A moderator removed your thread “{thread.title}”. Reason: {reason}",
           mail_subject="A moderator removed your thread")
    db.session.flush()


def restore_thread(actor, thread: Thread, reason: str) -> None:
    require(actor, "thread.restore", thread)
    reason = check_reason(reason, required=False)
    update_if(thread, Thread.deleted_at.is_not(None), "The thread is not deleted.",
              deleted_at=None)
    counters.recount(threads=[thread], categories=[thread.category],
                     user_ids=counters.thread_author_ids(thread))
    record(actor, "thread.restore", thread, reason)
    notify(thread.author, "thread.restored",
           f"A moderator restored your thread “{thread.title}”.", f"/t/{thread.id}")


# Members -----------------------------------------------------------------------------
    db.session.flush()

def suspend(actor, member, days: int, reason: str) -> None:
    """Suspend for `days` days; 0 means until a moderator lifts it."""
    require(actor, "user.suspend", member)
    reason = check_reason(reason)
    if not 0 <= days <= MAX_SUSPENSION_DAYS:
        raise ValidationError(f"Choose from 0 (permanent) to {MAX_SUSPENSION_DAYS} days.", "days")
    now = utcnow()
    member.suspended_at = now
    member.suspended_until = now + timedelta(days=days) if days else None
    member.suspension_reason = reason
    period = f"for {days} day{'s' if days != 1 else ''}" if days else "until further notice"
    record(actor, "user.suspend", member, f"{period}: {reason}", {"days": days})
    notify(member, "user.suspended",
           f"Your account is suspended {period}. Reason: {reason} "
           "You can still read the forum and export your data.",
           mail_subject="Your Outflow account is suspended")
    db.session.flush()


def unsuspend(actor, member, reason: str) -> None:
    require(actor, "user.unsuspend", member)
    reason = check_reason(reason, required=False)
    update_if(member, User.suspended_at.is_not(None), "That member is not suspended.",
              suspended_at=None, suspended_until=None, suspension_reason="")
    record(actor, "user.unsuspend", member, reason)
    notify(member, "user.unsuspended", "Your suspension is lifted. Welcome back.",
           mail_subject="Your Outflow suspension is lifted")
    db.session.flush()
