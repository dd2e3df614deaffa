"""Concurrent duplicate submissions take effect once: real requests at the same moment,
each with its own connection, on PostgreSQL (where requests truly run side by side)."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from forum.auth.models import User
from forum.boards import services as boards
from forum.moderation.models import ModerationAction, Report
from forum.notify.models import Notification
from support import TEST_PASSWORD, csrf_from

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def at_once(*sends) -> list[int]:
    """Run each send in its own thread, released together; their statuses, in order."""
    start = threading.Barrier(len(sends))
    statuses: list[int | None] = [None] * len(sends)

    def run(index, send):
        start.wait()
        statuses[index] = send().status_code

    threads = [threading.Thread(target=run, args=(index, send))
               for index, send in enumerate(sends)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return statuses


def ready_form(client, page: str, url: str, data: dict):
    """Load the page for its token now; the returned function sends the form later."""
    token = csrf_from(client.get(page).get_data(as_text=True))
    return lambda: client.post(url, data={**data, "csrf_token": token})


def signed_in(new_client, user):
    browser = new_client()
    page = browser.get("/login").get_data(as_text=True)
    response = browser.post("/login", data={"login": user.username, "password": TEST_PASSWORD,
                                            "csrf_token": csrf_from(page)})
    assert response.status_code == 302
    return browser


def count(db, query) -> int:
    db.session.expire_all()
    db.session.commit()
    return db.session.scalar(query)


@pytest.fixture
def reply(make):
    thread = make.thread(title="Stents and blood thinners", posts=1)
    post = boards.reply(make.user("heron"), thread, "Ask your doctor about clopidogrel")
    make.db.session.commit()
    return post


def test_two_moderators_hiding_one_post_at_once_hide_it_once(db, make, new_client, reply):
    moderators = [signed_in(new_client, make.user(name, role="moderator"))
                  for name in ("warden", "keeper")]
    sends = [ready_form(browser, f"/mod/posts/{reply.id}/hide", f"/mod/posts/{reply.id}/hide",
                        {"reason": "Dosing advice"}) for browser in moderators]

    statuses = at_once(*sends)

    assert sorted(statuses) == [302, 409]
    assert count(db, select(func.count()).select_from(ModerationAction)
                 .where(ModerationAction.action == "post.hide")) == 1
    assert count(db, select(func.count()).select_from(Notification)
                 .where(Notification.kind == "post.hidden")) == 1


def test_two_registrations_of_one_name_at_once_make_one_account(db, new_client):
    browsers = [new_client(), new_client()]
    sends = [ready_form(browser, "/register", "/register", {
        "username": "river_fern", "email": f"river{index}@example.org",
        "password": TEST_PASSWORD, "password_confirm": TEST_PASSWORD,
        "accept_guidelines": "y"}) for index, browser in enumerate(browsers)]

    statuses = at_once(*sends)

    assert sorted(statuses) == [302, 422]
    assert count(db, select(func.count()).select_from(User)
                 .where(User.username_key == "river_fern")) == 1


def test_two_registrations_of_one_address_at_once_make_one_account(db, new_client):
    browsers = [new_client(), new_client()]
    sends = [ready_form(browser, "/register", "/register", {
        "username": f"river{index}", "email": "river@example.org",
        "password": TEST_PASSWORD, "password_confirm": TEST_PASSWORD,
        "accept_guidelines": "y"}) for index, browser in enumerate(browsers)]

    statuses = at_once(*sends)

    assert 500 not in statuses
    assert count(db, select(func.count()).select_from(User)
                 .where(User.email == "river@example.org")) == 1


def test_a_member_reporting_one_post_twice_at_once_files_one_report(
        db, make, new_client, reply):
    browser = signed_in(new_client, make.user("wren"))
    sends = [ready_form(browser, f"/p/{reply.id}/report", f"/p/{reply.id}/report",
                        {"reason": "misinformation", "note": ""}) for _ in range(2)]

    statuses = at_once(*sends)

    assert 500 not in statuses
    assert count(db, select(func.count()).select_from(Report)
                 .where(Report.post_id == reply.id, Report.status == "open")) == 1
