"""Every "may this user do this to that" rule, in one place.

Views, services and templates ask `can(user, action, target)`; nothing else
looks at roles.
"""
from __future__ import annotations

from typing import Any, Callable

MODERATING_ROLES = frozenset({"moderator", "admin"})
# Who may suspend whom: a moderator cannot silence another moderator or an admin.
SUSPENDABLE_BY = {
    "moderator": frozenset({"member", "clinic_staff"}),
    "admin": frozenset({"member", "clinic_staff", "moderator"}),
}


class PermissionDenied(Exception):
    """The actor may not do this; turned into a 403 page."""


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


def _can_delete_post(user: Any, post: Any) -> bool:
    if post.deleted_at is not None:
        return False
    return _moderates(user) or (_member(user) and post.author_id == user.id)


def _can_report_post(user: Any, post: Any) -> bool:
    return (_active_member(user) and post.author_id != user.id and post.deleted_at is None
            and post.hidden_at is None and not post.pending)


def _can_hide_post(user: Any, post: Any) -> bool:
    return _moderates(user) and post.deleted_at is None and post.hidden_at is None


def _can_restore_post(user: Any, post: Any) -> bool:
    return _moderates(user) and post.hidden_at is not None


def _can_approve_post(user: Any, post: Any) -> bool:
    return _moderates(user) and post.pending and post.deleted_at is None


def _can_suspend(user: Any, member: Any) -> bool:
    return (_moderates(user) and member.id != user.id
            and member.role in SUSPENDABLE_BY[user.role])


def _can_lift_suspension(user: Any, member: Any) -> bool:
    return _can_suspend(user, member) and member.suspended_at is not None


def _clinic_staff(user: Any) -> bool:
    return _active_member(user) and user.role == "clinic_staff" and user.clinic_id is not None


def _manages_link(user: Any, link: Any) -> bool:
    """Staff of the link's own clinic, or an admin; never staff of another clinic."""
    if _is_admin(user):
        return True
    return _clinic_staff(user) and user.clinic_id == link.clinic_id


def _sees_link_status(user: Any, link: Any) -> bool:
    return _moderates(user) or _manages_link(user, link)


RULES: dict[str, Callable[[Any, Any], bool]] = {
    "thread.view": _can_see_thread,
    "thread.create": _can_create_thread,
    "thread.reply": _can_reply,
    "post.read": _can_see_post_text,
    "post.hidden_reason": _can_see_hidden_reason,
    "post.edit": _can_edit_post,
    "post.delete": _can_delete_post,
    "post.revisions": _moderates,
    "post.report": _can_report_post,
    "post.hide": _can_hide_post,
    "post.restore": _can_restore_post,
    "post.approve": _can_approve_post,
    "post.reject": _can_approve_post,
    "thread.lock": lambda user, thread: _moderates(user) and not thread.is_locked,
    "thread.unlock": lambda user, thread: _moderates(user) and thread.is_locked,
    "thread.pin": lambda user, thread: _moderates(user) and not thread.is_pinned,
    "thread.unpin": lambda user, thread: _moderates(user) and thread.is_pinned,
    "thread.move": _moderates,
    "thread.delete": lambda user, thread: _moderates(user) and thread.deleted_at is None,
    "thread.restore": lambda user, thread: _moderates(user) and thread.deleted_at is not None,
    "user.suspend": _can_suspend,
    "user.unsuspend": _can_lift_suspension,
    "report.resolve": _moderates,
    "moderation.view": _moderates,
    "site.settings": _is_admin,
    "resource.create": lambda user, _clinic=None: _clinic_staff(user),
    "resource.edit": lambda user, link: _manages_link(user, link) and link.unpinned_at is None,
    "resource.unpin": lambda user, link: _manages_link(user, link) and link.unpinned_at is None,
    "resource.reorder": lambda user, link: _manages_link(user, link) and link.unpinned_at is None,
    "resource.status": _sees_link_status,
    "resource.note": lambda user, link: _moderates(user),
    "resource.hide": lambda user, link: _moderates(user) and link.hidden_at is None,
    "resource.restore": lambda user, link: _moderates(user) and link.hidden_at is not None,
    "clinic.manage": _is_admin,
    "user.role": lambda user, member: _is_admin(user) and member.id != user.id,
}


def can(user: Any, action: str, target: Any = None) -> bool:
    try:
        rule = RULES[action]
    except KeyError:
        raise KeyError(f"no permission rule named {action!r}") from None
    return bool(rule(user, target))


def require(user: Any, action: str, target: Any = None) -> None:
    if not can(user, action, target):
        raise PermissionDenied(action)
