"""Notices shown to a member on the site (and sometimes mailed), and what members watch."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.timeutil import utcnow

if TYPE_CHECKING:
    from forum.auth.models import User
    from forum.boards.models import Thread

# "watching": told of every reply (threads) or every new thread (categories); "normal":
# told only of what concerns the member (mentions, quotes, reactions); "muted": nothing.
WATCH_LEVELS = ("watching", "normal", "muted")
_LEVELS_SQL = "level IN (" + ", ".join(f"'{level}'" for level in WATCH_LEVELS) + ")"


class ThreadWatch(db.Model):
    __tablename__ = "thread_watches"
    __table_args__ = (
        CheckConstraint(_LEVELS_SQL, name="level_known"),
        Index("ix_thread_watches_thread_level", "thread_id", "level"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"),
                                           primary_key=True)
    level: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class CategoryWatch(db.Model):
    __tablename__ = "category_watches"
    __table_args__ = (
        CheckConstraint(_LEVELS_SQL, name="level_known"),
        Index("ix_category_watches_category_level", "category_id", "level"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"),
                                             primary_key=True)
    level: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(db.Model):
    """A notice from the moderators (or the system): its text is written once."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[Optional[datetime]]

    is_group = False

    @property
    def shown_at(self) -> datetime:
        return self.created_at


class GroupedNotification(db.Model):
    """A line of activity (replies, new threads, mentions, quotes, reactions) on a member's
    notifications page, beside the notices.

    Grouped: while a member has not read it, the line for a group (`group_key`, e.g. every
    reply in one thread) is counted up instead of repeated, and its text is composed when
    shown from the count, the thread and the latest actor. A table of its own, not more
    rows in `notifications`: the notices stay exactly what moderation wrote.
    """

    __tablename__ = "grouped_notifications"
    __table_args__ = (
        Index("ix_grouped_notifications_user_unread", "user_id", "read_at"),
        # One unread line per group and member; also what a racing insert collides on.
        Index("ux_grouped_notifications_unread_group", "user_id", "group_key", unique=True,
              postgresql_where=text("read_at IS NULL"), sqlite_where=text("read_at IS NULL")),
        Index("ix_grouped_notifications_group", "group_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    # e.g. "reply:<thread id>", "mention:<post id>", "reaction:<post id>:<kind>"
    group_key: Mapped[str] = mapped_column(String(80))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"),
                                           index=True)
    # The first post of the group the member has not read: where the line links to.
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"),
                                         index=True)
    # Replies in the group, or people who reacted.
    count: Mapped[int] = mapped_column(default=1)
    last_actor_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[Optional[datetime]]
    # Mail: sent right away once per unread line; put in a daily digest once per change.
    mailed_at: Mapped[Optional[datetime]]
    digested_at: Mapped[Optional[datetime]]

    thread: Mapped["Thread"] = relationship(foreign_keys=[thread_id])
    last_actor: Mapped[Optional["User"]] = relationship(foreign_keys=[last_actor_id])

    is_group = True

    @property
    def shown_at(self) -> datetime:
        return self.updated_at

    @property
    def href(self) -> str:
        return f"/p/{self.post_id}"

    @property
    def text(self) -> str:
        from forum.notify.wording import describe

        return describe(self)
