"""Each member's read position per thread: moved by viewing pages and by posting."""
from __future__ import annotations

import pytest

from forum.boards import services


@pytest.fixture
def config_overrides():
    return {"POSTS_PER_PAGE": 2}


def test_viewing_a_thread_records_the_last_post_shown(client, login, make, reader, writer,
                                                     category, read_position):
    thread = make.thread(category=category, author=writer, posts=2)
    login(reader)

    assert client.get(f"/t/{thread.id}").status_code == 200

    assert read_position(reader, thread) == thread.last_post_id


def test_viewing_the_first_page_records_only_its_posts(client, login, make, reader, writer,
                                                      category, read_position, db):
    thread = make.thread(category=category, author=writer, posts=3)
    login(reader)

    client.get(f"/t/{thread.id}")

    db.session.refresh(thread)
    assert read_position(reader, thread) == thread.last_post_id - 1


def test_viewing_an_earlier_page_never_lowers_the_position(client, login, make, reader, writer,
                                                          category, read_position):
    thread = make.thread(category=category, author=writer, posts=5)
    login(reader)
    client.get(f"/t/{thread.id}?page=3")

    client.get(f"/t/{thread.id}?page=1")

    assert read_position(reader, thread) == thread.last_post_id


def test_a_members_own_reply_marks_the_thread_read_up_to_it(make, reader, writer, category,
                                                            read_position):
    thread = make.thread(category=category, author=writer, posts=4)

    post = make.reply(thread, author=reader)

    assert read_position(reader, thread) == post.id


def test_an_approved_post_marks_its_authors_thread_read(make, db, reader, writer, category,
                                                        moderator, read_position):
    from forum.moderation import services as moderation

    thread = make.thread(category=category, author=writer)
    make.setting("approval_posts", "5")
    newcomer = make.user("newcomer")
    post = services.reply(newcomer, thread, "My first post")
    db.session.commit()
    assert post.pending and read_position(newcomer, thread) is None

    moderation.approve_post(moderator, post)
    db.session.commit()

    assert read_position(newcomer, thread) == post.id

