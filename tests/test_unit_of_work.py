"""One unit of work per request: services flush, the request commits once at its end, and
an error status or an exception saves none of what the request did."""
from __future__ import annotations

import pytest
from flask import abort
from sqlalchemy import func, select

from forum.boards import services as boards
from forum.boards.models import Category, Post, Thread
from forum.extensions import db as forum_db


def post_count(db) -> int:
    db.session.expire_all()
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(Post))


@pytest.fixture
def thread(make):
    return make.thread(title="Pacing and rest", posts=1)


@pytest.fixture
def routes(app, thread):
    """Routes that reply through the real service, then end in different ways."""
    thread_id = thread.id

    def reply_then(ending):
        def view():
            here = forum_db.session.get(Thread, thread_id)  # in the request's own session
            boards.reply(here.author, here, "A reply written by the service")
            return ending()
        return view

    endings = {
        "ok": lambda: "saved",
        "refused": lambda: ("refused", 422),
        "aborted": lambda: abort(409),
        "crashed": lambda: 1 / 0,
    }
    for name, ending in endings.items():
        app.add_url_rule(f"/_uow/{name}", f"uow_{name}", reply_then(ending), methods=["GET"])
    return endings


def test_a_service_flushes_but_does_not_commit(db, thread):
    boards.reply(thread.author, thread, "Not saved until someone commits")
    db.session.rollback()

    assert post_count(db) == 1


def test_a_successful_request_commits_what_its_services_did(client, db, routes):
    assert client.get("/_uow/ok").status_code == 200

    assert post_count(db) == 2


@pytest.mark.parametrize("ending, status", [("refused", 422), ("aborted", 409),
                                            ("crashed", 500)])
def test_a_request_that_ends_in_an_error_saves_nothing(client, db, routes, ending, status):
    assert client.get(f"/_uow/{ending}").status_code == status

    assert post_count(db) == 1


def test_a_commit_refused_by_a_constraint_is_a_conflict_page_not_a_crash(client, app, db, make):
    make.category(slug="diet", name="Diet")

    def duplicate():
        # Unflushed until the commit, so only the request's commit can find the clash.
        forum_db.session.add(Category(slug="diet", name="Diet again"))
        return "looked fine"

    app.add_url_rule("/_uow/duplicate", "uow_duplicate", duplicate)

    response = client.get("/_uow/duplicate")

    assert response.status_code == 409
    assert "nothing was saved" in response.get_data(as_text=True)
