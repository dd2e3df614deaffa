"""Two answers to a refused action, the same everywhere: 403 when this user may never do
it, 409 when the target is not in a state that allows it now."""
from __future__ import annotations

import pytest

from forum.boards import services as boards
from forum.moderation import services
from forum.resources import services as resources
from support import submit


@pytest.fixture
def thread(make, mod_category, author):
    return make.thread(category=mod_category, author=author, title="Heat and fatigue", posts=2)


@pytest.fixture
def reply(thread, make):
    return boards.reply(make.user("heron"), thread, "Cooling vests help me")


def test_hiding_a_hidden_post_is_a_conflict(client, login, reply, moderator):
    services.hide_post(moderator, reply, "Off topic")
    login(moderator)

    response = submit(client, f"/mod/posts/{reply.id}/hide", {"reason": "Again"},
                      form_page=f"/t/{reply.thread_id}")

    assert response.status_code == 409
    assert "already hidden" in response.get_data(as_text=True)


def test_a_member_hiding_a_post_is_forbidden_whatever_its_state(
        client, login, make, reply, moderator):
    services.hide_post(moderator, reply, "Off topic")
    login(make.user("robin"))

    assert client.get(f"/mod/posts/{reply.id}/hide").status_code == 403


def test_locking_a_locked_thread_is_a_conflict(client, login, thread, moderator):
    services.set_thread_flag(moderator, thread, "lock", "")
    login(moderator)

    response = submit(client, f"/mod/threads/{thread.id}/lock", {"reason": ""},
                      form_page=f"/t/{thread.id}")

    assert response.status_code == 409
    assert "already locked" in response.get_data(as_text=True)


def test_unsuspending_a_member_who_is_not_suspended_is_a_conflict(
        client, login, make, moderator):
    member = make.user("robin")
    login(moderator)

    assert client.get(f"/mod/users/{member.username}/unsuspend").status_code == 409


def test_hiding_a_hidden_link_is_a_conflict(client, login, make, moderator):
    from forum.admin.services import create_clinic

    clinic = create_clinic(None, "Example Vein Centre")
    staff = make.user("vein_staff", role="clinic_staff", clinic=clinic)
    link = resources.pin_link(staff, "About CCSVI", "https://example.org/ccsvi", "",
                              site_wide=True, categories=[])
    resources.hide_link(moderator, link, "Misleading")
    login(moderator)

    response = submit(client, f"/resources/{link.id}/hide", {"reason": "Again"},
                      form_page="/resources")

    assert response.status_code == 409
    assert "already hidden" in response.get_data(as_text=True)


def test_a_conflict_keeps_what_was_typed(client, login, reply, moderator):
    services.hide_post(moderator, reply, "Off topic")
    login(moderator)

    response = submit(client, f"/mod/posts/{reply.id}/hide",
                      {"reason": "A long explanation I would hate to type again"},
                      form_page=f"/t/{reply.thread_id}")

    assert "A long explanation I would hate to type again" in response.get_data(as_text=True)
