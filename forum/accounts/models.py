"""A member's profile, its history, mail preferences, data exports, and names held back
after an account is deleted."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.extensions import db
from forum.timeutil import utcnow

# Who may see a profile field; "private" is the default for everything about health.
VISIBILITIES = ("private", "members", "everyone")
_VISIBILITY_SQL = "IN ('private', 'members', 'everyone')"


class Profile(db.Model):
    """What a member tells about themself. No row means an empty profile."""

    __tablename__ = "profiles"
    __table_args__ = tuple(
        CheckConstraint(f"{field}_visibility {_VISIBILITY_SQL}", name=f"{field}_visibility_known")
        for field in ("location", "ms_type", "diagnosis_year")
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    display_name: Mapped[str] = mapped_column(String(50), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    # Rendered by forum.markup when the bio is saved; never on read.
    bio_html: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(100), default="")
    location_visibility: Mapped[str] = mapped_column(String(10), default="private")
    ms_type: Mapped[str] = mapped_column(String(10), default="")
    ms_type_visibility: Mapped[str] = mapped_column(String(10), default="private")
    diagnosis_year: Mapped[Optional[int]]
    diagnosis_year_visibility: Mapped[str] = mapped_column(String(10), default="private")
    # Signed-in members always see the posts they may read; visitors only when allowed.
    posts_visible_to_visitors: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProfileRevision(db.Model):
    """The value a profile field had before a change: moderators read a member's history."""

    __tablename__ = "profile_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(30))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    # The member themself, or the moderator who cleared the field.
    changed_by_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class MailPreference(db.Model):
    """A member's choice for one kind of mail; no row means the kind's default."""

    __tablename__ = "mail_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    # "off", "immediately", or (for kinds that offer it) "daily".
    choice: Mapped[str] = mapped_column(String(20))


class DataExport(db.Model):
    """One "download my data" request: made by a job, kept on disk until it expires."""

    __tablename__ = "data_exports"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'ready', 'failed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    # A random name under the instance folder's exports/, so paths are never guessed.
    file_name: Mapped[str] = mapped_column(String(80), default="")
    size_bytes: Mapped[int] = mapped_column(default=0)
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    ready_at: Mapped[Optional[datetime]]
    expires_at: Mapped[Optional[datetime]]


class HeldName(db.Model):
    """A deleted member's username or email, held back for a while so nobody can take it
    over at once. Only a keyed hash is kept, never the name itself."""

    __tablename__ = "held_names"
    __table_args__ = (
        CheckConstraint("kind IN ('username', 'email')", name="kind_known"),
    )

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    until: Mapped[datetime]


Index("ix_held_names_until", HeldName.until)
Index("ix_data_exports_expires_at", DataExport.expires_at)
