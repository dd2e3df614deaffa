"""Bookmarks: toggled by POST, listed newest first on the member's own /bookmarks page."""
from __future__ import annotations

from sqlalchemy import select

from forum.boards import bookmarks
from forum.boards.models import Bookmark
from forum.moderation import services as moderation
from support import submit


def bookmark(client, post):
    return submit(client, f"/p/{post.id}/bookmark", form_page=f"/t/{post.thread_id}")


def bookmarked_posts(db, member) -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(select(Bookmark.post_id).where(Bookmark.user_id == member.id)))


def test_bookmarking_keeps_the_post_and_returns_to_it(client, login, make, db, opening):
    reader = make.user("heron")
    login(reader)

    response = bookmark(client, opening)

    assert response.headers["Location"].endswith(f"/p/{opening.id}")
    assert bookmarked_posts(db, reader) == [opening.id]


def test_bookmarking_again_removes_the_bookmark(client, login, make, db, opening):
    reader = make.user("heron")
    login(reader)
    bookmark(client, opening)

    bookmark(client, opening)

    assert bookmarked_posts(db, reader) == []


def test_the_thread_page_shows_the_bookmark_as_kept(client, login, make, db, thread, opening):
    reader = make.user("heron")
    bookmarks.toggle(reader, opening)
    db.session.commit()
    login(reader)

    html = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert "Remove bookmark" in html and "(bookmarked:" in html


def test_bookmarks_are_listed_newest_first_with_their_threads(
        client, login, make, db, category, author):
    reader = make.user("heron")
    older = make.thread(category=category, author=author, title="Heat and fatigue")
    newer = make.thread(category=category, author=author, title="Balance exercises",
                        body="Standing on one leg, twice a day.")
    for shown in (older, newer):
        bookmarks.toggle(reader, make.reply(shown, author, f"About {shown.title}"))
        db.session.commit()
    login(reader)

    html = client.get("/bookmarks").get_data(as_text=True)

    assert html.index("Balance exercises") < html.index("Heat and fatigue")
    assert "About Balance exercises" in html


def test_a_post_hidden_since_is_left_out_of_the_bookmarks(
        client, login, make, db, thread, opening, moderator):
    reader = make.user("heron")
    bookmarks.toggle(reader, opening)
    moderation.hide_post(moderator, opening, "Off topic")
    db.session.commit()
    login(reader)

    html = client.get("/bookmarks").get_data(as_text=True)

    assert thread.title not in html
    assert "You have no bookmarks yet" in html


def test_another_members_bookmarks_are_not_shown(client, login, make, db, thread, opening):
    bookmarks.toggle(make.user("heron"), opening)
    db.session.commit()
    login(make.user("otter"))

    html = client.get("/bookmarks").get_data(as_text=True)

    assert thread.title not in html


def test_a_visitor_is_sent_to_sign_in_for_bookmarks(client):
    response = client.get("/bookmarks")

    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_bookmarks_page_statements_do_not_grow_with_bookmarks(
        client, login, make, db, count_queries, category, author):
    reader = make.user("heron")
    login(reader)

    def measure() -> int:
        with count_queries() as statements:
            assert client.get("/bookmarks").status_code == 200
        return len(statements)

    bookmarks.toggle(reader, make.reply(make.thread(category=category, author=author), author))
    db.session.commit()
    few = measure()
    for index in range(8):
        other = make.user()
        shown = make.thread(category=make.category(), author=other, title=f"Thread {index}")
        bookmarks.toggle(reader, make.reply(shown, make.user()))
    db.session.commit()

    assert measure() == few
