"""The denormalised counters and "latest post" pointers that listing pages read.

Increments are SQL expressions (`count + 1`), so two writers never lose an update.
Called by services inside their transaction; nothing here commits.
"""
from __future__ import annotations

from sqlalchemy import func, select

from forum.auth.models import User
from forum.boards.models import Category, Post, Thread
from forum.extensions import db


def post_added(post: Post, thread: Thread, new_thread: bool) -> None:
    category = thread.category
    thread.post_count = Thread.post_count + 1
    thread.last_post_id = post.id
    thread.last_post_at = post.created_at
    category.post_count = Category.post_count + 1
    category.last_post_id = post.id
    if new_thread:
        category.thread_count = Category.thread_count + 1
    post.author.post_count = User.post_count + 1


def post_removed(post: Post, thread: Thread) -> None:
    thread.post_count = Thread.post_count - 1
    thread.category.post_count = Category.post_count - 1
    post.author.post_count = User.post_count - 1
    db.session.flush()
    refresh_thread_latest(thread)
    refresh_category_latest(thread.category)


def thread_removed(thread: Thread) -> None:
    thread.category.thread_count = Category.thread_count - 1
    db.session.flush()
    refresh_category_latest(thread.category)


def refresh_thread_latest(thread: Thread) -> None:
    latest = db.session.execute(
        select(Post.id, Post.created_at)
        .where(Post.thread_id == thread.id, Post.deleted_at.is_(None))
        .order_by(Post.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        thread.last_post_id = None
    else:
        thread.last_post_id, thread.last_post_at = latest


def refresh_category_latest(category: Category) -> None:
    category.last_post_id = db.session.scalar(
        select(func.max(Thread.last_post_id))
        .where(Thread.category_id == category.id, Thread.deleted_at.is_(None))
    )
