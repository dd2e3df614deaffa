"""The reads behind the listing pages; each runs a fixed number of queries."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from forum.boards.models import Category, Post, PostRevision, Thread
from forum.extensions import db


def categories_with_latest() -> list[Category]:
    return list(db.session.scalars(
        select(Category)
        .options(selectinload(Category.last_post).options(
            joinedload(Post.thread), joinedload(Post.author)))
        .order_by(Category.position, Category.name)
    ))


def category_threads(category: Category, page: int, per_page: int) -> list[Thread]:
    return list(db.session.scalars(
        select(Thread)
        .where(Thread.category_id == category.id, Thread.deleted_at.is_(None))
        .options(joinedload(Thread.author),
                 selectinload(Thread.last_post).joinedload(Post.author))
        .order_by(Thread.is_pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ))


def thread_posts(thread: Thread, page: int, per_page: int) -> list[Post]:
    return list(db.session.scalars(
        select(Post)
        .where(Post.thread_id == thread.id)
        .options(joinedload(Post.author))
        .order_by(Post.id)
        .limit(per_page).offset((page - 1) * per_page)
    ))


def thread_post_total(thread: Thread) -> int:
    # Removed posts keep their place (shown as removed), so they count for paging.
    return db.session.scalar(
        select(func.count()).select_from(Post).where(Post.thread_id == thread.id)
    ) or 0


def thread_with_category(thread_id: int) -> Thread | None:
    return db.session.scalar(
        select(Thread).where(Thread.id == thread_id).options(joinedload(Thread.category))
    )


def post_with_thread(post_id: int) -> Post | None:
    return db.session.scalar(
        select(Post).where(Post.id == post_id)
        .options(joinedload(Post.thread).joinedload(Thread.category), joinedload(Post.author))
    )


def post_revisions(post: Post) -> list[PostRevision]:
    return list(db.session.scalars(
        select(PostRevision).where(PostRevision.post_id == post.id)
        .options(joinedload(PostRevision.replaced_by))
        .order_by(PostRevision.id.desc())
    ))
