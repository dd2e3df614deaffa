"""Rate limits hold as configured when several processes serve the forum, as `make run` does.

These tests start their own gunicorn and need no database fixture, so they run once, not
once per database backend.
"""
from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, build_opener

import pytest
from limits.errors import ConfigurationError
from limits.storage import storage_from_string

from forum import config
from forum.ratelimits import SQLiteStorage
from support import csrf_from, in_ci

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/15"
ATTEMPTS = 20
LOGIN_LIMIT = 5
# The developer's own settings (and gunicorn's) must not reach the server under test.
FOREIGN_SETTINGS = ("DATABASE_", "SECRET_", "INSTANCE_", "MAIL_", "RATELIMIT_", "JOBS_",
                    "SESSION_", "PASSWORD_", "TRUSTED_", "FORUM_", "FLASK_", "GUNICORN_",
                    "WEB_CONCURRENCY")


def storage(path: Path) -> SQLiteStorage:
    return storage_from_string(f"sqlite:///{path}")


# The storage ---------------------------------------------------------------------------

def test_the_sqlite_storage_counts_hits_within_a_window(tmp_path):
    counts = storage(tmp_path / "limits.sqlite3")
    assert [counts.incr("login/127.0.0.1", 60) for _ in range(3)] == [1, 2, 3]
    assert counts.get("login/127.0.0.1") == 3
    assert counts.get("login/10.0.0.1") == 0
    assert time.time() + 55 < counts.get_expiry("login/127.0.0.1") <= time.time() + 60


def test_a_window_that_has_run_out_starts_again(tmp_path):
    counts = storage(tmp_path / "limits.sqlite3")
    counts.incr("login/127.0.0.1", 0.2, amount=4)
    time.sleep(0.3)
    assert counts.get("login/127.0.0.1") == 0
    assert counts.incr("login/127.0.0.1", 60) == 1


def test_two_storages_on_one_file_share_their_counts(tmp_path):
    first, second = storage(tmp_path / "limits.sqlite3"), storage(tmp_path / "limits.sqlite3")
    for _ in range(3):
        first.incr("login/127.0.0.1", 60)
    assert second.incr("login/127.0.0.1", 60) == 4
    assert first.get("login/127.0.0.1") == second.get("login/127.0.0.1") == 4
    second.clear("login/127.0.0.1")
    assert first.get("login/127.0.0.1") == 0


def test_two_storages_on_one_file_share_a_moving_window(tmp_path):
    first, second = storage(tmp_path / "limits.sqlite3"), storage(tmp_path / "limits.sqlite3")
    assert all(first.acquire_entry("post/7", 5, 60) for _ in range(3))
    assert second.acquire_entry("post/7", 5, 60, amount=2)
    assert not first.acquire_entry("post/7", 5, 60)
    assert second.get_moving_window("post/7", 5, 60)[1] == 5


COUNTING_PROCESS = textwrap.dedent("""
    import sys
    from limits.storage import storage_from_string
    import forum.ratelimits
    counts = storage_from_string(sys.argv[1])
    counts.check()
    print("ready", flush=True)
    sys.stdin.readline()
    print(" ".join(str(counts.incr("login/127.0.0.1", 60)) for _ in range(int(sys.argv[2]))))
""")


def test_processes_counting_at_once_lose_no_hit(tmp_path):
    uri, hits = f"sqlite:///{tmp_path / 'limits.sqlite3'}", 200
    processes = [subprocess.Popen([sys.executable, "-c", COUNTING_PROCESS, uri, str(hits)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                 for _ in range(3)]
    # Starting Python takes far longer than counting: all start counting together.
    assert [process.stdout.readline() for process in processes] == ["ready\n"] * 3
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    seen = []
    for process in processes:
        output, _ = process.communicate(timeout=60)
        assert process.returncode == 0
        seen += [int(number) for number in output.split()]
    # Every increment saw a count of its own: none was lost, none was counted twice.
    assert sorted(seen) == list(range(1, 3 * hits + 1))


def test_threads_sharing_one_storage_lose_no_hit(tmp_path):
    counts = storage(tmp_path / "limits.sqlite3")
    with ThreadPoolExecutor(max_workers=8) as pool:
        seen = list(pool.map(lambda _: counts.incr("login/127.0.0.1", 60), range(200)))
    assert sorted(seen) == list(range(1, 201))


def test_expired_windows_are_swept_from_the_file(tmp_path):
    counts = storage(tmp_path / "limits.sqlite3")
    counts.incr("login/127.0.0.1", 0.1)
    counts.acquire_entry("post/7", 5, 0.1)
    time.sleep(0.2)
    # A process sweeps on its first write, then once a minute: a new one stands for both.
    storage(tmp_path / "limits.sqlite3").incr("login/10.0.0.1", 60)
    with closing(sqlite3.connect(tmp_path / "limits.sqlite3")) as connection:
        assert connection.execute("SELECT key FROM counters").fetchall() == [("login/10.0.0.1",)]
        assert connection.execute("SELECT COUNT(*) FROM entries").fetchone() == (0,)


def test_the_counts_file_is_readable_by_the_forum_only(tmp_path):
    storage(tmp_path / "limits.sqlite3").incr("login/127.0.0.1", 60)
    assert (tmp_path / "limits.sqlite3").stat().st_mode & 0o077 == 0


@pytest.mark.parametrize("uri", ["sqlite://", "sqlite:///:memory:", "sqlite://host/limits"])
def test_a_sqlite_uri_without_a_file_is_refused(uri):
    with pytest.raises(ConfigurationError):
        storage_from_string(uri)


def test_the_default_storage_is_a_file_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "not used here")
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    uri = config.from_environment()["RATELIMIT_STORAGE_URI"]
    assert uri == f"sqlite:///{tmp_path.resolve() / 'ratelimits.sqlite3'}"
    assert isinstance(storage_from_string(uri), SQLiteStorage)


# The real thing: two gunicorn workers --------------------------------------------------

@dataclass
class Server:
    port: int
    access_log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> tuple[str, int]:
        return ("127.0.0.1", self.port)

    def workers_that_answered(self, method: str, path: str) -> list[str]:
        """The process id of the worker that answered each such request, in order."""
        pattern = re.compile(rf"^<(\d+)> {method} {re.escape(path)} ", re.MULTILINE)
        return pattern.findall(self.access_log.read_text())


def server_environment(instance: Path, **settings: str) -> dict[str, str]:
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith(FOREIGN_SETTINGS)}
    environment.update(
        INSTANCE_PATH=str(instance), SECRET_KEY="test-secret-key",
        DATABASE_URL=f"sqlite:///{instance / 'outflow.sqlite3'}",
        RATELIMIT_ENABLED="true", RATELIMIT_LOGIN=f"{LOGIN_LIMIT} per minute",
        PASSWORD_TIME_COST="1", PASSWORD_MEMORY_COST="8", **settings)
    return environment


def wait_until_listening(server: subprocess.Popen, error_log: Path, workers: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        log = error_log.read_text() if error_log.exists() else ""
        assert server.poll() is None, f"gunicorn stopped:\n{log}"
        port = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log)
        if port and log.count("Booting worker with pid") >= workers:
            return int(port.group(1))
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not start within 30 s:\n{log}")


@contextmanager
def forum_under_gunicorn(instance: Path, workers: int = 2, **settings: str) -> Iterator[Server]:
    """`make run` in miniature: migrate, then gunicorn with several workers on a free port."""
    environment = server_environment(instance, **settings)
    migration = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert migration.returncode == 0, migration.stderr
    access_log, error_log = instance / "access.log", instance / "error.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers),
         "--bind", "127.0.0.1:0", "--access-logfile", str(access_log),
         "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "--error-logfile", str(error_log),
         "wsgi:app"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port = wait_until_listening(server, error_log, workers)
        yield Server(port, access_log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)


def failed_login(base_url: str) -> int:
    """A browser of its own: loads the form for its token and cookie, then signs in wrongly.

    urllib opens a new connection for every request, so any worker may take either one.
    """
    browser = build_opener(HTTPCookieProcessor(CookieJar()))
    with browser.open(f"{base_url}/login", timeout=30) as page:
        token = csrf_from(page.read().decode())
    form = urlencode({"login": "river", "password": "not my password", "csrf_token": token})
    try:
        with browser.open(f"{base_url}/login", data=form.encode(), timeout=30) as answer:
            return answer.status
    except HTTPError as refusal:
        return refusal.code


def keep_a_worker_busy(server: Server) -> socket.socket:
    """A connection that sends nothing: the sync worker that accepts it waits for a request
    that never comes, so until it is closed every other request goes to the other worker."""
    idle = socket.create_connection(server.address, timeout=5)
    time.sleep(0.5)  # a free worker accepts it at once; half a second is plenty
    return idle


def login_attempts_through_both_workers(server: Server) -> list[int]:
    """Half the attempts through one worker, then half through the other.

    The second worker has seen no attempt when its turn comes, so counts kept in each
    worker's memory would let it accept LOGIN_LIMIT more.
    """
    half = ATTEMPTS // 2
    with ExitStack() as holds:
        first_hold = holds.enter_context(keep_a_worker_busy(server))
        statuses = [failed_login(server.url) for _ in range(half)]
        holds.enter_context(keep_a_worker_busy(server))  # the worker that has just answered
        first_hold.close()
        statuses += [failed_login(server.url) for _ in range(ATTEMPTS - half)]
    return statuses


def assert_only_the_configured_number_answered(statuses: list[int], server: Server) -> None:
    # 422: a wrong password, said so; then 429 from both workers until the minute is up.
    assert statuses == [422] * LOGIN_LIMIT + [429] * (ATTEMPTS - LOGIN_LIMIT)
    workers = server.workers_that_answered("POST", "/login")
    half = ATTEMPTS // 2
    assert len(set(workers[:half])) == len(set(workers[half:])) == 1
    assert workers[0] != workers[-1]


def test_the_login_limit_holds_across_two_gunicorn_workers_by_default(tmp_path):
    with forum_under_gunicorn(tmp_path) as server:
        statuses = login_attempts_through_both_workers(server)
    assert_only_the_configured_number_answered(statuses, server)
    assert (tmp_path / "ratelimits.sqlite3").exists()
    with closing(sqlite3.connect(tmp_path / "outflow.sqlite3")) as forum_database:
        tables = {name for (name,) in forum_database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "counters" not in tables  # the counts never touch the forum's own database


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own on Redis database 15, and its keys removed afterwards."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    try:
        connection.ping()
    except redis.RedisError:
        if in_ci():
            pytest.fail(f"Redis does not answer at {REDIS_URL}, and CI requires it")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    prefix = f"outflow-test-{uuid.uuid4().hex}"
    try:
        yield prefix
    finally:
        for key in connection.scan_iter(match=f"*{prefix}*", count=100):
            connection.delete(key)
        connection.close()


def test_the_login_limit_holds_across_two_gunicorn_workers_on_redis(tmp_path, redis_prefix):
    with forum_under_gunicorn(tmp_path, RATELIMIT_STORAGE_URI=REDIS_URL,
                              RATELIMIT_KEY_PREFIX=redis_prefix) as server:
        statuses = login_attempts_through_both_workers(server)
    assert_only_the_configured_number_answered(statuses, server)
    assert not (tmp_path / "ratelimits.sqlite3").exists()
