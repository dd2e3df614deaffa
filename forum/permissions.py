"""Every "may this user do this to that" rule, in one place.

Views, services and templates ask `can(user, action, target)`; nothing else
looks at roles.
"""
from __future__ import annotations

from typing import Any, Callable

STAFF_ROLES = frozenset({"moderator", "admin"})


class PermissionDenied(Exception):
    """The actor may not do this; turned into a 403 page."""


def _member(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _verified_member(user: Any) -> bool:
    return _member(user) and user.is_verified


def _moderates(user: Any) -> bool:
    return _member(user) and user.role in STAFF_ROLES


def _can_see_thread(user: Any, thread: Any) -> bool:
    return thread.deleted_at is None or _moderates(user)


def _can_create_thread(user: Any, category: Any) -> bool:
    return _verified_member(user)


def _can_reply(user: Any, thread: Any) -> bool:
    if not _verified_member(user) or thread.deleted_at is not None:
        return False
    return not thread.is_locked or _moderates(user)


def _owns_live_post(user: Any, post: Any) -> bool:
    return _member(user) and post.author_id == user.id and post.deleted_at is None


def _can_edit_post(user: Any, post: Any) -> bool:
    if _moderates(user):
        return True
    return _owns_live_post(user, post) and _can_reply(user, post.thread)


def _can_delete_post(user: Any, post: Any) -> bool:
    return _owns_live_post(user, post) or (_moderates(user) and post.deleted_at is None)


def _can_view_revisions(user: Any, post: Any) -> bool:
    return _moderates(user)


RULES: dict[str, Callable[[Any, Any], bool]] = {
    "thread.view": _can_see_thread,
    "thread.create": _can_create_thread,
    "thread.reply": _can_reply,
    "post.edit": _can_edit_post,
    "post.delete": _can_delete_post,
    "post.revisions": _can_view_revisions,
}


def can(user: Any, action: str, target: Any = None) -> bool:
    try:
        rule = RULES[action]
    except KeyError:
        raise KeyError(f"no permission rule named {action!r}") from None
    return rule(user, target)


def require(user: Any, action: str, target: Any = None) -> None:
    if not can(user, action, target):
        raise PermissionDenied(action)
