"""A moderator removing someone else's post is a moderator action: a reason, a log entry,
a notice to the member, and a way back. A member removing their own post is not."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.boards import services as boards
from forum.moderation.models import ModerationAction
from forum.notify.models import Notification
from support import submit


@pytest.fixture
def thread(make, mod_category, author):
    return make.thread(category=mod_category, author=author, title="Diet and MS", posts=2)


@pytest.fixture
def reply(thread, make):
    return boards.reply(make.user("heron"), thread, "Buy my miracle supplement")


def log_entries(db, action: str) -> list[ModerationAction]:
    db.session.expire_all()
    return list(db.session.scalars(select(ModerationAction)
                                   .where(ModerationAction.action == action)))


def notices(db, user) -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(Notification.message)
                                   .where(Notification.user_id == user.id)))


def test_a_moderator_deleting_someone_elses_post_is_sent_to_the_reason_form(
        client, login, reply, moderator):
    login(moderator)

    response = client.get(f"/p/{reply.id}/delete")

    assert response.status_code == 307
    assert response.location.endswith(f"/mod/posts/{reply.id}/delete")
    form = client.get(response.location)
    assert form.status_code == 200
    assert 'name="reason"' in form.get_data(as_text=True)


def test_removing_someone_elses_post_needs_a_reason(client, login, reload, reply, moderator):
    login(moderator)

    response = submit(client, f"/mod/posts/{reply.id}/delete", {"reason": ""})

    assert response.status_code == 422
    assert "Say why, briefly" in response.get_data(as_text=True)
    assert reload(reply).deleted_at is None


def test_removal_is_logged_with_its_reason(client, login, db, reply, moderator):
    login(moderator)

    submit(client, f"/mod/posts/{reply.id}/delete", {"reason": "Advertising"})

    [entry] = log_entries(db, "post.remove")
    assert (entry.actor_id, entry.target_type, entry.target_id) == (
        moderator.id, "post", reply.id)
    assert entry.reason == "Advertising"


def test_the_member_is_told_their_post_was_removed(client, login, db, reply, moderator):
    login(moderator)

    submit(client, f"/mod/posts/{reply.id}/delete", {"reason": "Advertising"})

    assert any("removed your post" in message and "Advertising" in message
               for message in notices(db, reply.author))


def test_a_removed_post_can_be_restored(client, login, reload, reply, thread, moderator):
    login(moderator)
    submit(client, f"/mod/posts/{reply.id}/delete", {"reason": "Advertising"})
    assert reload(thread).post_count == 2

    response = submit(client, f"/mod/posts/{reply.id}/restore", {"reason": "Misread it"},
                      form_page=f"/t/{thread.id}")

    assert response.status_code == 302
    assert reload(reply).deleted_at is None
    assert reload(thread).post_count == 3


def test_a_member_removing_their_own_post_needs_no_reason_and_is_not_logged(
        client, login, db, make, thread):
    own = boards.reply(thread.author, thread, "Posted in the wrong thread")
    login(thread.author)

    response = submit(client, f"/p/{own.id}/delete")

    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ModerationAction)) == 0


def test_a_post_its_author_removed_is_not_restorable_by_moderators(
        client, login, db, thread, moderator):
    own = boards.reply(thread.author, thread, "Changed my mind")
    boards.delete_post(thread.author, own)
    login(moderator)

    assert client.get(f"/mod/posts/{own.id}/restore").status_code == 409
