"""Joining: /register with username, email, password, password_confirm, accept_guidelines."""
from __future__ import annotations

import html

from sqlalchemy import func, select

from forum.auth.models import User
from support import TEST_PASSWORD, submit

SUCCESS_MESSAGE = "We have sent a link to your email address"


def registration(**changes) -> dict:
    data = {
        "username": "river_fern",
        "email": "river@example.org",
        "password": TEST_PASSWORD,
        "password_confirm": TEST_PASSWORD,
        "accept_guidelines": "y",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def user_count(db) -> int:
    db.session.rollback()  # see what the requests committed
    return db.session.scalar(select(func.count()).select_from(User))


def find_user(db, username: str) -> User | None:
    db.session.rollback()
    return db.session.scalar(select(User).where(User.username_key == username.lower()))


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_register_page_shows_the_form(client):
    page = client.get("/register")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    for name in ("username", "email", "password", "password_confirm", "accept_guidelines"):
        assert f'name="{name}"' in body


def test_registering_redirects_to_sign_in_with_a_welcome_message(client):
    response = submit(client, "/register", registration())
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert SUCCESS_MESSAGE in text_of(client.get("/login"))


def test_registering_creates_an_unverified_member(client, db):
    submit(client, "/register", registration())
    user = find_user(db, "river_fern")
    assert user is not None
    assert user.role == "member"
    assert user.email == "river@example.org"
    assert not user.is_verified


def test_registering_mails_a_verification_link_to_the_address(client, outbox):
    submit(client, "/register", registration())
    [message] = outbox()
    assert message["To"] == "river@example.org"
    assert "Confirm your email address" in message["Subject"]
    assert "http://localhost/verify/" in message.get_body(("plain",)).get_content()


def test_registering_does_not_sign_the_new_member_in(client):
    submit(client, "/register", registration())
    assert "Signed in as" not in client.get("/").get_data(as_text=True)


def test_registering_keeps_the_username_as_typed_and_email_lower_cased(client, db):
    submit(client, "/register", registration(username="River_Fern", email="River@Example.ORG"))
    user = find_user(db, "river_fern")
    assert user.username == "River_Fern"
    assert user.email == "river@example.org"


def test_mismatched_passwords_are_refused_with_422_and_a_message(client, db):
    response = submit(client, "/register",
                      registration(password_confirm="correct horse battery stapler"))
    assert response.status_code == 422
    assert "The two passwords are not the same." in text_of(response)
    assert user_count(db) == 0


def test_a_short_password_is_refused_with_422_and_a_message(client, db):
    response = submit(client, "/register",
                      registration(password="too short", password_confirm="too short"))
    assert response.status_code == 422
    assert "Use at least 10 characters" in text_of(response)
    assert user_count(db) == 0


def test_not_accepting_the_guidelines_is_refused_with_422_and_a_message(client, db):
    response = submit(client, "/register", registration(accept_guidelines=None))
    assert response.status_code == 422
    assert "Please accept the community guidelines to join." in text_of(response)
    assert user_count(db) == 0


def test_an_invalid_username_is_refused_with_422_and_a_message(client, db):
    response = submit(client, "/register", registration(username="river fern!"))
    assert response.status_code == 422
    assert "Use 3 to 30 letters, digits, dashes or underscores." in text_of(response)
    assert user_count(db) == 0


def test_a_too_short_username_is_refused_with_422(client, db):
    response = submit(client, "/register", registration(username="ab"))
    assert response.status_code == 422
    assert user_count(db) == 0


def test_an_invalid_email_is_refused_with_422_and_a_message(client, db):
    response = submit(client, "/register", registration(email="river-at-example.org"))
    assert response.status_code == 422
    assert "That email address does not look right" in text_of(response)
    assert user_count(db) == 0


def test_a_missing_field_is_refused_with_422_and_a_message(client, db):
    response = submit(client, "/register", registration(email=""))
    assert response.status_code == 422
    assert "Enter your email address." in text_of(response)
    assert user_count(db) == 0


def test_a_taken_username_is_refused_whatever_its_case(client, db, make):
    make.user("River_Fern", email="first@example.org")
    response = submit(client, "/register", registration(username="river_FERN"))
    assert response.status_code == 422
    assert "That username is taken" in text_of(response)
    assert user_count(db) == 1


def test_a_refused_form_keeps_the_username_and_email_that_were_typed(client):
    response = submit(client, "/register", registration(password_confirm="something else"))
    body = response.get_data(as_text=True)
    assert 'value="river_fern"' in body
    assert 'value="river@example.org"' in body


def test_a_refused_form_never_echoes_the_password(client):
    response = submit(client, "/register", registration(username="no good!"))
    assert response.status_code == 422
    assert TEST_PASSWORD not in text_of(response)


def test_a_refused_form_says_what_to_fix_above_the_form(client):
    response = submit(client, "/register", registration(accept_guidelines=None))
    html = response.get_data(as_text=True)
    summary = html.index('class="error-summary"')
    assert 'role="alert"' in html[summary:summary + 200]
    assert "There is a problem" in html[summary:]
    assert summary < html.index('name="username"')


def test_registering_with_an_address_that_has_an_account_looks_like_success(client, make):
    make.user("first_owner", email="river@example.org")
    response = submit(client, "/register", registration())
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert SUCCESS_MESSAGE in text_of(client.get("/login"))


def test_registering_with_an_address_that_has_an_account_creates_no_account(client, db, make):
    make.user("first_owner", email="river@example.org")
    submit(client, "/register", registration(email="RIVER@example.org"))
    assert user_count(db) == 1
    assert find_user(db, "river_fern") is None


def test_registering_with_an_address_that_has_an_account_mails_its_owner(client, make, outbox):
    make.user("first_owner", email="river@example.org")
    submit(client, "/register", registration())
    [message] = outbox()
    assert message["To"] == "river@example.org"
    assert message["Subject"] == "Someone tried to register with your address"
    body = message.get_body(("plain",)).get_content()
    assert "Hello first_owner" in body
    assert "http://localhost/reset" in body
    assert "/verify/" not in body


def test_a_signed_in_member_visiting_register_is_sent_home(client, make, login):
    login(make.user("river"))
    response = client.get("/register")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_registration_without_a_csrf_token_is_refused_with_400(client, db):
    response = client.post("/register", data=registration())
    assert response.status_code == 400
    assert user_count(db) == 0
