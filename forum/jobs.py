"""Background work: named jobs that run once the unit of work commits, inline or on RQ."""
from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib
import json
import logging
from dataclasses import dataclass
from typing import Any, Callable, TypeVar

from flask import Flask, current_app, has_app_context
from redis import Redis
from rq import Queue, Retry, SimpleWorker, Worker, get_current_job
from rq.serializers import JSONSerializer
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from forum.extensions import db

log = logging.getLogger("forum.jobs")

# Every module that defines jobs. A worker looks a name up whatever it happened to import,
# so a new module with jobs must be listed here.
JOB_MODULES = ("forum.mail", "forum.auth.services", "forum.resources.checker",
               "forum.outcomes.reminders", "forum.accounts.export",
               "forum.notify.activity", "forum.notify.mailing")

JobFunction = TypeVar("JobFunction", bound=Callable[..., Any])

_PENDING = "forum.jobs.pending"
_PLAIN_SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class Job:
    name: str
    function: Callable[..., Any]
    timeout: int | None  # seconds an RQ worker lets it run; None is RQ's default (180)


@dataclass(frozen=True)
class _Call:
    name: str
    args: list[Any]
    kwargs: dict[str, Any]
    app: Flask
    savepoint: SessionTransaction | None  # the innermost savepoint open when it was scheduled


_registry: dict[str, Job] = {}


def job(name: str, timeout: int | None = None) -> Callable[[JobFunction], JobFunction]:
    """Register a function as the job `name`.

    A job takes plain arguments (it may wait on a queue and run on another machine), is
    idempotent (it is retried after a failure, which may have come half-way through) and
    leaves its changes to the runner, which commits them once at its end. It must not read
    the request or the signed-in member: on a worker there is neither.
    """

    def register(function: JobFunction) -> JobFunction:
        known = _registry.get(name)
        if known is not None and _origin(known.function) != _origin(function):
            raise ValueError(f"job {name!r} is already {_origin(known.function)}; "
                             "a name means one function everywhere")
        _registry[name] = Job(name, function, timeout)
        return function

    return register


def _origin(function: Callable[..., Any]) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def load_jobs() -> None:
    for module in JOB_MODULES:
        importlib.import_module(module)


def registered(name: str) -> Job:
    if name not in _registry:
        load_jobs()
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"no job is named {name!r}") from None


def enqueue(name: str, *args: Any, **kwargs: Any) -> None:
    """Schedule the job `name` for when the current unit of work commits; never if it rolls back."""
    registered(name)
    _check_plain(list(args), "its arguments", name)
    _check_plain(kwargs, "its keyword arguments", name)
    # The copy a queue would make: the job sees the same values inline and on a worker,
    # whatever the caller does with its lists before the commit.
    plain_args, plain_kwargs = json.loads(json.dumps([list(args), kwargs]))
    session = db.session()
    # Begins the transaction if none is open yet, so that its end is seen, whichever it is.
    session.connection()
    session.info.setdefault(_PENDING, []).append(_Call(
        name, plain_args, plain_kwargs, current_app._get_current_object(),
        session.get_nested_transaction()))


def _check_plain(value: Any, where: str, name: str) -> None:
    if isinstance(value, _PLAIN_SCALARS):
        return
    if isinstance(value, list):
        for item in value:
            _check_plain(item, where, name)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"job {name!r}: {where} hold a dict with a "
                                f"{type(key).__name__} key; a job's dict keys are str")
            _check_plain(item, where, name)
        return
    raise TypeError(f"job {name!r}: {where} hold a {type(value).__name__}; a job takes "
                    "only str, int, float, bool, None, and lists and dicts of them")


# The unit of work's end --------------------------------------------------------------

@event.listens_for(Session, "after_commit")
def _dispatch_committed(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: the unit of work around it may still roll back
    for call in session.info.pop(_PENDING, []):
        _dispatch(call)


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back_savepoint(session: Session, previous: SessionTransaction) -> None:
    if not previous.nested or _PENDING not in session.info:
        return
    # What was scheduled before the savepoint still stands; only what it undid goes.
    session.info[_PENDING] = [call for call in session.info[_PENDING]
                              if not _within(call.savepoint, previous)]


def _within(transaction: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_transaction_end")
def _drop_uncommitted(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        # The unit of work ended; after a commit the list is already gone, so this is
        # a rollback, or a session closed without committing.
        session.info.pop(_PENDING, None)


def _dispatch(call: _Call) -> None:
    """Send a committed job on its way. Never raises: the change that scheduled it is saved."""
    if call.app.config["JOBS_REDIS_URL"]:
        try:
            _put_on_queue(call)
            return
        except Exception:  # noqa: BLE001 - whatever it was, the job must still run
            log.error("job %s: cannot be queued at JOBS_REDIS_URL, so it runs here instead",
                      call.name, exc_info=True)
    _run_inline(call)


def _put_on_queue(call: _Call) -> None:
    config = call.app.config
    attempts = max(1, int(config["JOBS_MAX_ATTEMPTS"]))
    retry = None
    if attempts > 1:
        # RQ waits the last interval again when the list is shorter than the retries.
        retry = Retry(max=attempts - 1, interval=list(config["JOBS_RETRY_INTERVALS"]) or 0)
    queue(call.app).enqueue_call(
        perform, args=(call.name, call.args, call.kwargs), timeout=registered(call.name).timeout,
        retry=retry, meta={"attempts": attempts},
        # RQ logs the description, which by default holds the arguments (a reset link...).
        description=call.name)


def _run_inline(call: _Call) -> None:
    attempts = max(1, int(call.app.config["JOBS_MAX_ATTEMPTS"]))
    for attempt in range(1, attempts + 1):
        # _run has logged a failure; it goes no further than the next attempt.
        with contextlib.suppress(Exception):
            # In an empty context, as on a worker: no request, nobody signed in.
            contextvars.Context().run(_run, call.app, call.name, call.args, call.kwargs,
                                      attempt, attempts)
            return


def _run(app: Flask, name: str, args: list[Any], kwargs: dict[str, Any], attempt: int,
         attempts: int) -> Any:
    """One attempt, in an app context (so a session) of its own, committed once at its end."""
    function = registered(name).function
    log.info("job %s: attempt %d of %d", name, attempt, attempts)
    with app.app_context():
        try:
            result = function(*args, **kwargs)
            db.session.commit()
        except Exception:
            db.session.rollback()
            if attempt >= attempts:
                log.error("job %s: attempt %d of %d failed; giving up", name, attempt, attempts,
                          exc_info=True)
            else:
                log.warning("job %s: attempt %d of %d failed", name, attempt, attempts,
                            exc_info=True)
            raise
    log.info("job %s: done", name)
    return result


# RQ ----------------------------------------------------------------------------------

@functools.cache
def _redis(url: str) -> Redis:
    # Short timeouts: a request waits on this before it answers, and falls back to inline.
    return Redis.from_url(url, socket_connect_timeout=3, socket_timeout=5)


def queue(app: Flask | None = None) -> Queue:
    """The RQ queue of JOBS_QUEUE at JOBS_REDIS_URL."""
    config = (app or current_app).config
    return Queue(config["JOBS_QUEUE"], connection=_redis(config["JOBS_REDIS_URL"]),
                 serializer=JSONSerializer)


def worker(simple: bool = False) -> Worker | SimpleWorker:
    """An RQ worker on the current app's queue; `simple` runs jobs in its own process."""
    config = current_app.config
    # No socket timeout: the worker blocks on Redis for minutes while the queue is empty.
    connection = Redis.from_url(config["JOBS_REDIS_URL"])
    worker_class = SimpleWorker if simple else Worker
    return worker_class([config["JOBS_QUEUE"]], connection=connection, serializer=JSONSerializer)


def perform(name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Run one queued job: what an RQ worker calls. Raises on failure, so that RQ retries."""
    app = current_app._get_current_object() if has_app_context() else _process_app()
    rq_job = get_current_job()
    attempts = int(rq_job.meta.get("attempts", 1)) if rq_job else 1
    left = (rq_job.retries_left or 0) if rq_job else 0
    result = _run(app, name, args, kwargs, attempts - left, attempts)
    # RQ keeps the result as JSON; one it cannot store would fail a job whose work is saved.
    return result if _is_plain(result) else None


def _is_plain(value: Any) -> bool:
    try:
        _check_plain(value, "its result", "")
    except TypeError:
        return False
    return True


@functools.cache
def _process_app() -> Flask:
    # A worker started by `rq worker` rather than `flask forum worker` has no app yet.
    from forum import create_app

    return create_app()
