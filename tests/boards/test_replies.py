"""Replying to a thread: POST /t/<id>/reply with `body`."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.boards.models import Post
from support import submit


def page_html(response) -> str:
    return response.get_data(as_text=True)


def reply(client, thread, body: str, **kwargs):
    return submit(client, f"/t/{thread.id}/reply", {"body": body},
                  form_page=f"/t/{thread.id}", **kwargs)


def count_posts(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Post))


@pytest.fixture
def thread(make, category, other_member):
    return make.thread(category=category, author=other_member, title="Heat and fatigue")


def test_reply_redirects_to_its_permalink(client, login, db, member, thread):
    login(member)

    response = reply(client, thread, "Cooling vests help me.")

    post = db.session.scalar(select(Post).where(Post.body == "Cooling vests help me."))
    assert response.status_code == 302
    assert response.location == f"/p/{post.id}"


def test_reply_appears_last_in_the_thread(client, login, member, thread):
    login(member)

    response = reply(client, thread, "Cooling vests help me.", follow_redirects=True)

    bodies = re.findall(r'<div class="post-body"><p>(.*?)</p>', page_html(response))
    assert bodies == ["Opening post", "Cooling vests help me."]


def test_empty_reply_shows_the_thread_again_with_a_message(client, login, db, member, thread):
    login(member)

    response = reply(client, thread, "")

    assert response.status_code == 422
    assert "<h1>Heat and fatigue</h1>" in page_html(response)
    assert "Write something before posting." in page_html(response)
    assert count_posts(db) == 1


def test_reply_of_only_spaces_is_refused_like_an_empty_one(client, login, db, member, thread):
    login(member)

    response = reply(client, thread, "  \n\t  ")

    assert response.status_code == 422
    assert "Write something before posting." in page_html(response)
    assert count_posts(db) == 1


def test_too_long_reply_is_refused_and_handed_back(client, login, db, member, thread):
    login(member)
    body = "x" * 20_001

    response = reply(client, thread, body)

    assert response.status_code == 422
    assert "Posts can be at most 20,000 characters." in page_html(response)
    assert body + "</textarea>" in page_html(response)
    assert count_posts(db) == 1


def test_reply_address_does_not_answer_get(client, login, member, thread):
    login(member)

    response = client.get(f"/t/{thread.id}/reply")

    assert response.status_code == 405
    assert "<h1>Heat and fatigue</h1>" not in page_html(response)


def test_anonymous_visitor_is_asked_to_sign_in_to_reply(client, thread):
    html = page_html(client.get(f"/t/{thread.id}"))

    assert "to reply." in html
    assert f'action="/t/{thread.id}/reply"' not in html


def test_reply_from_someone_signed_out_is_refused_and_handed_back(client, db, thread):
    response = submit(client, f"/t/{thread.id}/reply", {"body": "My long reply"},
                      form_page="/login")

    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "What you typed" in html and "My long reply" in html
    assert 'href="/login?next=' in html
    assert count_posts(db) == 1


def test_member_cannot_reply_to_a_locked_thread(client, login, db, member, thread):
    thread.is_locked = True
    db.session.commit()
    login(member)

    response = reply(client, thread, "Let me in")

    assert response.status_code == 403
    assert count_posts(db) == 1


def test_locked_thread_offers_members_no_reply_form(client, login, db, member, thread):
    thread.is_locked = True
    db.session.commit()
    login(member)

    html = page_html(client.get(f"/t/{thread.id}"))

    assert "This thread is locked: no new replies." in html
    assert f'action="/t/{thread.id}/reply"' not in html


def test_moderator_can_still_reply_to_a_locked_thread(client, login, db, moderator, thread):
    thread.is_locked = True
    db.session.commit()
    login(moderator)

    response = reply(client, thread, "Locked while we check the facts.")

    assert response.status_code == 302
    assert count_posts(db) == 2


def test_member_who_has_not_confirmed_their_email_cannot_reply(client, login, db, make, thread):
    login(make.user("newcomer", verified=False))

    response = reply(client, thread, "Hello")

    assert response.status_code == 403
    assert count_posts(db) == 1


def test_reply_to_an_unknown_thread_is_not_found(client, login, member, thread):
    login(member)

    response = submit(client, "/t/9999/reply", {"body": "Hello?"}, form_page=f"/t/{thread.id}")

    assert response.status_code == 404
