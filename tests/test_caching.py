"""Visitors' pages can be kept by a shared cache and revalidated by ETag; members' stay private."""
from __future__ import annotations

import pytest

from support import submit

PUBLIC = "public, max-age=0, must-revalidate"

VISITOR_PAGES = {
    "home": lambda thread: "/",
    "category": lambda thread: f"/c/{thread.category.slug}",
    "thread": lambda thread: f"/t/{thread.id}/{thread.slug}",
    "resources": lambda thread: "/resources",
}


@pytest.fixture
def thread(db, make):
    """A thread in a category that also shows a clinic's pinned link, as the site-wide panel."""
    from forum.resources import services
    from forum.resources.models import Clinic

    clinic = Clinic(name="Vein Clinic of Example", website="https://clinic.example.org")
    db.session.add(clinic)
    db.session.commit()
    category = make.category(slug="ccsvi", name="CCSVI and venous procedures")
    staff = make.user("vein_anna", role="clinic_staff", clinic=clinic)
    services.pin_link(staff, "Understanding CCSVI", "https://www.example.org/ccsvi",
                      "What the clinic says.", site_wide=True, categories=[category])
    return make.thread(category=category, title="Six months after angioplasty", posts=2)


@pytest.fixture(params=list(VISITOR_PAGES))
def page(request, thread) -> str:
    return VISITOR_PAGES[request.param](thread)


def test_visitor_page_sets_no_cookie(client, page):
    response = client.get(page)
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_visitor_page_carries_no_csrf_token(client, page):
    html = client.get(page).get_data(as_text=True)
    assert "csrf_token" not in html


def test_visitor_page_may_be_kept_by_a_shared_cache(client, page):
    response = client.get(page)
    assert response.headers["Cache-Control"] == PUBLIC
    assert "Cookie" in response.vary


def test_visitor_page_carries_a_strong_etag(client, page):
    etag, weak = client.get(page).get_etag()
    assert etag
    assert not weak


def test_visitor_page_with_a_matching_etag_gets_304_and_no_body(client, page):
    etag = client.get(page).headers["ETag"]
    response = client.get(page, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.get_data() == b""
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == PUBLIC


def test_visitor_page_with_a_stale_etag_gets_the_page(client, page):
    response = client.get(page, headers={"If-None-Match": '"not-this-one"'})
    assert response.status_code == 200
    assert response.get_data()


def test_head_by_a_visitor_answers_like_get(client, page):
    etag = client.get(page).headers["ETag"]
    response = client.head(page)
    assert response.status_code == 200
    assert response.headers["ETag"] == etag
    assert response.headers["Cache-Control"] == PUBLIC


def test_thread_etag_changes_when_a_reply_is_posted(client, make, thread):
    from forum.boards import services

    url = VISITOR_PAGES["thread"](thread)
    before = client.get(url).headers["ETag"]
    services.reply(make.user("heron"), thread, "The fatigue came back after a year.")

    response = client.get(url, headers={"If-None-Match": before})

    assert response.status_code == 200
    assert "The fatigue came back after a year." in response.get_data(as_text=True)
    assert response.headers["ETag"] != before


def test_home_etag_changes_when_a_reply_is_posted(client, make, thread):
    from forum.boards import services

    before = client.get("/").headers["ETag"]
    services.reply(make.user("heron"), thread, "Still walking further than before.")
    assert client.get("/").headers["ETag"] != before


def test_member_pages_are_private(client, make, login, page):
    login(make.user("river"))
    response = client.get(page)
    assert response.status_code == 200
    assert "private" in response.cache_control
    assert "public" not in response.headers["Cache-Control"]
    assert "ETag" not in response.headers


def test_member_gets_the_page_despite_a_visitors_etag(client, make, login, thread):
    url = VISITOR_PAGES["thread"](thread)
    etag = client.get(url).headers["ETag"]
    login(make.user("river"))
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Post reply" in response.get_data(as_text=True)


def test_member_reply_form_still_works(client, make, login, thread):
    login(make.user("river"))
    url = VISITOR_PAGES["thread"](thread)
    response = submit(client, f"/t/{thread.id}/reply", {"body": "Thank you for writing this."},
                      form_page=url)
    assert response.status_code == 302


@pytest.mark.parametrize("path", ["/login", "/register", "/reset"])
def test_pages_that_show_a_visitor_a_form_stay_private(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "private" in response.cache_control
    assert "ETag" not in response.headers


def test_form_page_stays_private_for_a_returning_visitor(client):
    client.get("/login")
    response = client.get("/login")
    assert "Set-Cookie" not in response.headers
    assert "private" in response.cache_control
    assert "ETag" not in response.headers


def test_page_showing_a_flashed_message_stays_private(client, thread):
    # Asking for a members-only page flashes "Please sign in" onto the sign-in page.
    response = client.get(f"/c/{thread.category.slug}/new", follow_redirects=True)
    assert "Please sign in to do that." in response.get_data(as_text=True)
    assert "private" in response.cache_control


def test_missing_page_stays_private(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "private" in response.cache_control
    assert "ETag" not in response.headers
