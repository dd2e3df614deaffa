"""Mark all read, in one category (POST /c/<slug>/read) or everywhere (POST /read)."""
from __future__ import annotations

from sqlalchemy import func, select
from support import submit

from forum.boards.models import CategoryRead


def marked_threads(client, url: str) -> int:
    return client.get(url).get_data(as_text=True).count("badge-new")


def test_marking_a_category_read_clears_its_marks(client, login, make, reader, writer,
                                                  category):
    make.thread(category=category, author=writer, posts=2)
    make.thread(category=category, author=writer)
    login(reader)
    assert marked_threads(client, f"/c/{category.slug}") == 2

    response = submit(client, f"/c/{category.slug}/read", form_page=f"/c/{category.slug}")

    assert response.status_code == 302
    assert marked_threads(client, f"/c/{category.slug}") == 0


def test_marking_a_category_read_leaves_later_replies_new(client, login, make, reader,
                                                          writer, category):
    thread = make.thread(category=category, author=writer, posts=2)
    login(reader)
    submit(client, f"/c/{category.slug}/read", form_page=f"/c/{category.slug}")

    make.reply(thread, author=writer)

    assert "1 new<span" in client.get(f"/c/{category.slug}").get_data(as_text=True)


def test_marking_everything_read_clears_every_category(client, login, make, reader, writer,
                                                       category):
    other = make.category(slug="treatments", name="Treatments")
    for place in (category, other):
        make.thread(category=place, author=writer)
    login(reader)
    assert marked_threads(client, "/") == 2

    response = submit(client, "/read", form_page="/")

    assert response.status_code == 302
    assert marked_threads(client, "/") == 0
    assert marked_threads(client, f"/c/{other.slug}") == 0


def test_a_visitor_cannot_mark_anything_read(client, make, db, category):
    client.post("/read")
    response = client.post(f"/c/{category.slug}/read")

    assert response.status_code in (400, 401)
    assert db.session.scalar(select(func.count()).select_from(CategoryRead)) == 0
