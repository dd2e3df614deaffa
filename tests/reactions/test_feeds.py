"""Atom feeds of the newest threads, site-wide and per category: valid Atom, escaped, and
nothing a visitor could not read on the site."""
from __future__ import annotations

import feedparser

from forum.moderation import services as moderation


def parsed(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    return feed


def titles(feed) -> list[str]:
    return [entry.title for entry in feed.entries]


def test_site_feed_is_valid_atom_with_the_newest_threads_first(client, make, category, author):
    for title in ("First thread", "Second thread", "Third thread"):
        make.thread(category=category, author=author, title=title)

    feed = parsed(client, "/feeds/latest.atom")

    assert titles(feed) == ["Third thread", "Second thread", "First thread"]
    assert feed.feed.title and feed.feed.updated and feed.feed.id
    assert any(link.rel == "self" and link.href.endswith("/feeds/latest.atom")
               for link in feed.feed.links)
    entry = feed.entries[0]
    assert entry.author == "river"
    assert entry.link.startswith("http") and "/t/" in entry.link and entry.id and entry.updated


def test_site_feed_holds_at_most_thirty_threads(client, make, category, author):
    for index in range(32):
        make.thread(category=category, author=author, title=f"Thread {index:02}")

    feed = parsed(client, "/feeds/latest.atom")

    assert len(feed.entries) == 30 and feed.entries[0].title == "Thread 31"


def test_feed_carries_the_opening_post_as_escaped_html(client, make, category, author):
    make.thread(category=category, author=author, title="Vests",
                body="A **cooling** vest <script>alert(1)</script>")

    response = client.get("/feeds/latest.atom")

    xml = response.get_data(as_text=True)
    assert "<script>" not in xml and "<strong>" not in xml
    assert "&lt;strong&gt;cooling&lt;/strong&gt;" in xml
    content = feedparser.parse(response.get_data()).entries[0].content[0]
    assert content.type == "text/html" and "<strong>cooling</strong>" in content.value


def test_feed_escapes_titles(client, make, category, author):
    make.thread(category=category, author=author, title='Heat & "fatigue" <b>now</b>')

    response = client.get("/feeds/latest.atom")

    assert "&lt;b&gt;now&lt;/b&gt;" in response.get_data(as_text=True)
    assert titles(feedparser.parse(response.get_data())) == ['Heat & "fatigue" <b>now</b>']


def test_feed_leaves_out_deleted_waiting_and_hidden_threads(
        client, make, db, category, author, moderator):
    make.thread(category=category, author=author, title="Shown to all")
    deleted = make.thread(category=category, author=author, title="Deleted thread")
    moderation.delete_thread(moderator, deleted, "Spam")
    hidden = make.thread(category=category, author=author, title="Hidden opening post")
    moderation.hide_post(moderator, hidden.last_post, "Unkind")
    db.session.commit()
    make.setting("approval_posts", "3")
    make.thread(category=category, author=make.user("newcomer"), title="Waiting thread")

    feed = parsed(client, "/feeds/latest.atom")

    assert titles(feed) == ["Shown to all"]


def test_category_feed_holds_only_its_category(client, make, category, author):
    make.thread(category=category, author=author, title="About MS")
    make.thread(category=make.category(slug="ccsvi"), author=author, title="About CCSVI")

    feed = parsed(client, f"/c/{category.slug}/feed.atom")

    assert titles(feed) == ["About MS"]
    assert "Living with MS" in feed.feed.title


def test_feed_of_an_unknown_category_is_not_found(client):
    assert client.get("/c/no-such-place/feed.atom").status_code == 404


def test_feed_is_atom_and_shareable_by_caches(client, make, category, author):
    make.thread(category=category, author=author)

    response = client.get("/feeds/latest.atom")

    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert response.headers["Cache-Control"].startswith("public")
    assert "Set-Cookie" not in response.headers
    again = client.get("/feeds/latest.atom", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_pages_link_to_the_feeds_in_their_head(client, category, thread):
    home = client.get("/").get_data(as_text=True)
    listing = client.get(f"/c/{category.slug}").get_data(as_text=True)

    feed_link = 'rel="alternate" type="application/atom+xml"'
    assert feed_link in home and 'href="/feeds/latest.atom"' in home
    assert f'href="/c/{category.slug}/feed.atom"' not in home
    assert f'href="/c/{category.slug}/feed.atom"' in listing


def test_a_thread_page_links_to_its_categorys_feed(client, category, thread):
    html = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert f'href="/c/{category.slug}/feed.atom"' in html
