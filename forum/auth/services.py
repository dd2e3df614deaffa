"""Account rules: registration, verification, login sessions, password reset.

Callable without a request; views only parse forms and render. Services flush; the
request that called them commits.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from forum import jobs, mail
from forum.accounts import held_names
from forum.auth.models import ROLES, LoginSession, User
from forum.auth.passwords import burn_time, hash_password, needs_rehash, verify_password
from forum.errors import ValidationError
from forum.extensions import db
from forum.timeutil import utcnow

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_-]{3,30}$")
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
SESSION_LIFETIME = timedelta(hours=12)
REMEMBERED_SESSION_LIFETIME = timedelta(days=30)
# Refreshing last_seen_at on every request would turn every page view into a write.
SESSION_TOUCH_INTERVAL = timedelta(minutes=5)
# A deleted account's username is "former-<id>"; nobody may register one, so that a
# deletion never finds its placeholder taken.
FORMER_PREFIX = "former-"
USERNAME_TAKEN = "That username is taken; please choose another."
EMAIL_TAKEN = "An account with that email address already exists."


def normalise_email(email: str) -> str:
    try:
        result = validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationError(f"That email address does not look right: {error}", "email")
    return result.normalized.lower()


def check_username(username: str) -> str:
    username = username.strip()
    if not USERNAME_PATTERN.match(username):
        raise ValidationError(
            "Use 3 to 30 letters, digits, dashes or underscores. A pseudonym is best.", "username"
        )
    if username.lower().startswith(FORMER_PREFIX):
        raise ValidationError(USERNAME_TAKEN, "username")
    return username


def username_taken(username: str) -> bool:
    """In use, or held back after its owner deleted their account: the same answer for
    both, so that nobody learns from the form that an account was deleted."""
    key = username.lower()
    return (db.session.scalar(select(User.id).where(User.username_key == key)) is not None
            or held_names.is_held("username", key))


def email_taken(email: str) -> bool:
    """`email` normalised; in use or held back, as for usernames."""
    return (db.session.scalar(select(User.id).where(User.email == email)) is not None
            or held_names.is_held("email", email))


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            f"Use at least {MIN_PASSWORD_LENGTH} characters; a few words strung together work well.",
            "password",
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(f"Use at most {MAX_PASSWORD_LENGTH} characters.", "password")
    return password


def find_by_login(login: str) -> User | None:
    login = login.strip().lower()
    return db.session.scalar(
        select(User).where(or_(User.username_key == login, User.email == login))
    )


def create_user(
    username: str,
    email: str,
    password: str,
    role: str = "member",
    clinic=None,
    verified: bool = False,
) -> User:
    """Add a user after checking every field, and flush; the caller commits."""
    username = check_username(username)
    email = normalise_email(email)
    check_password(password)
    if role not in ROLES:
        raise ValidationError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}.", "role")
    if username_taken(username):
        raise ValidationError(USERNAME_TAKEN, "username")
    if email_taken(email):
        raise ValidationError(EMAIL_TAKEN, "email")
    user = User(
        username=username,
        username_key=username.lower(),
        email=email,
        password_hash=hash_password(password),
        role=role,
        clinic=clinic,
        email_verified_at=utcnow() if verified else None,
    )
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as error:
        # Two registrations raced past the checks above; the other one won.
        db.session.rollback()
        field = "email" if "email" in str(error.orig).lower() else "username"
        raise ValidationError(TAKEN_A_MOMENT_AGO[field], field) from None
    return user


TAKEN_A_MOMENT_AGO = {
    "username": "Someone took that username a moment ago; please choose another.",
    "email": "An account with that email address was created a moment ago. If it was you, "
             "look for the confirmation mail; otherwise use another address.",
}


def register(username: str, email: str, password: str) -> User | None:
    """Create a member and mail a verification link.

    An address that already has an account gets a notice instead of a new account,
    so that the form never tells a stranger who is a member here. An address held back
    after its account was deleted gets the same answer, and no mail (nobody owns it here).
    """
    username = check_username(username)
    normalised = normalise_email(email)
    existing = db.session.scalar(select(User).where(User.email == normalised))
    if existing is not None or held_names.is_held("email", normalised):
        check_password(password)
        if username_taken(username):
            raise ValidationError(USERNAME_TAKEN, "username")
        # Spend what hashing a new account's password costs, so the answer is no faster.
        hash_password(password)
        if existing is not None:
            mail.send(existing.email, "Someone tried to register with your address",
                      "mail/already_registered.txt", user=existing,
                      reset_url=mail.absolute("/reset"))
        return None
    user = create_user(username, normalised, password)
    send_verification(user)
    return user


# Signed tokens -----------------------------------------------------------------------

def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"outflow-{purpose}")


def _password_fingerprint(user: User) -> str:
    # A reset link dies once the password changes, so it works once.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def verification_token(user: User) -> str:
    return _serializer("verify").dumps({"u": user.id, "e": user.email})


def reset_token(user: User) -> str:
    return _serializer("reset").dumps({"u": user.id, "p": _password_fingerprint(user)})


def _load(purpose: str, token: str, max_age: int) -> dict | None:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    return data if isinstance(data, dict) else None


def send_verification(user: User) -> None:
    link = mail.absolute(f"/verify/{verification_token(user)}")
    mail.send(user.email, "Confirm your email address for Outflow",
              "mail/verify.txt", user=user, link=link)


def verify_email(token: str) -> User | None:
    data = _load("verify", token, current_app.config["TOKEN_MAX_AGE_VERIFY"])
    if data is None:
        return None
    user = db.session.get(User, data.get("u"))
    if user is None or user.is_former or user.email != data.get("e"):
        return None
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
        db.session.flush()
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link when the address belongs to someone; say nothing either way.

    The lookup happens in the job, so the request does the same work, in the same
    time, whether or not the address has an account.
    """
    jobs.enqueue("auth.send_password_reset", (email or "").strip()[:254])


@jobs.job("auth.send_password_reset")
def send_password_reset(email: str) -> None:
    try:
        normalised = normalise_email(email)
    except ValidationError:
        return
    user = db.session.scalar(select(User).where(User.email == normalised))
    if user is None or user.is_former:
        return
    link = mail.absolute(f"/reset/{reset_token(user)}")
    mail.send(user.email, "Reset your Outflow password", "mail/reset.txt", user=user, link=link)


def user_for_reset_token(token: str) -> User | None:
    data = _load("reset", token, current_app.config["TOKEN_MAX_AGE_RESET"])
    if data is None:
        return None
    user = db.session.get(User, data.get("u"))
    if user is None or user.is_former or _password_fingerprint(user) != data.get("p"):
        return None
    return user


def reset_password(user: User, password: str) -> None:
    check_password(password)
    user.password_hash = hash_password(password)
    # Whoever could read the mail proved they own the address.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.flush()


# Logging in and out ------------------------------------------------------------------

def authenticate(login: str, password: str) -> User | None:
    user = find_by_login(login)
    if user is None:
        burn_time(password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.flush()
    return user


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, remember: bool, user_agent: str = "") -> LoginSession:
    token = secrets.token_urlsafe(32)
    now = utcnow()
    lifetime = REMEMBERED_SESSION_LIFETIME if remember else SESSION_LIFETIME
    login_session = LoginSession(
        token_hash=_hash_token(token),
        user=user,
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
        remember=remember,
        # Whatever the browser claims, as text a page can show and PostgreSQL can store
        # (a NUL in the header would fail the login).
        user_agent="".join(char for char in user_agent if char.isprintable())[:200],
    )
    db.session.add(login_session)
    db.session.flush()
    login_session.cookie_token = token
    user.current_login_session = login_session
    return login_session


def load_session_user(token: str) -> User | None:
    """The user behind a cookie's token, while its session row lives and has not expired."""
    if not token:
        return None
    now = utcnow()
    login_session = db.session.scalar(
        select(LoginSession)
        .where(LoginSession.token_hash == _hash_token(token), LoginSession.expires_at > now)
    )
    if login_session is None or login_session.user.is_former:
        # A deletion ends the account's sessions; the second test guards a straggler.
        return None
    if now - login_session.last_seen_at > SESSION_TOUCH_INTERVAL:
        lifetime = REMEMBERED_SESSION_LIFETIME if login_session.remember else SESSION_LIFETIME
        login_session.last_seen_at = now
        login_session.expires_at = now + lifetime
    login_session.cookie_token = token
    user = login_session.user
    user.current_login_session = login_session
    return user


def end_session(user: User) -> None:
    login_session = user.current_login_session
    if login_session is not None:
        db.session.execute(delete(LoginSession).where(LoginSession.id == login_session.id))
    user.current_login_session = None


def end_all_sessions(user: User) -> None:
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
