"""Admins change the approval queue, the new-member link limit and the crisis page."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.admin import services as site_settings
from forum.admin.models import SiteSetting
from forum.boards.models import Post
from support import submit

VALID = {"approval_posts": "3", "new_member_links": "1",
         "crisis_text": "Call **116 123** now."}


@pytest.fixture
def admin(make):
    return make.user("keeper", role="admin")


@pytest.fixture
def as_admin(client, login, admin):
    login(admin)
    return client


def stored(db) -> dict[str, str]:
    db.session.expire_all()
    return dict(db.session.execute(select(SiteSetting.key, SiteSetting.value)).all())


def test_the_settings_page_shows_the_current_values(as_admin, make):
    make.setting("new_member_links", "4")

    page = as_admin.get("/admin/settings").get_data(as_text=True)

    assert 'name="new_member_links"' in page
    assert re.search(r'name="new_member_links"[^>]*>\s*4</textarea>', page)
    assert "Crisis resources page" in page


def test_an_admin_can_change_the_settings(as_admin, app):
    response = submit(as_admin, "/admin/settings", VALID)

    assert response.status_code == 302
    assert (site_settings.get("approval_posts"), site_settings.get("new_member_links"),
            site_settings.get("crisis_text")) == (3, 1, "Call **116 123** now.")
    assert "Settings saved." in as_admin.get("/admin/settings").get_data(as_text=True)


def test_numbers_are_saved_without_surrounding_spaces(as_admin, db):
    submit(as_admin, "/admin/settings", {**VALID, "approval_posts": " 5 "})

    assert stored(db)["approval_posts"] == "5"


BAD_NUMBERS = [("approval_posts", "two", 50), ("approval_posts", "-1", 50),
               ("approval_posts", "51", 50), ("new_member_links", "1.5", 100),
               ("new_member_links", "101", 100)]


def test_a_bad_number_is_refused_with_a_message_and_nothing_is_saved(as_admin, db):
    before = stored(db)

    for field, value, highest in BAD_NUMBERS:
        response = submit(as_admin, "/admin/settings",
                          {**VALID, field: value, "crisis_text": "A new crisis text"})

        assert response.status_code == 422, (field, value)
        page = response.get_data(as_text=True)
        assert f"Enter a whole number from 0 to {highest}." in page
        assert "A new crisis text" in page  # what was typed is kept
    assert stored(db) == before


def test_an_empty_crisis_text_is_refused(as_admin, db):
    before = stored(db)

    response = submit(as_admin, "/admin/settings", {**VALID, "crisis_text": "   "})

    assert response.status_code == 422
    assert "This cannot be empty." in response.get_data(as_text=True)
    assert stored(db) == before


def test_the_crisis_page_shows_the_new_text_as_markdown(as_admin, new_client):
    text = ("## Call someone\n\n- **Samaritans**: 116 123\n- [Find a helpline]"
            "(https://findahelpline.com)\n")
    submit(as_admin, "/admin/settings", {**VALID, "crisis_text": text})

    page = new_client().get("/crisis").get_data(as_text=True)

    assert "<h2>Call someone</h2>" in page
    assert "<li><strong>Samaritans</strong>: 116 123</li>" in page
    assert 'href="https://findahelpline.com"' in page
    assert "**Samaritans**" not in page


def test_no_raw_html_or_script_survives_in_the_crisis_text(as_admin, new_client):
    text = ('Help <script>alert("x")</script> here\n\n<img src=x onerror="alert(1)">\n\n'
            '[click](javascript:alert(2))')
    submit(as_admin, "/admin/settings", {**VALID, "crisis_text": text})

    page = new_client().get("/crisis").get_data(as_text=True)
    crisis = page.split('<div class="crisis-text">', 1)[1].split("</div>", 1)[0]

    assert "<script" not in crisis and "<img" not in crisis
    assert "&lt;script&gt;" in crisis  # shown as text, harmless
    assert "javascript:" not in crisis.replace("[click](javascript:alert(2))", "")
    assert "<a " not in crisis


def test_the_crisis_page_shows_the_default_text_until_an_admin_changes_it(new_client):
    page = new_client().get("/crisis").get_data(as_text=True)

    assert "If you are in danger now, call your local emergency number" in page


def test_a_changed_approval_setting_applies_to_the_next_post(as_admin, db, browser, make,
                                                             mod_category):
    submit(as_admin, "/admin/settings", {**VALID, "approval_posts": "1"})
    newcomer = make.user("newbie", new=True)

    submit(browser(newcomer), f"/c/{mod_category.slug}/new",
           {"title": "Hello everyone", "body": "My first post"})

    assert db.session.scalar(select(Post.pending).where(Post.author_id == newcomer.id)) is True


def test_a_changed_link_limit_applies_to_new_members(as_admin, db, browser, make,
                                                     mod_category):
    submit(as_admin, "/admin/settings", {**VALID, "approval_posts": "0",
                                         "new_member_links": "0"})
    newcomer = make.user("newbie", new=True)

    response = submit(browser(newcomer), f"/c/{mod_category.slug}/new",
                      {"title": "Hello everyone", "body": "See https://example.org"})

    assert response.status_code == 422
    assert "at most 0 links" in response.get_data(as_text=True)
    assert db.session.scalar(select(Post.id)) is None


def test_members_and_moderators_cannot_open_the_settings(browser, make):
    for role in ("member", "moderator"):
        visitor = browser(make.user(f"visitor-{role}", role=role))
        assert visitor.get("/admin/settings").status_code == 403


def test_changing_the_settings_is_written_to_the_moderation_log(as_admin, db, admin):
    from forum.moderation.models import ModerationAction

    submit(as_admin, "/admin/settings", VALID)

    entry = db.session.scalars(select(ModerationAction)).one()
    assert (entry.action, entry.actor_id, entry.target_type) == ("site.settings", admin.id, "site")
    assert "Posts that wait for approval" in entry.reason


def test_saving_unchanged_settings_writes_no_log_entry(as_admin, db):
    from forum.moderation.models import ModerationAction

    current = site_settings.all_values()
    submit(as_admin, "/admin/settings", current)

    assert db.session.scalars(select(ModerationAction)).all() == []
