"""The signed-in devices page: each session in plain words, this one marked; members end
one, or all but this one; nobody else's session can be reached, or even found."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.accounts.user_agents import describe
from forum.auth.models import LoginSession
from forum.timeutil import utcnow
from support import TEST_PASSWORD, submit

FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
                 "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")


def device(new_client_or_client, user_agent: str, username: str = "river"):
    browser = new_client_or_client
    browser.environ_base["HTTP_USER_AGENT"] = user_agent
    response = submit(browser, "/login", {"login": username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return browser


@pytest.fixture
def member(make):
    return make.user("river")


@pytest.fixture
def laptop(client, member):
    return device(client, FIREFOX_LINUX)


@pytest.fixture
def phone(new_client, member):
    return device(new_client(), SAFARI_IPHONE)


def signed_in(browser) -> bool:
    return 'class="signed-in"' in browser.get("/").get_data(as_text=True)


def session_ids(db, user_id: int) -> list[int]:
    db.session.rollback()  # see what the requests committed
    return list(db.session.scalars(select(LoginSession.id).where(LoginSession.user_id == user_id)
                                   .order_by(LoginSession.id)))


def test_the_page_names_each_device_in_plain_words(laptop, phone):
    page = laptop.get("/settings/sessions").get_data(as_text=True)
    assert "Firefox on Linux" in page
    assert "Safari on iPhone" in page
    assert "Mozilla/5.0" not in page  # the raw header is not shown
    assert "127.0.0.1" not in page  # no address is kept, so none is shown


def test_this_device_is_marked(laptop, phone):
    page = phone.get("/settings/sessions").get_data(as_text=True)
    assert "Safari on iPhone <span class=\"badge\">this device</span>" in page
    assert "Firefox on Linux <span" not in page


def test_an_expired_session_is_not_listed(db, laptop, phone, member):
    db.session.execute(update(LoginSession).where(LoginSession.id == session_ids(db, member.id)[1])
                       .values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert "Safari on iPhone" not in laptop.get("/settings/sessions").get_data(as_text=True)


def test_ending_one_session_ends_only_that_one(db, new_client, laptop, phone, member):
    tablet = device(new_client(), "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) Version/17.4 "
                                  "Mobile/15E148 Safari/604.1")
    laptop_id, phone_id, tablet_id = session_ids(db, member.id)
    response = submit(laptop, f"/settings/sessions/{phone_id}/end", form_page="/settings/sessions")
    assert response.status_code == 302
    assert session_ids(db, member.id) == [laptop_id, tablet_id]
    assert not signed_in(phone)
    assert signed_in(laptop) and signed_in(tablet)


def test_sign_out_everywhere_else_ends_the_rest(db, new_client, laptop, phone, member):
    tablet = device(new_client(), FIREFOX_LINUX)
    laptop_id = session_ids(db, member.id)[0]
    response = submit(laptop, "/settings/sessions/end-others", form_page="/settings/sessions")
    assert response.status_code == 302
    assert session_ids(db, member.id) == [laptop_id]
    assert signed_in(laptop)
    assert not signed_in(phone) and not signed_in(tablet)


def test_ending_this_device_signs_this_browser_out(db, laptop, phone, member):
    laptop_id, phone_id = session_ids(db, member.id)
    response = submit(laptop, f"/settings/sessions/{laptop_id}/end",
                      form_page="/settings/sessions", follow_redirects=True)
    assert "You have signed out of this device." in response.get_data(as_text=True)
    assert not signed_in(laptop)
    assert signed_in(phone)
    assert session_ids(db, member.id) == [phone_id]


def test_another_members_session_is_not_found(db, make, new_client, laptop, member):
    other = make.user("lake")
    device(new_client(), FIREFOX_LINUX, "lake")
    [their_id] = session_ids(db, other.id)
    response = submit(laptop, f"/settings/sessions/{their_id}/end", form_page="/settings/sessions")
    assert response.status_code == 404
    assert session_ids(db, other.id) == [their_id]


def test_a_session_id_that_does_not_exist_is_not_found(laptop):
    response = submit(laptop, "/settings/sessions/999999/end", form_page="/settings/sessions")
    assert response.status_code == 404


def test_ending_a_session_needs_the_form_token(db, laptop, phone, member):
    phone_id = session_ids(db, member.id)[1]
    assert laptop.post(f"/settings/sessions/{phone_id}/end").status_code == 400
    assert signed_in(phone)


def test_the_page_needs_sign_in(client):
    response = client.get("/settings/sessions")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_page_query_count_does_not_grow_with_devices(db, new_client, laptop, count_queries):
    def statements_for_page() -> int:
        laptop.get("/settings/sessions")  # any touch of the session row happens here
        with count_queries() as statements:
            assert laptop.get("/settings/sessions").status_code == 200
        return len(statements)

    one = statements_for_page()
    for _ in range(5):
        device(new_client(), SAFARI_IPHONE)
    assert statements_for_page() == one


@pytest.mark.parametrize(("user_agent", "words"), [
    (FIREFOX_LINUX, "Firefox on Linux"),
    (SAFARI_IPHONE, "Safari on iPhone"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0", "Edge on Windows"),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/124.0.0.0 Mobile Safari/537.36", "Chrome on Android"),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
     "Version/17.0 Safari/605.1.15", "Safari on macOS"),
    ("Mozilla/5.0 (Windows NT 10.0)", "Unknown browser on Windows"),
    ("curl/8.5.0", "Unknown browser"),
    ("", "Unknown browser"),
])
def test_user_agents_read_as_plain_words(user_agent, words):
    assert describe(user_agent) == words
