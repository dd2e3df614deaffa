"""Thread, category and member post counts stay exact through every moderator action."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from forum.boards import services as boards
from forum.boards.models import Post
from forum.moderation import services
from support import submit


@dataclass
class Forum:
    """Two threads in one category:

    older  — robin's, one post (`older_post`);
    thread — lark's opening post, then heron's reply `r1`, then robin's reply `r2` (the latest).
    """

    older: object
    older_post: Post
    thread: object
    opening: Post
    r1: Post
    r2: Post
    lark: object
    heron: object
    robin: object


def first_post(db, thread) -> Post:
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))


def last_post_id(db, thread) -> int:
    return db.session.scalar(select(Post.id).where(Post.thread_id == thread.id)
                             .order_by(Post.id.desc()).limit(1))


@pytest.fixture
def forum(db, make, mod_category, author) -> Forum:
    heron, robin = make.user("heron"), make.user("robin")
    older = make.thread(category=mod_category, author=robin, title="An older thread")
    thread = make.thread(category=mod_category, author=author, title="Cooling vests")
    r1 = boards.reply(heron, thread, "Reply one")
    r2 = boards.reply(robin, thread, "Reply two")
    return Forum(older, first_post(db, older), thread, first_post(db, thread), r1, r2,
                 author, heron, robin)


@pytest.fixture
def as_moderator(client, login, moderator):
    login(moderator)
    return client


@pytest.fixture
def counts(db):
    def read(thread=None, category=None, users=()):
        db.session.expire_all()
        result = {}
        if thread is not None:
            thread = db.session.get(type(thread), thread.id)
            result["thread"] = (thread.post_count, thread.last_post_id)
        if category is not None:
            category = db.session.get(type(category), category.id)
            result["category"] = (category.thread_count, category.post_count,
                                  category.last_post_id)
        result["users"] = tuple(db.session.get(type(user), user.id).post_count for user in users)
        return result

    return read


def test_the_starting_numbers(counts, forum, mod_category):
    f = forum
    assert counts(f.thread, mod_category, (f.lark, f.heron, f.robin)) == {
        "thread": (3, f.r2.id), "category": (2, 4, f.r2.id), "users": (1, 1, 2)}


def test_hiding_the_latest_post_uncounts_it_everywhere(as_moderator, counts, forum,
                                                       mod_category):
    f = forum

    submit(as_moderator, f"/mod/posts/{f.r2.id}/hide", {"reason": "Spam"})

    assert counts(f.thread, mod_category, (f.lark, f.heron, f.robin)) == {
        "thread": (2, f.r1.id), "category": (2, 3, f.r1.id), "users": (1, 1, 1)}


def test_hiding_an_earlier_post_keeps_the_latest_pointers(as_moderator, counts, forum,
                                                          mod_category):
    f = forum

    submit(as_moderator, f"/mod/posts/{f.r1.id}/hide", {"reason": "Spam"})

    assert counts(f.thread, mod_category, (f.lark, f.heron, f.robin)) == {
        "thread": (2, f.r2.id), "category": (2, 3, f.r2.id), "users": (1, 0, 2)}


def test_restoring_a_hidden_post_counts_it_again(as_moderator, counts, forum, moderator,
                                                 mod_category):
    f = forum
    services.hide_post(moderator, f.r2, "Spam")

    submit(as_moderator, f"/mod/posts/{f.r2.id}/restore", {"reason": ""})

    assert counts(f.thread, mod_category, (f.lark, f.heron, f.robin)) == {
        "thread": (3, f.r2.id), "category": (2, 4, f.r2.id), "users": (1, 1, 2)}


def test_deleting_a_thread_uncounts_the_thread_and_its_posts(as_moderator, counts, forum,
                                                             mod_category):
    f = forum

    submit(as_moderator, f"/mod/threads/{f.thread.id}/delete", {"reason": "Duplicate"})

    assert counts(None, mod_category, (f.lark, f.heron, f.robin)) == {
        "category": (1, 1, f.older_post.id), "users": (0, 0, 1)}


def test_restoring_a_thread_counts_it_again(as_moderator, counts, forum, moderator,
                                            mod_category):
    f = forum
    services.delete_thread(moderator, f.thread, "Duplicate")

    submit(as_moderator, f"/mod/threads/{f.thread.id}/restore", {"reason": ""})

    assert counts(f.thread, mod_category, (f.lark, f.heron, f.robin)) == {
        "thread": (3, f.r2.id), "category": (2, 4, f.r2.id), "users": (1, 1, 2)}


def test_a_post_hidden_before_the_thread_was_deleted_stays_uncounted_after_restore(
        as_moderator, counts, forum, moderator, mod_category):
    f = forum
    services.hide_post(moderator, f.r1, "Spam")
    services.delete_thread(moderator, f.thread, "Duplicate")

    submit(as_moderator, f"/mod/threads/{f.thread.id}/restore", {"reason": ""})

    assert counts(f.thread, mod_category, (f.lark, f.heron, f.robin)) == {
        "thread": (2, f.r2.id), "category": (2, 3, f.r2.id), "users": (1, 0, 2)}


def test_moving_a_thread_moves_its_counts_between_categories(as_moderator, counts, make,
                                                             forum, mod_category):
    f = forum
    research = make.category(slug="research", name="Research")

    submit(as_moderator, f"/mod/threads/{f.thread.id}/move", {"category": "research"})

    assert counts(f.thread, mod_category, (f.lark, f.heron, f.robin)) == {
        "thread": (3, f.r2.id), "category": (1, 1, f.older_post.id), "users": (1, 1, 2)}
    assert counts(None, research)["category"] == (1, 3, f.r2.id)


def test_moving_a_thread_into_a_busy_category_adds_to_its_counts(as_moderator, db, counts,
                                                                 make, forum, mod_category):
    f = forum
    research = make.category(slug="research", name="Research")
    later = make.thread(category=research, author=f.heron, posts=2)
    later_last = last_post_id(db, later)

    submit(as_moderator, f"/mod/threads/{f.thread.id}/move", {"category": "research"})

    assert counts(None, research)["category"] == (2, 5, later_last)
    assert counts(None, mod_category)["category"] == (1, 1, f.older_post.id)


def test_moving_a_thread_with_a_hidden_post_moves_only_the_visible_posts(
        as_moderator, counts, make, forum, moderator, mod_category):
    f = forum
    research = make.category(slug="research", name="Research")
    services.hide_post(moderator, f.r2, "Spam")

    submit(as_moderator, f"/mod/threads/{f.thread.id}/move", {"category": "research"})

    assert counts(None, research)["category"] == (1, 2, f.r1.id)
    assert counts(None, mod_category)["category"] == (1, 1, f.older_post.id)


@pytest.fixture
def newcomer(make, forum):
    make.setting("approval_posts", "2")
    return make.user("newbie", new=True)


def test_a_waiting_reply_is_not_counted(counts, forum, newcomer, mod_category):
    f = forum

    boards.reply(newcomer, f.thread, "Waiting")

    assert counts(f.thread, mod_category, (newcomer,)) == {
        "thread": (3, f.r2.id), "category": (2, 4, f.r2.id), "users": (0,)}


def test_approving_a_reply_counts_it(as_moderator, counts, forum, newcomer, mod_category):
    f = forum
    waiting = boards.reply(newcomer, f.thread, "Waiting")

    submit(as_moderator, f"/mod/posts/{waiting.id}/approve", {"reason": ""})

    assert counts(f.thread, mod_category, (newcomer,)) == {
        "thread": (4, waiting.id), "category": (2, 5, waiting.id), "users": (1,)}


def test_approving_a_new_thread_counts_the_thread_and_its_post(
        as_moderator, db, counts, forum, newcomer, mod_category):
    waiting = boards.start_thread(newcomer, mod_category, "A new thread", "Waiting")
    opening = first_post(db, waiting)
    assert counts(None, mod_category)["category"] == (2, 4, forum.r2.id)

    submit(as_moderator, f"/mod/posts/{opening.id}/approve", {"reason": ""})

    assert counts(waiting, mod_category, (newcomer,)) == {
        "thread": (1, opening.id), "category": (3, 5, opening.id), "users": (1,)}


def test_rejecting_a_reply_leaves_the_counts_as_they_were(as_moderator, counts, forum,
                                                          newcomer, mod_category):
    f = forum
    waiting = boards.reply(newcomer, f.thread, "Waiting")

    submit(as_moderator, f"/mod/posts/{waiting.id}/reject",
           {"reason": "Spam", "confirm": "yes"})

    assert counts(f.thread, mod_category, (newcomer,)) == {
        "thread": (3, f.r2.id), "category": (2, 4, f.r2.id), "users": (0,)}


def test_rejecting_a_new_thread_leaves_the_counts_as_they_were(as_moderator, db, counts, forum,
                                                               newcomer, mod_category):
    waiting = boards.start_thread(newcomer, mod_category, "A new thread", "Waiting")

    submit(as_moderator, f"/mod/posts/{first_post(db, waiting).id}/reject",
           {"reason": "Spam", "confirm": "yes"})

    assert counts(None, mod_category, (newcomer,)) == {
        "category": (2, 4, forum.r2.id), "users": (0,)}


def test_the_category_page_shows_the_reply_count_after_a_hide(as_moderator, new_client, forum,
                                                               mod_category):
    submit(as_moderator, f"/mod/posts/{forum.r2.id}/hide", {"reason": "Spam"})

    page = new_client().get(f"/c/{mod_category.slug}").get_data(as_text=True)

    assert "1 reply" in page  # the thread: opening post and r1 remain
