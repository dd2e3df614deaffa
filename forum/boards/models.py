"""Categories, threads, posts and the earlier versions of edited posts."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User
from forum.extensions import db
from forum.timeutil import utcnow


class Category(db.Model):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Counters kept by boards.counters so that listing pages never count rows.
    thread_count: Mapped[int] = mapped_column(default=0)
    post_count: Mapped[int] = mapped_column(default=0)
    last_post_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("posts.id", use_alter=True, ondelete="SET NULL")
    )

    last_post: Mapped[Optional["Post"]] = relationship(foreign_keys=[last_post_id])

    def __repr__(self) -> str:
        return f"<Category {self.slug}>"


class Thread(db.Model):
    __tablename__ = "threads"
    __table_args__ = (
        Index("ix_threads_category_listing", "category_id", "is_pinned", "last_post_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("posts.id", use_alter=True, ondelete="SET NULL")
    )
    # Posts that readers see, the opening post included.
    post_count: Mapped[int] = mapped_column(default=0)
    is_pinned: Mapped[bool] = mapped_column(default=False)
    is_locked: Mapped[bool] = mapped_column(default=False)
    # Opened by a new member and waiting for a moderator: listed to nobody else yet.
    pending: Mapped[bool] = mapped_column(default=False)
    deleted_at: Mapped[Optional[datetime]]

    category: Mapped[Category] = relationship()
    author: Mapped[User] = relationship()
    last_post: Mapped[Optional["Post"]] = relationship(foreign_keys=[last_post_id])

    audit_kind = "thread"

    @property
    def audit_label(self) -> str:
        return self.title

    @property
    def reply_count(self) -> int:
        return max(self.post_count - 1, 0)

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.title!r}>"


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (Index("ix_posts_thread_order", "thread_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    # Rendered and sanitised by forum.markup when written, so reading never parses Markdown.
    body_html: Mapped[str] = mapped_column(Text)
    # Indexed for search's date filters and its newest-first candidates (migration 0009).
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[Optional[datetime]]
    deleted_at: Mapped[Optional[datetime]]
    deleted_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    # A new member's post waits in the approval queue; only its author and moderators see it.
    pending: Mapped[bool] = mapped_column(default=False)
    hidden_at: Mapped[Optional[datetime]]
    hidden_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    hidden_reason: Mapped[str] = mapped_column(Text, default="")

    thread: Mapped[Thread] = relationship(foreign_keys=[thread_id])
    author: Mapped[User] = relationship(foreign_keys=[author_id])

    audit_kind = "post"

    @property
    def audit_label(self) -> str:
        return f"post in “{self.thread.title}” by {self.author.username}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_live(self) -> bool:
        """Shown to every reader, and so counted on threads, categories and profiles."""
        return self.deleted_at is None and self.hidden_at is None and not self.pending

    def __repr__(self) -> str:
        return f"<Post {self.id}>"


class PostRevision(db.Model):
    """A version of a post as it was before an edit replaced it."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # Why a moderator changed it; empty for the author's own edits.
    reason: Mapped[str] = mapped_column(Text, default="")
    # When this version was written, and who replaced it, when.
    written_at: Mapped[datetime]
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)
    replaced_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    replaced_by: Mapped[User] = relationship()


# Reactions, bookmarks and what each member has read ---------------------------------------

REACTION_KINDS = ("helpful", "thanks", "metoo", "hugs")


class Reaction(db.Model):
    """One member's reaction of one kind to one post; pressing it again takes it back."""

    __tablename__ = "reactions"
    __table_args__ = (
        CheckConstraint("kind IN (" + ", ".join(f"'{kind}'" for kind in REACTION_KINDS) + ")",
                        name="kind_known"),
    )

    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"),
                                         primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Bookmark(db.Model):
    __tablename__ = "bookmarks"
    __table_args__ = (Index("ix_bookmarks_user_created", "user_id", "created_at"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ThreadRead(db.Model):
    """How far a member has read a thread. Post ids only grow, so every post with a
    higher id than `last_read_post_id` is new to them."""

    __tablename__ = "thread_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"),
                                           primary_key=True, index=True)
    last_read_post_id: Mapped[int]
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class CategoryRead(db.Model):
    """"Mark all read" in a category (or everywhere): every post up to this id is read."""

    __tablename__ = "category_reads"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"),
                                             primary_key=True)
    read_up_to_post_id: Mapped[int]
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
