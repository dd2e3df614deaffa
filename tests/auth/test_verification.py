"""Confirming an email address: /verify/<token> (a button to press) and /resend-verification."""
from __future__ import annotations

from sqlalchemy import select

from forum.auth.models import User
from support import TEST_PASSWORD, link_in, submit

VERIFY = "http://localhost/verify/"


def register(client, username: str = "river_fern", email: str = "river@example.org"):
    response = submit(client, "/register", {
        "username": username, "email": email, "password": TEST_PASSWORD,
        "password_confirm": TEST_PASSWORD, "accept_guidelines": "y",
    })
    assert response.status_code == 302, response.get_data(as_text=True)


def is_verified(db, username: str) -> bool:
    db.session.rollback()  # see what the requests committed
    user = db.session.scalar(select(User).where(User.username_key == username.lower()))
    return user.is_verified


def verification_link(outbox) -> str:
    return link_in(outbox()[-1], VERIFY)


def test_opening_the_verification_link_shows_a_confirm_button(client, outbox):
    register(client)
    page = client.get(verification_link(outbox))
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert "Confirm my email address" in body
    assert '<form method="post"' in body


def test_opening_the_verification_link_does_not_verify_by_itself(client, db, outbox):
    register(client)
    client.get(verification_link(outbox))
    assert not is_verified(db, "river_fern")


def test_pressing_the_confirm_button_verifies_the_address(client, db, outbox):
    register(client)
    response = submit(client, verification_link(outbox))
    assert response.status_code == 302
    assert is_verified(db, "river_fern")


def test_confirming_signed_out_sends_you_to_sign_in_with_a_thank_you(client, outbox):
    register(client)
    response = submit(client, verification_link(outbox))
    assert response.headers["Location"] == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert "your email address is confirmed" in page


def test_confirming_while_signed_in_sends_you_home(client, login, outbox):
    register(client)
    login("river_fern")
    response = submit(client, verification_link(outbox))
    assert response.headers["Location"] == "/"


def test_the_verification_link_can_be_pressed_again_harmlessly(client, db, outbox):
    register(client)
    link = verification_link(outbox)
    submit(client, link)
    assert submit(client, link).status_code == 302
    assert is_verified(db, "river_fern")


def test_a_tampered_verification_token_gives_404(client, db, outbox):
    register(client)
    link = verification_link(outbox)
    token = link.removeprefix(VERIFY)
    tampered = VERIFY + ("A" if token[0] != "A" else "B") + token[1:]
    response = submit(client, tampered)
    assert response.status_code == 404
    assert not is_verified(db, "river_fern")


def test_an_expired_verification_token_gives_404(app, client, db, outbox):
    register(client)
    link = verification_link(outbox)
    app.config["TOKEN_MAX_AGE_VERIFY"] = -1  # every link is now older than allowed
    response = submit(client, link)
    assert response.status_code == 404
    assert not is_verified(db, "river_fern")


def test_a_verification_link_stops_working_when_the_address_changes(client, db, outbox):
    register(client)
    link = verification_link(outbox)
    db.session.rollback()
    user = db.session.scalar(select(User).where(User.username_key == "river_fern"))
    user.email = "new-address@example.org"
    db.session.commit()
    assert submit(client, link).status_code == 404
    assert not is_verified(db, "river_fern")


def test_the_verification_mail_greets_the_member_by_username(client, outbox):
    register(client)
    body = outbox()[-1].get_body(("plain",)).get_content()
    assert "Hello river_fern" in body


# Posting needs a confirmed address -----------------------------------------------------

def test_an_unverified_member_cannot_open_the_new_thread_form(client, make, login):
    category = make.category()
    login(make.user("river", verified=False))
    assert client.get(f"/c/{category.slug}/new").status_code == 403


def test_an_unverified_member_cannot_post_a_thread(client, make, login):
    category = make.category()
    login(make.user("river", verified=False))
    response = submit(client, f"/c/{category.slug}/new",
                      {"title": "Hello", "body": "My first post"}, form_page="/")
    assert response.status_code == 403


def test_an_unverified_member_is_asked_to_confirm_on_every_page(client, make, login):
    login(make.user("river", verified=False))
    page = client.get("/").get_data(as_text=True)
    assert "Please confirm your email address to start posting" in page
    assert "Send the link again" in page


def test_a_verified_member_can_post_a_thread(client, make, login):
    category = make.category()
    login(make.user("river"))
    assert client.get(f"/c/{category.slug}/new").status_code == 200
    response = submit(client, f"/c/{category.slug}/new",
                      {"title": "Hello from river", "body": "My first post"})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/t/")


def test_a_new_member_can_post_once_the_link_is_confirmed(client, make, login, outbox):
    category = make.category()
    register(client)
    login("river_fern")
    assert client.get(f"/c/{category.slug}/new").status_code == 403
    submit(client, verification_link(outbox))
    assert client.get(f"/c/{category.slug}/new").status_code == 200


# Asking for the link again -------------------------------------------------------------

def test_resending_mails_a_new_verification_link(client, make, login, outbox):
    login(make.user("river", verified=False))
    response = submit(client, "/resend-verification", form_page="/")
    assert response.status_code == 302
    [message] = outbox()
    assert message["To"] == "river@example.org"
    assert link_in(message, VERIFY)


def test_the_resent_link_verifies(client, db, make, login, outbox):
    login(make.user("river", verified=False))
    submit(client, "/resend-verification", form_page="/")
    submit(client, verification_link(outbox))
    assert is_verified(db, "river")


def test_resending_returns_to_the_page_it_was_asked_from(client, make, login):
    make.category(slug="living")
    login(make.user("river", verified=False))
    page = client.get("/c/living").get_data(as_text=True)
    assert 'action="/resend-verification?next=/c/living"' in page
    response = submit(client, "/resend-verification?next=/c/living", form_page="/c/living")
    assert response.headers["Location"] == "/c/living"


def test_resending_says_the_link_is_on_its_way(client, make, login):
    login(make.user("river", verified=False))
    submit(client, "/resend-verification", form_page="/")
    assert "We have sent a new confirmation link" in client.get("/").get_data(as_text=True)


def test_a_verified_member_asking_again_gets_no_mail(client, make, login, outbox):
    login(make.user("river"))
    response = submit(client, "/resend-verification", form_page="/")
    assert response.status_code == 302
    assert outbox() == []


def test_resending_needs_a_signed_in_member(client, outbox):
    response = submit(client, "/resend-verification", form_page="/login")
    assert response.status_code == 401
    assert "Please sign in" in response.get_data(as_text=True)
    assert outbox() == []

