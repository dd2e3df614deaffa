"""The counters and "latest post" pointers that listing pages read instead of counting rows."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.boards import services
from forum.boards.models import Post, Thread
from support import submit


@pytest.fixture
def fresh(db):
    """Read an object again from the database, as the requests left it."""
    def reload(obj):
        db.session.expire_all()
        return db.session.get(type(obj), obj.id)

    return reload


def first_post(db, thread) -> Post:
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))


def test_starting_a_thread_counts_one_thread_and_one_post(
        client, login, db, fresh, category, member):
    login(member)

    submit(client, f"/c/{category.slug}/new", {"title": "Counting posts", "body": "One"})

    thread = db.session.scalar(select(Thread))
    assert (fresh(category).thread_count, fresh(category).post_count) == (1, 1)
    assert fresh(thread).post_count == 1
    assert fresh(member).post_count == 1


def test_a_reply_counts_one_more_post_but_no_more_threads(
        client, login, fresh, make, category, member, other_member):
    thread = make.thread(category=category, author=other_member)
    login(member)

    submit(client, f"/t/{thread.id}/reply", {"body": "A reply"}, form_page=f"/t/{thread.id}")

    assert (fresh(category).thread_count, fresh(category).post_count) == (1, 2)
    assert fresh(thread).post_count == 2
    assert fresh(member).post_count == 1
    assert fresh(other_member).post_count == 1


def test_counters_add_up_over_several_threads_and_replies(
        fresh, make, category, member, other_member):
    first = make.thread(category=category, author=member, posts=3)
    second = make.thread(category=category, author=other_member, posts=2)
    make.thread(author=member)  # another category
    services.reply(other_member, first, "And one more")

    assert (fresh(category).thread_count, fresh(category).post_count) == (2, 6)
    assert (fresh(first).post_count, fresh(second).post_count) == (4, 2)
    assert (fresh(member).post_count, fresh(other_member).post_count) == (4, 3)


def test_deleting_a_reply_counts_one_post_less(
        client, login, fresh, make, category, member, other_member):
    thread = make.thread(category=category, author=other_member)
    reply = services.reply(member, thread, "Soon removed")
    login(member)

    submit(client, f"/p/{reply.id}/delete")

    assert (fresh(category).thread_count, fresh(category).post_count) == (1, 1)
    assert fresh(thread).post_count == 1
    assert fresh(member).post_count == 0
    assert fresh(other_member).post_count == 1


def test_deleting_the_only_post_counts_one_thread_less(
        client, login, db, fresh, make, category, member):
    make.thread(category=category)
    lonely = make.thread(category=category, author=member)
    login(member)

    submit(client, f"/p/{first_post(db, lonely).id}/delete")

    assert (fresh(category).thread_count, fresh(category).post_count) == (1, 1)
    assert fresh(lonely).post_count == 0
    assert fresh(member).post_count == 0


def test_post_removed_by_a_moderator_no_longer_counts_for_its_author(
        client, login, fresh, make, category, member, moderator):
    thread = make.thread(category=category, author=member, posts=2)
    reply = services.reply(member, thread, "Advertising a clinic")
    login(moderator)

    submit(client, f"/mod/posts/{reply.id}/delete", {"reason": "Advertising"})

    assert fresh(member).post_count == 2
    assert fresh(moderator).post_count == 0
    assert fresh(thread).post_count == 2


def test_home_shows_counts_that_follow_deletions(client, make, category, member):
    thread = make.thread(category=category, author=member, posts=3)
    services.delete_post(member, services.reply(member, thread, "Gone"))

    text = " ".join(client.get("/").get_data(as_text=True).split())

    assert "1 thread, 3 posts" in text


def test_category_latest_post_is_the_newest_post_in_any_of_its_threads(
        fresh, make, category, member):
    older = make.thread(category=category, author=member)
    make.thread(category=category, author=member)
    reply = services.reply(member, older, "Newest of all")

    assert fresh(category).last_post_id == reply.id
    assert fresh(older).last_post_id == reply.id


def test_category_latest_post_moves_back_when_the_latest_is_deleted(
        client, login, db, fresh, make, category, member, other_member):
    first = make.thread(category=category, author=other_member, title="First thread here")
    second = make.thread(category=category, author=other_member, title="Second thread here")
    previous_latest = first_post(db, second)
    reply = services.reply(member, first, "Newest of all")
    login(member)

    submit(client, f"/p/{reply.id}/delete")

    assert fresh(category).last_post_id == previous_latest.id
    assert fresh(first).last_post_id == first_post(db, first).id
    text = " ".join(client.get("/").get_data(as_text=True).split())
    assert (f'Latest: <a href="/p/{previous_latest.id}">Second thread here</a> by '
            '<a href="/u/heron">heron</a>'
            in text)


def test_category_latest_post_moves_back_when_its_thread_is_removed(
        client, login, db, fresh, make, category, member, other_member):
    kept = make.thread(category=category, author=other_member)
    lonely = make.thread(category=category, author=member)
    login(member)

    submit(client, f"/p/{first_post(db, lonely).id}/delete")

    assert fresh(category).last_post_id == first_post(db, kept).id


def test_category_has_no_latest_post_when_its_last_post_is_deleted(
        client, login, db, fresh, make, category, member):
    lonely = make.thread(category=category, author=member)
    login(member)

    submit(client, f"/p/{first_post(db, lonely).id}/delete")

    assert fresh(category).last_post_id is None
    assert "No posts yet." in client.get("/").get_data(as_text=True)


def test_thread_last_activity_moves_back_when_its_latest_reply_is_deleted(
        fresh, make, category, member):
    thread = make.thread(category=category, author=member, posts=2)
    before = fresh(thread).last_post_at
    reply = services.reply(member, thread, "Soon removed")

    services.delete_post(member, reply)

    assert fresh(thread).last_post_at == before
