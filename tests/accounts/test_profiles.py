"""Profiles: /u/<username> with the member's posts and reports, the generated avatars,
usernames linked across the site, and /settings/profile with its revisions."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from forum.accounts import avatars
from forum.accounts.models import Profile, ProfileRevision
from forum.boards import services as boards
from forum.caching import PUBLIC
from forum.moderation import services as moderation
from forum.outcomes import services as outcomes
from forum.timeutil import utcnow
from support import submit

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def member(make):
    return make.user("river")


@pytest.fixture
def category(make):
    return make.category(slug="living-with-ms", name="Living with MS")


def page_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def profile_row(db, member) -> Profile:
    db.session.expire_all()
    return db.session.get(Profile, member.id)


def make_former(db, user) -> None:
    user.deleted_at = utcnow()
    db.session.commit()


def show_posts_to_visitors(db, member) -> None:
    db.session.add(Profile(user_id=member.id, posts_visible_to_visitors=True))
    db.session.commit()


# The page ----------------------------------------------------------------------------

def test_profile_shows_the_member_their_badge_join_date_and_bio(client, login, make, member):
    staff = make.staff("clinicwren")
    login(staff)
    submit(client, "/settings/profile", {"display_name": "Wren at the clinic",
                                         "bio": "I answer **questions** about stents."})

    page = page_of(client.get("/u/clinicwren"))

    assert "<h1>clinicwren</h1>" in page
    assert "Wren at the clinic" in page
    assert f"clinic staff — {staff.clinic.name}" in page
    assert f"Joined <time datetime=\"{staff.created_at:%Y-%m-%d}" in page
    assert "<strong>questions</strong>" in page


def test_username_is_found_whatever_its_case(client, member):
    assert client.get("/u/RIVER").status_code == 200


def test_deleted_member_and_unknown_name_give_the_same_404(client, db, make):
    former = make.user("heron")
    make_former(db, former)

    deleted = client.get("/u/heron")
    unknown = client.get("/u/nobody-ever")

    assert deleted.status_code == unknown.status_code == 404
    assert deleted.get_data() == unknown.get_data()


def test_posts_are_listed_newest_first_twenty_a_page(client, login, make, member, category):
    make.thread(category=category, author=member, title="Stenting questions", posts=25)
    login(make.user("heron"))

    first = page_of(client.get("/u/river"))
    second = page_of(client.get("/u/river?page=2"))

    assert first.count('class="profile-post"') == 20
    assert first.index("Reply number 24") < first.index("Reply number 5")
    assert second.count('class="profile-post"') == 5
    assert "Started <a" in second and "Stenting questions" in second
    assert client.get("/u/river?page=3").status_code == 404


def test_hidden_removed_and_waiting_posts_are_not_listed(
        client, login, make, member, category, moderator):
    thread = make.thread(category=category, author=make.user("heron"))
    make.reply(thread, member, "Still here")
    hidden = make.reply(thread, member, "Hidden by a moderator")
    removed = make.reply(thread, member, "Removed by me")
    gone_thread = make.thread(category=category, author=member, title="Deleted thread",
                              body="In a deleted thread")
    moderation.hide_post(moderator, hidden, "Off topic")
    boards.delete_post(member, removed)
    moderation.delete_thread(moderator, gone_thread, "Duplicate")
    make.setting("approval_posts", "5")
    newcomer = make.user("lark")
    make.reply(thread, newcomer, "Waiting for approval")
    login(make.user("wren"))

    river = page_of(client.get("/u/river"))
    lark = page_of(client.get("/u/lark"))

    assert "Still here" in river
    assert "Hidden by a moderator" not in river and "Removed by me" not in river
    assert "In a deleted thread" not in river
    assert "Waiting for approval" not in lark


def test_public_treatment_reports_are_listed_and_the_others_are_not(
        client, db, make, member, moderator):
    public = make.outcome_report(member, "ccsvi-angioplasty")
    figures_only = make.outcome_report(member, "rehabilitation", visibility="dashboard")
    hidden = make.outcome_report(member, "diet")
    outcomes.hide_report(moderator, hidden, "Advertising")
    db.session.commit()

    page = page_of(client.get("/u/river"))

    assert f'href="/outcomes/{public.id}"' in page
    assert f'href="/outcomes/{figures_only.id}"' not in page
    assert f'href="/outcomes/{hidden.id}"' not in page


@pytest.mark.parametrize("reader", ["visitor", "member", "moderator"])
def test_profile_page_statements_do_not_grow_with_posts(
        client, login, make, db, member, category, count_queries, reader):
    show_posts_to_visitors(db, member)
    if reader != "visitor":
        login(make.user("reader", role="moderator" if reader == "moderator" else "member"))
    threads = [make.thread(category=category, author=member) for _ in range(2)]
    make.outcome_report(member)

    def measure() -> int:
        with count_queries() as statements:
            assert client.get("/u/river").status_code == 200
        return len(statements)

    few = measure()
    for index in range(25):
        boards.reply(member, threads[index % 2], f"Reply {index}")
    make.thread(category=category, author=member)
    make.outcome_report(member, "diet")
    many = measure()

    assert many == few


def test_a_visitor_reading_a_profile_writes_nothing_and_may_be_shared(
        client, db, make, member, category, count_queries):
    show_posts_to_visitors(db, member)
    make.thread(category=category, author=member)

    with count_queries() as statements:
        response = client.get("/u/river")

    assert [s for s in statements if s.lstrip().upper().startswith(WRITES)] == []
    assert response.headers["Cache-Control"] == PUBLIC
    assert response.headers.get("ETag")
    assert "Set-Cookie" not in response.headers


# Avatars -----------------------------------------------------------------------------

def test_avatar_is_the_same_svg_each_time_and_cached_for_a_day(client, member):
    first = client.get("/u/river/avatar.svg")
    second = client.get("/u/River/avatar.svg")

    assert first.status_code == 200
    assert first.mimetype == "image/svg+xml"
    assert first.headers["Cache-Control"] == "public, max-age=86400"
    assert first.get_data() == second.get_data()
    assert ">R</text>" in first.get_data(as_text=True)
    assert avatars.colour_for("river") in first.get_data(as_text=True)


def test_unknown_and_former_names_get_one_generic_avatar(client, db, make):
    make_former(db, make.user("heron"))

    former = client.get("/u/heron/avatar.svg")
    unknown = client.get("/u/nobody-ever/avatar.svg")

    assert former.status_code == unknown.status_code == 200
    assert former.get_data() == unknown.get_data() == avatars.generic_svg().encode()


def test_every_avatar_colour_keeps_white_text_readable():
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
                  for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in (*avatars.PALETTE, avatars.GENERIC_COLOUR):
        assert (1.05 / (luminance(colour) + 0.05)) >= 4.5, colour


def test_posts_show_the_authors_avatar_and_link_their_name(client, make, member, category):
    thread = make.thread(category=category, author=member)
    make.reply(thread, make.user("heron"))

    page = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert '<img class="avatar" src="/u/river/avatar.svg" alt="Avatar of river"' in page
    assert re.findall(r'<a href="(/u/[^"]+)" class="author-name">', page) == [
        "/u/river", "/u/heron"]


def test_a_former_members_posts_show_former_member_unlinked(client, db, make, category):
    former = make.user("heron")
    thread = make.thread(category=category, author=former, body="Kept after leaving")
    make_former(db, former)

    page = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert "Kept after leaving" in page
    assert "former member" in page
    assert "heron" not in page


def test_listing_pages_link_usernames_to_profiles(client, make, member, category):
    make.thread(category=category, author=member)

    home = client.get("/").get_data(as_text=True)
    listing = client.get(f"/c/{category.slug}").get_data(as_text=True)

    assert 'by <a href="/u/river">river</a>' in home
    assert 'Started by <a href="/u/river">river</a>' in listing


# Editing -----------------------------------------------------------------------------

def test_editing_the_profile_keeps_a_revision_per_changed_field(client, login, db, member):
    login(member)
    submit(client, "/settings/profile", {"display_name": "River", "location": "Leeds"})

    response = submit(client, "/settings/profile",
                      {"display_name": "River", "location": "York", "ms_type": "rrms",
                       "diagnosis_year": "2009"})

    assert response.status_code == 302
    revisions = db.session.scalars(
        select(ProfileRevision).where(ProfileRevision.user_id == member.id)
        .order_by(ProfileRevision.id)).all()
    assert [(r.field, r.old_value, r.new_value) for r in revisions] == [
        ("display_name", "", "River"), ("location", "", "Leeds"),
        ("location", "Leeds", "York"), ("ms_type", "", "rrms"),
        ("diagnosis_year", "", "2009")]
    assert {r.changed_by_id for r in revisions} == {member.id}


def test_bio_is_rendered_through_markup_and_scripts_do_not_survive(client, login, db, member):
    login(member)

    submit(client, "/settings/profile",
           {"bio": "Hello <script>alert(1)</script> *there*"})

    stored = profile_row(db, member)
    assert "<em>there</em>" in stored.bio_html
    assert "<script" not in stored.bio_html
    assert "<script>alert" not in client.get("/u/river").get_data(as_text=True)


def test_first_day_members_may_not_fill_the_bio_with_links(client, login, db, make):
    newcomer = make.user("lark", new=True)
    login(newcomer)
    bio = "https://a.example.org https://b.example.org https://c.example.org"

    response = submit(client, "/settings/profile", {"bio": bio})

    assert response.status_code == 422
    page = page_of(response)
    assert "at most 2 links in your profile" in page
    assert bio in page
    assert profile_row(db, newcomer) is None


def test_too_long_fields_are_refused_with_what_was_typed_kept(client, login, db, member):
    login(member)
    name = "x" * 51

    response = submit(client, "/settings/profile", {"display_name": name})

    assert response.status_code == 422
    assert "Keep the display name to 50 characters at most; this one has 51." in page_of(
        response)
    assert f'value="{name}"' in response.get_data(as_text=True)


@pytest.mark.parametrize("year", ["1949", "3000", "twenty"])
def test_diagnosis_year_outside_1950_to_this_year_is_refused(client, login, member, year):
    login(member)

    response = submit(client, "/settings/profile", {"diagnosis_year": year})

    assert response.status_code == 422
    assert 'id="diagnosis_year-error"' in response.get_data(as_text=True)


def test_the_profile_form_asks_for_no_real_name(client, login, member):
    login(member)

    page = page_of(client.get("/settings/profile"))

    assert "never asks for your real name" in page
