"""Activity by mail as each member chose: right away, or in one daily digest; each mail with
a one-click unsubscribe link that a mail client may POST without a form."""
from __future__ import annotations

import re

import pytest

from forum.accounts import mail_preferences
from forum.boards import services as boards
from forum.moderation import services as moderation
from forum.notify import mailing

SUBJECT_DIGEST = re.compile(r"^Outflow: \d+ updates? for you$")


def mails_to(outbox, user) -> list:
    return [message for message in outbox() if message["To"] == user.email]


def choose(db, user, kind: str, choice: str) -> None:
    mail_preferences.set_choice(user, kind, choice)
    db.session.commit()


@pytest.fixture
def digests(app):
    def run():
        runner = app.test_cli_runner()
        result = runner.invoke(args=["forum", "send-digests"])
        assert result.exit_code == 0, result.output
    return run


def test_activity_mail_is_off_until_chosen(make, thread, starter, outbox):
    make.reply(thread, author=make.user("heron"))
    assert mails_to(outbox, starter) == []


def test_a_reply_is_mailed_right_away_when_chosen(db, make, thread, starter, outbox):
    choose(db, starter, "replies", "immediately")
    make.reply(thread, author=make.user("heron"))
    [message] = mails_to(outbox, starter)
    assert message["Subject"] == "heron replied in “Cooling vests in summer”"


def test_an_unread_line_is_mailed_once_however_many_replies(db, make, thread, starter, outbox):
    choose(db, starter, "replies", "immediately")
    for number in range(3):
        make.reply(thread, author=make.user(f"replier{number}"))
    assert len(mails_to(outbox, starter)) == 1


def test_each_mail_carries_the_list_unsubscribe_headers(db, make, thread, starter, outbox):
    choose(db, starter, "replies", "immediately")
    make.reply(thread, author=make.user("heron"))
    [message] = mails_to(outbox, starter)
    assert re.fullmatch(r"<http://localhost/unsubscribe/\S+>", message["List-Unsubscribe"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_digest_holds_each_line_once_and_a_second_run_sends_nothing(
        db, make, thread, starter, outbox, digests):
    choose(db, starter, "replies", "daily")
    choose(db, starter, "mentions", "daily")
    make.reply(thread, author=make.user("heron"))
    make.reply(make.thread(), author=make.user("robin"), body="Hello @lark")
    assert mails_to(outbox, starter) == []

    digests()
    [message] = mails_to(outbox, starter)
    body = message.get_content()
    assert SUBJECT_DIGEST.match(message["Subject"])
    assert body.count("heron replied in “Cooling vests in summer”") == 1
    assert body.count("robin mentioned you in") == 1
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    digests()
    assert len(mails_to(outbox, starter)) == 1


def test_no_mail_about_a_post_hidden_before_the_job_ran(db, make, thread, starter, outbox,
                                                        moderator, digests):
    choose(db, starter, "replies", "daily")
    reply = make.reply(thread, author=make.user("heron"))
    moderation.hide_post(moderator, reply, "Off topic")
    db.session.commit()
    digests()
    assert mails_to(outbox, starter) == []


def test_no_mail_to_an_unconfirmed_address(db, make, category, outbox):
    unconfirmed = make.user("pending", verified=False)
    thread = boards.start_thread(make.user("opener", role="moderator"), category,
                                 "A thread to watch", "Hello")
    db.session.commit()
    choose(db, unconfirmed, "mentions", "immediately")
    make.reply(thread, author=make.user("robin"), body="@pending look")
    assert mails_to(outbox, unconfirmed) == []


def _unsubscribe_link(db, make, thread, starter, outbox) -> str:
    choose(db, starter, "replies", "immediately")
    make.reply(thread, author=make.user("heron"))
    [message] = mails_to(outbox, starter)
    return message["List-Unsubscribe"].strip("<>").removeprefix("http://localhost")


def test_the_unsubscribe_link_shows_a_button_and_changes_nothing(
        db, client, make, thread, starter, outbox):
    link = _unsubscribe_link(db, make, thread, starter, outbox)
    page = client.get(link)
    assert page.status_code == 200
    assert "Stop these mails</button>" in page.get_data(as_text=True)
    db.session.expire_all()
    assert mail_preferences.choice(starter, "replies") == "immediately"


def test_pressing_the_button_turns_the_kind_off(db, client, make, thread, starter, outbox):
    link = _unsubscribe_link(db, make, thread, starter, outbox)
    assert client.post(link).status_code == 200
    db.session.expire_all()
    assert mail_preferences.choice(starter, "replies") == "off"


def test_the_one_click_post_works_without_a_csrf_token(db, client, make, thread, starter,
                                                      outbox):
    link = _unsubscribe_link(db, make, thread, starter, outbox)
    response = client.post(link, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    db.session.expire_all()
    assert mail_preferences.choice(starter, "replies") == "off"


def test_a_forged_token_is_refused(db, client, make, thread, starter, outbox):
    link = _unsubscribe_link(db, make, thread, starter, outbox)
    forged = mailing.URLSafeSerializer("not-our-secret", salt="outflow-unsubscribe").dumps(
        {"u": starter.id, "k": ["replies"]})
    assert client.post(f"/unsubscribe/{forged}",
                       data={"List-Unsubscribe": "One-Click"}).status_code == 404
    assert client.post(link[:-3] + "abc").status_code == 404
    db.session.expire_all()
    assert mail_preferences.choice(starter, "replies") == "immediately"
