"""The home page: every category with its counts and latest post; open to everyone."""
from __future__ import annotations

from forum.boards import services


def page_text(response) -> str:
    return " ".join(response.get_data(as_text=True).split())


def test_home_lists_each_category_with_its_description(client, make):
    first = make.category(name="Treatments tried")
    second = make.category(name="Daily life")

    text = page_text(client.get("/"))

    assert f'href="/c/{first.slug}">Treatments tried</a>' in text
    assert f'href="/c/{second.slug}">Daily life</a>' in text
    assert "A place to talk." in text


def test_home_lists_categories_by_position(client, make):
    make.category(name="Shown second", position=2)
    make.category(name="Shown first", position=1)

    text = page_text(client.get("/"))

    assert text.index("Shown first") < text.index("Shown second")


def test_home_shows_thread_and_post_counts_of_a_category(client, make, category):
    make.thread(category=category, posts=3)
    make.thread(category=category, posts=1)

    assert "2 threads, 4 posts" in page_text(client.get("/"))


def test_home_counts_one_thread_and_one_post_in_the_singular(client, make, category):
    make.thread(category=category)

    assert "1 thread, 1 post" in page_text(client.get("/"))


def test_home_shows_the_latest_post_with_its_thread_title_and_author(
        client, make, category, member, other_member):
    make.thread(category=category, author=member, title="Older news")
    thread = make.thread(category=category, author=member, title="Balloon angioplasty, a year on")

    latest = services.reply(other_member, thread, "Same here.")

    text = page_text(client.get("/"))

    assert (f'Latest: <a href="/p/{latest.id}">Balloon angioplasty, a year on</a> by '
            '<a href="/u/heron">heron</a>'
            in text)
    assert "Older news" not in text


def test_home_says_no_posts_yet_for_an_empty_category(client, category):
    text = page_text(client.get("/"))

    assert "0 threads, 0 posts" in text
    assert "No posts yet." in text


def test_anonymous_visitor_can_read_home_category_and_thread_pages(client, make, category):
    thread = make.thread(category=category, title="Fatigue after the procedure",
                         body="It came back after six months.")

    home = client.get("/")
    listing = client.get(f"/c/{category.slug}")
    page = client.get(f"/t/{thread.id}")

    assert home.status_code == 200
    assert listing.status_code == 200
    assert "Fatigue after the procedure" in listing.get_data(as_text=True)
    assert page.status_code == 200
    assert "It came back after six months." in page.get_data(as_text=True)
