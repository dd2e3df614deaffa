"""What a member watches: a level per thread and per category, and the controls' state on
the board pages (a fixed number of queries for members, none for visitors)."""
from __future__ import annotations

from sqlalchemy import select

from forum.boards import extras
from forum.errors import ValidationError
from forum.extensions import db
from forum.notify import services
from forum.notify.fanout import insert_for
from forum.notify.models import WATCH_LEVELS, CategoryWatch, ThreadWatch
from forum.permissions import require
from forum.timeutil import utcnow

THREAD_LEVELS = {
    "watching": ("Watching", "Tell me of every reply."),
    "normal": ("Normal", "Only when someone mentions, quotes or reacts to me."),
    "muted": ("Muted", "Nothing from this thread at all."),
}
CATEGORY_LEVELS = {
    "watching": ("Watching", "Tell me of every new thread."),
    "normal": ("Normal", "Only what concerns me."),
    "muted": ("Muted", "Nothing from its threads, unless I watch one."),
}
DEFAULT_LEVEL = "normal"


def _check(level: str) -> str:
    if level not in WATCH_LEVELS:
        raise ValidationError("Choose watching, normal or muted.", "level")
    return level


def _upsert(model, key: dict, level: str) -> None:
    statement = insert_for(model).values(**key, level=level, updated_at=utcnow())
    db.session.execute(statement.on_conflict_do_update(
        index_elements=list(key), set_={"level": level, "updated_at": utcnow()}))
    db.session.flush()


def set_thread_level(user, thread, level: str) -> None:
    require(user, "thread.watch", thread)
    _upsert(ThreadWatch, {"user_id": user.id, "thread_id": thread.id}, _check(level))


def set_category_level(user, category, level: str) -> None:
    require(user, "category.watch", category)
    _upsert(CategoryWatch, {"user_id": user.id, "category_id": category.id}, _check(level))


def thread_level(user, thread) -> str:
    return db.session.scalar(select(ThreadWatch.level).where(
        ThreadWatch.user_id == user.id, ThreadWatch.thread_id == thread.id)) or DEFAULT_LEVEL


def category_level(user, category) -> str:
    return db.session.scalar(select(CategoryWatch.level).where(
        CategoryWatch.user_id == user.id, CategoryWatch.category_id == category.id)) \
        or DEFAULT_LEVEL


@extras.on_thread_page
def _thread_page(viewer, thread, posts) -> dict:
    if not viewer.is_authenticated:
        return {}
    if posts:
        services.mark_thread_read(viewer, thread.id, max(post.id for post in posts))
    # The level rides along with the header's count and banner: one statement.
    _unread, (level,) = services.header_state(viewer, select(ThreadWatch.level).where(
        ThreadWatch.user_id == viewer.id, ThreadWatch.thread_id == thread.id).scalar_subquery())
    return {"watch_level": level or DEFAULT_LEVEL, "watch_levels": THREAD_LEVELS}


@extras.on_category_page
def _category_page(viewer, category, threads) -> dict:
    if not viewer.is_authenticated:
        return {}
    _unread, (level,) = services.header_state(viewer, select(CategoryWatch.level).where(
        CategoryWatch.user_id == viewer.id, CategoryWatch.category_id == category.id)
        .scalar_subquery())
    return {"category_watch_level": level or DEFAULT_LEVEL,
            "category_watch_levels": CATEGORY_LEVELS}
