"""Computed figures kept per process, keyed by a fingerprint of the reports they count."""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, TypeVar

from sqlalchemy import func, select

from forum.extensions import db
from forum.outcomes.models import TreatmentReport

T = TypeVar("T")
ENTRIES_MAX = 512

_entries: OrderedDict[tuple, object] = OrderedDict()
_lock = threading.Lock()


def fingerprint(treatment_id: int | None = None) -> tuple:
    """What changes whenever a report counted here, or one of its follow-ups, changes:
    how many reports there are, how many are hidden, and the latest change. The
    registry stamps a report's updated_at when it or a follow-up of it is given or
    changed, and hiding stamps hidden_at (restoring lowers the hidden count); so one
    cheap query (from the index alone) tells whether figures computed earlier still hold,
    on every server whose clock agrees with the others'."""
    report = TreatmentReport
    query = select(func.count(), func.count(report.hidden_at), func.max(report.updated_at),
                   func.max(report.hidden_at))
    if treatment_id is not None:
        query = query.where(report.treatment_id == treatment_id)
    return (db.engine.url.render_as_string(), *db.session.execute(query).one())


def cached(key: tuple, compute: Callable[[], T]) -> T:
    """The value for `key`, computed once per process while the key holds. Values are
    never changed once computed and hold no database rows, so requests can share them."""
    with _lock:
        if key in _entries:
            _entries.move_to_end(key)
            return _entries[key]  # type: ignore[return-value]
    value = compute()
    with _lock:
        _entries[key] = value
        while len(_entries) > ENTRIES_MAX:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    with _lock:
        _entries.clear()
