"""Settings read from environment variables, each with a safe default."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def instance_path() -> Path:
    return Path(os.environ.get("INSTANCE_PATH", "instance")).resolve()


def load_or_create_secret_key(folder: Path) -> str:
    """Generated once and kept beside the database, so restarts keep sessions valid.

    O_EXCL makes the first of several gunicorn workers win; the others read its key.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            key = path.read_text().strip()
            if key:
                return key
            import time

            time.sleep(0.02)
        raise RuntimeError(f"{path} is empty; delete it to generate a new key")
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def normalise_database_url(url: str) -> str:
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver named.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def from_environment() -> dict:
    folder = instance_path()
    folder.mkdir(parents=True, exist_ok=True)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'outflow.sqlite3'}"
    secure_cookies = env_flag("SESSION_COOKIE_SECURE", False)
    return {
        "INSTANCE_PATH": str(folder),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or load_or_create_secret_key(folder),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAIL_BACKEND": os.environ.get("MAIL_BACKEND", "file"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": env_flag("MAIL_USE_TLS", False),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "Outflow <no-reply@localhost>"),
        "MAIL_OUTBOX": os.environ.get("MAIL_OUTBOX", str(folder / "outbox")),
        # Members' data exports: written by the workers, sent by the web servers, so with
        # workers on other machines this must be storage they all share.
        "EXPORTS_FOLDER": os.environ.get("EXPORTS_FOLDER", str(folder / "exports")),
        "RATELIMIT_ENABLED": env_flag("RATELIMIT_ENABLED", True),
        # A file every worker on this machine shares (memory:// would give each gunicorn
        # worker its own counts); redis://... when several machines serve the forum.
        "RATELIMIT_STORAGE_URI": (os.environ.get("RATELIMIT_STORAGE_URI")
                                  or f"sqlite:///{folder / 'ratelimits.sqlite3'}"),
        # Keeps two forums (or a test run) apart when they share one Redis.
        "RATELIMIT_KEY_PREFIX": os.environ.get("RATELIMIT_KEY_PREFIX", ""),
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_LOGIN": os.environ.get("RATELIMIT_LOGIN", "10 per minute;60 per hour"),
        "RATELIMIT_REGISTER": os.environ.get("RATELIMIT_REGISTER", "5 per hour"),
        "RATELIMIT_MAIL": os.environ.get("RATELIMIT_MAIL", "5 per hour"),
        "RATELIMIT_POST": os.environ.get("RATELIMIT_POST", "6 per minute;60 per hour"),
        "RATELIMIT_POST_NEW_MEMBER": os.environ.get("RATELIMIT_POST_NEW_MEMBER",
                                                    "3 per minute;15 per hour"),
        "RATELIMIT_REPORT": os.environ.get("RATELIMIT_REPORT", "10 per hour"),
        # Treatment reports, follow-ups and their corrections together, per member.
        # Reactions and bookmarks together, per member: plenty for a person, not a script.
        "RATELIMIT_REACT": os.environ.get("RATELIMIT_REACT", "30 per minute;300 per hour"),
        # Searches with a query, per address: each costs more than a page.
        "RATELIMIT_SEARCH": os.environ.get("RATELIMIT_SEARCH", "40 per minute"),
        "RATELIMIT_OUTCOMES": os.environ.get("RATELIMIT_OUTCOMES", "10 per minute;40 per hour"),
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "FORUM_BASE_URL": os.environ.get("FORUM_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
        # A member who takes an hour over a post must not lose it to an expired token.
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(1024 * 1024))),
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 30,
        "TOKEN_MAX_AGE_VERIFY": 60 * 60 * 48,
        "TOKEN_MAX_AGE_RESET": 60 * 60,
        # Argon2id cost; the tests lower it so that thousands of hashes stay cheap.
        "PASSWORD_TIME_COST": int(os.environ.get("PASSWORD_TIME_COST", "3")),
        "PASSWORD_MEMORY_COST": int(os.environ.get("PASSWORD_MEMORY_COST", str(64 * 1024))),
        # The link checker refuses private and loopback addresses unless this is on.
        "LINK_CHECK_PRIVATE_ADDRESSES": env_flag("LINK_CHECK_PRIVATE_ADDRESSES", False),
        # Background jobs: run inline after the commit, unless a Redis URL puts them on RQ.
        "JOBS_REDIS_URL": os.environ.get("JOBS_REDIS_URL", ""),
        "JOBS_QUEUE": os.environ.get("JOBS_QUEUE", "outflow"),
        "JOBS_MAX_ATTEMPTS": int(os.environ.get("JOBS_MAX_ATTEMPTS", "3")),
        # Seconds an RQ worker waits before each retry; the inline runner retries at once.
        "JOBS_RETRY_INTERVALS": [int(part) for part in os.environ.get(
            "JOBS_RETRY_INTERVALS", "30,120,600").split(",") if part.strip()],
        "THREADS_PER_PAGE": 30,
        "POSTS_PER_PAGE": 25,
    }
