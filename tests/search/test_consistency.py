"""The index follows every change to a post, in the same transaction: edit, hide, restore,
approve, delete; and what a viewer may not read is never found."""
from __future__ import annotations

import pytest

from forum.boards import services as boards
from forum.moderation import services as moderation


@pytest.fixture
def thread(make, category, member):
    return make.thread(category=category, author=member, title="Cooling vests in summertime",
                       body="Which cooling vest works for you?")


@pytest.fixture
def post(make, thread, member):
    return make.reply(thread, member, "My vest keeps me going through the heatwave.")


def test_an_edit_replaces_the_old_words_with_the_new(db, found, post, member):
    boards.edit_post(member, post, "My vest keeps me going through the thunderstorm.")
    db.session.commit()

    assert found("heatwave") == []
    assert found("thunderstorm") == [post.id]


def test_a_hidden_post_is_not_found_by_members(db, found, post, moderator, login, member):
    moderation.hide_post(moderator, post, "Off topic")
    db.session.commit()
    login(member)

    assert found("heatwave") == []


def test_a_moderator_finds_a_hidden_post_with_the_switch(db, found, post, moderator, login):
    moderation.hide_post(moderator, post, "Off topic")
    db.session.commit()
    login(moderator)

    assert found("heatwave") == []
    assert found("heatwave", everything="1") == [post.id]


def test_a_member_asking_for_everything_is_refused(search, post, login, member):
    login(member)

    assert search("heatwave", everything="1").status_code == 403


def test_a_restored_post_is_found_again(db, found, post, moderator):
    moderation.hide_post(moderator, post, "Off topic")
    db.session.commit()
    moderation.restore_post(moderator, post, "")
    db.session.commit()

    assert found("heatwave") == [post.id]


def test_a_waiting_post_is_found_only_once_approved(db, make, found, thread, moderator,
                                                    new_client):
    make.setting("approval_posts", "2")
    newcomer = make.user("wren", new=True)
    waiting = make.reply(thread, newcomer, "First post: my tremor is worse at night.")
    assert waiting.pending

    assert found("tremor") == []
    moderation.approve_post(moderator, waiting)
    db.session.commit()
    assert found("tremor") == [waiting.id]


def test_the_author_finds_their_own_waiting_post(make, found, thread, login):
    make.setting("approval_posts", "2")
    newcomer = make.user("wren", new=True)
    waiting = make.reply(thread, newcomer, "First post: my tremor is worse at night.")
    login(newcomer)

    assert found("tremor") == [waiting.id]


def test_a_deleted_post_is_not_found(db, found, post, member):
    boards.delete_post(member, post)
    db.session.commit()

    assert found("heatwave") == []


def test_nothing_in_a_deleted_thread_is_found(db, found, thread, post, moderator):
    moderation.delete_thread(moderator, thread, "Spam")
    db.session.commit()

    assert found("heatwave") == []
    assert found("cooling") == []


def test_a_waiting_thread_of_someone_else_is_not_found(make, found, category, login, member):
    make.setting("approval_posts", "2")
    newcomer = make.user("wren", new=True)
    make.thread(category=category, author=newcomer, title="Hidden spring",
                body="Secret words: marmalade.")
    login(member)

    assert found("marmalade") == []


def test_a_changed_thread_title_is_searched_as_changed(db, found, thread, opening):
    thread.title = "Ice packs"
    db.session.commit()

    assert found("summertime") == []
    assert found("packs") == [opening(thread).id]
