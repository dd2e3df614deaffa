"""Reading pages costs a fixed number of SQL statements, however much there is to show.

Each page is measured on a small forum, then again after it has grown (more
categories, threads, posts, and more distinct authors, clinic staff included);
the number of statements must stay the same.
"""
from __future__ import annotations

import pytest

from forum.boards import services
from forum.resources.models import Clinic

# What each page may cost, whatever its size. A member's pages cost more than a visitor's:
# the session and the member (2), the header's notices and due follow-ups (2), what they
# have read (home and category: 1; thread: the marks and their update, 2), and on a
# thread, marking its notifications read (1). A thread's reaction counts, with the
# member's own reactions and bookmarks, are one statement for everyone.
BUDGET = {
    ("home", "anonymous"): 3, ("home", "member"): 8,
    ("category", "anonymous"): 4, ("category", "member"): 9,
    ("thread", "anonymous"): 5, ("thread", "member"): 12, ("thread", "moderator"): 12,
}
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def measure(client, count_queries):
    """The SQL statements one GET runs (each request has its own database session)."""
    def run(url: str) -> list[str]:
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        return list(statements)

    return run


@pytest.fixture
def authors(make, db):
    clinic = Clinic(name="Vein Clinic Example")
    db.session.add(clinic)
    db.session.commit()
    return [make.user(), make.user(), make.user(role="moderator"),
            make.user(role="clinic_staff", clinic=clinic), make.user(role="admin")]


@pytest.fixture(params=["anonymous", "member"])
def reader(request, login, make):
    if request.param == "member":
        login(make.user("reader"))
    return request.param


def add_threads(make, category, authors, how_many: int) -> None:
    for index in range(how_many):
        thread = make.thread(category=category, author=authors[index % len(authors)])
        services.reply(authors[(index + 1) % len(authors)], thread, "A reply")


def test_home_page_statements_do_not_grow_with_categories_and_threads(
        make, measure, authors, reader):
    first = make.category()
    add_threads(make, first, authors, 2)
    few = measure("/")

    for _ in range(4):
        add_threads(make, make.category(), authors, 5)
    add_threads(make, first, authors, 18)
    many = measure("/")

    assert len(many) == len(few) <= BUDGET["home", reader], many


def test_category_page_statements_do_not_grow_with_threads(
        make, measure, authors, category, reader):
    add_threads(make, category, authors, 2)
    few = measure(f"/c/{category.slug}")

    add_threads(make, category, authors, 18)
    many = measure(f"/c/{category.slug}")

    assert len(many) == len(few) <= BUDGET["category", reader], many


def test_thread_page_statements_do_not_grow_with_posts_and_authors(
        make, measure, authors, category, reader):
    thread = make.thread(category=category, author=authors[0])
    for author in authors[1:3]:
        services.reply(author, thread, "A reply")
    few = measure(f"/t/{thread.id}")

    for index in range(22):
        services.reply(authors[index % len(authors)], thread, f"Reply {index}")
    many = measure(f"/t/{thread.id}")

    assert len(many) == len(few) <= BUDGET["thread", reader], many


def test_thread_page_statements_do_not_grow_for_a_moderator(
        make, login, measure, authors, category):
    thread = make.thread(category=category, author=authors[0])
    for author in authors[1:3]:
        services.reply(author, thread, "A reply")
    login(make.user("keeper", role="moderator"))
    few = measure(f"/t/{thread.id}")

    for index in range(22):
        post = services.reply(authors[index % len(authors)], thread, f"Reply {index}")
        if index % 3 == 0:
            services.edit_post(post.author, post, f"Reply {index}, edited")
        if index % 4 == 0:
            services.delete_post(post.author, post)
    many = measure(f"/t/{thread.id}")

    assert len(many) == len(few) <= BUDGET["thread", "moderator"], many


@pytest.mark.parametrize("page", ["home", "category", "thread"])
def test_anonymous_reading_never_writes_to_the_database(make, measure, authors, category, page):
    thread = make.thread(category=category, author=authors[0], posts=3)
    url = {"home": "/", "category": f"/c/{category.slug}", "thread": f"/t/{thread.id}"}[page]

    statements = measure(url)

    writes = [s for s in statements if s.lstrip().upper().startswith(WRITES)]
    assert statements and writes == []
