"""Who sees a profile's health details and posts: the member chooses, private by default;
moderators are no exception to "only me"."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.accounts.models import Profile, ProfileRevision
from support import submit

HEALTH = {"location": "Leeds", "ms_type": "spms", "diagnosis_year": 2004}
SHOWN = ("Leeds", "Secondary progressive (SPMS)", "2004")


@pytest.fixture
def member(make):
    return make.user("river")


def give_profile(db, member, visibility: str, **fields) -> None:
    db.session.add(Profile(
        user_id=member.id, **HEALTH, location_visibility=visibility,
        ms_type_visibility=visibility, diagnosis_year_visibility=visibility, **fields))
    db.session.commit()


def profile_seen_by(browser, make, member, audience: str) -> str:
    viewer = {"owner": member, "visitor": None, "member": make.user("heron"),
              "moderator": make.user("warden", role="moderator")}[audience]
    response = browser(viewer).get(f"/u/{member.username}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("visibility, audience, sees", [
    ("private", "owner", True),
    ("private", "moderator", False),
    ("private", "member", False),
    ("members", "member", True),
    ("members", "moderator", True),
    ("members", "visitor", False),
    ("everyone", "visitor", True),
])
def test_health_details_are_shown_only_to_their_audience(
        browser, db, make, member, visibility, audience, sees):
    give_profile(db, member, visibility)

    page = profile_seen_by(browser, make, member, audience)

    assert [value in page for value in SHOWN] == [sees] * len(SHOWN)


def test_each_detail_follows_its_own_choice(browser, db, make, member):
    db.session.add(Profile(user_id=member.id, **HEALTH, location_visibility="everyone",
                           ms_type_visibility="members", diagnosis_year_visibility="private"))
    db.session.commit()

    page = profile_seen_by(browser, make, member, "member")

    assert "Leeds" in page and "Secondary progressive (SPMS)" in page
    assert "2004" not in page


def test_details_saved_on_the_profile_page_start_private(client, login, browser, db, make,
                                                          member):
    login(member)
    submit(client, "/settings/profile", {"location": "Leeds", "ms_type": "spms"})

    page = profile_seen_by(browser, make, member, "member")

    stored = db.session.scalar(select(Profile).where(Profile.user_id == member.id))
    assert (stored.location_visibility, stored.ms_type_visibility) == ("private", "private")
    assert "Leeds" not in page and "SPMS" not in page


def test_the_owner_sees_who_each_detail_is_shown_to(client, login, db, member):
    give_profile(db, member, "members")
    login(member)

    page = client.get("/u/river").get_data(as_text=True)

    assert page.count("(shown to: Members)") == 3


# Posts on the profile ----------------------------------------------------------------

def test_visitors_are_asked_to_sign_in_to_see_posts_by_default(browser, make, member):
    make.thread(author=member, body="My first post here")

    page = browser().get("/u/river").get_data(as_text=True)

    assert "Sign in to see this member's posts" in page
    assert "My first post here" not in page


def test_visitors_see_posts_when_the_member_allows_it(client, login, browser, make, member):
    make.thread(author=member, body="My first post here")
    login(member)
    submit(client, "/settings/privacy", {
        "location_visibility": "private", "ms_type_visibility": "private",
        "diagnosis_year_visibility": "private", "posts_visible_to_visitors": "y"})

    page = browser().get("/u/river").get_data(as_text=True)

    assert "My first post here" in page
    assert "Sign in to see" not in page


def test_signed_in_members_always_see_the_posts(browser, make, member):
    make.thread(author=member, body="My first post here")

    page = browser(make.user("heron")).get("/u/river").get_data(as_text=True)

    assert "My first post here" in page


# The privacy page --------------------------------------------------------------------

def test_privacy_choices_are_saved_with_revisions(client, login, db, member):
    login(member)

    response = submit(client, "/settings/privacy", {
        "location_visibility": "everyone", "ms_type_visibility": "members",
        "diagnosis_year_visibility": "private", "posts_visible_to_visitors": "y"})

    assert response.status_code == 302
    changes = db.session.execute(
        select(ProfileRevision.field, ProfileRevision.old_value, ProfileRevision.new_value)
        .where(ProfileRevision.user_id == member.id).order_by(ProfileRevision.id)).all()
    assert [tuple(change) for change in changes] == [
        ("location_visibility", "private", "everyone"),
        ("ms_type_visibility", "private", "members"),
        ("posts_visible_to_visitors", "no", "yes")]


def test_an_unknown_visibility_is_refused(client, login, member):
    login(member)

    response = submit(client, "/settings/privacy", {
        "location_visibility": "the-world", "ms_type_visibility": "private",
        "diagnosis_year_visibility": "private"})

    assert response.status_code == 422
    assert 'id="location_visibility-error"' in response.get_data(as_text=True)


def test_a_suspended_member_is_told_why_the_profile_is_closed_but_keeps_privacy(
        client, login, make, db):
    member = make.suspended("river")
    login(member)

    locked = client.get("/settings/profile")
    refused = submit(client, "/settings/profile", {"display_name": "x"},
                     form_page="/settings/privacy")
    privacy = submit(client, "/settings/privacy", {
        "location_visibility": "members", "ms_type_visibility": "private",
        "diagnosis_year_visibility": "private"})

    assert locked.status_code == refused.status_code == 403
    assert "Your account is suspended" in locked.get_data(as_text=True)
    assert privacy.status_code == 302
    assert db.session.get(Profile, member.id).location_visibility == "members"


def test_an_unconfirmed_member_is_asked_to_confirm_their_address_first(client, login, make):
    login(make.user("lark", verified=False))

    response = client.get("/settings/profile")

    assert response.status_code == 403
    assert "confirm your email address" in response.get_data(as_text=True)
