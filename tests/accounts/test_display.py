"""Display settings: text size, colours, motion and a reading-friendly font, as classes on
every page's <html> — stored on a member's account, kept in a cookie for a visitor."""
from __future__ import annotations

import json
import re
import zipfile

import pytest
from flask import render_template_string

from forum.accounts import deletion
from forum.accounts import export as exports
from forum.accounts.display import Display, save_display
from support import TEST_PASSWORD, csrf_from, database_snapshot, form_state, submit

DEFAULT_CLASSES = "text-100 theme-system"
LARGE_DARK = {"text_size": "150", "theme": "dark", "reduce_motion": "y"}


def html_classes(response) -> str:
    match = re.search(r'<html lang="en" class="([^"]*)">', response.get_data(as_text=True))
    assert match, "the page has no <html> element with classes"
    return match.group(1)


@pytest.fixture
def signed_in(member, login):
    login(member)
    return member


# Everyone starts from the default ---------------------------------------------------------

def test_a_visitor_reads_the_default_display(client):
    assert html_classes(client.get("/")) == DEFAULT_CLASSES


def test_a_member_who_chose_nothing_reads_the_default_display(client, signed_in):
    assert html_classes(client.get("/")) == DEFAULT_CLASSES


def test_the_settings_page_shows_the_default_chosen(client, signed_in):
    page = client.get("/settings/display")

    assert page.status_code == 200
    state = form_state(page.get_data(as_text=True))
    assert (state["text_size"], state["theme"]) == (["100"], ["system"])
    assert "reduce_motion" not in state and "readable_font" not in state


# Members ------------------------------------------------------------------------------------

def test_a_members_choice_is_saved_and_the_next_page_carries_it(client, signed_in):
    response = submit(client, "/settings/display", LARGE_DARK)

    assert response.status_code == 302
    assert response.headers["Location"] == "/settings/display"
    page = client.get("/settings/display")
    assert "Display settings saved." in page.get_data(as_text=True)
    assert html_classes(page) == "text-150 theme-dark reduce-motion"


def test_a_members_choice_follows_them_to_another_browser(client, signed_in, browser):
    submit(client, "/settings/display", {"text_size": "175", "theme": "high-contrast",
                                         "readable_font": "y"})

    elsewhere = browser(signed_in)
    assert html_classes(elsewhere.get("/")) == "text-175 theme-high-contrast readable-font"


def test_the_display_page_saves_a_members_choice_to_their_account(client, db, signed_in):
    response = submit(client, "/display", LARGE_DARK)

    assert response.status_code == 302
    assert client.get_cookie("display") is None
    db.session.refresh(signed_in)
    assert Display.of(signed_in) == Display(150, "dark", reduce_motion=True)


def test_settings_display_asks_a_visitor_to_sign_in(client):
    response = client.get("/settings/display")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_the_settings_index_lists_display(client, signed_in):
    page = client.get("/settings").get_data(as_text=True)

    assert '<a href="/settings/display">Display</a>' in page
    assert "Text size, contrast, dark theme, motion and a reading-friendly font." in page


# Visitors -----------------------------------------------------------------------------------

def test_a_visitors_choice_is_kept_in_a_cookie_for_a_year(client):
    response = submit(client, "/display", LARGE_DARK)

    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("display=150.dark.1.0;")
    assert "Max-Age=31536000" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    assert html_classes(client.get("/")) == "text-150 theme-dark reduce-motion"


@pytest.mark.parametrize("config_overrides", [{"SESSION_COOKIE_SECURE": True}], indirect=True)
def test_a_visitors_cookie_is_secure_where_sessions_are(client):
    response = submit(client, "/display", LARGE_DARK)

    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("value", [
    "", "dark", "150.dark.1", "150.dark.1.0.0", "200.dark.0.0", "150.neon.0.0",
    "150.DARK.0.0", "150.dark.2.0", " 150.dark.0.0", "150.dark.0.0 theme-evil",
    '150.dark.0.0"><script>alert(1)</script>', "text-150 theme-dark",
])
def test_a_malformed_or_forged_cookie_gives_the_default(client, value):
    client.set_cookie("display", value)

    assert html_classes(client.get("/")) == DEFAULT_CLASSES


def test_a_visitor_goes_back_to_the_page_they_came_from(client, category):
    page = client.get("/display", headers={"Referer": "http://localhost/c/living-with-ms"})
    html = page.get_data(as_text=True)
    assert form_state(html)["next"] == ["/c/living-with-ms"]

    response = client.post("/display", data={**LARGE_DARK, "next": "/c/living-with-ms",
                                              "csrf_token": csrf_from(html)})
    assert response.headers["Location"] == "/c/living-with-ms"


def test_a_link_from_another_site_is_not_where_a_visitor_goes_back_to(client):
    page = client.get("/display", headers={"Referer": "https://evil.example/c/x"})

    assert "next" not in form_state(page.get_data(as_text=True))


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "/\\evil"])
def test_a_visitor_is_never_sent_off_the_site(client, target):
    response = submit(client, "/display", {**LARGE_DARK, "next": target})

    assert response.headers["Location"] == "/display"


def test_choosing_the_default_again_removes_the_cookie(client):
    submit(client, "/display", LARGE_DARK)
    submit(client, "/display", {"text_size": "100", "theme": "system"})

    assert client.get_cookie("display") is None
    assert html_classes(client.get("/")) == DEFAULT_CLASSES


def test_every_page_links_to_the_display_page_for_visitors(client):
    page = client.get("/").get_data(as_text=True)

    # In the header and in the footer.
    assert page.count('<a href="/display">Text size and contrast</a>') == 2


def test_an_anonymous_look_at_the_display_page_writes_nothing(client, db):
    before = database_snapshot(db)

    assert client.get("/display").status_code == 200
    assert database_snapshot(db) == before


# Refusals -----------------------------------------------------------------------------------

@pytest.mark.parametrize("fields", [
    {"text_size": "200", "theme": "dark"},
    {"text_size": "150", "theme": "neon"},
    {"text_size": "1" * 5000, "theme": "dark"},
    {"theme": "dark"},
])
def test_a_choice_not_offered_reshows_the_members_form(client, db, signed_in, fields):
    response = submit(client, "/settings/display", fields)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose one of the answers shown." in page or "Choose a text size." in page
    assert "<legend>Text size" in page
    db.session.refresh(signed_in)
    assert Display.of(signed_in) == Display()


def test_a_choice_not_offered_reshows_the_visitors_form_without_a_cookie(client):
    response = submit(client, "/display", {"text_size": "150", "theme": "neon"})

    assert response.status_code == 422
    assert "Choose one of the answers shown." in response.get_data(as_text=True)
    assert client.get_cookie("display") is None


def test_a_visitors_form_without_its_token_is_refused(client):
    response = client.post("/display", data=LARGE_DARK)

    assert response.status_code == 400
    assert client.get_cookie("display") is None


def test_a_members_form_without_its_token_is_refused(client, db, signed_in):
    response = client.post("/settings/display", data=LARGE_DARK)

    assert response.status_code == 400
    db.session.refresh(signed_in)
    assert Display.of(signed_in) == Display()


# Members' data ------------------------------------------------------------------------------

def test_the_export_holds_the_display_settings(db, member):
    save_display(member, Display(125, "light", readable_font=True))
    export = exports.request_export(member)
    db.session.commit()
    db.session.refresh(export)

    with zipfile.ZipFile(exports.path_of(export)) as archive:
        data = json.loads(archive.read("outflow-export.json"))
    assert data["member"]["display"] == {"text_size": 125, "theme": "light",
                                         "reduce_motion": False, "readable_font": True}


def test_deleting_the_account_resets_the_display_settings(db, member):
    save_display(member, Display(175, "high-contrast", True, True))
    deletion.delete_own_account(member, TEST_PASSWORD, "keep")
    db.session.commit()

    db.session.refresh(member)
    assert Display.of(member) == Display()


# Outside requests ---------------------------------------------------------------------------

def test_templates_rendered_outside_a_request_get_the_default(app):
    assert render_template_string("{{ display_classes }}") == DEFAULT_CLASSES


def test_mail_still_renders_outside_a_request(db, member, outbox):
    save_display(member, Display(150, "dark"))
    exports.request_export(member)
    db.session.commit()

    assert [message["Subject"] for message in outbox()] == [exports.MAIL_SUBJECT]
