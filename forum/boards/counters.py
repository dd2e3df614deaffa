"""The denormalised counters and "latest post" pointers that listing pages read.

A new post is counted by SQL increments (`count + 1`), so two writers never lose
an update. Rarer changes (delete, hide, restore, approve, move) recount the few
rows they touch from the posts themselves, which is always right. Called by
services inside their transaction; nothing here commits.
"""
from __future__ import annotations

from typing import Iterable

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import aliased

from forum.auth.models import User
from forum.boards.models import Category, Post, Thread
from forum.extensions import db

LIVE_POST = (Post.deleted_at.is_(None), Post.hidden_at.is_(None), Post.pending.is_(False))
LISTED_THREAD = (Thread.deleted_at.is_(None), Thread.pending.is_(False))


def post_added(post: Post, thread: Thread, new_thread: bool) -> None:
    """Count a post that readers see from the moment it is written."""
    category = thread.category
    thread.post_count = Thread.post_count + 1
    thread.last_post_id = post.id
    thread.last_post_at = post.created_at
    category.post_count = Category.post_count + 1
    category.last_post_id = post.id
    if new_thread:
        category.thread_count = Category.thread_count + 1
    post.author.post_count = User.post_count + 1


def recount(threads: Iterable[Thread] = (), categories: Iterable[Category] = (),
            user_ids: Iterable[int] = ()) -> None:
    """Recount threads first, then their categories, then members."""
    db.session.flush()
    for thread in threads:
        recount_thread(thread)
    db.session.flush()
    for category in {category.id: category for category in categories}.values():
        recount_category(category)
    recount_users(user_ids)


def recount_thread(thread: Thread) -> None:
    thread.post_count = db.session.scalar(
        select(func.count()).select_from(Post).where(Post.thread_id == thread.id, *LIVE_POST)
    )
    latest = db.session.execute(
        select(Post.id, Post.created_at).where(Post.thread_id == thread.id, *LIVE_POST)
        .order_by(Post.id.desc()).limit(1)
    ).first()
    if latest is None:
        thread.last_post_id = None
    else:
        thread.last_post_id, thread.last_post_at = latest


def recount_category(category: Category) -> None:
    thread_count, post_count, last_post_id = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Thread.post_count), 0),
               func.max(Thread.last_post_id))
        .where(Thread.category_id == category.id, *LISTED_THREAD)
    ).one()
    category.thread_count = thread_count
    category.post_count = post_count
    category.last_post_id = last_post_id


def recount_users(user_ids: Iterable[int]) -> None:
    ids = sorted(set(user_ids))
    if not ids:
        return
    live_posts = (
        select(func.count()).select_from(Post).join(Thread, Thread.id == Post.thread_id)
        .where(Post.author_id == User.id, Thread.deleted_at.is_(None), *LIVE_POST)
        .correlate(User).scalar_subquery()
    )
    db.session.execute(
        update(User).where(User.id.in_(ids)).values(post_count=live_posts),
        execution_options={"synchronize_session": "fetch"},
    )


def recount_in_bulk(thread_ids: Select) -> None:
    """Recount the threads `thread_ids` selects, then their categories, in two UPDATEs
    whatever their number (a departing member's posts may touch thousands of threads).
    The same counts as recount_thread and recount_category."""
    db.session.flush()
    standing = (Post.thread_id == Thread.id, *LIVE_POST)
    latest_id = select(func.max(Post.id)).where(*standing).correlate(Thread).scalar_subquery()
    latest = aliased(Post)
    db.session.execute(
        update(Thread).where(Thread.id.in_(thread_ids)).values(
            post_count=select(func.count()).select_from(Post).where(*standing)
            .correlate(Thread).scalar_subquery(),
            last_post_id=latest_id,
            # With no post standing, the thread keeps the time of its last activity.
            last_post_at=func.coalesce(
                select(latest.created_at).where(latest.id == latest_id).scalar_subquery(),
                Thread.last_post_at),
        ),
        execution_options={"synchronize_session": False},
    )
    listed = (Thread.category_id == Category.id, *LISTED_THREAD)
    db.session.execute(
        update(Category)
        .where(Category.id.in_(select(Thread.category_id).where(Thread.id.in_(thread_ids))))
        .values(
            thread_count=select(func.count()).select_from(Thread).where(*listed)
            .correlate(Category).scalar_subquery(),
            post_count=select(func.coalesce(func.sum(Thread.post_count), 0)).where(*listed)
            .correlate(Category).scalar_subquery(),
            last_post_id=select(func.max(Thread.last_post_id)).where(*listed)
            .correlate(Category).scalar_subquery(),
        ),
        execution_options={"synchronize_session": False},
    )


def thread_author_ids(thread: Thread) -> list[int]:
    return list(db.session.scalars(
        select(Post.author_id).where(Post.thread_id == thread.id).distinct()))
