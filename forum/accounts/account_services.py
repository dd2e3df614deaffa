"""A member's own account: changing the email address (with an undo), the password, and
the login sessions they see and end.

Callable without a request; services flush and the caller commits. Nothing here goes in
the moderation log: these are a member's own acts, not moderation.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from forum import mail
from forum.arguments import ID_MAX
from forum.auth.models import LoginSession, User
from forum.auth.passwords import hash_password, verify_password
from forum.auth.services import (
    EMAIL_TAKEN, _load, _password_fingerprint, _serializer, check_password, email_taken,
    end_all_sessions, normalise_email, reset_token,
)
from forum.errors import ValidationError
from forum.extensions import db
from forum.permissions import require
from forum.timeutil import utcnow
from forum.unit_of_work import update_if

EMAIL_CHANGE_MAX_AGE = 60 * 60 * 48
EMAIL_UNDO_MAX_AGE = 60 * 60 * 24 * 7
WRONG_PASSWORD = "That is not your current password."
LINK_USED = ("This link has been used already, or the account's address has changed since: "
             "nothing more to do here.")
OLD_ADDRESS_TAKEN = ("Another account uses that address now, so it cannot be put back. "
                     "Please write to the moderators through the forum.")


# Changing the email address --------------------------------------------------------------

@dataclass(frozen=True)
class EmailChange:
    """What a confirm or undo link carries: whose address, from what, to what."""

    user: User
    old: str
    new: str

    @property
    def confirmable(self) -> bool:
        return self.user.email == self.old

    @property
    def undoable(self) -> bool:
        return self.user.email == self.new


def _check_current_password(user: User, password: str, field: str) -> None:
    if not verify_password(user.password_hash, password or ""):
        raise ValidationError(WRONG_PASSWORD, field)


def request_email_change(user: User, new_email: str, password: str) -> str:
    """Mail a confirmation link to the new address; returns it. The address changes only
    when that link is used, so a typo cannot lock anyone out."""
    require(user, "account.settings", user)
    _check_current_password(user, password, "password")
    new = normalise_email(new_email)
    if new == user.email:
        raise ValidationError("That is already your email address.", "email")
    if email_taken(new):
        raise ValidationError(EMAIL_TAKEN, "email")
    token = _serializer("email-change").dumps(
        {"u": user.id, "o": user.email, "n": new, "p": _password_fingerprint(user)})
    mail.send(new, "Confirm your new email address for Outflow", "mail/email_change_confirm.txt",
              user=user, link=mail.absolute(f"/settings/email/confirm/{token}"))
    return new


def _change_from(purpose: str, token: str, max_age: int) -> tuple[EmailChange, dict] | None:
    data = _load(purpose, token, max_age)
    if data is None:
        return None
    user_id, old, new = data.get("u"), data.get("o"), data.get("n")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 1 <= user_id <= ID_MAX \
            or not isinstance(old, str) or not isinstance(new, str):
        return None
    user = db.session.get(User, user_id)
    if user is None or user.is_former:
        return None
    return EmailChange(user, old, new), data


def email_change_for(token: str) -> EmailChange | None:
    """The change a confirmation link asks for; None when it is not ours, too old, or the
    password changed since it was sent (an undo changes it, so the link dies with it)."""
    found = _change_from("email-change", token, EMAIL_CHANGE_MAX_AGE)
    if found is None:
        return None
    change, data = found
    return change if data.get("p") == _password_fingerprint(change.user) else None


def _set_address(user: User, current: str, address: str) -> None:
    """Change the address only while it is still `current` (so each link works once),
    and only while no other account has taken `address` (the unique constraint decides)."""
    if email_taken(address):
        raise ValidationError(EMAIL_TAKEN, "email")
    try:
        # Whoever opened the link proved they read mail at `address`.
        update_if(user, User.email == current, LINK_USED,
                  email=address, email_verified_at=utcnow())
    except IntegrityError:
        db.session.rollback()
        raise ValidationError(EMAIL_TAKEN, "email") from None


def confirm_email_change(change: EmailChange) -> None:
    """Apply the change, and tell the old address, with a link to undo it."""
    _set_address(change.user, change.old, change.new)
    token = _serializer("email-undo").dumps({"u": change.user.id, "o": change.old, "n": change.new})
    mail.send(change.old, "The email address of your Outflow account was changed",
              "mail/email_changed.txt", user=change.user, new_address=masked(change.new),
              undo_link=mail.absolute(f"/settings/email/undo/{token}"),
              reset_url=mail.absolute("/reset"))


def email_undo_for(token: str) -> EmailChange | None:
    found = _change_from("email-undo", token, EMAIL_UNDO_MAX_AGE)
    return found[0] if found is not None else None


def undo_email_change(change: EmailChange) -> str:
    """Put the old address back, end every session, and retire the password: whoever made
    the change may know it. Returns a reset token, so the owner chooses a new one at once."""
    user = change.user
    try:
        _set_address(user, change.new, change.old)
    except ValidationError:
        if user.email == change.new:  # the old address is someone else's now
            raise ValidationError(OLD_ADDRESS_TAKEN) from None
        raise
    user.password_hash = hash_password(secrets.token_urlsafe(32))
    end_all_sessions(user)
    db.session.flush()
    return reset_token(user)


def masked(address: str) -> str:
    """"r•••@example.org": enough for the owner to recognise, little for a stranger."""
    local, _, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}"


# Changing the password -----------------------------------------------------------------

def change_password(user: User, current: str, new: str, confirm: str) -> None:
    """Check the current password, store the new one, and end every other session."""
    require(user, "account.settings", user)
    _check_current_password(user, current, "current_password")
    check_password(new or "")
    if new != confirm:
        raise ValidationError("The two new passwords are not the same.", "password_confirm")
    user.password_hash = hash_password(new)
    end_other_sessions(user)
    mail.send(user.email, "Your Outflow password was changed", "mail/password_changed.txt",
              user=user, reset_url=mail.absolute("/reset"))
    db.session.flush()


# Login sessions ----------------------------------------------------------------------------

def live_sessions(user: User) -> list[LoginSession]:
    """The member's sessions that still sign a browser in, most recently used first."""
    return list(db.session.scalars(
        select(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.expires_at > utcnow())
        .order_by(LoginSession.last_seen_at.desc(), LoginSession.id.desc())))


def own_session(user: User, session_id: int) -> LoginSession | None:
    """One of the member's sessions; anyone else's is None, as if it did not exist."""
    row = db.session.get(LoginSession, session_id)
    return row if row is not None and row.user_id == user.id else None


def end_login_session(user: User, row: LoginSession) -> None:
    require(user, "session.end", row)
    db.session.execute(delete(LoginSession).where(LoginSession.id == row.id))
    if user.current_login_session is not None and user.current_login_session.id == row.id:
        user.current_login_session = None


def end_other_sessions(user: User) -> int:
    """End every session of the member but the one this request runs under; returns how
    many ended."""
    current = user.current_login_session
    statement = delete(LoginSession).where(LoginSession.user_id == user.id)
    if current is not None:
        statement = statement.where(LoginSession.id != current.id)
    return db.session.execute(statement).rowcount or 0
