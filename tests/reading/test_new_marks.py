"""Category and home pages mark, for members, the threads and categories with new posts."""
from __future__ import annotations

import re
from datetime import timedelta

from forum.moderation import services as moderation
from forum.timeutil import utcnow


def new_marks(client, category) -> dict[str, str]:
    """Thread title -> its "N new" mark on the category page ("" when it has none)."""
    html = client.get(f"/c/{category.slug}").get_data(as_text=True)
    marks = {}
    for item in re.findall(r'<li class="thread-item">(.*?)</li>', html, re.S):
        title = re.search(r'<a href="/t/[^"]*">([^<]*)</a>', item).group(1)
        count = re.search(r"(\d+) new<span", item)
        marks[title] = count.group(1) if count else ""
    return marks


def test_a_reply_by_someone_else_shows_one_new(client, login, make, db, reader, writer,
                                                category):
    thread = make.thread(category=category, author=writer, title="Cooling vests")
    login(reader)
    client.get(f"/t/{thread.id}")

    make.reply(thread, author=writer)

    assert new_marks(client, category) == {"Cooling vests": "1"}


def test_a_thread_read_to_its_end_has_no_mark(client, login, make, reader, writer, category):
    thread = make.thread(category=category, author=writer, title="Cooling vests", posts=3)
    login(reader)

    client.get(f"/t/{thread.id}")

    assert new_marks(client, category) == {"Cooling vests": ""}


def test_an_unopened_thread_started_since_joining_is_all_new(client, login, make, reader,
                                                             writer, category):
    make.thread(category=category, author=writer, title="Cooling vests", posts=3)
    login(reader)

    assert new_marks(client, category) == {"Cooling vests": "3"}


def test_posts_from_before_the_member_joined_are_not_new(client, login, make, db, writer,
                                                         category):
    make.thread(category=category, author=writer, title="Cooling vests", posts=3)
    newcomer = make.user("newcomer", new=True)
    newcomer.created_at = utcnow() + timedelta(seconds=1)
    db.session.commit()
    login(newcomer)

    assert new_marks(client, category) == {"Cooling vests": ""}


def test_own_posts_are_never_new(client, login, make, reader, writer, category):
    make.thread(category=category, author=reader, title="My relapse", posts=2)
    login(reader)

    assert new_marks(client, category) == {"My relapse": ""}


def test_hidden_and_pending_posts_of_others_are_not_new(client, login, make, db, reader,
                                                        writer, category, moderator):
    from forum.boards import services

    thread = make.thread(category=category, author=writer, title="Cooling vests")
    login(reader)
    client.get(f"/t/{thread.id}")
    hidden = make.reply(thread, author=writer, body="Buy my cure")
    moderation.hide_post(moderator, hidden, "Advertising")
    make.setting("approval_posts", "5")
    services.reply(make.user("newcomer"), thread, "Waiting for a moderator")
    db.session.commit()

    assert new_marks(client, category) == {"Cooling vests": ""}


def test_home_page_tells_how_many_threads_of_a_category_have_news(
        client, login, make, reader, writer, category):
    quiet = make.category(slug="quiet", name="Quiet corner")
    read = make.thread(category=quiet, author=writer)
    for title in ("Cooling vests", "Heat waves"):
        make.thread(category=category, author=writer, title=title, posts=2)
    login(reader)
    client.get(f"/t/{read.id}")

    html = client.get("/").get_data(as_text=True)

    items = dict(re.findall(r'<h3><a href="/c/([^"]+)">.*?</h3>(.*?)</li>', html, re.S))
    assert re.search(r"New posts</span>\s+in 2 threads", items["living-with-ms"])
    assert "New posts" not in items["quiet"]


def test_visitors_see_no_marks_and_no_reading_forms(client, make, writer, category):
    thread = make.thread(category=category, author=writer, posts=2)

    pages = [client.get(url).get_data(as_text=True)
             for url in ("/", f"/c/{category.slug}", f"/t/{thread.id}")]

    for html in pages:
        assert "badge-new" not in html and "Mark all read" not in html
        assert "Mark everything read" not in html and "Jump to the first unread" not in html
