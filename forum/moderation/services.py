"""Moderator actions. Each checks permissions, changes the rows and counters, writes
its log entry and tells the member, all in one transaction.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from forum.boards import counters
from forum.boards import services as boards
from forum.boards.models import Category, Post, Thread
from forum.errors import ValidationError
from forum.extensions import db
from forum.moderation.models import REPORT_REASONS, ModerationAction, Report
from forum.notify.services import notify
from forum.permissions import require
from forum.timeutil import utcnow

REASON_MAX = 1000
NOTE_MAX = 1000
MAX_SUSPENSION_DAYS = 3650


def check_reason(reason: str, required: bool = True) -> str:
    reason = " ".join((reason or "").split())
    if required and not reason:
        raise ValidationError("Say why, briefly: the member and the log will see it.", "reason")
    if len(reason) > REASON_MAX:
        raise ValidationError(f"Keep the reason under {REASON_MAX} characters.", "reason")
    return reason


def log(actor, action: str, target, reason: str = "") -> ModerationAction:
    kind = {Post: "post", Thread: "thread", Report: "report"}.get(type(target), "user")
    label = {
        "post": lambda: f"post in “{target.thread.title}” by {target.author.username}",
        "thread": lambda: target.title,
        "report": lambda: f"report on post {target.post_id}",
        "user": lambda: target.username,
    }[kind]()
    entry = ModerationAction(actor_id=actor.id, action=action, target_type=kind,
                             target_id=target.id, target_label=label[:200], reason=reason)
    db.session.add(entry)
    return entry


def _permalink(post: Post) -> str:
    return f"/p/{post.id}"


# Reports -----------------------------------------------------------------------------

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
        raise ValidationError("You have already reported this post; moderators will look at it.")
    report = Report(post_id=post.id, reporter_id=reporter.id, reason=reason, note=note)
    db.session.add(report)
    db.session.commit()
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
    if report.status != "open":
        raise ValidationError("That report is already resolved.")
    count = _resolve_reports(actor, report.post, "dismissed", reason)
    log(actor, "report.dismiss", report, reason)
    db.session.commit()
    return count


# Posts -------------------------------------------------------------------------------

def hide_post(actor, post: Post, reason: str) -> None:
    require(actor, "post.hide", post)
    reason = check_reason(reason)
    post.hidden_at, post.hidden_by_id, post.hidden_reason = utcnow(), actor.id, reason
    _recount_for(post)
    _resolve_reports(actor, post, "hidden", reason)
    log(actor, "post.hide", post, reason)
    notify(post.author, "post.hidden",
           f"A moderator hid your post in “{post.thread.title}”. Reason: {reason}",
           _permalink(post), mail_subject="A moderator hid one of your posts")
    db.session.commit()


def restore_post(actor, post: Post, reason: str) -> None:
    require(actor, "post.restore", post)
    reason = check_reason(reason, required=False)
    post.hidden_at, post.hidden_by_id, post.hidden_reason = None, None, ""
    _recount_for(post)
    log(actor, "post.restore", post, reason)
    notify(post.author, "post.restored",
           f"A moderator restored your post in “{post.thread.title}”.", _permalink(post))
    db.session.commit()


def edit_post(actor, post: Post, body: str, reason: str) -> None:
    """A moderator's edit of someone's post: the earlier version is kept, the author told."""
    require(actor, "post.edit", post)
    reason = check_reason(reason)
    if not boards.edit_post(actor, post, body, reason=reason, commit=False):
        raise ValidationError("The text is unchanged; edit it, or dismiss the report.", "body")
    _resolve_reports(actor, post, "edited", reason)
    log(actor, "post.edit", post, reason)
    if post.author_id != actor.id:
        notify(post.author, "post.edited",
               f"A moderator edited your post in “{post.thread.title}”. Reason: {reason}",
               _permalink(post), mail_subject="A moderator edited one of your posts")
    db.session.commit()


def approve_post(actor, post: Post, reason: str = "") -> None:
    require(actor, "post.approve", post)
    reason = check_reason(reason, required=False)
    thread = post.thread
    post.pending = False
    if thread.pending and thread_opening_post_id(thread) == post.id:
        thread.pending = False
    _recount_for(post)
    log(actor, "post.approve", post, reason)
    notify(post.author, "post.approved",
           f"Your post in “{thread.title}” is approved and visible to everyone.",
           _permalink(post))
    db.session.commit()


def reject_post(actor, post: Post, reason: str) -> None:
    require(actor, "post.reject", post)
    reason = check_reason(reason)
    thread = post.thread
    # Still "pending" as far as readers go: nobody but its author ever sees a rejected post.
    post.deleted_at, post.deleted_by_id = utcnow(), actor.id
    post.hidden_reason = reason
    if thread.pending and thread_opening_post_id(thread) == post.id:
        # The thread never appeared; its other waiting posts go with it.
        thread.deleted_at = post.deleted_at
    _recount_for(post)
    log(actor, "post.reject", post, reason)
    notify(post.author, "post.rejected",
           f"A moderator did not approve your post in “{thread.title}”. Reason: {reason}",
           mail_subject="Your post was not approved")
    db.session.commit()


def thread_opening_post_id(thread: Thread) -> int | None:
    return db.session.scalar(select(Post.id).where(Post.thread_id == thread.id)
                             .order_by(Post.id).limit(1))


def _recount_for(post: Post) -> None:
    counters.recount(threads=[post.thread], categories=[post.thread.category],
                     user_ids=[post.author_id])


# Threads -----------------------------------------------------------------------------

THREAD_FLAGS = {
    "lock": ("is_locked", True), "unlock": ("is_locked", False),
    "pin": ("is_pinned", True), "unpin": ("is_pinned", False),
}


def set_thread_flag(actor, thread: Thread, verb: str, reason: str) -> None:
    require(actor, f"thread.{verb}", thread)
    reason = check_reason(reason, required=False)
    attribute, value = THREAD_FLAGS[verb]
    setattr(thread, attribute, value)
    log(actor, f"thread.{verb}", thread, reason)
    db.session.commit()


def move_thread(actor, thread: Thread, category: Category, reason: str) -> None:
    require(actor, "thread.move", thread)
    reason = check_reason(reason, required=False)
    if category.id == thread.category_id:
        raise ValidationError("The thread is already in that category.", "category")
    source = thread.category
    thread.category = category
    counters.recount(categories=[source, category])
    log(actor, "thread.move", thread, f"{source.name} → {category.name}. {reason}".strip())
    db.session.commit()


def delete_thread(actor, thread: Thread, reason: str) -> None:
    require(actor, "thread.delete", thread)
    reason = check_reason(reason)
    thread.deleted_at = utcnow()
    counters.recount(categories=[thread.category], user_ids=counters.thread_author_ids(thread))
    log(actor, "thread.delete", thread, reason)
    notify(thread.author, "thread.deleted",
           f"A moderator removed your thread “{thread.title}”. Reason: {reason}",
           mail_subject="A moderator removed your thread")
    db.session.commit()


def restore_thread(actor, thread: Thread, reason: str) -> None:
    require(actor, "thread.restore", thread)
    reason = check_reason(reason, required=False)
    thread.deleted_at = None
    counters.recount(threads=[thread], categories=[thread.category],
                     user_ids=counters.thread_author_ids(thread))
    log(actor, "thread.restore", thread, reason)
    db.session.commit()


# Members -----------------------------------------------------------------------------

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
    log(actor, "user.suspend", member, f"{period}: {reason}")
    notify(member, "user.suspended",
           f"Your account is suspended {period}. Reason: {reason} "
           "You can still read the forum and export your data.",
           mail_subject="Your Outflow account is suspended")
    db.session.commit()


def unsuspend(actor, member, reason: str) -> None:
    require(actor, "user.unsuspend", member)
    reason = check_reason(reason, required=False)
    member.suspended_at = member.suspended_until = None
    member.suspension_reason = ""
    log(actor, "user.unsuspend", member, reason)
    notify(member, "user.unsuspended", "Your suspension is lifted. Welcome back.",
           mail_subject="Your Outflow suspension is lifted")
    db.session.commit()
