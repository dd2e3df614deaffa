"""Members and their login sessions."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.extensions import db
from forum.permissions import ROLES
from forum.timeutil import utcnow

if TYPE_CHECKING:
    from forum.resources.models import Clinic

# How a member reads the site (forum/accounts/display.py turns them into classes on <html>).
DISPLAY_TEXT_SIZES = (100, 125, 150, 175)
DISPLAY_THEMES = ("system", "light", "dark", "high-contrast")


class User(db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN (" + ", ".join(f"'{role}'" for role in ROLES) + ")",
                        name="role_known"),
        CheckConstraint("display_text_size IN ("
                        + ", ".join(str(size) for size in DISPLAY_TEXT_SIZES) + ")",
                        name="display_text_size_known"),
        CheckConstraint("display_theme IN ("
                        + ", ".join(f"'{theme}'" for theme in DISPLAY_THEMES) + ")",
                        name="display_theme_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30))
    # Lower-cased copy: "River" and "river" must not both exist, and login ignores case.
    username_key: Mapped[str] = mapped_column(String(30), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="member")
    clinic_id: Mapped[Optional[int]] = mapped_column(ForeignKey("clinics.id"), index=True)
    email_verified_at: Mapped[Optional[datetime]]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    post_count: Mapped[int] = mapped_column(default=0)
    suspended_at: Mapped[Optional[datetime]]
    # None with suspended_at set means "until a moderator lifts it".
    suspended_until: Mapped[Optional[datetime]]
    suspension_reason: Mapped[str] = mapped_column(Text, default="")
    # Set when the member deleted their account: the row stays so that the posts kept under
    # "former member" and the moderation log's ids still point somewhere.
    deleted_at: Mapped[Optional[datetime]]
    # On the row the user loader reads anyway, so that every page learns them for free.
    display_text_size: Mapped[int] = mapped_column(default=100, server_default=text("100"))
    display_theme: Mapped[str] = mapped_column(String(20), default="system",
                                               server_default="system")
    display_reduce_motion: Mapped[bool] = mapped_column(default=False, server_default=false())
    display_readable_font: Mapped[bool] = mapped_column(default=False, server_default=false())

    clinic: Mapped[Optional["Clinic"]] = relationship(lazy="joined")

    # The login session this request runs under; set by the user loader.
    current_login_session = None  # a LoginSession, not a column

    audit_kind = "user"

    @property
    def audit_label(self) -> str:
        return self.username

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_former(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_suspended(self) -> bool:
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > utcnow()

    # Flask-Login protocol: the id it keeps in the cookie is the login session's token,
    # so that ending the session row ends the login, remember-me cookie included.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str | None:
        session = self.current_login_session
        return session.cookie_token if session is not None else None

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class LoginSession(db.Model):
    """One row per login; the cookie carries a token whose hash finds the row."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User] = relationship()

    # The raw token exists only in the cookie and, for the request that created it, here.
    cookie_token = None  # a str, not a column


Index("ix_login_sessions_expires_at", LoginSession.expires_at)
