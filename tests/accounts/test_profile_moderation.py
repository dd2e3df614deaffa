"""Moderators read a profile's history and clear its free text: logged, the member told;
members cannot reach either route."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.accounts.models import Profile, ProfileRevision
from forum.moderation.models import ModerationAction
from forum.notify.models import Notification
from support import submit

SPAM_BIO = "Buy cheap stents at https://spam.example.org"


@pytest.fixture
def member(make, db):
    river = make.user("river")
    db.session.add(Profile(user_id=river.id, bio=SPAM_BIO, bio_html=f"<p>{SPAM_BIO}</p>",
                           location="Leeds", location_visibility="private"))
    db.session.commit()
    return river


def clear(client, field: str = "bio", reason: str = "Advertising"):
    return submit(client, "/mod/users/river/profile/clear",
                  {"field": field, "reason": reason, "confirm": "yes"},
                  form_page="/mod/users/river/profile")


def test_moderator_clears_a_bio_and_it_is_logged(client, login, db, member, moderator):
    login(moderator)

    response = clear(client)

    assert response.status_code == 302
    assert response.location == "/mod/users/river/profile"
    db.session.expire_all()
    stored = db.session.get(Profile, member.id)
    assert (stored.bio, stored.bio_html) == ("", "")
    entry = db.session.scalar(select(ModerationAction))
    assert (entry.action, entry.target_type, entry.target_id, entry.actor_id) == (
        "profile.clear", "user", member.id, moderator.id)
    assert (entry.reason, entry.details) == ("Advertising", {"field": "bio"})


def test_the_member_is_told_by_notice_and_mail(client, login, db, member, moderator, outbox):
    login(moderator)

    clear(client)

    notice = db.session.scalar(select(Notification).where(Notification.user_id == member.id))
    assert "cleared the bio on your profile" in notice.message
    assert "Advertising" in notice.message
    assert [message["Subject"] for message in outbox()] == ["A moderator changed your profile"]
    assert [message["To"] for message in outbox()] == [member.email]


def test_the_history_shows_the_cleared_value_and_who_cleared_it(
        client, login, db, member, moderator):
    login(moderator)
    clear(client)

    page = client.get("/mod/users/river/profile").get_data(as_text=True)

    revision = db.session.scalar(select(ProfileRevision))
    assert (revision.field, revision.old_value, revision.new_value, revision.changed_by_id) == (
        "bio", SPAM_BIO, "", moderator.id)
    assert SPAM_BIO in page
    assert '<a href="/u/warden">warden</a>' in page


def test_history_lists_changes_newest_first(client, login, browser, member, moderator):
    login(member)
    for name in ("Alpha", "Beta", "Gamma"):
        submit(client, "/settings/profile", {"display_name": name, "bio": SPAM_BIO})

    page = browser(moderator).get("/mod/users/river/profile").get_data(as_text=True)

    after = re.findall(r'<td class="history-value">([^<]*)</td>', page)[1::2]
    assert after == ["Gamma", "Beta", "Alpha"]


def test_history_keeps_private_health_values_from_moderators(
        client, login, browser, member, moderator):
    login(member)
    submit(client, "/settings/profile", {"bio": SPAM_BIO, "location": "York",
                                         "ms_type": "ppms", "diagnosis_year": "1999"})

    page = browser(moderator).get("/mod/users/river/profile").get_data(as_text=True)

    assert "York" not in page and "ppms" not in page and "1999" not in page
    assert "<td>Location</td>" in page and "<td>Type of MS</td>" in page


def test_clearing_an_empty_field_is_a_conflict(client, login, db, member, moderator):
    login(moderator)

    response = clear(client, field="display_name")

    assert response.status_code == 409
    assert db.session.scalar(select(ModerationAction)) is None


def test_clearing_needs_a_reason(client, login, db, member, moderator):
    login(moderator)

    response = clear(client, reason="")

    assert response.status_code == 422
    assert "Say why" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Profile, member.id).bio == SPAM_BIO


def test_only_the_free_text_fields_can_be_cleared(client, login, member, moderator):
    login(moderator)

    response = clear(client, field="ms_type")

    assert response.status_code == 422


@pytest.mark.parametrize("method, url", [
    ("GET", "/mod/users/river/profile"),
    ("POST", "/mod/users/river/profile/clear"),
])
def test_members_cannot_use_the_moderator_routes(client, login, db, make, member, method, url):
    login(make.user("heron"))

    if method == "GET":
        response = client.get(url)
    else:
        response = submit(client, url, {"field": "bio", "reason": "Mine now"},
                          form_page="/settings/privacy")

    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Profile, member.id).bio == SPAM_BIO


def test_moderation_member_page_links_to_profile_and_its_history(
        client, login, member, moderator):
    login(moderator)

    page = client.get("/mod/users/river").get_data(as_text=True)

    assert 'href="/u/river"' in page
    assert 'href="/mod/users/river/profile"' in page
