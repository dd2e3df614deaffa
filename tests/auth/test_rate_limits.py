"""Too many attempts in a short time get a friendly 429 page instead of another try."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.auth.models import User
from support import TEST_PASSWORD, submit


@pytest.fixture
def config_overrides():
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_LOGIN": "3 per minute",
        "RATELIMIT_REGISTER": "3 per minute",
        "RATELIMIT_MAIL": "3 per minute",
    }


def wrong_login(client):
    return submit(client, "/login", {"login": "river", "password": "not my password"})


def registration(number: int) -> dict:
    return {"username": f"member_{number}", "email": f"member{number}@example.org",
            "password": TEST_PASSWORD, "password_confirm": TEST_PASSWORD,
            "accept_guidelines": "y"}


def assert_friendly_429(response):
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "Please slow down" in body
    assert "Skip to main content" in body  # the site's own layout, not a bare error
    assert "Sign in" in body


def test_three_login_attempts_a_minute_are_answered(client, make):
    make.user("river")
    for _ in range(3):
        assert wrong_login(client).status_code == 422


def test_the_fourth_login_attempt_in_a_minute_gets_429(client, make):
    make.user("river")
    for _ in range(3):
        wrong_login(client)
    assert_friendly_429(wrong_login(client))


def test_once_limited_even_the_right_password_must_wait(client, make):
    make.user("river")
    for _ in range(3):
        wrong_login(client)
    response = submit(client, "/login", {"login": "river", "password": TEST_PASSWORD})
    assert response.status_code == 429
    assert "Signed in as" not in client.get("/").get_data(as_text=True)


def test_the_login_limit_tells_the_browser_when_to_retry(client, make):
    make.user("river")
    for _ in range(3):
        wrong_login(client)
    response = wrong_login(client)
    assert int(response.headers["Retry-After"]) > 0


def test_looking_at_the_login_page_does_not_count(client, make):
    make.user("river")
    for _ in range(5):
        assert client.get("/login").status_code == 200
    assert wrong_login(client).status_code == 422


def test_the_fourth_registration_in_a_minute_gets_429(client, db):
    for number in range(3):
        assert submit(client, "/register", registration(number)).status_code == 302
    assert_friendly_429(submit(client, "/register", registration(3)))
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(User)) == 3


def test_the_fourth_reset_request_in_a_minute_gets_429(client, make, outbox):
    make.user("river")
    for _ in range(3):
        assert submit(client, "/reset", {"email": "river@example.org"}).status_code == 302
    assert_friendly_429(submit(client, "/reset", {"email": "river@example.org"}))
    assert len(outbox()) == 3


def test_login_and_registration_are_limited_separately(client, make):
    make.user("river")
    for _ in range(3):
        wrong_login(client)
    assert submit(client, "/register", registration(1)).status_code == 302
