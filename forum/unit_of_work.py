"""One unit of work per request: services change rows and flush; the request commits once.

A response below 400 commits what the request's services did; an error status, or an
exception, rolls all of it back. Jobs scheduled during the request run once the commit
succeeds (forum.jobs listens for it), never after a rollback.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Flask, current_app
from sqlalchemy import update as sa_update
from sqlalchemy.exc import DBAPIError, IntegrityError

from forum.errors import Conflict, ValidationError
from forum.extensions import db

DUPLICATE = "Someone else did the same thing at the same moment, so nothing was saved."


def flush_unique(message: str, field: str | None = None) -> None:
    """Flush, turning a unique-constraint clash (two requests racing) into a refusal.

    A failed flush leaves nothing worth keeping in the unit of work, so it is rolled back.
    """
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ValidationError(message, field) from None


def _finish(response):
    if response.status_code >= 400:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except IntegrityError:
        # A race the services' checks could not see: the other request won.
        current_app.logger.warning("commit refused by a constraint", exc_info=True)
        db.session.rollback()
        return _refusal(409, DUPLICATE + " Please reload the page and try again.")
    except DBAPIError:
        current_app.logger.exception("commit failed")
        db.session.rollback()
        return _refusal(503, None)
    return response


def _refusal(status: int, message: str | None):
    from forum.web import error_page, typed_text

    body, status = error_page(status, message, typed_text())
    return current_app.make_response((body, status))


def init_app(app: Flask) -> None:
    # Call last in create_app: Flask runs after-request hooks in reverse, so this one runs
    # first, and the headers hooks dress the response that stands after the commit.
    app.after_request(_finish)


def committed(command: Callable) -> Callable:
    """For CLI commands: the command's work is one unit, committed when it returns."""

    @wraps(command)
    def run(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
        except BaseException:
            db.session.rollback()
            raise
        db.session.commit()
        return result

    return run


def update_if(row, condition, conflict: str, **values) -> None:
    """Change `row` only while `condition` still holds in the database, else Conflict.

    Two moderators pressing the same button at once: the second UPDATE waits for the
    first to commit, then finds the condition false and changes nothing, so the action
    (its log entry, its notice) takes effect once.
    """
    model = type(row)
    changed = db.session.execute(
        sa_update(model).where(model.id == row.id, condition).values(**values)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if not changed:
        db.session.expire(row)
        raise Conflict(conflict)
