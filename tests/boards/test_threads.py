"""Starting a thread at /c/<slug>/new, and reading one at /t/<id>."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.boards import services
from forum.boards.models import Post, Thread
from support import submit


def page_html(response) -> str:
    return response.get_data(as_text=True)


def post_bodies(response) -> list[str]:
    return re.findall(r'<div class="post-body"><p>(.*?)</p>', page_html(response), re.S)


def count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# Starting a thread ---------------------------------------------------------------------

def test_member_who_starts_a_thread_is_taken_to_it(client, login, db, category, member):
    login(member)

    response = submit(client, f"/c/{category.slug}/new",
                      {"title": "Stent at 41: my story", "body": "Here is what happened."})

    thread = db.session.scalar(select(Thread))
    assert response.status_code == 302
    assert response.location == f"/t/{thread.id}/stent-at-41-my-story"


def test_new_thread_shows_its_title_and_opening_post(client, login, category, member):
    login(member)

    response = submit(client, f"/c/{category.slug}/new",
                      {"title": "Stent at 41: my story", "body": "Here is what happened."},
                      follow_redirects=True)

    assert response.status_code == 200
    assert "<h1>Stent at 41: my story</h1>" in page_html(response)
    assert post_bodies(response) == ["Here is what happened."]


def test_new_thread_is_listed_in_its_category(client, login, category, member):
    login(member)

    submit(client, f"/c/{category.slug}/new",
           {"title": "Vitamin D levels", "body": "Does anyone track theirs?"})

    assert "Vitamin D levels" in page_html(client.get(f"/c/{category.slug}"))


def test_anonymous_visitor_is_sent_to_sign_in_to_start_a_thread(client, category):
    response = client.get(f"/c/{category.slug}/new")

    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_anonymous_post_of_a_new_thread_creates_nothing(client, db, category):
    response = submit(client, f"/c/{category.slug}/new",
                      {"title": "Sneaky thread", "body": "Hello"}, form_page="/login")

    assert response.status_code == 401
    assert "Sneaky thread" in response.get_data(as_text=True)
    assert count(db, Thread) == 0


def test_member_who_has_not_confirmed_their_email_cannot_start_a_thread(
        client, login, make, category):
    login(make.user("newcomer", verified=False))

    assert client.get(f"/c/{category.slug}/new").status_code == 403


def test_new_thread_in_an_unknown_category_is_not_found(client, login, member):
    login(member)

    assert client.get("/c/no-such-place/new").status_code == 404


def test_thread_without_a_title_is_refused_and_keeps_the_body(
        client, login, db, category, member):
    login(member)

    response = submit(client, f"/c/{category.slug}/new",
                      {"title": "", "body": "A long story I do not want to lose."})

    assert response.status_code == 422
    assert "Give the thread a title." in page_html(response)
    assert "A long story I do not want to lose.</textarea>" in page_html(response)
    assert count(db, Thread) == 0


def test_thread_with_a_too_short_title_is_refused_and_keeps_what_was_typed(
        client, login, db, category, member):
    login(member)

    response = submit(client, f"/c/{category.slug}/new",
                      {"title": "MS", "body": "My first post here."})

    assert response.status_code == 422
    assert "Give the thread a title of at least 5 characters." in page_html(response)
    assert 'value="MS"' in page_html(response)
    assert "My first post here.</textarea>" in page_html(response)
    assert count(db, Thread) == 0


def test_thread_with_an_empty_body_is_refused_and_keeps_the_title(
        client, login, db, category, member):
    login(member)

    response = submit(client, f"/c/{category.slug}/new",
                      {"title": "Questions about heat", "body": "   "})

    assert response.status_code == 422
    assert "Write something before posting." in page_html(response)
    assert 'value="Questions about heat"' in page_html(response)
    assert count(db, Thread) == 0


def test_thread_with_a_body_over_20000_characters_is_refused_and_keeps_it(
        client, login, db, category, member):
    login(member)
    body = "word " * 4000 + "end"  # 20,003 characters

    response = submit(client, f"/c/{category.slug}/new",
                      {"title": "A very long account", "body": body})

    assert response.status_code == 422
    assert "Posts can be at most 20,000 characters." in page_html(response)
    assert body + "</textarea>" in page_html(response)
    assert count(db, Thread) == 0 and count(db, Post) == 0


def test_thread_with_a_title_over_200_characters_is_refused_and_keeps_the_body(
        client, login, db, category, member):
    login(member)

    response = submit(client, f"/c/{category.slug}/new",
                      {"title": "Long " * 41, "body": "The story itself."})

    assert response.status_code == 422
    assert "Keep the title under 200 characters." in page_html(response)
    assert "The story itself.</textarea>" in page_html(response)
    assert count(db, Thread) == 0


def test_thread_title_is_kept_free_of_extra_whitespace(client, login, db, category, member):
    login(member)

    submit(client, f"/c/{category.slug}/new",
           {"title": "  Cold   feet  \n after stenting ", "body": "Anyone else?"})

    assert db.session.scalar(select(Thread.title)) == "Cold feet after stenting"


# Reading a thread ----------------------------------------------------------------------

def test_thread_page_shows_posts_in_the_order_they_were_written(
        client, make, category, member, other_member):
    thread = make.thread(category=category, author=member, body="The opening post")
    services.reply(other_member, thread, "The first answer")
    services.reply(member, thread, "The second answer")

    response = client.get(f"/t/{thread.id}")

    assert post_bodies(response) == ["The opening post", "The first answer", "The second answer"]


def test_thread_page_shows_who_wrote_each_post(client, make, category, member, other_member):
    thread = make.thread(category=category, author=member)
    services.reply(other_member, thread, "An answer")

    html = page_html(client.get(f"/t/{thread.id}"))

    assert re.findall(r'class="author-name">([^<]+)</a>', html) == ["river", "heron"]


def test_thread_page_holds_25_posts_and_the_rest_on_the_next(client, make, category):
    thread = make.thread(category=category, posts=27)

    first = client.get(f"/t/{thread.id}")
    second = client.get(f"/t/{thread.id}?page=2")

    assert len(post_bodies(first)) == 25
    assert post_bodies(first)[-1] == "Reply number 24"
    assert second.status_code == 200
    assert post_bodies(second) == ["Reply number 25", "Reply number 26"]


def test_thread_is_found_with_and_without_its_slug(client, make, category):
    thread = make.thread(category=category, title="Brave Dreams results")

    bare = client.get(f"/t/{thread.id}")
    with_slug = client.get(f"/t/{thread.id}/brave-dreams-results")

    assert bare.status_code == 200
    assert with_slug.status_code == 200
    assert "<h1>Brave Dreams results</h1>" in page_html(bare)
    assert "<h1>Brave Dreams results</h1>" in page_html(with_slug)


def test_unknown_thread_is_not_found(client):
    assert client.get("/t/9999").status_code == 404
    assert client.get("/t/9999/some-title").status_code == 404


def test_thread_page_beyond_the_last_is_not_found(client, make, category):
    thread = make.thread(category=category, posts=3)

    assert client.get(f"/t/{thread.id}?page=2").status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc"])
def test_thread_page_that_is_not_a_positive_number_is_not_found(client, make, category, page):
    thread = make.thread(category=category)

    assert client.get(f"/t/{thread.id}?page={page}").status_code == 404
