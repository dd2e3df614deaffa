"""Members are told why a moderator hid or edited their post, or suspended them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.boards import services as boards
from forum.moderation import services
from forum.notify.models import Notification
from support import submit

BANNER = "New notices"


@pytest.fixture
def thread(make, mod_category, author):
    return make.thread(category=mod_category, author=author, title="Cooling vests")


@pytest.fixture
def member(make):
    return make.user("heron")


@pytest.fixture
def reply(thread, member):
    return boards.reply(member, thread, "Buy my vest at example.com")


def mails_to(outbox, user) -> list:
    return [message for message in outbox() if message["To"] == user.email]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


ACTIONS = {
    "hide": (lambda client, reply, member: submit(
        client, f"/mod/posts/{reply.id}/hide", {"reason": "No advertising, please"}),
        "A moderator hid one of your posts"),
    "edit": (lambda client, reply, member: submit(
        client, f"/p/{reply.id}/edit",
        {"body": "[link removed]", "reason": "No advertising, please"}),
        "A moderator edited one of your posts"),
    "suspend": (lambda client, reply, member: submit(
        client, f"/mod/users/{member.username}/suspend",
        {"days": "3", "reason": "No advertising, please"}),
        "Your Outflow account is suspended"),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_the_member_sees_a_notice_with_the_reason_on_their_next_page(
        client, login, browser, reply, member, moderator, action):
    heron = browser(member)
    assert BANNER not in heron.get("/").get_data(as_text=True)
    login(moderator)

    assert ACTIONS[action][0](client, reply, member).status_code == 302

    page = heron.get("/").get_data(as_text=True)
    assert BANNER in page
    assert "Reason: No advertising, please" in page


@pytest.mark.parametrize("action", list(ACTIONS))
def test_the_member_is_mailed_the_reason(client, login, outbox, reply, member, moderator, action):
    run, subject = ACTIONS[action]
    login(moderator)

    run(client, reply, member)

    [message] = mails_to(outbox, member)
    assert message["Subject"] == subject
    assert "No advertising, please" in text_of(message)
    assert text_of(message).startswith("Hello heron,")


def test_the_mail_about_a_hidden_post_links_to_it(client, login, outbox, reply, member,
                                                  moderator):
    login(moderator)

    submit(client, f"/mod/posts/{reply.id}/hide", {"reason": "No advertising, please"})

    [message] = mails_to(outbox, member)
    assert f"http://localhost/p/{reply.id}" in text_of(message)


def test_the_notice_links_to_the_post(browser, reply, member, moderator):
    services.hide_post(moderator, reply, "No advertising, please")

    page = browser(member).get("/notifications").get_data(as_text=True)

    assert f'<a href="/p/{reply.id}">See it</a>' in page


def test_the_notices_page_lists_them_newest_first(browser, reply, member, moderator):
    services.hide_post(moderator, reply, "No advertising, please")
    services.suspend(moderator, member, 3, "Repeated advertising")

    page = browser(member).get("/notifications").get_data(as_text=True)

    suspended = page.index("Your account is suspended for 3 days")
    hidden = page.index("A moderator hid your post in “Cooling vests”")
    assert suspended < hidden
    assert page.count('<span class="badge">new</span>') == 2


def test_marking_notices_read_removes_the_banner(db, browser, reply, member, moderator):
    services.hide_post(moderator, reply, "No advertising, please")
    heron = browser(member)

    response = submit(heron, "/notifications/read", {}, form_page="/notifications")

    assert response.status_code == 302
    assert BANNER not in heron.get("/").get_data(as_text=True)
    db.session.expire_all()
    [notice] = db.session.scalars(select(Notification)).all()
    assert notice.read_at is not None
    page = heron.get("/notifications").get_data(as_text=True)
    assert "A moderator hid your post" in page
    assert '<span class="badge">new</span>' not in page


def test_marking_read_needs_the_csrf_token(db, browser, reply, member, moderator):
    services.hide_post(moderator, reply, "No advertising, please")
    heron = browser(member)

    response = heron.post("/notifications/read")

    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.scalar(select(Notification.read_at)) is None


def test_marking_read_touches_only_ones_own_notices(db, browser, make, reply, member,
                                                    moderator):
    services.hide_post(moderator, reply, "No advertising, please")
    robin = make.user("robin")

    submit(browser(robin), "/notifications/read", {}, form_page="/")

    db.session.expire_all()
    assert db.session.scalar(select(Notification.read_at)
                             .where(Notification.user_id == member.id)) is None


def test_other_members_do_not_see_someone_elses_notices(browser, make, reply, moderator):
    services.hide_post(moderator, reply, "No advertising, please")

    page = browser(make.user("robin")).get("/").get_data(as_text=True)

    assert BANNER not in page
    assert "No advertising, please" not in page


def test_anonymous_visitors_are_sent_to_sign_in_for_notices(client):
    response = client.get("/notifications")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_restoring_a_post_tells_the_member_without_a_mail(outbox, browser, reply, member,
                                                          moderator):
    services.hide_post(moderator, reply, "No advertising, please")
    services.restore_post(moderator, reply, "")

    page = browser(member).get("/notifications").get_data(as_text=True)

    assert "A moderator restored your post" in page
    assert [m["Subject"] for m in mails_to(outbox, member)] == [
        "A moderator hid one of your posts"]
