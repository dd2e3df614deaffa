"""/p/<id>: a post's permanent address, redirecting to its thread page and anchor."""
from __future__ import annotations

from sqlalchemy import select

from forum.boards import services
from forum.boards.models import Post


def posts_of(db, thread) -> list[Post]:
    return list(db.session.scalars(select(Post).where(Post.thread_id == thread.id)
                                   .order_by(Post.id)))


def test_permalink_of_a_post_on_the_first_page_points_to_its_anchor(client, db, make, category):
    thread = make.thread(category=category, title="Stenting questions", posts=3)
    second = posts_of(db, thread)[1]

    response = client.get(f"/p/{second.id}")

    assert response.status_code == 302
    assert response.location == f"/t/{thread.id}/stenting-questions#p{second.id}"


def test_permalink_of_the_27th_post_points_to_page_2(client, db, make, category):
    thread = make.thread(category=category, title="Long running thread", posts=27)
    twenty_seventh = posts_of(db, thread)[26]

    response = client.get(f"/p/{twenty_seventh.id}")

    assert response.location == (
        f"/t/{thread.id}/long-running-thread?page=2#p{twenty_seventh.id}")


def test_permalink_of_the_25th_post_stays_on_page_1(client, db, make, category):
    thread = make.thread(category=category, title="Long running thread", posts=26)
    twenty_fifth = posts_of(db, thread)[24]

    assert client.get(f"/p/{twenty_fifth.id}").location == (
        f"/t/{thread.id}/long-running-thread#p{twenty_fifth.id}")


def test_permalink_lands_on_the_page_that_shows_the_post(client, db, make, category):
    thread = make.thread(category=category, posts=27)
    last = posts_of(db, thread)[-1]

    page = client.get(f"/p/{last.id}", follow_redirects=True)

    assert page.status_code == 200
    assert f'id="p{last.id}"' in page.get_data(as_text=True)


def test_permalink_counts_removed_posts_which_keep_their_place(
        client, db, make, category, member):
    thread = make.thread(category=category, author=member, title="Long running thread",
                         posts=27)
    posts = posts_of(db, thread)
    services.delete_post(member, posts[3])

    assert client.get(f"/p/{posts[26].id}").location == (
        f"/t/{thread.id}/long-running-thread?page=2#p{posts[26].id}")


def test_permalink_of_an_unknown_post_is_not_found(client):
    assert client.get("/p/9999").status_code == 404


def test_permalink_into_a_removed_thread_is_not_found_for_members(
        client, login, db, make, category, member):
    thread = make.thread(category=category, author=member)
    opening = posts_of(db, thread)[0]
    services.delete_post(member, opening)
    login(member)

    assert client.get(f"/p/{opening.id}").status_code == 404
