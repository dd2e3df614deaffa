"""Editing a post at /p/<id>/edit; earlier versions are kept for moderators."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.boards import services
from forum.boards.models import Post, PostRevision
from support import submit


def page_html(response) -> str:
    return response.get_data(as_text=True)


def edit(client, post, body: str, reason: str | None = None, **kwargs):
    data = {"body": body} if reason is None else {"body": body, "reason": reason}
    return submit(client, f"/p/{post.id}/edit", data, **kwargs)


def revisions_of(db, post) -> list[PostRevision]:
    return list(db.session.scalars(
        select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.id)))


@pytest.fixture
def thread(make, category, member):
    return make.thread(category=category, author=member, body="I had the procedure in May.")


@pytest.fixture
def post(db, thread):
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id))


def reload(db, post) -> Post:
    db.session.expire_all()
    return db.session.get(Post, post.id)


def test_edit_form_shows_the_current_text(client, login, member, post):
    login(member)

    response = client.get(f"/p/{post.id}/edit")

    assert response.status_code == 200
    assert "I had the procedure in May.</textarea>" in page_html(response)


def test_author_edits_own_post_and_the_thread_shows_the_new_text(
        client, login, db, member, post, thread):
    login(member)

    response = edit(client, post, "I had the procedure in June.")

    assert response.status_code == 302
    assert response.location == f"/p/{post.id}"
    page = page_html(client.get(f"/t/{thread.id}"))
    assert "I had the procedure in June." in page
    assert "I had the procedure in May." not in page
    assert reload(db, post).body == "I had the procedure in June."


def test_edited_post_is_marked_as_edited(client, login, member, post, thread):
    assert 'class="edited"' not in page_html(client.get(f"/t/{thread.id}"))
    login(member)

    edit(client, post, "I had the procedure in June.")

    assert '<span class="edited">edited' in page_html(client.get(f"/t/{thread.id}"))


def test_edit_keeps_the_earlier_version(client, login, db, member, post):
    login(member)

    edit(client, post, "I had the procedure in June.")

    [revision] = revisions_of(db, post)
    assert revision.body == "I had the procedure in May."
    assert revision.body_html == "<p>I had the procedure in May.</p>\n"
    assert revision.replaced_by_id == member.id


def test_each_edit_keeps_one_more_version(client, login, db, member, post):
    login(member)

    edit(client, post, "Second version")
    edit(client, post, "Third version")

    assert [r.body for r in revisions_of(db, post)] == [
        "I had the procedure in May.", "Second version"]


def test_saving_the_same_text_keeps_no_new_version(client, login, db, member, post, thread):
    login(member)

    edit(client, post, "I had the procedure in May.")

    assert revisions_of(db, post) == []
    assert 'class="edited"' not in page_html(client.get(f"/t/{thread.id}"))


def test_edit_to_empty_text_is_refused_and_the_post_kept(client, login, db, member, post):
    login(member)

    response = edit(client, post, "   ")

    assert response.status_code == 422
    assert "Write something before posting." in page_html(response)
    assert reload(db, post).body == "I had the procedure in May."
    assert revisions_of(db, post) == []


def test_moderator_sees_the_earlier_versions_of_a_post(client, login, member, moderator, post):
    services.edit_post(member, post, "I had the procedure in June.")
    login(moderator)

    response = client.get(f"/p/{post.id}/revisions")

    assert response.status_code == 200
    html = page_html(response)
    assert "I had the procedure in June." in html
    assert "I had the procedure in May." in html
    assert 'replaced by <a href="/u/river">river</a>' in html


def test_moderator_is_offered_the_earlier_versions_on_the_thread_page(
        client, login, member, moderator, post, thread):
    services.edit_post(member, post, "I had the procedure in June.")
    login(moderator)

    assert f'href="/p/{post.id}/revisions"' in page_html(client.get(f"/t/{thread.id}"))


def test_member_cannot_see_earlier_versions_even_of_own_post(client, login, member, post):
    services.edit_post(member, post, "I had the procedure in June.")
    login(member)

    response = client.get(f"/p/{post.id}/revisions")

    assert response.status_code == 403
    assert "I had the procedure in May." not in page_html(response)


def test_anonymous_visitor_is_sent_to_sign_in_for_earlier_versions(client, post):
    response = client.get(f"/p/{post.id}/revisions")

    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_another_member_cannot_edit_a_post(client, login, db, other_member, post):
    login(other_member)

    assert client.get(f"/p/{post.id}/edit").status_code == 403
    response = edit(client, post, "Vandalised", form_page=f"/t/{post.thread_id}")

    assert response.status_code == 403
    assert reload(db, post).body == "I had the procedure in May."


def test_another_member_is_not_offered_an_edit_link(client, login, other_member, post, thread):
    login(other_member)

    assert f'href="/p/{post.id}/edit"' not in page_html(client.get(f"/t/{thread.id}"))


def test_moderator_can_edit_anyone_s_post(client, login, db, moderator, post):
    login(moderator)

    response = edit(client, post, "Edited by a moderator: clinic advert removed.",
                    reason="Advertising")

    assert response.status_code == 302
    assert reload(db, post).body == "Edited by a moderator: clinic advert removed."
    [revision] = revisions_of(db, post)
    assert revision.replaced_by_id == moderator.id
    assert revision.reason == "Advertising"


def test_moderator_editing_someone_else_s_post_must_give_a_reason(client, login, db,
                                                                  moderator, post):
    login(moderator)

    response = edit(client, post, "Edited without saying why.")

    assert response.status_code == 422
    assert "Say why" in response.get_data(as_text=True)
    assert reload(db, post).body != "Edited without saying why."


def test_anonymous_visitor_is_sent_to_sign_in_to_edit(client, post):
    response = client.get(f"/p/{post.id}/edit")

    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_author_cannot_edit_a_post_in_a_locked_thread(client, login, db, member, post, thread):
    thread.is_locked = True
    db.session.commit()
    login(member)

    assert client.get(f"/p/{post.id}/edit").status_code == 403


def test_editing_an_unknown_post_is_not_found(client, login, member):
    login(member)

    assert client.get("/p/9999/edit").status_code == 404
