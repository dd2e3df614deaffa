"""Clinics, the resource links their staff pin, moderators' evidence notes, click counts."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional
from urllib.parse import urlsplit

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.boards.models import Category
from forum.extensions import db
from forum.timeutil import utcnow


class Clinic(db.Model):
    __tablename__ = "clinics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    website: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    audit_kind = "clinic"

    @property
    def audit_label(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<Clinic {self.name}>"


resource_link_categories = Table(
    "resource_link_categories",
    db.metadata,
    Column("link_id", ForeignKey("resource_links.id", ondelete="CASCADE"), primary_key=True),
    Column("category_id", ForeignKey("categories.id", ondelete="CASCADE"), primary_key=True),
)


class ResourceLink(db.Model):
    """An educational link a clinic pins site-wide or in categories."""

    __tablename__ = "resource_links"
    __table_args__ = (Index("ix_resource_links_clinic_position", "clinic_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_id: Mapped[int] = mapped_column(ForeignKey("clinics.id"))
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(Text, default="")
    site_wide: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    expires_on: Mapped[Optional[date]]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    unpinned_at: Mapped[Optional[datetime]]
    hidden_at: Mapped[Optional[datetime]]
    hidden_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    # Set by `flask forum check-links`: unknown, ok or dead.
    link_status: Mapped[str] = mapped_column(String(10), default="unknown")
    checked_at: Mapped[Optional[datetime]]
    check_detail: Mapped[str] = mapped_column(String(200), default="")

    clinic: Mapped[Clinic] = relationship(lazy="joined")
    categories: Mapped[list[Category]] = relationship(secondary=resource_link_categories,
                                                      lazy="selectin", order_by=Category.position)
    note: Mapped[Optional["EvidenceNote"]] = relationship(back_populates="link", lazy="selectin")

    audit_kind = "resource"

    @property
    def audit_label(self) -> str:
        return f"{self.title} ({self.clinic.name})"

    @property
    def domain(self) -> str:
        return (urlsplit(self.url).hostname or "").removeprefix("www.")

    def is_shown(self, today: date) -> bool:
        """Pinned, not hidden by a moderator, not past its expiry date."""
        return (self.unpinned_at is None and self.hidden_at is None
                and (self.expires_on is None or self.expires_on >= today))

    def __repr__(self) -> str:
        return f"<ResourceLink {self.id} {self.title!r}>"


class EvidenceNote(db.Model):
    """A moderator's note on what the evidence says, shown beside the link."""

    __tablename__ = "evidence_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("resource_links.id", ondelete="CASCADE"),
                                         unique=True)
    body: Mapped[str] = mapped_column(Text)
    # Rendered by forum.markup when written.
    body_html: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    link: Mapped[ResourceLink] = relationship(back_populates="note")


class ResourceClick(db.Model):
    """Outbound clicks per link per day: no per-person tracking."""

    __tablename__ = "resource_clicks"

    link_id: Mapped[int] = mapped_column(ForeignKey("resource_links.id", ondelete="CASCADE"),
                                         primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
