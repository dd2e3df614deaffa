"""What's new: how far each member has read, and what is new to them since.

A post is new to a member when it is live (not hidden, removed or waiting for approval),
written by someone else, has a higher id than both their read position in its thread
(`ThreadRead`) and their "mark all read" in its category (`CategoryRead`), and was
written after they joined. The last rule keeps a new member from finding the whole
archive marked new: what was there before they came is history, not news.

Visitors have none of it: every function here answers at once for them, without a query,
so their pages stay the same for everyone and cacheable. Each page costs a fixed number
of statements whatever the number of threads or posts: one GROUP BY per listing, one
read and at most one upsert per thread page. Nothing commits; the request does.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, literal, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import aliased

from forum import events
from forum.boards import extras
from forum.boards.counters import LISTED_THREAD, LIVE_POST
from forum.boards.models import Category, CategoryRead, Post, Thread, ThreadRead
from forum.boards.queries import posts_seen_by
from forum.extensions import db
from forum.permissions import require
from forum.timeutil import utcnow


def _member(viewer) -> bool:
    return bool(getattr(viewer, "is_authenticated", False))


def _insert(model):
    return {"postgresql": pg_insert, "sqlite": sqlite_insert}[db.engine.dialect.name](model)


def _new_to(viewer):
    """The conditions that make a post new to `viewer`, beyond their read marks."""
    return and_(*LIVE_POST, Post.author_id != viewer.id, Post.created_at >= viewer.created_at)


def _read_marks(viewer):
    """Outer joins from threads to this viewer's read marks, and the "beyond both" test."""
    thread_read = aliased(ThreadRead)
    category_read = aliased(CategoryRead)
    joins = (
        (thread_read, and_(thread_read.thread_id == Thread.id,
                           thread_read.user_id == viewer.id)),
        (category_read, and_(category_read.category_id == Thread.category_id,
                             category_read.user_id == viewer.id)),
    )
    return joins, lambda post_id: and_(
        post_id > func.coalesce(thread_read.last_read_post_id, 0),
        post_id > func.coalesce(category_read.read_up_to_post_id, 0))


# Writing read marks -------------------------------------------------------------------

def record_read(user_id: int, thread_id: int, post_id: int) -> None:
    """Move a member's read position in a thread up to `post_id`, never down.

    One upsert whose update applies only to a lower stored position, so two tabs
    reading different pages at once end at the higher one on both databases.
    """
    statement = _insert(ThreadRead).values(user_id=user_id, thread_id=thread_id,
                                           last_read_post_id=post_id, read_at=utcnow())
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[ThreadRead.user_id, ThreadRead.thread_id],
        set_={"last_read_post_id": statement.excluded.last_read_post_id,
              "read_at": statement.excluded.read_at},
        where=ThreadRead.last_read_post_id < statement.excluded.last_read_post_id))


@events.post_published.connect
def _own_post_is_read(post, **_extra) -> None:
    # Whoever wrote a post has read its thread at least that far.
    record_read(post.author_id, post.thread_id, post.id)


def _mark_categories_read(member, *which) -> None:
    require(member, "reading.mark")
    latest = select(func.coalesce(func.max(Post.id), 0)).scalar_subquery()
    # SQLite needs a WHERE to tell ON CONFLICT from a join's ON after INSERT ... SELECT.
    rows = select(literal(member.id), Category.id, latest,
                  literal(utcnow(), CategoryRead.read_at.type)).where(*(which or (true(),)))
    statement = _insert(CategoryRead).from_select(
        ["user_id", "category_id", "read_up_to_post_id", "read_at"], rows)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[CategoryRead.user_id, CategoryRead.category_id],
        set_={"read_up_to_post_id": statement.excluded.read_up_to_post_id,
              "read_at": statement.excluded.read_at},
        where=CategoryRead.read_up_to_post_id < statement.excluded.read_up_to_post_id))


def mark_category_read(member, category: Category) -> None:
    """Everything posted so far in `category` is read: one statement."""
    _mark_categories_read(member, Category.id == category.id)


def mark_all_read(member) -> None:
    """Everything posted so far anywhere is read: one statement for every category."""
    _mark_categories_read(member)


# Reading them -------------------------------------------------------------------------

def unread_counts(viewer, threads) -> dict[int, int]:
    """New posts per thread (only threads with any), in one GROUP BY."""
    thread_ids = [thread.id for thread in threads]
    if not _member(viewer) or not thread_ids:
        return {}
    joins, beyond = _read_marks(viewer)
    query = select(Post.thread_id, func.count(Post.id)).join(Thread, Thread.id == Post.thread_id)
    for target, on in joins:
        query = query.outerjoin(target, on)
    rows = db.session.execute(
        query.where(Post.thread_id.in_(thread_ids), _new_to(viewer), beyond(Post.id))
        .group_by(Post.thread_id))
    return {thread_id: count for thread_id, count in rows}


def threads_with_news(viewer, categories) -> dict[int, int]:
    """Per category, how many listed threads hold something new, in one GROUP BY.

    A thread's latest live post tells: it is new exactly when the thread has news,
    because a member's own post moves their read position up to it.
    """
    category_ids = [category.id for category in categories]
    if not _member(viewer) or not category_ids:
        return {}
    joins, beyond = _read_marks(viewer)
    query = select(Thread.category_id, func.count(Thread.id)) \
        .join(Post, Post.id == Thread.last_post_id)
    for target, on in joins:
        query = query.outerjoin(target, on)
    rows = db.session.execute(
        query.where(Thread.category_id.in_(category_ids), *LISTED_THREAD, _new_to(viewer),
                    beyond(Thread.last_post_id))
        .group_by(Thread.category_id))
    return {category_id: count for category_id, count in rows}


@dataclass(frozen=True)
class Position:
    """A member's read marks for one thread (None: never read / never marked)."""

    thread: int | None
    category: int | None

    @property
    def known(self) -> bool:
        return self.thread is not None or self.category is not None

    @property
    def read_up_to(self) -> int:
        return max(self.thread or 0, self.category or 0)


def position(viewer, thread: Thread) -> Position:
    """Both read marks of a thread for this member, in one statement."""
    in_thread = select(ThreadRead.last_read_post_id).where(
        ThreadRead.user_id == viewer.id, ThreadRead.thread_id == thread.id).scalar_subquery()
    in_category = select(CategoryRead.read_up_to_post_id).where(
        CategoryRead.user_id == viewer.id, CategoryRead.category_id == thread.category_id
    ).scalar_subquery()
    marks = db.session.execute(select(in_thread, in_category)).one()
    return Position(*marks)


def is_new(post: Post, viewer, read_up_to: int) -> bool:
    return (post.id > read_up_to and post.is_live and post.author_id != viewer.id
            and post.created_at >= viewer.created_at)


def first_unread(viewer, thread: Thread) -> Post | None:
    """Where "jump to the first unread post" lands: the first new post after the member's
    read marks, else the last post they see; None to start at the top (never read)."""
    mark = position(viewer, thread)
    if not mark.known:
        return None
    seen = (Post.thread_id == thread.id, posts_seen_by(viewer))
    first = db.session.scalar(
        select(Post).where(*seen, _new_to(viewer), Post.id > mark.read_up_to)
        .order_by(Post.id).limit(1))
    return first or db.session.scalar(select(Post).where(*seen).order_by(Post.id.desc())
                                      .limit(1))


# What the board pages show ------------------------------------------------------------

@extras.on_thread_page
def _thread_page(viewer, thread, posts) -> dict:
    """The page's new posts (as of before this view), then this view moves the mark."""
    if not _member(viewer) or not posts:
        return {"reading_new_ids": frozenset(), "reading_first_unread": None,
                "reading_more_unread": False}
    mark = position(viewer, thread)
    new_ids = frozenset(post.id for post in posts if is_new(post, viewer, mark.read_up_to))
    shown_up_to = max(post.id for post in posts)
    # Always sent (it changes nothing when the mark is higher), so that a member's thread
    # page runs the same statements on every view.
    record_read(viewer.id, thread.id, shown_up_to)
    # News beyond this page (the thread's latest live post is newer than all shown).
    more = bool(thread.last_post_id and thread.last_post_id > max(shown_up_to, mark.read_up_to))
    return {"reading_new_ids": new_ids, "reading_first_unread": min(new_ids, default=None),
            "reading_more_unread": more}


@extras.on_category_page
def _category_page(viewer, category, threads) -> dict:
    return {"reading_unread": unread_counts(viewer, threads)}


@extras.on_home_page
def _home_page(viewer, categories) -> dict:
    return {"reading_categories": threads_with_news(viewer, categories)}
