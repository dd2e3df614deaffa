"""Changing the password: the current one first, then every other device is signed out
(a copied cookie included) while this one stays, and the member is told by mail."""
from __future__ import annotations

import pytest

from support import TEST_PASSWORD, submit

NEW_PASSWORD = "a fresh passphrase for spring"


@pytest.fixture
def member(make, client, login):
    member = make.user("river")
    login(member)
    return member


def change(client, current: str = TEST_PASSWORD, new: str = NEW_PASSWORD,
           confirm: str | None = None):
    return submit(client, "/settings/password",
                  {"current_password": current, "password": new,
                   "password_confirm": new if confirm is None else confirm},
                  form_page="/settings/account")


def signed_in(browser) -> bool:
    return 'class="signed-in"' in browser.get("/").get_data(as_text=True)


def signs_in(new_client, password: str) -> bool:
    response = submit(new_client(), "/login", {"login": "river", "password": password})
    return response.status_code == 302


def test_the_current_password_is_required(client, new_client, member, outbox):
    response = change(client, current="not my password at all")
    assert response.status_code == 422
    assert "That is not your current password." in response.get_data(as_text=True)
    assert signs_in(new_client, TEST_PASSWORD)
    assert outbox() == []


def test_a_short_new_password_is_refused(client, new_client, member):
    response = change(client, new="short")
    assert response.status_code == 422
    assert "at least 10 characters" in response.get_data(as_text=True)
    assert signs_in(new_client, TEST_PASSWORD)


def test_the_two_new_passwords_must_match(client, new_client, member):
    response = change(client, confirm="something else entirely")
    assert response.status_code == 422
    assert "The two new passwords are not the same." in response.get_data(as_text=True)
    assert signs_in(new_client, TEST_PASSWORD)


def test_the_new_password_signs_in_and_the_old_one_no_longer_does(client, new_client, member):
    assert change(client).status_code == 302
    assert signs_in(new_client, NEW_PASSWORD)
    assert not signs_in(new_client, TEST_PASSWORD)


def test_other_sessions_end_and_a_copied_cookie_stops_working(client, new_client, member):
    phone = new_client()
    submit(phone, "/login", {"login": "river", "password": TEST_PASSWORD})
    copy = new_client()
    copy.set_cookie("session", phone.get_cookie("session").value)
    assert signed_in(phone) and signed_in(copy)

    change(client)

    assert not signed_in(phone)
    assert not signed_in(copy)
    assert signed_in(client)  # the device that changed it stays signed in


def test_the_member_is_mailed_that_the_password_changed(client, member, outbox):
    change(client)
    [message] = outbox()
    assert message["To"] == "river@example.org"
    assert message["Subject"] == "Your Outflow password was changed"
    assert "http://localhost/reset" in message.get_body(("plain",)).get_content()


def test_what_was_typed_is_not_echoed_back(client, member):
    response = change(client, current="not my password at all")
    assert "not my password at all" not in response.get_data(as_text=True)


@pytest.mark.parametrize("config_overrides",
                         [{"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "2 per minute"}],
                         indirect=True)
def test_guessing_the_current_password_is_rate_limited(client, member):
    for _ in range(2):
        assert change(client, current="a wrong guess here").status_code == 422
    assert change(client).status_code == 429
