"""Deleting a post at /p/<id>/delete: a soft delete that leaves a "removed" mark."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.boards import services
from forum.boards.models import Post, Thread
from support import submit


def page_html(response) -> str:
    return response.get_data(as_text=True)


def delete(client, post, **kwargs):
    return submit(client, f"/p/{post.id}/delete", **kwargs)


def listed_titles(response) -> list[str]:
    return re.findall(r'<h2 class="thread-title">.*?<a href="/t/[^"]+">([^<]+)</a>',
                      page_html(response), re.S)


@pytest.fixture
def thread(make, category, other_member):
    return make.thread(category=category, author=other_member, title="Relapse after stenting")


@pytest.fixture
def post(member, thread):
    """A reply by `member`, the post most tests delete."""
    return services.reply(member, thread, "My neurologist says this is a relapse.")


def test_delete_page_asks_for_confirmation_and_deletes_nothing(client, login, db, member, post):
    login(member)

    response = client.get(f"/p/{post.id}/delete")

    assert response.status_code == 200
    assert "Delete this post?" in page_html(response)
    assert "My neurologist says this is a relapse." in page_html(response)
    db.session.expire_all()
    assert db.session.get(Post, post.id).deleted_at is None


def test_author_deletes_own_post_and_is_taken_back_to_its_place(client, login, member, post):
    login(member)

    response = delete(client, post)

    assert response.status_code == 302
    assert response.location == f"/p/{post.id}"


def test_deleted_post_shows_as_removed_by_its_author(client, login, member, post, thread):
    login(member)

    delete(client, post)

    assert "This post was removed by its author." in page_html(client.get(f"/t/{thread.id}"))


def test_deleted_post_text_is_no_longer_shown_to_members(
        client, login, member, other_member, post, thread):
    services.delete_post(member, post)

    anonymous_page = page_html(client.get(f"/t/{thread.id}"))
    login(other_member)
    member_page = page_html(client.get(f"/t/{thread.id}"))

    assert "My neurologist says this is a relapse." not in anonymous_page
    assert "My neurologist says this is a relapse." not in member_page


def test_deleted_post_text_is_not_shown_to_its_author_either(
        client, login, member, post, thread):
    services.delete_post(member, post)
    login(member)

    assert "My neurologist says this is a relapse." not in page_html(
        client.get(f"/t/{thread.id}"))


def test_deleted_post_stays_in_the_database(client, login, db, member, post):
    login(member)

    delete(client, post)

    db.session.expire_all()
    kept = db.session.get(Post, post.id)
    assert kept.body == "My neurologist says this is a relapse."
    assert kept.deleted_at is not None
    assert kept.deleted_by_id == member.id


def test_moderator_can_still_read_a_removed_post(client, login, member, moderator, post, thread):
    services.delete_post(member, post)
    login(moderator)

    html = page_html(client.get(f"/t/{thread.id}"))

    assert "This post was removed by its author." in html
    assert "My neurologist says this is a relapse." in html


def test_post_removed_by_a_moderator_does_not_say_by_its_author(
        client, login, moderator, post, thread):
    login(moderator)

    submit(client, f"/mod/posts/{post.id}/delete", {"reason": "Advertises a clinic"})

    html = page_html(client.get(f"/t/{thread.id}"))
    assert "This post was removed." in html
    assert "removed by its author" not in html


def test_another_member_cannot_delete_a_post(client, login, db, other_member, post):
    login(other_member)

    assert client.get(f"/p/{post.id}/delete").status_code == 403
    response = delete(client, post, form_page=f"/t/{post.thread_id}")

    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Post, post.id).deleted_at is None


def test_anonymous_visitor_is_sent_to_sign_in_to_delete(client, post):
    response = client.get(f"/p/{post.id}/delete")

    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_deleted_post_cannot_be_edited_by_its_author(client, login, member, post):
    services.delete_post(member, post)
    login(member)

    assert client.get(f"/p/{post.id}/edit").status_code == 403


def test_deleting_a_deleted_post_again_is_a_conflict(client, login, member, post):
    services.delete_post(member, post)
    login(member)

    assert client.get(f"/p/{post.id}/delete").status_code == 409


def test_deleting_the_opening_post_of_an_answered_thread_keeps_the_thread(
        client, login, db, other_member, post, thread, category):
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id)
                                .order_by(Post.id))
    login(other_member)

    delete(client, opening)

    assert listed_titles(client.get(f"/c/{category.slug}")) == ["Relapse after stenting"]
    html = page_html(client.get(f"/t/{thread.id}"))
    assert "This post was removed by its author." in html
    assert "My neurologist says this is a relapse." in html


def test_deleting_the_only_post_removes_the_thread_from_its_category(
        client, login, db, make, category, member):
    make.thread(category=category, title="Another thread stays")
    lonely = make.thread(category=category, author=member, title="Nobody answered")
    opening = db.session.scalar(select(Post).where(Post.thread_id == lonely.id))
    login(member)

    response = delete(client, opening)

    assert response.status_code == 302
    assert response.location == f"/c/{category.slug}"
    assert listed_titles(client.get(f"/c/{category.slug}")) == ["Another thread stays"]
    db.session.expire_all()
    assert db.session.get(Thread, lonely.id).deleted_at is not None


def test_thread_whose_only_post_was_deleted_is_not_found_for_members(
        client, login, db, make, category, member):
    lonely = make.thread(category=category, author=member)
    services.delete_post(member, db.session.scalar(select(Post).where(Post.thread_id == lonely.id)))

    assert client.get(f"/t/{lonely.id}").status_code == 404
    login(member)
    assert client.get(f"/t/{lonely.id}").status_code == 404
