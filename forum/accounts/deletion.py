"""Deleting an account: what leaves with the member, what stays, and under which name.

The users row stays, emptied, because posts, threads and the moderation log point at it;
everything that was the member's own (profile, sessions, notices, exports, treatment
reports, earlier versions of posts) goes, and their name leaves the log. `STEPS` is the
list of what happens, in order, one function per group of tables; each works in bulk
(UPDATE and DELETE statements), so a member with ten thousand posts costs the same few
queries as one with ten. Like every service this flushes and never commits.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import Select, delete, exists, func, select, update

from forum import audit, markup
from forum.accounts import display, held_names
from forum.accounts.export import path_of
from forum.accounts.models import DataExport, MailPreference, Profile, ProfileRevision
from forum.auth.models import LoginSession, User
from forum.auth.passwords import UNUSABLE, verify_password
from forum.auth.services import FORMER_PREFIX
from forum.boards import counters
from forum.boards.models import (
    Bookmark, CategoryRead, Post, PostRevision, Reaction, Thread, ThreadRead,
)
from forum.errors import ValidationError
from forum.extensions import db
from forum.moderation.models import Report
from forum.notify.models import CategoryWatch, GroupedNotification, Notification, ThreadWatch
from forum.outcomes.models import (
    FollowUp, FollowUpComplication, OutcomeRevision, ReminderSent, TreatmentReport,
    thread_treatments,
)
from forum.permissions import require
from forum.timeutil import utcnow
from forum.unit_of_work import update_if

log = logging.getLogger("forum.accounts.deletion")

FORMER_MEMBER = "former member"
REMOVED_THREAD = "Removed thread"
REMOVED_POST_LABEL = "post by a former member"
POST_IN_REMOVED_THREAD = "post in a removed thread"
POST_IN_WITHDRAWN_REPORT = "post in a withdrawn treatment report's thread"
REPORT_WITHDRAWN_TITLE = "A treatment report, withdrawn"
REPORT_WITHDRAWN = ("*The member who wrote this treatment report deleted their account, and "
                    "the report with it. The discussion below stays.*")
ALREADY_DELETED = "That account is already deleted."
WRONG_PASSWORD = "That password is not right. Your account is not deleted."
POSTS_CHOICES = ("keep", "remove")

# What the deletion does with each column that points at a member (the contract shared with
# forum.accounts.export; tests/accounts/test_personal_data_coverage.py walks the schema).
COVERED_COLUMNS: dict[str, str] = {
    "thread_watches.user_id": "deleted: nothing more is sent to a former member.",
    "category_watches.user_id": "deleted with the thread watches.",
    "grouped_notifications.user_id": "deleted: the member's activity lines.",
    "grouped_notifications.last_actor_id": "set to NULL on others' lines, which then name "
                                           "nobody.",
    "reactions.user_id": "deleted: the counts on others' posts drop by theirs.",
    "bookmarks.user_id": "deleted: they were private to the member.",
    "thread_reads.user_id": "deleted: how far they read is nobody else's.",
    "category_reads.user_id": "deleted with the other read marks.",
    "profiles.user_id": "deleted, health fields and all.",
    "profile_revisions.user_id": "deleted: the member's profile history.",
    "profile_revisions.changed_by_id": "set to NULL on other members' histories (a "
                                       "moderator's change stays, without who).",
    "mail_preferences.user_id": "deleted: the member's mail choices.",
    "data_exports.user_id": "deleted, and their files on disk with them.",
    "login_sessions.user_id": "deleted: every device is signed out.",
    "notifications.user_id": "deleted: the member's notices.",
    "threads.author_id": "kept, pointing at the emptied row (\"former member\"); with posts "
                         "removed, the title becomes \"Removed thread\".",
    "posts.author_id": "kept under \"former member\"; with posts removed, the text is "
                       "emptied and the post marked removed.",
    "posts.deleted_by_id": "kept: set to the member on the posts they remove by leaving.",
    "posts.hidden_by_id": "kept: a moderator's action stays pointing at the emptied row.",
    "post_revisions.replaced_by_id": "the member's own posts' earlier versions are deleted; "
                                     "their edits of others' posts stay as a moderator's.",
    "reports.reporter_id": "kept for moderation, the note emptied.",
    "reports.resolved_by_id": "kept: a moderator's action.",
    "treatment_reports.author_id": "deleted with follow-ups, complications, revisions, "
                                   "reminders sent and thread links; they leave the figures "
                                   "and the open data.",
    "treatment_reports.hidden_by_id": "kept: a moderator's action.",
    "moderation_actions.actor_id": "kept: the log names the emptied row; entries about the "
                                   "member are relabelled \"former member\".",
    "resource_links.created_by_id": "kept: a clinic's links belong to the clinic.",
    "resource_links.hidden_by_id": "kept: a moderator's action.",
    "evidence_notes.author_id": "kept: notes written in a moderator's role belong to the "
                                "site.",
}


@dataclass(frozen=True)
class Departure:
    """One deletion: who, which way, when, and the names they had (for the held list)."""

    member: User
    keep_posts: bool
    now: datetime
    old_username: str
    old_email: str

    def own_posts(self) -> Select:
        return select(Post.id).where(Post.author_id == self.member.id)

    def started_threads(self) -> Select:
        return select(Thread.id).where(Thread.author_id == self.member.id)

    def own_reports(self) -> Select:
        return select(TreatmentReport.id).where(TreatmentReport.author_id == self.member.id)


Step = Callable[[Departure], None]
STEPS: list[Step] = []


def step(function: Step) -> Step:
    """Add `function` to STEPS; they run in the order this module defines them."""
    STEPS.append(function)
    return function


def _run(statement) -> int:
    # The session's copies are expired at the end; matching them row by row adds nothing.
    result = db.session.execute(statement, execution_options={"synchronize_session": False})
    return result.rowcount or 0


# The service --------------------------------------------------------------------------------

def delete_own_account(actor: User, password: str, posts: str) -> None:
    """The member deletes their account after typing their password again."""
    require(actor, "account.delete", actor)
    if posts not in POSTS_CHOICES:
        raise ValidationError("Choose what happens to your posts.", "posts")
    if not verify_password(actor.password_hash, password or ""):
        raise ValidationError(WRONG_PASSWORD, "password")
    delete_account(actor, keep_posts=posts == "keep")


def delete_account(member: User, keep_posts: bool) -> None:
    """Empty `member`'s account and take away what was theirs; see STEPS."""
    db.session.flush()
    departure = Departure(member=member, keep_posts=keep_posts, now=utcnow(),
                          old_username=member.username, old_email=member.email)
    # Two deletions at once (a double click, two tabs): the second waits for the first's
    # row lock, finds the account deleted, and changes nothing.
    update_if(member, User.deleted_at.is_(None), ALREADY_DELETED, deleted_at=departure.now)
    for run_step in STEPS:
        run_step(departure)
    db.session.flush()
    # The bulk statements changed rows behind the session's back.
    db.session.expire_all()


# The steps, in order ------------------------------------------------------------------------

@step
def hold_names(departure: Departure) -> None:
    """Nobody takes the name or the address over while people still remember them."""
    held_names.hold("username", departure.old_username)
    held_names.hold("email", departure.old_email)


@step
def end_sessions_and_notices(departure: Departure) -> None:
    member_id = departure.member.id
    for model in (LoginSession, Notification, MailPreference, Reaction, Bookmark, ThreadRead,
                  CategoryRead, ThreadWatch, CategoryWatch, GroupedNotification):
        _run(delete(model).where(model.user_id == member_id))
    # Others' "12 new replies, the latest by ..." lines stop naming them.
    _run(update(GroupedNotification).where(GroupedNotification.last_actor_id == member_id)
         .values(last_actor_id=None))


@step
def drop_exports(departure: Departure) -> None:
    exports = list(db.session.scalars(
        select(DataExport).where(DataExport.user_id == departure.member.id)))
    _run(delete(DataExport).where(DataExport.user_id == departure.member.id))
    for export in exports:
        if not export.file_name:
            continue
        try:
            path_of(export).unlink(missing_ok=True)
        except OSError:
            # The rows are gone, so nothing offers the file any more; the export's own
            # expiry sweep is not needed for that, but the file must not stay: say so.
            log.exception("could not delete export file %s", export.file_name)


@step
def drop_profile(departure: Departure) -> None:
    member_id = departure.member.id
    _run(delete(ProfileRevision).where(ProfileRevision.user_id == member_id))
    # Their edits of others' profiles (as a moderator) stay, without who made them.
    _run(update(ProfileRevision).where(ProfileRevision.changed_by_id == member_id)
         .values(changed_by_id=None))
    _run(delete(Profile).where(Profile.user_id == member_id))


@step
def drop_treatment_reports(departure: Departure) -> None:
    """Reports leave the figures and the open data; a report's thread stays for the
    discussion, but its opening post (the report's summary, health data) is replaced."""
    reports = departure.own_reports()
    report_threads = select(TreatmentReport.thread_id).where(
        TreatmentReport.author_id == departure.member.id, TreatmentReport.thread_id.isnot(None))
    follow_ups = select(FollowUp.id).where(FollowUp.report_id.in_(reports))
    _run(delete(FollowUpComplication).where(FollowUpComplication.followup_id.in_(follow_ups)))
    for model in (OutcomeRevision, ReminderSent, FollowUp):
        _run(delete(model).where(model.report_id.in_(reports)))
    _run(delete(thread_treatments).where(thread_treatments.c.thread_id.in_(report_threads)))
    openings = select(func.min(Post.id)).where(Post.thread_id.in_(report_threads)) \
        .group_by(Post.thread_id)
    _run(update(Post).where(Post.id.in_(openings)).values(
        body=REPORT_WITHDRAWN, body_html=markup.render(REPORT_WITHDRAWN),
        edited_at=departure.now))
    _run(update(Thread).where(Thread.id.in_(report_threads)).values(
        title=REPORT_WITHDRAWN_TITLE, slug="treatment-report-withdrawn"))
    # The old title named the treatment and its month; the log copied it into labels.
    audit.forget("thread", report_threads, REPORT_WITHDRAWN_TITLE)
    audit.forget("post", select(Post.id).where(Post.thread_id.in_(report_threads),
                                               Post.author_id != departure.member.id),
                 POST_IN_WITHDRAWN_REPORT)
    _run(delete(TreatmentReport).where(TreatmentReport.author_id == departure.member.id))


@step
def drop_post_history(departure: Departure) -> None:
    """Earlier versions of their posts: text they may have edited out, in both modes."""
    _run(delete(PostRevision).where(PostRevision.post_id.in_(departure.own_posts())))


@step
def remove_posts(departure: Departure) -> None:
    """With "remove": every post of theirs loses its text and shows as removed; their
    threads stay (others answered in them) under the title "Removed thread"."""
    if departure.keep_posts:
        return
    member_id = departure.member.id
    mine = Post.author_id == member_id
    _run(update(Post).where(mine).values(body="", body_html=""))
    _run(update(Post).where(mine, Post.deleted_at.is_(None))
         .values(deleted_at=departure.now, deleted_by_id=member_id))
    touched = select(Post.thread_id).where(mine)
    # As when a member removes their last standing post: a thread with none left goes too.
    nothing_standing = ~exists().where(Post.thread_id == Thread.id, Post.deleted_at.is_(None))
    _run(update(Thread).where(Thread.id.in_(touched), Thread.deleted_at.is_(None),
                              nothing_standing).values(deleted_at=departure.now))
    _run(update(Thread).where(Thread.author_id == member_id)
         .values(title=REMOVED_THREAD, slug="removed-thread"))
    _run(delete(thread_treatments)
         .where(thread_treatments.c.thread_id.in_(departure.started_threads())))
    counters.recount_in_bulk(touched)
    counters.recount_users([member_id])
    audit.forget("thread", departure.started_threads(), REMOVED_THREAD)
    # Others' posts there were logged as "post in “<their title>” by ...".
    audit.forget("post", select(Post.id).where(
        Post.thread_id.in_(departure.started_threads()), ~mine), POST_IN_REMOVED_THREAD)


@step
def empty_report_notes(departure: Departure) -> None:
    """Reports they made stay for moderation; what they wrote in them goes."""
    _run(update(Report).where(Report.reporter_id == departure.member.id).values(note=""))


@step
def empty_account(departure: Departure) -> None:
    member = departure.member
    placeholder = f"{FORMER_PREFIX}{member.id}"
    member.username = member.username_key = placeholder
    member.email = f"{placeholder}@deleted.invalid"
    member.password_hash = UNUSABLE
    member.role = "member"
    member.clinic = None
    member.email_verified_at = None
    member.suspended_at = member.suspended_until = None
    member.suspension_reason = ""
    display.store(member, display.DEFAULT)
    member.deleted_at = departure.now
    member.current_login_session = None
    # post_count is left as the counters have it: kept posts still count; removed ones
    # were recounted (to 0) by remove_posts.
    db.session.flush()


@step
def forget_in_log(departure: Departure) -> None:
    """Take the name out of the log's labels, then log the deletion itself (labelled
    after the emptying, so the entry never holds the old name)."""
    audit.forget("user", [departure.member.id], FORMER_MEMBER)
    # "post in “<title>” by <name>": the name is in the label.
    audit.forget("post", departure.own_posts(), REMOVED_POST_LABEL)
    audit.record(departure.member, "account.delete",
                 audit.Target("user", departure.member.id, FORMER_MEMBER), "",
                 {"posts": "keep" if departure.keep_posts else "remove"})
