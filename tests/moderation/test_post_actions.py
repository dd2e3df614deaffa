"""Moderators hide and restore posts, and edit them with a reason."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.boards import services as boards
from forum.boards.models import PostRevision
from forum.moderation import services
from support import submit

PLACEHOLDER = "This post was hidden by a moderator."


@pytest.fixture
def thread(make, mod_category, author):
    return make.thread(category=mod_category, author=author, title="Diet and MS")


@pytest.fixture
def reply(thread, make):
    return boards.reply(make.user("heron"), thread, "Try this miracle cure")


def test_hiding_a_post_needs_a_reason(client, login, reload, reply, moderator):
    login(moderator)

    response = submit(client, f"/mod/posts/{reply.id}/hide", {"reason": ""})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Say why, briefly" in page
    assert 'name="reason"' in page  # the form is shown again
    assert reload(reply).hidden_at is None


def test_a_hidden_posts_text_is_replaced_for_members(
        client, login, browser, make, reply, thread, moderator):
    login(moderator)

    response = submit(client, f"/mod/posts/{reply.id}/hide", {"reason": "Unproven claim"})

    assert response.status_code == 302
    page = browser(make.user("robin")).get(f"/t/{thread.id}").get_data(as_text=True)
    assert PLACEHOLDER in page
    assert "Try this miracle cure" not in page
    assert "Unproven claim" not in page


def test_a_hidden_posts_text_is_replaced_for_anonymous_visitors(
        client, login, new_client, reply, thread, moderator):
    login(moderator)
    submit(client, f"/mod/posts/{reply.id}/hide", {"reason": "Unproven claim"})

    page = new_client().get(f"/t/{thread.id}").get_data(as_text=True)

    assert PLACEHOLDER in page
    assert "Try this miracle cure" not in page


def test_the_author_of_a_hidden_post_sees_why(browser, reply, thread, moderator):
    services.hide_post(moderator, reply, "Unproven claim")
    heron = browser(reply.author)

    page = heron.get(f"/t/{thread.id}").get_data(as_text=True)

    assert PLACEHOLDER in page
    assert "Reason: Unproven claim" in page
    assert "Try this miracle cure" not in page


def test_moderators_still_see_a_hidden_post_marked_as_hidden(
        client, login, reply, thread, moderator):
    services.hide_post(moderator, reply, "Unproven claim")
    login(moderator)

    page = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert PLACEHOLDER in page
    assert "Show the text (moderators)" in page
    assert "Try this miracle cure" in page


def test_restoring_a_post_brings_its_text_back(
        client, login, new_client, reload, reply, thread, moderator):
    services.hide_post(moderator, reply, "Unproven claim")
    login(moderator)

    response = submit(client, f"/mod/posts/{reply.id}/restore", {"reason": "On appeal"})

    assert response.status_code == 302
    assert reload(reply).hidden_at is None
    page = new_client().get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Try this miracle cure" in page
    assert PLACEHOLDER not in page


def test_hiding_an_already_hidden_post_is_a_conflict(client, login, reload, reply, moderator):
    services.hide_post(moderator, reply, "Unproven claim")
    login(moderator)

    response = submit(client, f"/mod/posts/{reply.id}/hide", {"reason": "Again"})

    assert response.status_code == 409
    assert reload(reply).hidden_reason == "Unproven claim"


def test_restoring_a_visible_post_is_a_conflict(client, login, reply, moderator):
    login(moderator)

    response = submit(client, f"/mod/posts/{reply.id}/restore", {"reason": ""})

    assert response.status_code == 409


def test_an_unknown_post_action_is_not_found(client, login, reply, moderator):
    login(moderator)

    assert client.get(f"/mod/posts/{reply.id}/destroy").status_code == 404
    assert client.get("/mod/posts/999999/hide").status_code == 404


def test_a_moderators_edit_keeps_the_earlier_version(client, login, db, reload, reply, moderator):
    login(moderator)

    response = submit(client, f"/p/{reply.id}/edit",
                      {"body": "[claim removed by a moderator]", "reason": "Unproven claim"})

    assert response.status_code == 302
    assert reload(reply).body == "[claim removed by a moderator]"
    [revision] = db.session.scalars(select(PostRevision).where(
        PostRevision.post_id == reply.id)).all()
    assert (revision.body, revision.reason, revision.replaced_by_id) == (
        "Try this miracle cure", "Unproven claim", moderator.id)
    history = client.get(f"/p/{reply.id}/revisions").get_data(as_text=True)
    assert "Try this miracle cure" in history


def test_a_moderators_edit_that_changes_nothing_is_refused(
        client, login, db, reply, moderator):
    login(moderator)

    response = submit(client, f"/p/{reply.id}/edit",
                      {"body": "Try this miracle cure", "reason": "No change"})

    assert response.status_code == 422
    assert "The text is unchanged" in response.get_data(as_text=True)
    assert db.session.scalars(select(PostRevision)).all() == []


def test_a_moderator_can_hide_a_post_from_the_thread_page(client, login, reply, thread,
                                                          moderator):
    login(moderator)

    page = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert f"/mod/posts/{reply.id}/hide" in page


def test_a_hidden_posts_permalink_still_leads_to_its_place(new_client, reply, moderator):
    services.hide_post(moderator, reply, "Unproven claim")

    response = new_client().get(f"/p/{reply.id}")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#p{reply.id}")



def test_only_the_author_and_moderators_see_why_a_post_was_hidden(make, mod_category, author,
                                                                   moderator, browser):
    from forum.boards.models import Post
    from forum.extensions import db
    from forum.moderation import services as moderation

    thread = make.thread(category=mod_category, author=author, title="Reasons stay private")
    moderation.hide_post(moderator, db.session.get(Post, thread.last_post_id), "Names a nurse")
    other = make.user("bystander")
    assert "Names a nurse" in browser(author).get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Names a nurse" in browser(moderator).get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Names a nurse" not in browser(other).get(f"/t/{thread.id}").get_data(as_text=True)
