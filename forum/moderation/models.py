"""Reports of posts and the append-only moderation log."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import JSON, ForeignKey, Index, String, Text, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User
from forum.boards.models import Post
from forum.extensions import db
from forum.timeutil import utcnow

REPORT_REASONS = {
    "spam": "Spam or advertising",
    "misinformation": "Medical misinformation",
    "harassment": "Harassment",
    "private-info": "Private information",
    "crisis": "Self-harm or crisis",
    "other": "Something else",
}


OPEN_REPORT = text("status = 'open'")


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (
        Index("ix_reports_status_post", "status", "post_id"),
        # One open report per member per post, even when two of their requests race.
        Index("uq_reports_open_per_reporter", "post_id", "reporter_id", unique=True,
              sqlite_where=OPEN_REPORT, postgresql_where=OPEN_REPORT),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # open, then resolved by "hidden", "edited" or "dismissed".
    status: Mapped[str] = mapped_column(String(20), default="open")
    resolved_at: Mapped[Optional[datetime]]
    resolved_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    resolution_reason: Mapped[str] = mapped_column(Text, default="")

    post: Mapped[Post] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
    resolved_by: Mapped[Optional[User]] = relationship(foreign_keys=[resolved_by_id])

    audit_kind = "report"

    @property
    def audit_label(self) -> str:
        return f"report on post {self.post_id}"

    @property
    def reason_label(self) -> str:
        return REPORT_REASONS.get(self.reason, self.reason)

    @property
    def is_crisis(self) -> bool:
        return self.reason == "crisis"


class ModerationAction(db.Model):
    """One line of the moderation log. Written with the change it records; never altered."""

    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    # None when the system acted: the command line or the demo loader.
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    # What the target was called then: a thread title or username survives renames.
    target_label: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    # What changed, for the record: a move's categories, a role's clinic, the days of a suspension.
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[Optional[User]] = relationship()

    @property
    def actor_name(self) -> str:
        return self.actor.username if self.actor is not None else "system"


Index("ix_moderation_actions_target", ModerationAction.target_type, ModerationAction.target_id)


class LogIsAppendOnly(Exception):
    pass


@event.listens_for(ModerationAction, "before_update")
@event.listens_for(ModerationAction, "before_delete")
def _refuse_changes(_mapper, _connection, target) -> None:
    raise LogIsAppendOnly(f"moderation log entry {target.id} cannot be changed")
