"""Login sessions live on the server: a row per login, the cookie only carries its token."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update

from forum.auth.models import LoginSession, User
from forum.timeutil import utcnow
from support import TEST_PASSWORD, csrf_from, link_in, submit

SESSION_COOKIE = "session"
REMEMBER_COOKIE = "remember_token"


def signed_in_as(client) -> str | None:
    page = client.get("/").get_data(as_text=True)
    marker = "Signed in as <strong>"
    if marker not in page:
        assert "Sign in" in page
        return None
    return page.split(marker, 1)[1].split("</strong>", 1)[0]


def session_rows(db, user: User) -> list[LoginSession]:
    db.session.rollback()  # see what the requests committed
    return list(db.session.scalars(select(LoginSession).where(LoginSession.user_id == user.id)))


def log_out(client):
    return submit(client, "/logout", form_page="/")


def browser_with(new_client, **cookies):
    """A browser that holds nothing but copies of the given cookies."""
    browser = new_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


# A fresh session at login ---------------------------------------------------------------

def test_signing_in_creates_one_session_row(client, db, make, login):
    user = make.user("river")
    login(user)
    assert len(session_rows(db, user)) == 1


def test_the_cookie_carries_a_token_not_the_user_id(client, db, make, login):
    user = make.user("river")
    login(user)
    [row] = session_rows(db, user)
    with client.session_transaction() as session:
        token = session["_user_id"]
    assert token != str(user.id)
    assert len(token) >= 32
    assert row.token_hash != token  # the database keeps only a hash of it


def test_login_drops_whatever_the_session_held_before(client, make, login):
    make.user("river")
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "set before login"
    login("river")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_login_changes_the_session_cookie(client, make, login):
    make.user("river")
    client.get("/login")
    before = client.get_cookie(SESSION_COOKIE).value
    login("river")
    assert client.get_cookie(SESSION_COOKIE).value != before


def test_a_csrf_token_from_before_login_no_longer_works(client, make):
    make.user("river")
    old_token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={
        "login": "river", "password": TEST_PASSWORD, "csrf_token": old_token})
    assert response.status_code == 302
    client.get("/")  # the new session gets its own token
    response = client.post("/logout", data={"csrf_token": old_token})
    assert response.status_code == 400
    assert signed_in_as(client) == "river"


# Signing out ---------------------------------------------------------------------------

def test_logout_by_get_is_not_allowed(client, make, login):
    login(make.user("river"))
    assert client.get("/logout").status_code == 405
    assert signed_in_as(client) == "river"


def test_logout_without_a_csrf_token_is_refused(client, make, login):
    login(make.user("river"))
    assert client.post("/logout").status_code == 400
    assert signed_in_as(client) == "river"


def test_logout_signs_out_and_says_so(client, make, login):
    login(make.user("river"))
    response = log_out(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/").get_data(as_text=True)
    assert "You have signed out." in page
    assert signed_in_as(client) is None


def test_logout_deletes_the_session_row(client, db, make, login):
    user = make.user("river")
    login(user)
    log_out(client)
    assert session_rows(db, user) == []


def test_a_copied_session_cookie_works_only_until_logout(client, new_client, make, login):
    login(make.user("river"))
    copied = client.get_cookie(SESSION_COOKIE).value
    assert signed_in_as(browser_with(new_client, session=copied)) == "river"

    log_out(client)

    assert signed_in_as(browser_with(new_client, session=copied)) is None


def test_logging_out_on_one_device_leaves_the_others_signed_in(client, new_client, db, make):
    user = make.user("river")
    laptop, phone = client, new_client()
    for device in (laptop, phone):
        submit(device, "/login", {"login": "river", "password": TEST_PASSWORD})
    assert len(session_rows(db, user)) == 2

    log_out(laptop)

    assert signed_in_as(laptop) is None
    assert signed_in_as(phone) == "river"
    assert len(session_rows(db, user)) == 1


def test_a_session_past_its_expiry_no_longer_signs_in(client, db, make, login):
    user = make.user("river")
    login(user)
    assert signed_in_as(client) == "river"
    db.session.execute(update(LoginSession).where(LoginSession.user_id == user.id)
                       .values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    assert signed_in_as(client) is None


def test_a_session_whose_row_is_deleted_no_longer_signs_in(client, db, make, login):
    user = make.user("river")
    login(user)
    assert signed_in_as(client) == "river"
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    db.session.commit()
    assert signed_in_as(client) is None


def test_an_ordinary_session_lasts_twelve_hours(client, db, make, login):
    user = make.user("river")
    login(user)
    [row] = session_rows(db, user)
    assert not row.remember
    assert row.expires_at - row.created_at == timedelta(hours=12)


def test_an_active_session_is_extended_when_it_is_used(client, db, make, login):
    user = make.user("river")
    login(user)
    long_ago = utcnow() - timedelta(hours=1)
    db.session.execute(update(LoginSession).where(LoginSession.user_id == user.id)
                       .values(last_seen_at=long_ago, expires_at=long_ago + timedelta(hours=12)))
    db.session.commit()

    assert signed_in_as(client) == "river"

    [row] = session_rows(db, user)
    assert row.last_seen_at > long_ago
    assert row.expires_at - row.last_seen_at == timedelta(hours=12)


# Remember me ---------------------------------------------------------------------------

def test_without_remember_me_no_remember_cookie_is_set(client, make, login):
    login(make.user("river"))
    assert client.get_cookie(REMEMBER_COOKIE) is None


def test_remember_me_sets_a_remember_cookie(client, make, login):
    login(make.user("river"), remember=True)
    cookie = client.get_cookie(REMEMBER_COOKIE)
    assert cookie is not None
    assert cookie.http_only
    assert cookie.expires is not None  # it outlives the browser session


def test_a_remembered_session_lasts_thirty_days(client, db, make, login):
    user = make.user("river")
    login(user, remember=True)
    [row] = session_rows(db, user)
    assert row.remember
    assert row.expires_at - row.created_at == timedelta(days=30)


def test_the_remember_cookie_alone_signs_the_member_back_in(client, new_client, make, login):
    login(make.user("river"), remember=True)
    remembered = client.get_cookie(REMEMBER_COOKIE).value
    browser = browser_with(new_client, remember_token=remembered)
    assert browser.get_cookie(SESSION_COOKIE) is None
    assert signed_in_as(browser) == "river"


def test_the_remember_cookie_stops_working_after_logout(client, new_client, make, login):
    login(make.user("river"), remember=True)
    remembered = client.get_cookie(REMEMBER_COOKIE).value

    log_out(client)

    assert client.get_cookie(REMEMBER_COOKIE) is None
    assert signed_in_as(browser_with(new_client, remember_token=remembered)) is None


def test_a_forged_remember_cookie_signs_nobody_in(new_client, make):
    make.user("river")
    assert signed_in_as(browser_with(new_client, remember_token="1|" + "0" * 128)) is None


# A password reset ends every session ---------------------------------------------------

def test_a_password_reset_ends_every_session_of_that_member(
        client, new_client, db, make, outbox):
    user = make.user("river")
    make.user("lake")
    laptop, phone, other_member = client, new_client(), new_client()
    submit(laptop, "/login", {"login": "river", "password": TEST_PASSWORD})
    submit(phone, "/login", {"login": "river", "password": TEST_PASSWORD, "remember": "y"})
    submit(other_member, "/login", {"login": "lake", "password": TEST_PASSWORD})
    remembered = phone.get_cookie(REMEMBER_COOKIE).value

    stranger = new_client()
    submit(stranger, "/reset", {"email": "river@example.org"})
    link = link_in(outbox()[-1], "http://localhost/reset/")
    submit(stranger, link, {"password": "a brand new passphrase",
                            "password_confirm": "a brand new passphrase"})

    assert session_rows(db, user) == []
    assert signed_in_as(laptop) is None
    assert signed_in_as(phone) is None
    assert signed_in_as(browser_with(new_client, remember_token=remembered)) is None
    assert signed_in_as(other_member) == "lake"
