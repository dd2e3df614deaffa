"""What's new costs a fixed number of statements for members, and nothing for visitors."""
from __future__ import annotations

import pytest

from forum.boards import extras, reading

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def measure(client, count_queries):
    def run(url: str, status: int = 200) -> list[str]:
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == status, url
        return list(statements)

    return run


def grow(make, category, authors, how_many: int, client=None) -> None:
    """Threads with replies; the reader opens every other one (read marks to look up)."""
    for index in range(how_many):
        thread = make.thread(category=category, author=authors[index % 2], posts=2)
        make.reply(thread, author=authors[(index + 1) % 2])
        if client is not None and index % 2 == 0:
            client.get(f"/t/{thread.id}")


def test_category_page_statements_for_a_member_do_not_grow_with_threads_and_marks(
        client, login, make, measure, reader, writer, category):
    authors = [writer, make.user()]
    login(reader)
    grow(make, category, authors, 2, client)
    few = measure(f"/c/{category.slug}")

    grow(make, category, authors, 12, client)
    grow(make, make.category(slug="elsewhere"), authors, 3, client)
    many = measure(f"/c/{category.slug}")

    assert len(many) == len(few), many


def test_home_page_statements_for_a_member_do_not_grow_with_categories(
        client, login, make, measure, reader, writer, category):
    authors = [writer, make.user()]
    login(reader)
    grow(make, category, authors, 2, client)
    few = measure("/")

    for _ in range(3):
        grow(make, make.category(), authors, 4, client)
    many = measure("/")

    assert len(many) == len(few), many


@pytest.mark.parametrize("page", ["home", "category", "thread"])
def test_visitors_pages_cost_what_they_cost_without_whats_new(
        client, make, measure, writer, category, monkeypatch, page):
    thread = make.thread(category=category, author=writer, posts=3)
    url = {"home": "/", "category": f"/c/{category.slug}", "thread": f"/t/{thread.id}"}[page]
    with_reading = measure(url)

    mine = {reading._thread_page, reading._category_page, reading._home_page}
    for providers in ("_THREAD", "_CATEGORY", "_HOME"):
        monkeypatch.setattr(extras, providers,
                            [p for p in getattr(extras, providers) if p not in mine])
    without = measure(url)

    assert with_reading == without


@pytest.mark.parametrize("path", ["", "/unread"])
def test_a_visitors_thread_page_and_jump_write_nothing(make, measure, writer, category, path):
    thread = make.thread(category=category, author=writer, posts=3)

    statements = measure(f"/t/{thread.id}{path}", status=302 if path else 200)

    writes = [s for s in statements if s.lstrip().upper().startswith(WRITES)]
    assert statements and writes == []
