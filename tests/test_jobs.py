"""Background jobs: scheduled when the unit of work commits, run inline or by an RQ worker.

The RQ tests use the real Redis at TEST_REDIS_URL (default redis://127.0.0.1:6379/0), each
on a queue of its own, and run a burst-mode worker in this process so that it shares the
test's app and database. They are skipped when Redis does not answer, except in CI.
"""
from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace
from uuid import uuid4

import pytest
from flask import has_request_context
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.serializers import JSONSerializer
from sqlalchemy import select

from forum import jobs, mail
from forum.admin.models import SiteSetting
from forum.extensions import db as forum_db
from support import in_ci, submit

REDIS_URL = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
MAX_ATTEMPTS = 3
LARK = SimpleNamespace(username="lark")  # all a mail template reads of a member


# Jobs for these tests only ---------------------------------------------------------------

@jobs.job("tests.jobs.remember")
def remember(key: str, value: str) -> None:
    """Leave a site setting behind: a row that shows the job ran and what it was told."""
    row = forum_db.session.get(SiteSetting, key)
    if row is None:
        forum_db.session.add(SiteSetting(key=key, value=value))
    else:
        row.value = value


@jobs.job("tests.jobs.flaky")
def flaky(tally: str, failures: int, key: str) -> None:
    """Fail the first `failures` attempts; each attempt adds a line to the `tally` file,
    which is outside the database, so that a failed attempt's count is not rolled back."""
    path = Path(tally)
    attempt = len(path.read_text().splitlines()) + 1 if path.exists() else 1
    with path.open("a") as handle:
        handle.write(f"attempt {attempt}\n")
    remember(key, f"attempt {attempt}")
    if attempt <= failures:
        raise RuntimeError(f"failure on attempt {attempt}")


@jobs.job("tests.jobs.remember_all")
def remember_all(key: str, values: list[str]) -> None:
    remember(key, ",".join(values))


@jobs.job("tests.jobs.remember_surroundings")
def remember_surroundings(key: str) -> None:
    remember(key, f"request={has_request_context()}")


@jobs.job("tests.jobs.chain")
def chain(key: str) -> None:
    jobs.enqueue("tests.jobs.remember", key, "scheduled by a job")


def saved(db, key: str) -> str | None:
    """What is committed, read on a connection of its own (not the test's session)."""
    with db.engine.connect() as connection:
        return connection.scalar(select(SiteSetting.value).where(SiteSetting.key == key))


def attempts_in(tally: Path) -> int:
    return len(tally.read_text().splitlines()) if tally.exists() else 0


# Settings: inline unless the test asks for a queue -----------------------------------------

@pytest.fixture
def redis_queue() -> Iterator[str]:
    """The name of a queue of this test's own on the real Redis, emptied afterwards."""
    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisError:
        if in_ci():
            pytest.fail(f"Redis does not answer at {REDIS_URL}, and CI requires it")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    name = f"outflow-test-{uuid4().hex}"
    yield name
    forget_queue(connection, name)
    connection.close()


def forget_queue(connection: Redis, name: str) -> None:
    queue = Queue(name, connection=connection, serializer=JSONSerializer)
    job_ids = set(queue.get_job_ids())
    for registry in (queue.started_job_registry, queue.finished_job_registry,
                     queue.failed_job_registry, queue.scheduled_job_registry,
                     queue.deferred_job_registry, queue.canceled_job_registry):
        job_ids.update(registry.get_job_ids())
    queue.delete(delete_jobs=True)  # also takes it off RQ's list of queues
    for pattern in [f"rq:*{job_id}*" for job_id in job_ids] + [f"*{name}*"]:
        for key in connection.scan_iter(pattern):
            connection.delete(key)


@pytest.fixture
def config_overrides(request) -> dict:
    """Inline, whatever the environment says; a test that asks for `redis_queue` gets RQ."""
    settings = {"JOBS_REDIS_URL": "", "JOBS_MAX_ATTEMPTS": MAX_ATTEMPTS}
    if "redis_queue" in request.fixturenames:
        settings.update(JOBS_REDIS_URL=REDIS_URL, JOBS_QUEUE=request.getfixturevalue("redis_queue"),
                        JOBS_RETRY_INTERVALS=[0])  # 0: a retry goes back on the queue at once
    return settings


@pytest.fixture
def queue(app, redis_queue) -> Queue:
    return jobs.queue(app)


@contextmanager
def signals_kept() -> Iterator[None]:
    """An RQ worker takes Ctrl-C over for its warm shutdown; give it back to pytest."""
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def run_worker() -> bool:
    """A burst-mode worker in this process: it runs what is queued, then returns."""
    with signals_kept():
        return jobs.worker(simple=True).work(burst=True)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Inline (no JOBS_REDIS_URL) ----------------------------------------------------------------

def test_a_job_runs_once_the_unit_of_work_commits(db):
    jobs.enqueue("tests.jobs.remember", "ran", "yes")
    assert saved(db, "ran") is None

    db.session.commit()

    assert saved(db, "ran") == "yes"


def test_a_job_does_not_run_when_the_unit_of_work_rolls_back(db):
    jobs.enqueue("tests.jobs.remember", "ran", "yes")

    db.session.rollback()
    db.session.commit()

    assert saved(db, "ran") is None


def test_a_job_does_not_run_when_the_session_ends_without_a_commit(db):
    jobs.enqueue("tests.jobs.remember", "ran", "yes")

    db.session.remove()
    db.session.commit()

    assert saved(db, "ran") is None


def test_a_job_runs_in_a_session_of_its_own_which_the_runner_commits(db):
    db.session.add(SiteSetting(key="caller", value="saved"))
    jobs.enqueue("tests.jobs.remember", "job", "saved too")

    db.session.commit()  # and the caller does nothing more

    assert saved(db, "caller") == "saved"
    assert saved(db, "job") == "saved too"
    assert not db.session().in_transaction()  # the job did not work in the caller's session


def test_a_savepoint_rolled_back_keeps_the_jobs_scheduled_before_it(db):
    jobs.enqueue("tests.jobs.remember", "before", "kept")
    with db.session.begin_nested() as savepoint:
        jobs.enqueue("tests.jobs.remember", "inside", "undone")
        savepoint.rollback()

    db.session.commit()

    assert saved(db, "before") == "kept"
    assert saved(db, "inside") is None


def test_a_savepoint_released_waits_for_the_outer_commit(db):
    with db.session.begin_nested():
        jobs.enqueue("tests.jobs.remember", "inside", "kept")
    assert saved(db, "inside") is None

    db.session.commit()

    assert saved(db, "inside") == "kept"


def test_an_inline_job_does_not_see_the_request_that_scheduled_it(app, db):
    with app.test_request_context("/somewhere", method="POST"):
        jobs.enqueue("tests.jobs.remember_surroundings", "surroundings")
        db.session.commit()

    assert saved(db, "surroundings") == "request=False"  # as on a worker


def test_a_job_can_schedule_another_job(db):
    jobs.enqueue("tests.jobs.chain", "chained")

    db.session.commit()

    assert saved(db, "chained") == "scheduled by a job"


def test_a_failing_job_is_retried_and_succeeds(db, tmp_path):
    tally = tmp_path / "tally"
    jobs.enqueue("tests.jobs.flaky", str(tally), 1, "flaky")

    db.session.commit()

    assert attempts_in(tally) == 2
    assert saved(db, "flaky") == "attempt 2"  # the failed attempt's change was rolled back


def test_a_job_that_keeps_failing_is_given_up_and_logged_and_the_change_stays_saved(
        db, tmp_path, caplog):
    tally = tmp_path / "tally"
    db.session.add(SiteSetting(key="caller", value="saved"))
    jobs.enqueue("tests.jobs.flaky", str(tally), 99, "flaky")

    with caplog.at_level(logging.INFO, logger="forum.jobs"):
        db.session.commit()

    assert attempts_in(tally) == MAX_ATTEMPTS
    assert saved(db, "caller") == "saved"
    assert saved(db, "flaky") is None
    failures = [record for record in caplog.records
                if record.name == "forum.jobs" and record.levelno >= logging.WARNING]
    assert [record.levelno for record in failures] == [logging.WARNING, logging.WARNING,
                                                       logging.ERROR]
    assert "tests.jobs.flaky" in failures[-1].getMessage()
    assert "3 of 3" in failures[-1].getMessage()
    assert "giving up" in failures[-1].getMessage()


def test_a_mail_through_a_down_smtp_server_does_not_turn_the_request_into_an_error(
        app, client, make, outbox, caplog):
    make.user("fern", email="fern@example.org")
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=closed_port())

    with caplog.at_level(logging.INFO, logger="forum.jobs"):
        response = submit(client, "/reset", {"email": "fern@example.org"})

    assert response.status_code == 302
    given_up = [record for record in caplog.records
                if record.name == "forum.jobs" and record.levelno == logging.ERROR]
    assert len(given_up) == 1
    assert "mail.deliver" in given_up[0].getMessage()
    assert isinstance(given_up[0].exc_info[1], ConnectionRefusedError)


def test_when_redis_cannot_be_reached_the_job_runs_inline_and_that_is_logged(
        app, db, caplog):
    app.config.update(JOBS_REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    jobs.enqueue("tests.jobs.remember", "ran", "here")

    with caplog.at_level(logging.INFO, logger="forum.jobs"):
        db.session.commit()

    assert saved(db, "ran") == "here"
    assert any("cannot be queued" in record.getMessage() for record in caplog.records
               if record.name == "forum.jobs" and record.levelno == logging.ERROR)


@pytest.mark.parametrize("argument", [
    object(), datetime(2024, 5, 1), {"a", "set"}, ("a", "tuple"), {1: "an int key"},
    [b"bytes in a list"],
], ids=["object", "datetime", "set", "tuple", "int-key", "nested-bytes"])
def test_enqueue_refuses_arguments_that_are_not_plain(db, argument):
    with pytest.raises(TypeError, match="tests.jobs.remember"):
        jobs.enqueue("tests.jobs.remember", "key", argument)


def test_enqueue_refuses_a_model_instance(db, make):
    with pytest.raises(TypeError):
        jobs.enqueue("tests.jobs.remember", "key", value=make.user("river"))


def test_enqueue_refuses_a_name_no_job_has(db):
    with pytest.raises(LookupError, match="tests.jobs.nothing"):
        jobs.enqueue("tests.jobs.nothing")


def test_a_job_gets_a_copy_of_its_arguments_taken_when_it_was_scheduled(db):
    values = ["first"]
    jobs.enqueue("tests.jobs.remember_all", "values", values)
    values.append("added after scheduling")

    db.session.commit()

    assert saved(db, "values") == "first"


def test_a_worker_finds_every_job_whatever_it_imported_first():
    # A fresh interpreter, as on a worker machine: only forum.jobs is imported.
    program = ("from forum import jobs\n"
               "for name in ('mail.deliver', 'resources.check_links'):\n"
               "    print(jobs.registered(name).name)\n")
    found = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                           check=True, cwd=Path(__file__).resolve().parent.parent)

    assert found.stdout.split() == ["mail.deliver", "resources.check_links"]


def test_the_worker_command_refuses_to_start_without_a_redis_url(app):
    result = app.test_cli_runner().invoke(args=["forum", "worker", "--burst"])

    assert result.exit_code == 2
    assert "JOBS_REDIS_URL is not set" in result.output


# On RQ (JOBS_REDIS_URL set) ------------------------------------------------------------

def test_on_rq_a_committed_job_waits_on_the_queue_until_a_worker_runs_it(db, queue):
    jobs.enqueue("tests.jobs.remember", "ran", "by a worker")
    db.session.commit()

    assert queue.count == 1
    assert saved(db, "ran") is None

    assert run_worker()

    assert saved(db, "ran") == "by a worker"
    assert queue.count == 0


def test_on_rq_a_rolled_back_job_is_never_queued(db, queue):
    jobs.enqueue("tests.jobs.remember", "ran", "never")

    db.session.rollback()
    db.session.commit()

    assert queue.count == 0
    assert not run_worker()
    assert saved(db, "ran") is None


def test_on_rq_a_job_that_fails_once_is_retried_and_succeeds(db, queue, tmp_path):
    tally = tmp_path / "tally"
    jobs.enqueue("tests.jobs.flaky", str(tally), 1, "flaky")
    db.session.commit()

    run_worker()

    assert attempts_in(tally) == 2
    assert saved(db, "flaky") == "attempt 2"
    assert queue.finished_job_registry.count == 1
    assert queue.failed_job_registry.count == 0


def test_on_rq_a_job_that_keeps_failing_ends_in_the_failed_registry(db, queue, tmp_path):
    tally = tmp_path / "tally"
    jobs.enqueue("tests.jobs.flaky", str(tally), 99, "flaky")
    db.session.commit()

    run_worker()

    assert attempts_in(tally) == MAX_ATTEMPTS
    assert saved(db, "flaky") is None
    assert queue.failed_job_registry.count == 1


def test_on_rq_mail_lands_in_the_outbox_when_the_worker_runs(db, queue, outbox):
    mail.send("lark@example.org", "Queued", "mail/notice.txt", user=LARK,
              message="On its way", link="")
    db.session.commit()
    assert outbox() == []

    run_worker()

    (message,) = outbox()
    assert message["Subject"] == "Queued"


def test_on_rq_a_queued_job_keeps_its_arguments_out_of_the_description(db, queue):
    mail.send("lark@example.org", "Secret link", "mail/reset.txt", user=LARK,
              link="http://localhost/reset/secret-token")
    db.session.commit()

    (queued,) = queue.jobs
    assert queued.description == "mail.deliver"
    assert "secret-token" in queued.args[1][0]  # the message itself travels, of course


def test_on_rq_the_worker_command_runs_the_queue_and_stops_in_burst_mode(app, db, queue):
    jobs.enqueue("tests.jobs.remember", "ran", "by the command")
    db.session.commit()

    with signals_kept():
        result = app.test_cli_runner().invoke(args=["forum", "worker", "--burst", "--simple"])

    assert result.exit_code == 0, result.output
    assert saved(db, "ran") == "by the command"


def test_on_rq_check_links_only_queues_the_check_for_a_worker(app, db, queue):
    result = app.test_cli_runner().invoke(
        args=["forum", "check-links", "--timeout", "2", "--workers", "3"])

    assert result.exit_code == 0, result.output
    assert "Queued the link check" in result.output
    (queued,) = queue.jobs
    assert queued.args == ["resources.check_links", [], {"timeout": 2.0, "workers": 3}]
