"""Suspended members can read but not write; suspensions end when lifted or expired."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.boards.models import Post, Thread
from forum.moderation import services
from forum.moderation.models import Report
from forum.notify.models import Notification
from forum.timeutil import utcnow
from support import submit


@pytest.fixture
def thread(make, mod_category, author):
    return make.thread(category=mod_category, author=author, title="Vitamin D levels")


@pytest.fixture
def member(make, thread):
    """A member with a post of their own in the thread."""
    from forum.boards import services as boards

    heron = make.user("heron")
    boards.reply(heron, thread, "My own reply")
    return heron


def own_post_id(db, member) -> int:
    return db.session.scalar(select(Post.id).where(Post.author_id == member.id))


def post_total(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Post))


def suspend(client, member, days: str, reason: str = "Repeated harassment"):
    return submit(client, f"/mod/users/{member.username}/suspend",
                  {"days": days, "reason": reason})


def test_suspending_for_some_days_sets_the_end(client, login, reload, member, moderator):
    login(moderator)
    before = utcnow()

    response = suspend(client, member, "3")

    assert response.status_code == 302
    stored = reload(member)
    assert stored.is_suspended
    assert before + timedelta(days=3) <= stored.suspended_until <= utcnow() + timedelta(days=3)
    assert stored.suspension_reason == "Repeated harassment"


def test_suspending_for_zero_days_is_permanent(client, login, reload, member, moderator):
    login(moderator)

    suspend(client, member, "0")

    stored = reload(member)
    assert stored.suspended_at is not None
    assert stored.suspended_until is None
    assert stored.is_suspended


def test_a_suspension_needs_a_reason(client, login, reload, member, moderator):
    login(moderator)

    response = suspend(client, member, "3", reason="")

    assert response.status_code == 422
    assert "Say why" in response.get_data(as_text=True)
    assert reload(member).suspended_at is None


def test_a_suspension_needs_a_sensible_number_of_days(client, login, reload, member, moderator):
    login(moderator)

    for days in ("-1", "3651", "soon", ""):
        response = suspend(client, member, days)

        assert response.status_code == 422, days
        assert "Repeated harassment" in response.get_data(as_text=True)  # the reason is kept
    assert reload(member).suspended_at is None


def test_a_suspended_member_can_still_read(browser, member, thread, mod_category, moderator):
    services.suspend(moderator, member, 7, "Cooling off")
    heron = browser(member)

    for url in ("/", f"/c/{mod_category.slug}", f"/t/{thread.id}", "/notifications"):
        assert heron.get(url).status_code == 200, url


def test_a_suspended_member_sees_a_banner_with_the_reason(browser, member, moderator):
    services.suspend(moderator, member, 7, "Cooling off")

    page = browser(member).get("/").get_data(as_text=True)

    assert "Your account is suspended until" in page
    assert "Reason: Cooling off" in page


def test_a_permanently_suspended_member_sees_no_end_date(browser, member, moderator):
    services.suspend(moderator, member, 0, "Spam account")

    page = browser(member).get("/").get_data(as_text=True)

    assert "Your account is suspended.</strong>" in page
    assert "Reason: Spam account" in page


def test_a_suspended_member_cannot_start_a_thread(db, browser, member, mod_category, moderator):
    services.suspend(moderator, member, 7, "Cooling off")
    heron = browser(member)
    threads_before = db.session.scalar(select(func.count()).select_from(Thread))

    assert heron.get(f"/c/{mod_category.slug}/new").status_code == 403
    response = submit(heron, f"/c/{mod_category.slug}/new",
                      {"title": "Still here", "body": "Trying anyway"}, form_page="/")

    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Thread)) == threads_before


def test_a_suspended_member_cannot_reply(db, browser, member, thread, moderator):
    services.suspend(moderator, member, 7, "Cooling off")
    total = post_total(db)

    response = submit(browser(member), f"/t/{thread.id}/reply", {"body": "Trying anyway"},
                      form_page="/")

    assert response.status_code == 403
    assert post_total(db) == total


def test_a_suspended_member_cannot_edit_their_post(db, browser, member, moderator):
    services.suspend(moderator, member, 7, "Cooling off")
    post_id = own_post_id(db, member)
    heron = browser(member)

    assert heron.get(f"/p/{post_id}/edit").status_code == 403
    response = submit(heron, f"/p/{post_id}/edit", {"body": "Changed"}, form_page="/")

    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Post, post_id).body == "My own reply"


def test_a_suspended_member_cannot_report(db, browser, member, thread, moderator):
    services.suspend(moderator, member, 7, "Cooling off")
    opening = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id)
                                .order_by(Post.id))

    response = submit(browser(member), f"/p/{opening}/report", {"reason": "spam"},
                      form_page="/")

    assert response.status_code == 403
    assert db.session.scalars(select(Report)).all() == []


def test_lifting_a_suspension_lets_the_member_post_again(
        client, login, reload, browser, member, thread, moderator):
    services.suspend(moderator, member, 0, "Cooling off")
    login(moderator)

    response = submit(client, f"/mod/users/{member.username}/unsuspend", {"reason": "Appeal"})

    assert response.status_code == 302
    assert not reload(member).is_suspended
    heron = browser(member)
    assert "<strong>Your account is suspended" not in heron.get("/").get_data(as_text=True)
    reply = submit(heron, f"/t/{thread.id}/reply", {"body": "Back again"}, form_page="/")
    assert reply.status_code == 302


def test_lifting_a_suspension_that_is_not_there_is_a_conflict(client, login, member, moderator):
    login(moderator)

    response = submit(client, f"/mod/users/{member.username}/unsuspend", {"reason": ""})

    assert response.status_code == 409


def test_an_expired_suspension_no_longer_blocks(db, browser, member, thread, moderator):
    services.suspend(moderator, member, 3, "Cooling off")
    member.suspended_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    heron = browser(member)

    assert "<strong>Your account is suspended" not in heron.get("/").get_data(as_text=True)
    response = submit(heron, f"/t/{thread.id}/reply", {"body": "Back again"}, form_page="/")
    assert response.status_code == 302


def test_the_member_is_told_of_a_suspension_by_notice_and_mail(
        client, login, db, outbox, member, moderator):
    login(moderator)

    suspend(client, member, "7", reason="Repeated harassment")

    [notice] = db.session.scalars(select(Notification).where(
        Notification.user_id == member.id)).all()
    assert notice.kind == "user.suspended"
    assert "for 7 days" in notice.message and "Repeated harassment" in notice.message
    [mail] = [m for m in outbox() if m["To"] == member.email]
    assert mail["Subject"] == "Your Outflow account is suspended"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Repeated harassment" in body


def test_the_member_is_told_when_a_suspension_is_lifted(client, login, outbox, member, moderator):
    services.suspend(moderator, member, 0, "Cooling off")
    login(moderator)

    submit(client, f"/mod/users/{member.username}/unsuspend", {"reason": "Appeal"})

    assert [m["Subject"] for m in outbox() if m["To"] == member.email] == [
        "Your Outflow account is suspended", "Your Outflow suspension is lifted"]


def test_a_moderator_cannot_suspend_themselves(client, login, reload, moderator):
    login(moderator)

    response = submit(client, f"/mod/users/{moderator.username}/suspend",
                      {"days": "1", "reason": "Testing"}, form_page="/")

    assert response.status_code == 403
    assert reload(moderator).suspended_at is None


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_a_moderator_cannot_suspend_a_peer_or_an_admin(client, login, reload, make, moderator,
                                                       role):
    peer = make.user("keeper", role=role)
    login(moderator)

    assert client.get(f"/mod/users/{peer.username}/suspend").status_code == 403
    response = suspend(client, peer, "1")

    assert response.status_code == 403
    assert reload(peer).suspended_at is None


def test_the_moderators_member_page_offers_to_suspend(client, login, member, moderator):
    login(moderator)

    page = client.get(f"/mod/users/{member.username}").get_data(as_text=True)

    assert f"/mod/users/{member.username}/suspend" in page
    assert "Lift the suspension" not in page


def test_a_suspended_moderator_loses_moderation_powers(client, login, make, thread):
    admin = make.user("keeper", role="admin")
    moderator = make.user("warden", role="moderator")
    services.suspend(admin, moderator, 3, "Reviewing a complaint")
    login(moderator)

    assert client.get("/mod").status_code == 403
    opening = thread_first_post(thread)
    assert client.get(f"/mod/posts/{opening.id}/hide").status_code == 403


def thread_first_post(thread):
    from forum.extensions import db

    return db.session.scalars(select(Post).where(Post.thread_id == thread.id)
                              .order_by(Post.id)).first()
