"""Rate-limit counts in a SQLite file that every gunicorn worker on one machine shares."""
from __future__ import annotations

import math
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from limits.errors import ConfigurationError
from limits.storage import MovingWindowSupport, SlidingWindowCounterSupport, Storage
from limits.storage.base import TimestampedSlidingWindow

# Expired windows are deleted in passing at most this often per process: often enough that
# the file stays small and client addresses are not kept longer than their limits need them.
SWEEP_INTERVAL = 60.0

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS counters ("
    " key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires_at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS counters_expires_at ON counters (expires_at)",
    "CREATE TABLE IF NOT EXISTS entries ("
    " key TEXT NOT NULL, at REAL NOT NULL, expires_at REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS entries_key_at ON entries (key, at)",
    "CREATE INDEX IF NOT EXISTS entries_expires_at ON entries (expires_at)",
)

# One statement reads and writes the counter, so no other process can slip in between;
# a window that has run out starts again from `amount` with a new expiry.
INCREMENT = """
INSERT INTO counters (key, value, expires_at) VALUES (:key, :amount, :now + :expiry)
ON CONFLICT (key) DO UPDATE SET
    value = CASE WHEN expires_at > :now THEN value + excluded.value ELSE excluded.value END,
    expires_at = CASE WHEN expires_at > :now THEN expires_at ELSE excluded.expires_at END
RETURNING value
"""


def database_path(uri: str) -> Path:
    """The file of `sqlite:///relative/path` or `sqlite:////absolute/path` (SQLAlchemy's form)."""
    parts = urlsplit(uri)
    path = parts.path[1:] if parts.path.startswith("/") else parts.path
    if parts.netloc or parts.query or not path or path == ":memory:":
        # An in-memory database would be private to one process: the very thing to avoid.
        raise ConfigurationError(
            f"{uri!r}: give a file, as in sqlite:////srv/outflow/ratelimits.sqlite3 "
            "(or use memory:// for one process)")
    return Path(path)


class SQLiteStorage(Storage, MovingWindowSupport, SlidingWindowCounterSupport,
                    TimestampedSlidingWindow):
    """The limits storage behind `RATELIMIT_STORAGE_URI=sqlite:///<file>`.

    Every process opening the same file shares the counts. It keeps its own file, never the
    forum's database, so it works the same whether the forum runs on SQLite or PostgreSQL.
    """

    STORAGE_SCHEME = ["sqlite"]

    def __init__(self, uri: str, wrap_exceptions: bool = False, timeout: float = 5.0,
                 **options: float | str | bool) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.path = database_path(uri)
        self.timeout = float(timeout)
        self._local = threading.local()
        self._next_sweep = 0.0

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sqlite3.Error

    # Connections and transactions ---------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread and per process: a sqlite3 connection must not cross
        # threads, and one inherited through fork (gunicorn --preload) would share its locks.
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            local.connection = self._connect()
            local.pid = os.getpid()
        return local.connection

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # The keys hold client addresses: only the forum's own user may read them.
        os.close(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600))
        # isolation_level=None: transactions are begun explicitly, and IMMEDIATE (below).
        connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
        # WAL lets readers go on while a worker writes; a lost count or two after a power
        # cut is an acceptable price for not syncing the disk on every request.
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        with self._transaction(connection):
            for statement in SCHEMA:
                connection.execute(statement)
        return connection

    @contextmanager
    def _transaction(self, connection: sqlite3.Connection | None = None
                     ) -> Iterator[sqlite3.Connection]:
        if connection is None:
            connection = self._connection()
        # IMMEDIATE takes the write lock before reading, so two workers can never both read
        # a count of 4, both decide that a fifth attempt is allowed, and both write 5.
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def _sweep_now_and_then(self, connection: sqlite3.Connection, now: float) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_INTERVAL
        connection.execute("DELETE FROM counters WHERE expires_at <= ?", (now,))
        connection.execute("DELETE FROM entries WHERE expires_at <= ?", (now,))

    # Fixed window ----------------------------------------------------------------------

    def _increment(self, connection: sqlite3.Connection, key: str, expiry: float,
                   amount: int, now: float) -> int:
        self._sweep_now_and_then(connection, now)
        row = connection.execute(
            INCREMENT, {"key": key, "amount": amount, "now": now, "expiry": expiry}).fetchone()
        return int(row[0])

    def _count(self, connection: sqlite3.Connection, key: str, now: float) -> int:
        row = connection.execute(
            "SELECT value FROM counters WHERE key = ? AND expires_at > ?", (key, now)).fetchone()
        return int(row[0]) if row else 0

    def incr(self, key: str, expiry: float, amount: int = 1) -> int:
        with self._transaction() as connection:
            return self._increment(connection, key, expiry, amount, time.time())

    def get(self, key: str) -> int:
        return self._count(self._connection(), key, time.time())

    def get_expiry(self, key: str) -> float:
        now = time.time()
        row = self._connection().execute(
            "SELECT expires_at FROM counters WHERE key = ? AND expires_at > ?",
            (key, now)).fetchone()
        return float(row[0]) if row else now

    def clear(self, key: str) -> None:
        with self._transaction() as connection:
            connection.execute("DELETE FROM counters WHERE key = ?", (key,))
            connection.execute("DELETE FROM entries WHERE key = ?", (key,))

    def reset(self) -> int | None:
        with self._transaction() as connection:
            (count,) = connection.execute(
                "SELECT (SELECT COUNT(*) FROM counters)"
                " + (SELECT COUNT(DISTINCT key) FROM entries)").fetchone()
            connection.execute("DELETE FROM counters")
            connection.execute("DELETE FROM entries")
        return int(count)

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    # Moving window ---------------------------------------------------------------------

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        with self._transaction() as connection:
            self._sweep_now_and_then(connection, now)
            (taken,) = connection.execute(
                "SELECT COUNT(*) FROM entries WHERE key = ? AND at >= ?",
                (key, now - expiry)).fetchone()
            if taken + amount > limit:
                return False
            connection.executemany(
                "INSERT INTO entries (key, at, expires_at) VALUES (?, ?, ?)",
                [(key, now, now + expiry)] * amount)
        return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        oldest, taken = self._connection().execute(
            "SELECT MIN(at), COUNT(*) FROM entries WHERE key = ? AND at >= ?",
            (key, now - expiry)).fetchone()
        return (float(oldest), int(taken)) if taken else (now, 0)

    # Sliding window counter ------------------------------------------------------------

    def _sliding_window(self, connection: sqlite3.Connection, key: str, expiry: int,
                        now: float) -> tuple[int, float, int, float]:
        # The same arithmetic as limits' MemoryStorage, so the strategies agree.
        previous_key, current_key = self.sliding_window_keys(key, expiry, now)
        previous = self._count(connection, previous_key, now)
        current = self._count(connection, current_key, now)
        previous_ttl = (1 - (((now - expiry) / expiry) % 1)) * expiry if previous else 0.0
        current_ttl = (1 - ((now / expiry) % 1)) * expiry + expiry
        return previous, previous_ttl, current, current_ttl

    def acquire_sliding_window_entry(self, key: str, limit: int, expiry: int,
                                     amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        with self._transaction() as connection:
            previous, previous_ttl, current, _ = self._sliding_window(
                connection, key, expiry, now)
            if math.floor(previous * previous_ttl / expiry + current) + amount > limit:
                return False
            current_key = self.sliding_window_keys(key, expiry, now)[1]
            self._increment(connection, current_key, 2 * expiry, amount, now)
        return True

    def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        return self._sliding_window(self._connection(), key, expiry, time.time())

    def clear_sliding_window(self, key: str, expiry: int) -> None:
        for window_key in self.sliding_window_keys(key, expiry, time.time()):
            self.clear(window_key)
