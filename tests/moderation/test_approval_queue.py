"""A new member's first posts wait for a moderator; nobody else sees them until approved."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.boards import services as boards
from forum.boards.models import Post, Thread
from forum.moderation import services
from forum.notify.models import Notification
from support import submit


@pytest.fixture
def newcomer(make):
    return make.user("newbie", new=True)


@pytest.fixture
def open_thread(make, mod_category, author):
    """A thread everyone sees, started before the queue was turned on."""
    return make.thread(category=mod_category, author=author, title="Heat and fatigue")


@pytest.fixture
def queue_on(make, open_thread):
    make.setting("approval_posts", "2")


def latest_post(db) -> Post:
    db.session.expire_all()
    return db.session.scalar(select(Post).order_by(Post.id.desc()).limit(1))


def start_thread(client, category, title: str, body: str = "My first words here"):
    response = submit(client, f"/c/{category.slug}/new", {"title": title, "body": body})
    assert response.status_code == 302
    return response


def queued_posts(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'/mod/posts/(\d+)/approve', html)]


def test_a_new_members_first_thread_waits_for_approval(
        client, login, db, queue_on, mod_category, newcomer):
    login(newcomer)

    start_thread(client, mod_category, "Hello from a newcomer")

    thread = db.session.scalar(select(Thread).where(Thread.title == "Hello from a newcomer"))
    assert thread.pending is True
    assert latest_post(db).pending is True


def test_the_author_sees_their_waiting_post_marked_awaiting_approval(
        client, login, queue_on, mod_category, newcomer):
    login(newcomer)
    response = start_thread(client, mod_category, "Hello from a newcomer")

    page = client.get(response.headers["Location"]).get_data(as_text=True)

    assert "Awaiting approval" in page
    assert "My first words here" in page


def test_another_member_does_not_see_a_waiting_thread_anywhere(
        client, login, db, browser, make, queue_on, mod_category, newcomer):
    login(newcomer)
    start_thread(client, mod_category, "Hello from a newcomer")
    post = latest_post(db)
    other = browser(make.user("heron"))

    listing = other.get(f"/c/{mod_category.slug}").get_data(as_text=True)

    assert "Hello from a newcomer" not in listing
    assert other.get(f"/t/{post.thread_id}").status_code == 404
    assert other.get(f"/p/{post.id}").status_code == 404


def test_anonymous_visitors_do_not_see_a_waiting_thread_anywhere(
        client, login, db, new_client, queue_on, mod_category, newcomer):
    login(newcomer)
    start_thread(client, mod_category, "Hello from a newcomer")
    post = latest_post(db)
    anonymous = new_client()

    assert "Hello from a newcomer" not in anonymous.get(
        f"/c/{mod_category.slug}").get_data(as_text=True)
    assert anonymous.get(f"/t/{post.thread_id}").status_code == 404
    assert anonymous.get(f"/p/{post.id}").status_code == 404


def test_a_waiting_reply_is_seen_by_its_author_only(
        client, login, db, browser, new_client, make, queue_on, open_thread, newcomer):
    login(newcomer)

    submit(client, f"/t/{open_thread.id}/reply", {"body": "A reply that waits"},
           form_page=f"/t/{open_thread.id}")

    reply = latest_post(db)
    assert reply.pending is True
    own = client.get(f"/t/{open_thread.id}").get_data(as_text=True)
    assert "A reply that waits" in own and "Awaiting approval" in own
    for reader in (browser(make.user("heron")), new_client()):
        page = reader.get(f"/t/{open_thread.id}")
        assert page.status_code == 200
        assert "A reply that waits" not in page.get_data(as_text=True)
        assert reader.get(f"/p/{reply.id}").status_code == 404


def test_the_report_page_of_a_waiting_post_does_not_exist_for_other_members(
        browser, make, queue_on, open_thread, newcomer):
    waiting = boards.reply(newcomer, open_thread, "A reply that waits")

    other = browser(make.user("heron"))

    assert other.get(f"/p/{waiting.id}/report").status_code == 404
    assert submit(other, f"/p/{waiting.id}/report", {"reason": "spam"},
                  form_page="/").status_code == 404


def test_moderators_see_waiting_posts_in_the_queue(
        client, login, queue_on, open_thread, newcomer, moderator):
    waiting = boards.reply(newcomer, open_thread, "Please approve me")
    login(moderator)

    page = client.get("/mod/queue").get_data(as_text=True)

    assert queued_posts(page) == [waiting.id]
    assert "Please approve me" in page
    assert "newbie" in page


def test_moderators_can_read_a_waiting_thread(
        client, login, queue_on, mod_category, newcomer, moderator):
    thread = boards.start_thread(newcomer, mod_category, "Waiting thread", "Waiting text")
    login(moderator)

    page = client.get(f"/t/{thread.id}")

    assert page.status_code == 200
    assert "Waiting text" in page.get_data(as_text=True)


def test_approving_a_reply_makes_it_visible_to_everyone(
        client, login, new_client, queue_on, open_thread, newcomer, moderator):
    waiting = boards.reply(newcomer, open_thread, "Please approve me")
    login(moderator)

    response = submit(client, f"/mod/posts/{waiting.id}/approve", {"reason": ""})

    assert response.status_code == 302
    anonymous = new_client()
    assert "Please approve me" in anonymous.get(f"/t/{open_thread.id}").get_data(as_text=True)
    assert anonymous.get(f"/p/{waiting.id}").status_code == 302
    assert queued_posts(client.get("/mod/queue").get_data(as_text=True)) == []


def test_approving_the_opening_post_lists_the_thread(
        client, login, db, new_client, queue_on, mod_category, newcomer, moderator):
    thread = boards.start_thread(newcomer, mod_category, "Waiting thread", "Waiting text")
    login(moderator)

    submit(client, f"/mod/posts/{latest_post(db).id}/approve", {"reason": ""})

    anonymous = new_client()
    assert "Waiting thread" in anonymous.get(f"/c/{mod_category.slug}").get_data(as_text=True)
    assert anonymous.get(f"/t/{thread.id}").status_code == 200


def test_an_approved_post_is_counted(
        client, login, reload, queue_on, open_thread, mod_category, newcomer, moderator):
    waiting = boards.reply(newcomer, open_thread, "Please approve me")
    assert (reload(open_thread).post_count, reload(newcomer).post_count) == (1, 0)
    login(moderator)

    submit(client, f"/mod/posts/{waiting.id}/approve", {"reason": ""})

    assert reload(open_thread).post_count == 2
    assert reload(open_thread).last_post_id == waiting.id
    category = reload(mod_category)
    assert (category.thread_count, category.post_count, category.last_post_id) == (
        1, 2, waiting.id)
    assert reload(newcomer).post_count == 1


def test_the_author_is_told_when_their_post_is_approved(
        client, login, db, queue_on, open_thread, newcomer, moderator):
    waiting = boards.reply(newcomer, open_thread, "Please approve me")
    login(moderator)

    submit(client, f"/mod/posts/{waiting.id}/approve", {"reason": ""})

    [notice] = db.session.scalars(select(Notification).where(
        Notification.user_id == newcomer.id)).all()
    assert notice.kind == "post.approved"


def test_the_third_post_after_two_approvals_is_visible_at_once(
        client, login, db, new_client, queue_on, open_thread, newcomer, moderator):
    for number in (1, 2):
        services.approve_post(moderator, boards.reply(newcomer, open_thread, f"Waiting {number}"))
    login(newcomer)

    submit(client, f"/t/{open_thread.id}/reply", {"body": "Third time lucky"},
           form_page=f"/t/{open_thread.id}")

    assert latest_post(db).pending is False
    assert "Third time lucky" in new_client().get(f"/t/{open_thread.id}").get_data(as_text=True)


def test_the_second_post_still_waits_after_one_approval(
        client, login, db, queue_on, open_thread, newcomer, moderator):
    services.approve_post(moderator, boards.reply(newcomer, open_thread, "Waiting 1"))
    login(newcomer)

    submit(client, f"/t/{open_thread.id}/reply", {"body": "Second post"},
           form_page=f"/t/{open_thread.id}")

    assert latest_post(db).pending is True


def test_rejecting_a_post_removes_it(
        client, login, new_client, reload, queue_on, open_thread, newcomer, moderator):
    waiting = boards.reply(newcomer, open_thread, "Buy supplements here")
    login(moderator)

    response = submit(client, f"/mod/posts/{waiting.id}/reject",
                      {"reason": "Advertising", "confirm": "yes"})

    assert response.status_code == 302
    rejected = reload(waiting)
    assert rejected.deleted_at is not None
    assert "Buy supplements here" not in new_client().get(
        f"/t/{open_thread.id}").get_data(as_text=True)
    assert queued_posts(client.get("/mod/queue").get_data(as_text=True)) == []


def test_a_rejected_reply_leaves_no_trace_for_other_readers(
        client, login, new_client, queue_on, open_thread, newcomer, moderator):
    waiting = boards.reply(newcomer, open_thread, "Buy supplements here")
    login(moderator)

    submit(client, f"/mod/posts/{waiting.id}/reject",
           {"reason": "Advertising", "confirm": "yes"})

    anonymous = new_client()
    assert f'id="p{waiting.id}"' not in anonymous.get(f"/t/{open_thread.id}").get_data(
        as_text=True)
    assert anonymous.get(f"/p/{waiting.id}").status_code == 404


def test_rejecting_the_opening_post_removes_the_thread(
        client, login, db, new_client, browser, queue_on, mod_category, newcomer, moderator):
    thread = boards.start_thread(newcomer, mod_category, "Waiting thread", "Waiting text")
    login(moderator)

    submit(client, f"/mod/posts/{latest_post(db).id}/reject",
           {"reason": "Off topic", "confirm": "yes"})

    assert new_client().get(f"/t/{thread.id}").status_code == 404
    assert browser(newcomer).get(f"/t/{thread.id}").status_code == 404


def test_rejecting_tells_the_author_why_by_notice_and_mail(
        client, login, db, outbox, queue_on, open_thread, newcomer, moderator):
    waiting = boards.reply(newcomer, open_thread, "Buy supplements here")
    login(moderator)

    submit(client, f"/mod/posts/{waiting.id}/reject",
           {"reason": "Advertising", "confirm": "yes"})

    [notice] = db.session.scalars(select(Notification).where(
        Notification.user_id == newcomer.id)).all()
    assert notice.kind == "post.rejected"
    assert "Advertising" in notice.message
    [mail] = [m for m in outbox() if m["To"] == newcomer.email]
    assert mail["Subject"] == "Your post was not approved"
    assert "Advertising" in mail.get_body(preferencelist=("plain",)).get_content()


def test_rejecting_without_a_reason_is_refused(
        client, login, reload, queue_on, open_thread, newcomer, moderator):
    waiting = boards.reply(newcomer, open_thread, "Buy supplements here")
    login(moderator)

    response = submit(client, f"/mod/posts/{waiting.id}/reject",
                      {"reason": "  ", "confirm": "yes"})

    assert response.status_code == 422
    assert "Say why" in response.get_data(as_text=True)
    assert reload(waiting).pending is True and reload(waiting).deleted_at is None


@pytest.mark.parametrize("role", ["clinic_staff", "moderator", "admin"])
def test_trusted_roles_never_wait(client, login, db, new_client, make, queue_on,
                                  mod_category, role):
    login(make.user("trusted", role=role, new=True))

    response = start_thread(client, mod_category, "Straight to the forum")

    assert latest_post(db).pending is False
    assert new_client().get(response.headers["Location"]).status_code == 200


def test_nobody_waits_when_the_setting_is_zero(
        client, login, db, make, open_thread, mod_category, newcomer):
    make.setting("approval_posts", "0")
    login(newcomer)

    start_thread(client, mod_category, "No queue today")

    assert latest_post(db).pending is False


def test_the_queue_page_runs_as_many_statements_for_twelve_posts_as_for_two(
        client, login, make, queue_on, open_thread, moderator, count_queries):
    def add_waiting(how_many: int) -> None:
        for _ in range(how_many):
            category = make.category()
            boards.start_thread(make.user(), category, "A waiting thread", "Waiting text")

    add_waiting(2)
    login(moderator)
    with count_queries() as few:
        assert client.get("/mod/queue").status_code == 200
    add_waiting(10)
    with count_queries() as many:
        page = client.get("/mod/queue")
    assert len(queued_posts(page.get_data(as_text=True))) == 12
    assert len(many) == len(few)
