"""Changing the email address: the password first, a link to the new address that works
once, and a note to the old address with a link that puts it back."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts import held_names
from forum.auth.models import LoginSession, User
from forum.moderation.models import ModerationAction
from support import TEST_PASSWORD, link_in, submit

BASE = "http://localhost"
NEW = "river.new@example.org"


@pytest.fixture
def member(make, client, login):
    member = make.user("river")
    login(member)
    return member


def ask(client, email: str = NEW, password: str = TEST_PASSWORD):
    return submit(client, "/settings/email", {"email": email, "password": password},
                  form_page="/settings/account")


def address_of(db, member) -> str:
    db.session.rollback()  # see what the requests committed
    return db.session.get(User, member.id).email


def confirm_path(outbox) -> str:
    [message] = [message for message in outbox() if message["To"] == NEW]
    return link_in(message, BASE + "/settings/email/confirm/")[len(BASE):]


def press(client, path: str):
    return submit(client, path)


def undo_path(outbox, member_old: str = "river@example.org") -> str:
    [message] = [message for message in outbox() if message["To"] == member_old]
    return link_in(message, BASE + "/settings/email/undo/")[len(BASE):]


def sessions_of(db, member) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(LoginSession)
                             .where(LoginSession.user_id == member.id))


def signed_in(browser) -> bool:
    return 'class="signed-in"' in browser.get("/").get_data(as_text=True)


# Asking ----------------------------------------------------------------------------------

def test_a_wrong_password_is_refused_beside_the_field_and_nothing_is_sent(
        client, db, member, outbox):
    response = ask(client, password="not my password at all")
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "That is not your current password." in text
    assert f'value="{NEW}"' in text  # what was typed is kept
    assert outbox() == []
    assert address_of(db, member) == "river@example.org"


def test_the_confirmation_link_goes_to_the_new_address_only(client, db, member, outbox):
    response = ask(client)
    assert response.status_code == 302
    [message] = outbox()
    assert message["To"] == NEW
    assert "/settings/email/confirm/" in message.get_body(("plain",)).get_content()


def test_asking_does_not_change_the_address_yet(client, db, member, outbox):
    ask(client)
    assert address_of(db, member) == "river@example.org"
    page = client.get("/settings/account").get_data(as_text=True)
    assert "We have sent a link to river.new@example.org" in page


def test_the_new_address_is_normalised(client, db, member, outbox):
    ask(client, email="  River.New@EXAMPLE.org ")
    assert outbox()[0]["To"] == NEW


def test_an_address_of_another_account_is_refused(client, db, make, member, outbox):
    make.user("lake", email=NEW)
    response = ask(client)
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert outbox() == []


def test_an_address_held_after_a_deletion_is_refused(client, db, member, outbox):
    held_names.hold("email", NEW)
    db.session.commit()
    response = ask(client)
    assert response.status_code == 422
    assert outbox() == []


def test_an_address_that_is_not_an_address_is_refused(client, member, outbox):
    response = ask(client, email="not-an-address")
    assert response.status_code == 422
    assert "does not look right" in response.get_data(as_text=True)


def test_asking_needs_sign_in(client, make, outbox):
    make.user("river")
    response = submit(client, "/settings/email", {"email": NEW, "password": TEST_PASSWORD},
                      form_page="/login")
    assert response.status_code == 401
    assert outbox() == []


# Confirming ------------------------------------------------------------------------------

def test_opening_the_link_changes_nothing(client, db, member, outbox):
    ask(client)
    page = client.get(confirm_path(outbox))
    assert page.status_code == 200
    assert "Use this email address" in page.get_data(as_text=True)
    assert address_of(db, member) == "river@example.org"


def test_pressing_the_button_changes_the_address_and_confirms_it(client, db, member, outbox):
    ask(client)
    db.session.get(User, member.id).email_verified_at = None
    db.session.commit()
    response = press(client, confirm_path(outbox))
    assert response.status_code == 302
    assert address_of(db, member) == NEW
    assert db.session.get(User, member.id).email_verified_at is not None


def test_the_link_works_from_a_browser_that_is_not_signed_in(client, new_client, db, member,
                                                             outbox):
    ask(client)
    response = press(new_client(), confirm_path(outbox))
    assert response.status_code == 302
    assert address_of(db, member) == NEW


def test_a_second_use_of_the_link_does_nothing(client, db, member, outbox):
    ask(client)
    path = confirm_path(outbox)
    press(client, path)
    mails = len(outbox())
    again = client.get(path)
    assert again.status_code == 409
    assert "used already" in again.get_data(as_text=True)
    assert len(outbox()) == mails  # the old address is not told twice
    assert address_of(db, member) == NEW


def test_an_address_taken_before_the_link_is_used_is_refused_then(client, db, make, member,
                                                                  outbox):
    ask(client)
    make.user("lake", email=NEW)
    response = press(client, confirm_path(outbox))
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)
    assert address_of(db, member) == "river@example.org"


def test_a_tampered_link_is_not_found(client, member, outbox):
    ask(client)
    path = confirm_path(outbox)
    assert client.get(path[:-4] + "AAAA").status_code == 404


def test_the_change_is_not_moderation_and_is_not_logged(client, db, member, outbox):
    ask(client)
    press(client, confirm_path(outbox))
    assert db.session.scalar(select(func.count()).select_from(ModerationAction)) == 0


# Telling the old address, and undoing ------------------------------------------------------

def test_the_old_address_is_told_with_an_undo_link(client, db, member, outbox):
    ask(client)
    press(client, confirm_path(outbox))
    [message] = [message for message in outbox() if message["To"] == "river@example.org"]
    text = message.get_body(("plain",)).get_content()
    assert "was changed to r•••@example.org" in text
    assert BASE + "/settings/email/undo/" in text


def test_the_undo_link_puts_the_old_address_back_and_ends_every_session(
        client, new_client, db, member, outbox):
    phone = new_client()
    submit(phone, "/login", {"login": "river", "password": TEST_PASSWORD})
    ask(client)
    press(client, confirm_path(outbox))
    assert sessions_of(db, member) == 2

    stranger = new_client()
    path = undo_path(outbox)
    assert stranger.get(path).status_code == 200
    response = press(stranger, path)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/reset/")  # choose a new password now
    assert address_of(db, member) == "river@example.org"
    assert sessions_of(db, member) == 0
    assert not signed_in(client)
    assert not signed_in(phone)


def test_after_an_undo_the_old_password_no_longer_signs_in(client, new_client, db, member,
                                                         outbox):
    ask(client)
    press(client, confirm_path(outbox))
    press(new_client(), undo_path(outbox))
    response = submit(new_client(), "/login", {"login": "river", "password": TEST_PASSWORD})
    assert response.status_code == 422


def test_after_an_undo_the_confirmation_link_no_longer_works(client, new_client, db, member,
                                                            outbox):
    ask(client)
    confirm = confirm_path(outbox)
    press(client, confirm)
    press(new_client(), undo_path(outbox))
    assert new_client().get(confirm).status_code == 404
    assert address_of(db, member) == "river@example.org"


def test_the_undo_link_works_once(client, new_client, db, member, outbox):
    ask(client)
    press(client, confirm_path(outbox))
    path = undo_path(outbox)
    press(new_client(), path)
    assert new_client().get(path).status_code == 409


@pytest.mark.parametrize("config_overrides",
                         [{"RATELIMIT_ENABLED": True, "RATELIMIT_MAIL": "2 per hour"}],
                         indirect=True)
def test_asking_is_rate_limited(client, member, outbox):
    for number in range(2):
        assert ask(client, email=f"river.{number}@example.org").status_code == 302
    assert ask(client, email="river.9@example.org").status_code == 429
    assert len(outbox()) == 2
