"""Which mail a member gets: one switch per kind from the registry, the mail that is always
sent listed beside them, and every sender obeying the switches."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from forum.accounts import mail_preferences
from forum.accounts.mail_preferences import ALWAYS_SENT, KINDS, wants_clause
from forum.auth.models import User
from forum.moderation import services as moderation
from forum.notify.models import Notification
from forum.outcomes import reminders
from forum.timeutil import utcnow
from support import form_state, submit

HIDDEN_SUBJECT = "A moderator hid one of your posts"


@pytest.fixture
def member(make, client, login):
    member = make.user("river")
    login(member)
    return member


def save(client, **choices):
    values = {kind.key: kind.default for kind in KINDS}
    values.update(choices)
    return submit(client, "/settings/email-preferences", values)


def hide_a_post_of(make, db, moderator, member):
    thread = make.thread(author=make.user("lake"))
    post = make.reply(thread, author=member, body="Buy my cooling vest")
    moderation.hide_post(moderator, post, "No advertising, please")
    db.session.commit()
    return post


def mails_to(outbox, user) -> list:
    return [message for message in outbox() if message["To"] == user.email]


# The page ----------------------------------------------------------------------------------

def test_every_kind_starts_at_its_default(client, member):
    page = client.get("/settings/email-preferences")
    assert page.status_code == 200
    state = form_state(page.get_data(as_text=True))
    assert state["notices"] == ["immediately"]
    assert state["outcome_reminders"] == ["immediately"]


def test_each_kind_is_a_group_with_a_legend(client, member):
    page = client.get("/settings/email-preferences").get_data(as_text=True)
    for kind in KINDS:
        assert f"<legend>{kind.label}" in page


def test_the_page_lists_the_mail_that_is_always_sent(client, member):
    page = client.get("/settings/email-preferences").get_data(as_text=True)
    assert "cannot be turned off" in page
    for item in ALWAYS_SENT:
        assert item in page


def test_saving_writes_the_choices_and_shows_them(client, db, member):
    response = save(client, notices="off")
    assert response.status_code == 302
    state = form_state(client.get("/settings/email-preferences").get_data(as_text=True))
    assert state["notices"] == ["off"]
    assert state["outcome_reminders"] == ["immediately"]
    db.session.rollback()
    assert mail_preferences.choice(member, "notices") == "off"


def test_a_choice_the_kind_does_not_offer_is_refused(client, db, member):
    response = save(client, outcome_reminders="daily")
    assert response.status_code == 422
    db.session.rollback()
    assert mail_preferences.choice(member, "outcome_reminders") == "immediately"


def test_saving_again_changes_the_choice(client, db, member):
    save(client, notices="off")
    save(client, notices="immediately")
    db.session.rollback()
    assert mail_preferences.wants(member, "notices")


def test_the_page_needs_sign_in(client):
    response = client.get("/settings/email-preferences")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# Senders obey them ---------------------------------------------------------------------------

def test_notices_are_mailed_by_default(db, make, moderator, member, outbox):
    hide_a_post_of(make, db, moderator, member)
    assert [message["Subject"] for message in mails_to(outbox, member)] == [HIDDEN_SUBJECT]


def test_a_notice_mail_says_where_to_switch_it_off(db, make, moderator, member, outbox):
    hide_a_post_of(make, db, moderator, member)
    [message] = mails_to(outbox, member)
    assert "http://localhost/settings/email-preferences" in message.get_content()


def test_notices_off_stops_the_mail_but_keeps_the_notice_on_the_site(
        client, db, make, moderator, member, outbox):
    save(client, notices="off")
    hide_a_post_of(make, db, moderator, member)
    assert mails_to(outbox, member) == []
    notices = db.session.scalars(select(Notification.kind)
                                 .where(Notification.user_id == member.id)).all()
    assert notices == ["post.hidden"]


def test_a_deleted_account_is_never_mailed_a_notice(db, make, moderator, member, outbox):
    post = make.reply(make.thread(), author=member, body="Buy my cooling vest")
    db.session.get(User, member.id).deleted_at = utcnow()
    db.session.commit()
    moderation.hide_post(moderator, post, "No advertising, please")
    db.session.commit()
    assert mails_to(outbox, member) == []


def test_reminders_obey_the_outcome_reminders_switch(client, db, make, member, outbox):
    make.treatments()
    make.outcome_report(member, treated_on=date(2026, 5, 1), visibility="dashboard")
    save(client, outcome_reminders="off")
    assert reminders.send_reminders("2026-06-15") == 0
    db.session.commit()
    save(client, outcome_reminders="immediately")
    assert reminders.send_reminders("2026-06-15") == 1


# The SQL filter for bulk jobs ----------------------------------------------------------------

def test_the_sql_filter_agrees_with_each_members_choice(db, make):
    chose = {"off": make.user("quiet"), "immediately": make.user("keen"),
             None: make.user("unset")}
    mail_preferences.set_choice(chose["off"], "notices", "off")
    mail_preferences.set_choice(chose["immediately"], "notices", "immediately")
    db.session.commit()
    wanted = set(db.session.scalars(select(User.username).where(wants_clause("notices"))))
    assert wanted == {"keen", "unset"}
    assert {user.username for user in chose.values()
            if mail_preferences.wants(user, "notices")} == wanted


def test_a_kind_offered_off_by_default_is_wanted_only_by_those_who_chose_it(db, make,
                                                                          monkeypatch):
    digest = mail_preferences.MailKind("digest", "Digest", "Once a day.",
                                       ("off", "daily"), "off")
    monkeypatch.setattr(mail_preferences, "_BY_KEY",
                        {**mail_preferences._BY_KEY, "digest": digest})
    make.user("unset")
    mail_preferences.set_choice(make.user("reader"), "digest", "daily")
    db.session.commit()
    assert set(db.session.scalars(select(User.username).where(wants_clause("digest")))) \
        == {"reader"}


def test_an_unknown_kind_is_an_error_of_ours(db, make):
    with pytest.raises(KeyError):
        mail_preferences.wants(make.user("river"), "no-such-mail")


def test_the_sql_filter_for_one_choice_counts_the_default(db, make, monkeypatch):
    replies = mail_preferences.MailKind("replies", "Replies", "Replies to you.",
                                        ("off", "immediately", "daily"), "immediately")
    monkeypatch.setattr(mail_preferences, "_BY_KEY",
                        {**mail_preferences._BY_KEY, "replies": replies})
    make.user("unset")
    mail_preferences.set_choice(make.user("daily_reader"), "replies", "daily")
    mail_preferences.set_choice(make.user("quiet"), "replies", "off")
    db.session.commit()

    def choosing(value: str) -> set[str]:
        return set(db.session.scalars(select(User.username).where(
            mail_preferences.chooses_clause("replies", value))))

    assert choosing("daily") == {"daily_reader"}
    assert choosing("immediately") == {"unset"}
    assert choosing("off") == {"quiet"}
