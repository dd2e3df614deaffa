"""Members' private bookmarks of posts: toggling, and the list on /bookmarks."""
from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import joinedload

from forum.boards.models import Bookmark, Post, Thread
from forum.boards.queries import posts_seen_by, threads_seen_by
from forum.extensions import db
from forum.permissions import require


def toggle(member, post: Post) -> bool:
    """Bookmark `post` for `member`, or remove the bookmark; returns whether it is kept now.
    Each way is one statement, so two clicks racing each other never clash on the key."""
    require(member, "post.bookmark", post)
    removed = db.session.execute(
        delete(Bookmark).where(Bookmark.user_id == member.id, Bookmark.post_id == post.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if removed:
        return False
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[db.engine.dialect.name]
    db.session.execute(insert(Bookmark).values(user_id=member.id, post_id=post.id)
                       .on_conflict_do_nothing())
    return True


def _still_visible(member):
    """A post the member can still read, in a thread they can still see. A bookmark of a
    post hidden or removed since is left out of the list (and of its count), not shown as
    a hole: its text is gone for them either way, and the bookmark comes back with it if a
    moderator restores the post."""
    return (Post.deleted_at.is_(None), Post.hidden_at.is_(None), posts_seen_by(member),
            Thread.deleted_at.is_(None), threads_seen_by(member))


def count_for(member) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Bookmark)
        .join(Post, Post.id == Bookmark.post_id).join(Thread, Thread.id == Post.thread_id)
        .where(Bookmark.user_id == member.id, *_still_visible(member))
    ) or 0


def page_for(member, page: int, per_page: int) -> list[tuple[Bookmark, Post]]:
    """One page of the member's bookmarks, newest first, with each post's thread and author
    loaded in the same query."""
    return [tuple(row) for row in db.session.execute(
        select(Bookmark, Post)
        .join(Post, Post.id == Bookmark.post_id).join(Thread, Thread.id == Post.thread_id)
        .where(Bookmark.user_id == member.id, *_still_visible(member))
        .options(joinedload(Post.thread), joinedload(Post.author))
        .order_by(Bookmark.created_at.desc(), Bookmark.post_id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    )]


def snippet(post: Post, length: int = 200) -> str:
    """The start of the post's Markdown as plain words (escaped by the template)."""
    text = " ".join(post.body.split())
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"
