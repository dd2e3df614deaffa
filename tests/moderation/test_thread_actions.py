"""Moderators lock, pin, move, delete and restore threads."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.boards.models import Post
from forum.moderation import services
from support import submit


@pytest.fixture
def thread(make, mod_category, author):
    return make.thread(category=mod_category, author=author, title="Balance exercises")


@pytest.fixture
def member(make):
    return make.user("heron")


def listed_threads(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<a href="/t/(\d+)/', html)]


def post_total(db, thread) -> int:
    return db.session.scalar(select(func.count()).select_from(Post)
                             .where(Post.thread_id == thread.id))


def reply_as(client, thread, body: str):
    return submit(client, f"/t/{thread.id}/reply", {"body": body}, form_page="/")


def test_members_cannot_reply_to_a_locked_thread(
        client, login, db, browser, thread, member, moderator):
    login(moderator)

    assert submit(client, f"/mod/threads/{thread.id}/lock", {"reason": "Heated"}).status_code == 302

    heron = browser(member)
    assert reply_as(heron, thread, "Let me add one thing").status_code == 403
    assert post_total(db, thread) == 1
    page = heron.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "This thread is locked" in page
    assert "Post reply" not in page


def test_a_moderator_can_still_reply_to_a_locked_thread(client, login, db, thread, moderator):
    services.set_thread_flag(moderator, thread, "lock", "Heated")
    login(moderator)

    response = reply_as(client, thread, "Locking this for now, thank you all.")

    assert response.status_code == 302
    assert post_total(db, thread) == 2


def test_members_cannot_edit_their_posts_in_a_locked_thread(
        db, browser, thread, author, moderator):
    services.set_thread_flag(moderator, thread, "lock", "Heated")
    post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))

    response = submit(browser(author), f"/p/{post_id}/edit", {"body": "Changed"}, form_page="/")

    assert response.status_code == 403


def test_unlocking_lets_members_reply_again(client, login, db, browser, thread, member,
                                            moderator):
    services.set_thread_flag(moderator, thread, "lock", "Heated")
    login(moderator)

    assert submit(client, f"/mod/threads/{thread.id}/unlock", {"reason": ""}).status_code == 302

    assert reply_as(browser(member), thread, "Thanks for reopening").status_code == 302
    assert post_total(db, thread) == 2


def test_locking_a_locked_thread_is_a_conflict(client, login, thread, moderator):
    services.set_thread_flag(moderator, thread, "lock", "Heated")
    login(moderator)

    assert submit(client, f"/mod/threads/{thread.id}/lock", {"reason": ""}).status_code == 409


def test_a_pinned_thread_is_listed_first(client, login, new_client, make, mod_category,
                                         thread, moderator):
    newer = make.thread(category=mod_category, title="Newer thread")
    newest = make.thread(category=mod_category, title="Newest thread")
    login(moderator)

    response = submit(client, f"/mod/threads/{thread.id}/pin", {"reason": "Useful"})

    assert response.status_code == 302
    page = new_client().get(f"/c/{mod_category.slug}").get_data(as_text=True)
    assert listed_threads(page) == [thread.id, newest.id, newer.id]
    assert "Pinned" in page


def test_unpinning_returns_the_thread_to_its_place(client, login, new_client, make,
                                                   mod_category, thread, moderator):
    newer = make.thread(category=mod_category, title="Newer thread")
    services.set_thread_flag(moderator, thread, "pin", "")
    login(moderator)

    response = submit(client, f"/mod/threads/{thread.id}/unpin", {"reason": ""})

    assert response.status_code == 302
    page = new_client().get(f"/c/{mod_category.slug}").get_data(as_text=True)
    assert listed_threads(page) == [newer.id, thread.id]


def test_moving_a_thread_lists_it_in_the_other_category(
        client, login, new_client, reload, make, mod_category, thread, moderator):
    target = make.category(slug="research", name="Research")
    login(moderator)

    response = submit(client, f"/mod/threads/{thread.id}/move",
                      {"category": "research", "reason": "Better fit"})

    assert response.status_code == 302
    assert reload(thread).category_id == target.id
    anonymous = new_client()
    assert listed_threads(anonymous.get("/c/research").get_data(as_text=True)) == [thread.id]
    assert listed_threads(anonymous.get(f"/c/{mod_category.slug}").get_data(as_text=True)) == []
    assert "Research" in anonymous.get(f"/t/{thread.id}").get_data(as_text=True)


def test_moving_a_thread_to_its_own_category_is_refused(client, login, mod_category, thread,
                                                        moderator):
    login(moderator)

    response = submit(client, f"/mod/threads/{thread.id}/move",
                      {"category": mod_category.slug, "reason": ""})

    assert response.status_code == 422
    assert "already in that category" in response.get_data(as_text=True)


def test_moving_to_an_unknown_category_is_refused(client, login, reload, mod_category, thread,
                                                  moderator):
    login(moderator)

    response = submit(client, f"/mod/threads/{thread.id}/move",
                      {"category": "nowhere", "reason": ""})

    assert response.status_code == 422
    assert reload(thread).category_id == mod_category.id


def test_a_deleted_thread_is_gone_for_members(
        client, login, browser, new_client, mod_category, thread, member, moderator):
    login(moderator)

    response = submit(client, f"/mod/threads/{thread.id}/delete", {"reason": "Duplicate"})

    assert response.status_code == 302
    for reader in (browser(member), new_client()):
        assert reader.get(f"/t/{thread.id}").status_code == 404
        assert listed_threads(reader.get(f"/c/{mod_category.slug}").get_data(as_text=True)) == []


def test_deleting_a_thread_needs_a_reason(client, login, reload, thread, moderator):
    login(moderator)

    response = submit(client, f"/mod/threads/{thread.id}/delete", {"reason": ""})

    assert response.status_code == 422
    assert reload(thread).deleted_at is None


def test_moderators_still_see_a_deleted_thread(client, login, thread, moderator):
    services.delete_thread(moderator, thread, "Duplicate")
    login(moderator)

    response = client.get(f"/t/{thread.id}")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "This thread is deleted; only moderators see it." in page
    assert "Opening post" in page


def test_restoring_a_thread_brings_it_back(client, login, new_client, mod_category, thread,
                                           moderator):
    services.delete_thread(moderator, thread, "Duplicate")
    login(moderator)

    response = submit(client, f"/mod/threads/{thread.id}/restore", {"reason": "Not a duplicate"})

    assert response.status_code == 302
    anonymous = new_client()
    assert anonymous.get(f"/t/{thread.id}").status_code == 200
    assert listed_threads(anonymous.get(f"/c/{mod_category.slug}").get_data(as_text=True)) == [
        thread.id]


def test_restoring_a_thread_that_is_not_deleted_is_a_conflict(client, login, thread, moderator):
    login(moderator)

    assert submit(client, f"/mod/threads/{thread.id}/restore", {"reason": ""}).status_code == 409


def test_the_thread_page_offers_moderators_only_the_actions_that_apply(
        client, login, thread, moderator):
    services.set_thread_flag(moderator, thread, "lock", "")
    login(moderator)

    page = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert f"/mod/threads/{thread.id}/unlock" in page
    assert f"/mod/threads/{thread.id}/lock?" not in page
    assert f"/mod/threads/{thread.id}/restore" not in page


def test_an_unknown_thread_action_is_not_found(client, login, thread, moderator):
    login(moderator)

    assert client.get(f"/mod/threads/{thread.id}/burn").status_code == 404
    assert client.get("/mod/threads/999999/lock").status_code == 404

