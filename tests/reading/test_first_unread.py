"""Jump to the first unread post: GET /t/<id>/unread, and the "New" marks on a thread page."""
from __future__ import annotations

import re

import pytest


@pytest.fixture
def config_overrides():
    return {"POSTS_PER_PAGE": 2}


def test_jump_lands_on_the_first_post_after_the_read_position(client, login, make, reader,
                                                             writer, category):
    thread = make.thread(category=category, author=writer, posts=2)
    login(reader)
    client.get(f"/t/{thread.id}")
    first_new = make.reply(thread, author=writer)
    make.reply(thread, author=writer)

    response = client.get(f"/t/{thread.id}/unread")

    assert response.status_code == 302
    assert response.location == f"/p/{first_new.id}"
    landed = client.get(response.location)
    assert landed.location.endswith(f"?page=2#p{first_new.id}")


def test_jump_goes_to_the_last_post_when_all_is_read(client, login, make, reader, writer,
                                                     category):
    thread = make.thread(category=category, author=writer, posts=3)
    login(reader)
    client.get(f"/t/{thread.id}?page=2")

    response = client.get(f"/t/{thread.id}/unread")

    assert response.location == f"/p/{thread.last_post_id}"


def test_jump_starts_a_never_read_thread_at_the_top(client, login, make, reader, writer,
                                                    category):
    thread = make.thread(category=category, author=writer, title="Heat waves", posts=3)
    login(reader)

    response = client.get(f"/t/{thread.id}/unread")

    assert response.location == f"/t/{thread.id}/heat-waves"


def test_a_visitor_jumping_gets_the_thread(client, make, writer, category):
    thread = make.thread(category=category, author=writer, title="Heat waves", posts=3)

    response = client.get(f"/t/{thread.id}/unread")

    assert response.location == f"/t/{thread.id}/heat-waves"
    assert "Set-Cookie" not in response.headers


def test_new_posts_are_marked_and_the_first_carries_the_anchor(client, login, make, reader,
                                                              writer, category):
    thread = make.thread(category=category, author=writer)
    login(reader)
    client.get(f"/t/{thread.id}")
    first_new = make.reply(thread, author=writer)

    html = client.get(f"/t/{thread.id}").get_data(as_text=True)

    posts = re.split(r'<li class="post[^"]*" id="p', html)[1:]
    marked = [post.split('"', 1)[0] for post in posts if 'class="post-new"' in post]
    assert marked == [str(first_new.id)]
    assert 'class="post-new" id="first-unread"' in posts[1]
