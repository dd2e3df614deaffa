"""Usernames and email addresses of deleted accounts, held back for HOLD_DAYS.

Nobody can register as a member who just left, or take over their address, while
people still remember the name. Only a keyed hash is stored, so the held name itself
is not kept: the row answers "is this one held?" and nothing else.
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select

from forum.accounts.models import HeldName
from forum.extensions import db
from forum.timeutil import utcnow

HOLD_DAYS = 30


def _digest(kind: str, value: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{kind}:{value.strip().lower()}".encode(), hashlib.sha256).hexdigest()


def hold(kind: str, value: str, days: int = HOLD_DAYS) -> None:
    """Hold `value` (a username or an email) for `days`; flushes like every service."""
    digest = _digest(kind, value)
    until = utcnow() + timedelta(days=days)
    row = db.session.get(HeldName, digest)
    if row is None:
        db.session.add(HeldName(digest=digest, kind=kind, until=until))
    else:
        row.until = max(row.until, until)
    db.session.flush()


def is_held(kind: str, value: str, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return db.session.scalar(
        select(HeldName.digest).where(HeldName.digest == _digest(kind, value),
                                      HeldName.until > now)
    ) is not None


def release_expired(now: datetime | None = None) -> int:
    """Forget the holds that have run out; returns how many."""
    result = db.session.execute(delete(HeldName).where(HeldName.until <= (now or utcnow())))
    return result.rowcount or 0
