"""A form sent without its CSRF token saves nothing and hands back what was typed."""
from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from forum.boards.models import Post, Thread

LONG_STORY = ("I had the venous angioplasty in 2010. For three months my fatigue lifted, "
              "then it came back, and the scan showed restenosis. <Keep> \"this\" & 'that'.")


@pytest.fixture(autouse=True)
def signed_in(login, member):
    """Every test here is a signed-in member whose form lost its token."""
    login(member)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def keepsake(response) -> str:
    page = response.get_data(as_text=True)
    section = page.split('<h2 id="keepsake-heading">What you typed</h2>', 1)
    assert len(section) == 2, "the error page has no 'What you typed' section"
    return html.unescape(section[1].split("</section>", 1)[0])


def test_new_thread_without_a_token_is_refused_and_handed_back(
        client, db, category):
    response = client.post(f"/c/{category.slug}/new",
                           data={"title": "My liberation story", "body": LONG_STORY})

    assert response.status_code == 400
    assert "nothing was saved" in response.get_data(as_text=True)
    assert LONG_STORY in keepsake(response)
    assert "My liberation story" in keepsake(response)
    assert count(db, Thread) == 0 and count(db, Post) == 0


def test_reply_without_a_token_is_refused_and_handed_back(
        client, db, make, category):
    thread = make.thread(category=category)

    response = client.post(f"/t/{thread.id}/reply", data={"body": LONG_STORY})

    assert response.status_code == 400
    assert LONG_STORY in keepsake(response)
    assert count(db, Post) == 1


def test_reply_with_a_forged_token_is_refused_and_handed_back(
        client, db, make, category):
    thread = make.thread(category=category)

    response = client.post(f"/t/{thread.id}/reply",
                           data={"body": LONG_STORY, "csrf_token": "forged"})

    assert response.status_code == 400
    assert LONG_STORY in keepsake(response)
    assert count(db, Post) == 1


def test_edit_without_a_token_is_refused_and_the_post_kept(
        client, db, make, category, member):
    thread = make.thread(category=category, author=member, body="Original words")
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))

    response = client.post(f"/p/{post.id}/edit", data={"body": LONG_STORY})

    assert response.status_code == 400
    assert LONG_STORY in keepsake(response)
    db.session.expire_all()
    assert db.session.get(Post, post.id).body == "Original words"


def test_delete_without_a_token_is_refused(client, db, make, category, member):
    thread = make.thread(category=category, author=member, posts=2)
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id)
                             .order_by(Post.id.desc()))

    response = client.post(f"/p/{post.id}/delete")

    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Post, post.id).deleted_at is None
