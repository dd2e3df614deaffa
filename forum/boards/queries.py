"""The reads behind the listing pages; each runs a fixed number of queries."""
from __future__ import annotations

from sqlalchemy import false, func, or_, select, true
from sqlalchemy.orm import joinedload, selectinload

from forum.boards.models import Category, Post, PostRevision, Thread
from forum.extensions import db
from forum.permissions import can


def _viewer_id(viewer) -> int | None:
    return viewer.id if getattr(viewer, "is_authenticated", False) else None


def posts_seen_by(viewer):
    """Posts waiting for approval are seen only by their author and moderators."""
    if can(viewer, "moderation.view"):
        return true()
    viewer_id = _viewer_id(viewer)
    mine = Post.author_id == viewer_id if viewer_id is not None else false()
    return or_(Post.pending.is_(False), mine)


def threads_seen_by(viewer):
    if can(viewer, "moderation.view"):
        return true()
    viewer_id = _viewer_id(viewer)
    mine = Thread.author_id == viewer_id if viewer_id is not None else false()
    return or_(Thread.pending.is_(False), mine)


def categories_with_latest() -> list[Category]:
    return list(db.session.scalars(
        select(Category)
        .options(selectinload(Category.last_post).options(
            joinedload(Post.thread), joinedload(Post.author)))
        .order_by(Category.position, Category.name)
    ))


def category_threads(category: Category, page: int, per_page: int, viewer) -> list[Thread]:
    return list(db.session.scalars(
        select(Thread)
        .where(Thread.category_id == category.id, Thread.deleted_at.is_(None),
               threads_seen_by(viewer))
        .options(joinedload(Thread.author),
                 selectinload(Thread.last_post).joinedload(Post.author))
        .order_by(Thread.is_pinned.desc(), Thread.last_post_at.desc(), Thread.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ))


def thread_posts(thread: Thread, page: int, per_page: int, viewer) -> list[Post]:
    return list(db.session.scalars(
        select(Post)
        .where(Post.thread_id == thread.id, posts_seen_by(viewer))
        .options(joinedload(Post.author))
        .order_by(Post.id)
        .limit(per_page).offset((page - 1) * per_page)
    ))


def thread_post_total(thread: Thread, viewer) -> int:
    # Removed and hidden posts keep their place (shown as such), so they count for paging.
    return db.session.scalar(
        select(func.count()).select_from(Post)
        .where(Post.thread_id == thread.id, posts_seen_by(viewer))
    ) or 0


def post_position(post: Post, viewer) -> int:
    """How many posts this viewer sees before this one in its thread."""
    return db.session.scalar(
        select(func.count()).select_from(Post)
        .where(Post.thread_id == post.thread_id, Post.id < post.id, posts_seen_by(viewer))
    ) or 0


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def category_by_slug(slug: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.slug == slug))


def visible_thread(thread_id: int, viewer) -> Thread | None:
    """The thread, when this viewer may see it at all (else as good as not there)."""
    thread = thread_with_category(thread_id)
    return thread if thread is not None and can(viewer, "thread.view", thread) else None


def visible_post(post_id: int, viewer) -> Post | None:
    """The post, when this viewer may see it: its thread is visible to them, and a post
    waiting for approval exists only for its author and moderators."""
    post = post_with_thread(post_id)
    if post is None or not can(viewer, "thread.view", post.thread):
        return None
    if post.pending and not can(viewer, "post.read", post):
        return None
    return post


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
