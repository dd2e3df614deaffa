"""Forgotten passwords: /reset mails a link, /reset/<token> sets a new password once."""
from __future__ import annotations

import html

from sqlalchemy import select

from forum.auth.models import User
from support import TEST_PASSWORD, link_in, submit

RESET = "http://localhost/reset/"
NEW_PASSWORD = "a brand new passphrase"
SENT_MESSAGE = "If that address belongs to an account, a reset link is on its way."


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def ask_for_reset(client, email: str = "river@example.org"):
    return submit(client, "/reset", {"email": email})


def reset_link(client, outbox, email: str = "river@example.org") -> str:
    ask_for_reset(client, email)
    return link_in(outbox()[-1], RESET)


def choose(client, link: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return submit(client, link, {"password": password,
                                 "password_confirm": password if confirm is None else confirm})


def sign_in(client, password: str):
    return submit(client, "/login", {"login": "river", "password": password})


# Asking for a link ---------------------------------------------------------------------

def test_the_reset_page_asks_for_an_email_address(client):
    page = client.get("/reset")
    assert page.status_code == 200
    assert 'name="email"' in page.get_data(as_text=True)


def test_asking_with_a_known_address_mails_a_reset_link(client, make, outbox):
    make.user("river", email="river@example.org")
    response = ask_for_reset(client)
    assert response.status_code == 302
    [message] = outbox()
    assert message["To"] == "river@example.org"
    assert message["Subject"] == "Reset your Outflow password"
    assert link_in(message, RESET)


def test_asking_with_a_known_address_in_other_case_mails_the_link(client, make, outbox):
    make.user("river", email="river@example.org")
    ask_for_reset(client, "RIVER@Example.org")
    [message] = outbox()
    assert message["To"] == "river@example.org"


def test_asking_says_a_link_is_on_its_way(client, make):
    make.user("river")
    response = ask_for_reset(client)
    assert response.headers["Location"] == "/login"
    assert SENT_MESSAGE in text_of(client.get("/login"))


def test_asking_with_an_unknown_address_sends_nothing(client, make, outbox):
    make.user("river")
    ask_for_reset(client, "stranger@example.org")
    assert outbox() == []


def test_asking_with_an_unknown_address_gets_the_same_answer(client, new_client, make):
    make.user("river")
    known, unknown = client, new_client()
    known_response = ask_for_reset(known, "river@example.org")
    unknown_response = ask_for_reset(unknown, "stranger@example.org")
    assert known_response.status_code == unknown_response.status_code == 302
    assert known_response.headers["Location"] == unknown_response.headers["Location"]
    assert SENT_MESSAGE in text_of(unknown.get("/login"))


def test_asking_with_a_malformed_address_sends_nothing_and_says_the_same(client, outbox):
    response = ask_for_reset(client, "not an address")
    assert response.status_code == 302
    assert SENT_MESSAGE in text_of(client.get("/login"))
    assert outbox() == []


def test_asking_with_no_address_is_refused_with_422(client):
    response = ask_for_reset(client, "")
    assert response.status_code == 422
    assert "Enter the email address of your account." in text_of(response)


# Using the link ------------------------------------------------------------------------

def test_the_reset_link_shows_a_new_password_form(client, make, outbox):
    make.user("river")
    page = client.get(reset_link(client, outbox))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert 'name="password"' in body
    assert 'name="password_confirm"' in body


def test_the_reset_link_sets_a_new_password(client, make, outbox):
    make.user("river")
    response = choose(client, reset_link(client, outbox))
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert "Your password is changed" in text_of(client.get("/login"))


def test_after_a_reset_the_new_password_works(client, make, outbox):
    make.user("river")
    choose(client, reset_link(client, outbox))
    assert sign_in(client, NEW_PASSWORD).status_code == 302


def test_after_a_reset_the_old_password_stops_working(client, make, outbox):
    make.user("river")
    choose(client, reset_link(client, outbox))
    response = sign_in(client, TEST_PASSWORD)
    assert response.status_code == 422
    assert "do not match" in text_of(response)


def test_the_reset_link_works_only_once(client, make, outbox):
    make.user("river")
    link = reset_link(client, outbox)
    choose(client, link)
    assert client.get(link).status_code == 404
    response = submit(client, link, {"password": "yet another passphrase",
                                     "password_confirm": "yet another passphrase"},
                      form_page="/reset")
    assert response.status_code == 404
    assert sign_in(client, "yet another passphrase").status_code == 422


def test_a_used_reset_link_explains_how_to_get_a_new_one(client, make, outbox):
    make.user("river")
    link = reset_link(client, outbox)
    choose(client, link)
    page = client.get(link)
    assert "This link no longer works" in page.get_data(as_text=True)
    assert 'href="/reset"' in page.get_data(as_text=True)


def test_an_older_link_dies_when_a_newer_one_is_used(client, make, outbox):
    make.user("river")
    older = reset_link(client, outbox)
    newer = reset_link(client, outbox)
    choose(client, newer)
    assert client.get(older).status_code == 404


def test_an_expired_reset_link_gives_404(app, client, make, outbox):
    make.user("river")
    link = reset_link(client, outbox)
    app.config["TOKEN_MAX_AGE_RESET"] = -1  # every link is now older than allowed
    assert client.get(link).status_code == 404
    assert sign_in(client, TEST_PASSWORD).status_code == 302


def test_a_tampered_reset_link_gives_404(client, make, outbox):
    make.user("river")
    link = reset_link(client, outbox)
    token = link.removeprefix(RESET)
    tampered = RESET + ("A" if token[0] != "A" else "B") + token[1:]
    assert client.get(tampered).status_code == 404


def test_a_verification_link_is_not_a_reset_link(client, make, login, outbox):
    login(make.user("river", verified=False))
    submit(client, "/resend-verification", form_page="/")
    verify_link = link_in(outbox()[-1], "http://localhost/verify/")
    token = verify_link.removeprefix("http://localhost/verify/")
    assert client.get(RESET + token).status_code == 404


def test_mismatched_new_passwords_are_refused_with_422(client, make, outbox):
    make.user("river")
    link = reset_link(client, outbox)
    response = choose(client, link, confirm="a different passphrase")
    assert response.status_code == 422
    assert "The two passwords are not the same." in text_of(response)
    assert sign_in(client, TEST_PASSWORD).status_code == 302


def test_a_short_new_password_is_refused_with_422(client, make, outbox):
    make.user("river")
    link = reset_link(client, outbox)
    response = choose(client, link, password="short")
    assert response.status_code == 422
    assert "Use at least 10 characters" in text_of(response)
    assert TEST_PASSWORD not in text_of(response)


def test_a_refused_new_password_leaves_the_link_usable(client, make, outbox):
    make.user("river")
    link = reset_link(client, outbox)
    choose(client, link, password="short")
    assert choose(client, link).status_code == 302


def test_a_reset_also_confirms_the_email_address(client, db, make, outbox):
    user = make.user("river", verified=False)
    choose(client, reset_link(client, outbox))
    db.session.rollback()
    assert db.session.get(User, user.id).is_verified


def test_a_reset_changes_only_that_members_password(client, make, outbox):
    make.user("river")
    make.user("lake")
    choose(client, reset_link(client, outbox))
    response = submit(client, "/login", {"login": "lake", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_the_reset_mail_does_not_contain_the_password(client, db, make, outbox):
    make.user("river")
    ask_for_reset(client)
    body = outbox()[-1].get_body(("plain",)).get_content()
    assert TEST_PASSWORD not in body
    db.session.rollback()
    user = db.session.scalar(select(User).where(User.username_key == "river"))
    assert user.password_hash not in body
