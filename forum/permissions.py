"""Every "may this user do this to that" rule, and everything that follows from a role.

Views, services and templates ask `can(user, action, target)`; nothing else looks at
roles. A rule has two halves: `who` may ever do it (refused: 403, PermissionDenied) and
`when` the target allows it now (refused: 409, Conflict), so that hiding a post that is
already hidden is told apart from a member trying to hide one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

ROLES = ("member", "clinic_staff", "moderator", "admin")
MODERATING_ROLES = frozenset({"moderator", "admin"})
# Trusted with the first post: no approval queue, no first-day link limit.
TRUSTED_ROLES = frozenset({"clinic_staff", "moderator", "admin"})
# Who may suspend whom: a moderator cannot silence another moderator or an admin.
SUSPENDABLE_BY = {
    "moderator": frozenset({"member", "clinic_staff"}),
    "admin": frozenset({"member", "clinic_staff", "moderator"}),
}


class PermissionDenied(Exception):
    """The actor may never do this; turned into a 403 page."""


class Conflict(Exception):
    """The actor may do this, but not to the target as it is now; turned into a 409 page."""

    def __init__(self, message: str = "That cannot be done to it as it is now."):
        super().__init__(message)
        self.message = message


def _member(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _active_member(user: Any) -> bool:
    """Signed in, email confirmed, not suspended: may write."""
    return _member(user) and user.is_verified and not user.is_suspended


def _moderates(user: Any, _target: Any = None) -> bool:
    return _member(user) and user.role in MODERATING_ROLES and not user.is_suspended


def _is_admin(user: Any, _target: Any = None) -> bool:
    return _moderates(user) and user.role == "admin"


def _can_see_thread(user: Any, thread: Any) -> bool:
    if _moderates(user):
        return True
    if thread.deleted_at is not None:
        return False
    return not thread.pending or (_member(user) and thread.author_id == user.id)


def _can_see_post_text(user: Any, post: Any) -> bool:
    """Removed, hidden and waiting posts keep their text from everyone but its guardians."""
    if _moderates(user):
        return True
    if post.deleted_at is not None or post.hidden_at is not None:
        return False
    return not post.pending or (_member(user) and post.author_id == user.id)


def _can_see_hidden_reason(user: Any, post: Any) -> bool:
    return _moderates(user) or (_member(user) and post.author_id == user.id)


def _can_create_thread(user: Any, category: Any) -> bool:
    return _active_member(user)


def _can_reply(user: Any, thread: Any) -> bool:
    if not _active_member(user) or thread.deleted_at is not None or thread.pending:
        return False
    return not thread.is_locked or _moderates(user)


def _owns_visible_post(user: Any, post: Any) -> bool:
    return (_member(user) and post.author_id == user.id and post.deleted_at is None
            and post.hidden_at is None)


def _can_edit_post(user: Any, post: Any) -> bool:
    if _moderates(user):
        return post.deleted_at is None
    if not _owns_visible_post(user, post) or not _active_member(user):
        return False
    thread = post.thread
    return thread.deleted_at is None and (not thread.is_locked)


def _wrote(user: Any, post: Any) -> bool:
    return _member(user) and post.author_id == user.id


def _can_report_post(user: Any, post: Any) -> bool:
    return (_active_member(user) and post.author_id != user.id and post.deleted_at is None
            and post.hidden_at is None and not post.pending)


def _can_suspend(user: Any, member: Any) -> bool:
    return (_moderates(user) and member.id != user.id
            and member.role in SUSPENDABLE_BY[user.role])


def _clinic_staff(user: Any) -> bool:
    return _active_member(user) and user.role == "clinic_staff" and user.clinic_id is not None


def _manages_link(user: Any, link: Any) -> bool:
    """Staff of the link's own clinic, or an admin; never staff of another clinic."""
    if _is_admin(user):
        return True
    return _clinic_staff(user) and user.clinic_id == link.clinic_id


def _sees_link_status(user: Any, link: Any) -> bool:
    return _moderates(user) or _manages_link(user, link)


def _pinned(link: Any) -> bool:
    return link.unpinned_at is None


@dataclass(frozen=True)
class Rule:
    who: Callable[[Any, Any], bool]
    when: Callable[[Any], bool] | None = None
    conflict: str = ""


def _rule(who, when=None, conflict: str = "") -> Rule:
    return Rule(who, when, conflict)


def _not_hidden(target: Any) -> bool:
    return target.hidden_at is None


def _live_post(post: Any) -> bool:
    return post.deleted_at is None and post.hidden_at is None


def _post_restorable(post: Any) -> bool:
    # Hidden by a moderator, or removed by one from someone else's hands.
    return post.hidden_at is not None or (
        post.deleted_at is not None and post.deleted_by_id is not None
        and post.deleted_by_id != post.author_id and not post.pending)


def _moderates_others_post(user: Any, post: Any) -> bool:
    return _moderates(user) and post.author_id != user.id


# Treatment reports ---------------------------------------------------------------------

def _sees_report(user: Any, report: Any) -> bool:
    """A public report is for everyone while no moderator has hidden it; any other, only
    for its author and the moderators (everyone else gets a 404, not a 403)."""
    if _moderates(user) or (_member(user) and report.author_id == user.id):
        return True
    return report.visibility == "public" and report.hidden_at is None


def _files_own(user: Any, report: Any) -> bool:
    return _active_member(user) and report.author_id == user.id


def _report_changeable(report: Any) -> bool:
    from forum.outcomes.schedule import within_edit_window

    return report.hidden_at is None and within_edit_window(report.created_at)


def _follow_up_due(report: Any) -> bool:
    from forum.outcomes.schedule import due_months

    given = [follow_up.months for follow_up in report.follow_ups]
    return report.hidden_at is None and bool(due_months(report.treated_on, given))


def _follow_up_changeable(follow_up: Any) -> bool:
    from forum.outcomes.schedule import within_edit_window

    return follow_up.report.hidden_at is None and within_edit_window(follow_up.created_at)


def _links_treatments(user: Any, thread: Any) -> bool:
    """A thread's author, or a moderator, says which treatments it is about."""
    return _moderates(user) or (_active_member(user) and thread.author_id == user.id)


# Members' own accounts ------------------------------------------------------------------

def _self(user: Any, member: Any) -> bool:
    """The member themself, suspended or not: their data and their sessions are theirs."""
    return _member(user) and member is not None and member.id == user.id


def _owns_row(user: Any, row: Any) -> bool:
    return _member(user) and row.user_id == user.id


def _edits_own_profile(user: Any, member: Any) -> bool:
    # A profile is published text, so it follows the same rule as posting.
    return _active_member(user) and member.id == user.id


def _moderates_profile(user: Any, member: Any) -> bool:
    return _moderates(user) and member.id != user.id


def _now():
    from forum.timeutil import utcnow

    return utcnow()


def _export_ready(export: Any) -> bool:
    return export.status == "ready" and export.expires_at is not None \
        and export.expires_at > _now()


def sees_field(viewer: Any, member: Any, visibility: str) -> bool:
    """May `viewer` read a profile field of `member` shown to `visibility`.

    "private" is for the member alone: moderators do not read private health fields.
    """
    if _member(viewer) and viewer.id == member.id:
        return True
    if visibility == "everyone":
        return True
    return visibility == "members" and _member(viewer)


REPORT_FIXED = ("A report can be changed for 7 days after it was filed (and not while a "
                "moderator has it hidden); after that it stands as given.")
FOLLOW_UP_FIXED = ("A follow-up can be changed for 7 days after it was given (and not while "
                   "a moderator has the report hidden); after that it stands as given.")


RULES: dict[str, Rule] = {
    "thread.view": _rule(_can_see_thread),
    "thread.create": _rule(_can_create_thread),
    "thread.reply": _rule(_can_reply),
    "post.read": _rule(_can_see_post_text),
    "post.hidden_reason": _rule(_can_see_hidden_reason),
    "post.edit": _rule(_can_edit_post),
    # A member removes their own post; someone else's is a moderator's "post.remove".
    "post.delete": _rule(_wrote, lambda post: post.deleted_at is None,
                         "That post is already removed."),
    "post.remove": _rule(_moderates_others_post, lambda post: post.deleted_at is None,
                         "That post is already removed."),
    "post.revisions": _rule(_moderates),
    "post.report": _rule(_can_report_post),
    "post.hide": _rule(_moderates, _live_post, "That post is already hidden or removed."),
    "post.restore": _rule(_moderates, _post_restorable, "That post is not hidden or removed."),
    "post.approve": _rule(_moderates, lambda post: post.pending and post.deleted_at is None,
                          "That post is not waiting for approval."),
    "post.reject": _rule(_moderates, lambda post: post.pending and post.deleted_at is None,
                         "That post is not waiting for approval."),
    "thread.lock": _rule(_moderates, lambda thread: not thread.is_locked,
                         "The thread is already locked."),
    "thread.unlock": _rule(_moderates, lambda thread: thread.is_locked,
                           "The thread is not locked."),
    "thread.pin": _rule(_moderates, lambda thread: not thread.is_pinned,
                        "The thread is already pinned."),
    "thread.unpin": _rule(_moderates, lambda thread: thread.is_pinned,
                          "The thread is not pinned."),
    "thread.move": _rule(_moderates),
    "thread.delete": _rule(_moderates, lambda thread: thread.deleted_at is None,
                           "The thread is already deleted."),
    "thread.restore": _rule(_moderates, lambda thread: thread.deleted_at is not None,
                            "The thread is not deleted."),
    "user.suspend": _rule(_can_suspend),
    "user.unsuspend": _rule(_can_suspend, lambda member: member.suspended_at is not None,
                            "That member is not suspended."),
    "report.resolve": _rule(_moderates, lambda report: report.status == "open",
                            "That report is already resolved."),
    "moderation.view": _rule(_moderates),
    "site.settings": _rule(_is_admin),
    "resource.create": _rule(lambda user, _clinic=None: _clinic_staff(user)),
    "resource.edit": _rule(_manages_link, _pinned, "That link is unpinned."),
    "resource.unpin": _rule(_manages_link, _pinned, "That link is already unpinned."),
    "resource.reorder": _rule(_manages_link, _pinned, "That link is unpinned."),
    "resource.status": _rule(_sees_link_status),
    "resource.note": _rule(lambda user, link: _moderates(user)),
    "resource.hide": _rule(lambda user, link: _moderates(user), _not_hidden,
                           "That link is already hidden."),
    "resource.restore": _rule(lambda user, link: _moderates(user),
                              lambda link: link.hidden_at is not None, "That link is not hidden."),
    "clinic.manage": _rule(_is_admin),
    "outcome.file": _rule(lambda user, _target=None: _active_member(user)),
    "outcome.view": _rule(_sees_report),
    "outcome.edit": _rule(_files_own, _report_changeable, REPORT_FIXED),
    "outcome.follow_up": _rule(_files_own, _follow_up_due,
                               "No follow-up is due for this report now."),
    "outcome.edit_follow_up": _rule(lambda user, follow_up: _files_own(user, follow_up.report),
                                    _follow_up_changeable, FOLLOW_UP_FIXED),
    # Consent is the member's to take back at any time, suspended or not.
    "outcome.withdraw_consent": _rule(
        lambda user, report: _member(user) and report.author_id == user.id,
        lambda report: report.consent_export,
        "This report is already left out of the open data file."),
    "outcome.hide": _rule(_moderates, _not_hidden, "That report is already hidden."),
    "outcome.restore": _rule(_moderates, lambda report: report.hidden_at is not None,
                             "That report is not hidden."),
    "thread.link_treatment": _rule(_links_treatments, lambda thread: thread.deleted_at is None,
                                   "That thread is deleted."),
    "treatment.manage": _rule(_is_admin),
    "profile.edit": _rule(_edits_own_profile),
    "profile.clear_field": _rule(_moderates_profile, lambda member: member.deleted_at is None,
                                 "That account is deleted."),
    "profile.history": _rule(lambda user, member: _moderates(user)),
    "account.settings": _rule(_self),
    "account.export": _rule(_self, lambda member: member.deleted_at is None,
                            "That account is deleted."),
    "account.delete": _rule(_self, lambda member: member.deleted_at is None,
                            "That account is already deleted."),
    # How the site is drawn for them: theirs to change, suspended or not.
    "display.change": _rule(_self, lambda member: member.deleted_at is None,
                            "That account is deleted."),
    "session.end": _rule(_owns_row, lambda session: session.expires_at > _now(),
                         "That session has already ended."),
    "export.download": _rule(_owns_row, _export_ready,
                             "That export is not ready, or has expired; ask for a new one."),
    # Reactions go to others' posts; bookmarks are private, so any signed-in member keeps them.
    "post.react": _rule(lambda user, post: _active_member(user) and post.author_id != user.id,
                        _live_post, "That post is hidden or removed."),
    "post.bookmark": _rule(lambda user, post: _member(user) and _can_see_post_text(user, post)),
    "thread.watch": _rule(lambda user, thread: _member(user) and _can_see_thread(user, thread)),
    "category.watch": _rule(lambda user, _category=None: _member(user)),
    "notifications.view": _rule(lambda user, _target=None: _member(user)),
    # A member's own place in the threads; visitors have none.
    "reading.mark": _rule(lambda user, _target=None: _member(user)),
    # Moderators may include hidden, removed and waiting posts in a search.
    "search.everything": _rule(_moderates),
    "user.role": _rule(lambda user, member: _is_admin(user) and member.id != user.id),
}


def can(user: Any, action: str, target: Any = None) -> bool:
    """May `user` do `action` to `target` now: the rule's both halves."""
    rule = _lookup(action)
    return bool(rule.who(user, target)) and (rule.when is None or bool(rule.when(target)))


def allowed(user: Any, action: str, target: Any = None) -> bool:
    """May `user` ever do `action` to `target`, whatever state it is in."""
    return bool(_lookup(action).who(user, target))


def require(user: Any, action: str, target: Any = None) -> None:
    rule = _lookup(action)
    if not rule.who(user, target):
        raise PermissionDenied(action)
    if rule.when is not None and not rule.when(target):
        raise Conflict(rule.conflict or "That cannot be done to it as it is now.")


def _lookup(action: str) -> Rule:
    try:
        return RULES[action]
    except KeyError:
        raise KeyError(f"no permission rule named {action!r}") from None


# What follows from a role --------------------------------------------------------------

def skips_approval(user: Any) -> bool:
    """Staff, moderators and admins post without waiting in the approval queue."""
    return user.role in TRUSTED_ROLES


def link_limit_applies(user: Any) -> bool:
    return user.role not in TRUSTED_ROLES


def badge(user: Any) -> str:
    """The label shown beside a member's name on every post: empty for members."""
    if user.role == "clinic_staff" and user.clinic is not None:
        return f"clinic staff — {user.clinic.name}"
    if user.role in MODERATING_ROLES:
        return user.role
    return ""
