"""A category page: its threads, pinned first, then the most recently active; in pages."""
from __future__ import annotations

import re

import pytest

from forum.boards import services


@pytest.fixture
def config_overrides():
    return {"THREADS_PER_PAGE": 3}


def listed_titles(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<h2 class="thread-title">.*?<a href="/t/[^"]+">([^<]+)</a>', html, re.S)


def test_category_lists_its_threads(client, make, category):
    make.thread(category=category, title="Heat and symptoms")
    make.thread(title="Somewhere else entirely")

    response = client.get(f"/c/{category.slug}")

    assert response.status_code == 200
    assert listed_titles(response) == ["Heat and symptoms"]


def test_category_says_so_when_it_has_no_threads(client, category):
    response = client.get(f"/c/{category.slug}")

    assert response.status_code == 200
    assert "No threads here yet." in response.get_data(as_text=True)


def test_category_lists_threads_by_last_activity_newest_first(client, make, category):
    for title in ("First thread", "Second thread", "Third thread"):
        make.thread(category=category, title=title)

    assert listed_titles(client.get(f"/c/{category.slug}")) == [
        "Third thread", "Second thread", "First thread"]


def test_reply_bumps_a_thread_to_the_top_of_its_category(client, make, category, member):
    oldest = make.thread(category=category, title="Oldest thread")
    make.thread(category=category, title="Middle thread")
    make.thread(category=category, title="Newest thread")

    services.reply(member, oldest, "Bumping this with news.")

    assert listed_titles(client.get(f"/c/{category.slug}")) == [
        "Oldest thread", "Newest thread", "Middle thread"]


def test_category_lists_pinned_threads_first(client, make, db, category):
    pinned = make.thread(category=category, title="Read this first")
    make.thread(category=category, title="Newer chatter")
    pinned.is_pinned = True
    db.session.commit()

    response = client.get(f"/c/{category.slug}")

    assert listed_titles(response) == ["Read this first", "Newer chatter"]
    assert '<span class="badge">Pinned</span>' in response.get_data(as_text=True)


def test_category_shows_threads_per_page_newest_on_the_first(client, make, category):
    for number in range(1, 6):
        make.thread(category=category, title=f"Thread number {number}")

    first = client.get(f"/c/{category.slug}")
    second = client.get(f"/c/{category.slug}?page=2")

    assert listed_titles(first) == ["Thread number 5", "Thread number 4", "Thread number 3"]
    assert second.status_code == 200
    assert listed_titles(second) == ["Thread number 2", "Thread number 1"]


def test_category_links_to_its_next_page(client, make, category):
    for _ in range(4):
        make.thread(category=category)

    html = client.get(f"/c/{category.slug}").get_data(as_text=True)

    assert f'href="/c/{category.slug}?page=2" rel="next"' in html


def test_category_page_beyond_the_last_is_not_found(client, make, category):
    for _ in range(4):
        make.thread(category=category)

    assert client.get(f"/c/{category.slug}?page=3").status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1.5"])
def test_category_page_that_is_not_a_positive_number_is_not_found(client, category, page):
    assert client.get(f"/c/{category.slug}?page={page}").status_code == 404


def test_unknown_category_is_not_found(client):
    response = client.get("/c/no-such-place")

    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
