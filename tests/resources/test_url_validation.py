"""What /resources/new and /resources/<id>/edit accept: addresses, titles, descriptions,
places and expiry dates. Anything else is re-shown with a clear message (422), what was
typed still in the form, and nothing saved."""
from __future__ import annotations

from datetime import date, timedelta

import re

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from forum.moderation.models import ModerationAction
from forum.resources.models import ResourceLink
from support import submit

ADDRESS_MESSAGE = "Use a full http:// or https:// address, without a user name or password in it."

BAD_URLS = {
    "javascript": ("javascript:alert(document.cookie)", ADDRESS_MESSAGE),
    "javascript with spaces and case": ("  JaVaScRiPt:alert(1)", ADDRESS_MESSAGE),
    "data": ("data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", ADDRESS_MESSAGE),
    "vbscript": ("vbscript:msgbox(1)", ADDRESS_MESSAGE),
    "ftp": ("ftp://files.example.org/leaflet.pdf", ADDRESS_MESSAGE),
    "relative path": ("/c/ccsvi", ADDRESS_MESSAGE),
    "protocol-relative": ("//example.org/ccsvi", ADDRESS_MESSAGE),
    "user and password": ("https://user:pass@example.org/ccsvi", ADDRESS_MESSAGE),
    "user name only": ("https://user@example.org/ccsvi", ADDRESS_MESSAGE),
    "no host": ("https://", ADDRESS_MESSAGE),
    "missing scheme": ("example.org/ccsvi", ADDRESS_MESSAGE),
    "over 2000 characters": ("https://example.org/" + "a" * 1981, "2000 characters"),
}


def _form(category, **changes) -> dict:
    data = {"title": "Understanding CCSVI", "url": "https://example.org/ccsvi",
            "description": "What the clinic says about venous angioplasty.",
            "categories": category.slug, "site_wide": "y", "expires_on": ""}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _rows(db) -> tuple:
    db.session.expire_all()
    return (db.session.execute(select(ResourceLink.id, ResourceLink.title, ResourceLink.url,
                                      ResourceLink.description)
                               .order_by(ResourceLink.id)).all(),
            db.session.scalar(select(func.count()).select_from(ModerationAction)))


def _assert_refused(response, message: str, typed: dict) -> None:
    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:2000]
    # Said in words (the long-address message may print the number as 2000 or 2,000).
    assert message in page.replace("2,000", "2000")
    assert 'class="error"' in page, "the message is not beside its field"
    for field in ("title", "url", "description"):
        if (typed.get(field) or "").strip():
            assert str(escape(typed[field])) in page, f"the typed {field} was lost"


@pytest.fixture
def as_staff(staff, login, client):
    login(staff)
    return client


# Addresses ------------------------------------------------------------------------------

@pytest.mark.parametrize("url, message", BAD_URLS.values(), ids=BAD_URLS.keys())
def test_a_new_link_with_a_bad_address_is_refused_with_what_was_typed_kept(
        url, message, as_staff, category, db):
    before = _rows(db)
    data = _form(category, url=url)
    response = submit(as_staff, "/resources/new", data)
    _assert_refused(response, message, data)
    assert _rows(db) == before


# Editing runs the same checks: a few representatives are enough.
EDIT_BAD_URLS = {key: BAD_URLS[key] for key in (
    "javascript", "data", "user and password", "missing scheme", "over 2000 characters")}


@pytest.mark.parametrize("url, message", EDIT_BAD_URLS.values(), ids=EDIT_BAD_URLS.keys())
def test_an_edit_to_a_bad_address_is_refused_and_the_link_keeps_its_own(
        url, message, as_staff, pinned, category, db):
    before = _rows(db)
    data = _form(category, url=url, title="Understanding CCSVI, revised")
    response = submit(as_staff, f"/resources/{pinned.id}/edit", data)
    _assert_refused(response, message, data)
    assert _rows(db) == before


@pytest.mark.parametrize("url", ["http://example.org/leaflet", "https://example.org/ccsvi?x=1#top",
                                 "HTTPS://Example.org/Upper"])
def test_http_and_https_addresses_are_accepted(url, as_staff, category, db):
    response = submit(as_staff, "/resources/new", _form(category, url=url))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    link = db.session.scalar(select(ResourceLink))
    assert link.url == url


def test_an_address_is_kept_without_the_spaces_around_it(as_staff, category, db):
    response = submit(as_staff, "/resources/new",
                      _form(category, url="  https://example.org/ccsvi  "))
    assert response.status_code == 302
    assert db.session.scalar(select(ResourceLink.url)) == "https://example.org/ccsvi"


def test_an_edit_to_a_good_address_is_saved(as_staff, pinned, category, db):
    response = submit(as_staff, f"/resources/{pinned.id}/edit",
                      _form(category, url="http://example.org/moved"))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ResourceLink, pinned.id).url == "http://example.org/moved"


# Other fields ---------------------------------------------------------------------------

OTHER_FIELDS = {
    "title too short": ({"title": "ab"}, "Give the link a title of 3 to 200 characters."),
    "title only spaces": ({"title": "   "}, "Give the link a title"),
    "title empty": ({"title": ""}, "Give the link a title"),
    "title too long": ({"title": "A" * 201}, "200 characters"),
    "description too long": ({"description": "d" * 501}, "500 characters"),
    "pinned nowhere": ({"site_wide": None, "categories": None},
                       "Pin the link site-wide, or in at least one category."),
    "pinned only in a category that does not exist": (
        {"site_wide": None, "categories": "no-such-category"},
        "Pin the link site-wide, or in at least one category."),
    "expiry in the past": ({"expires_on": (date.today() - timedelta(days=1)).isoformat()},
                           "The expiry date is already past."),
    "expiry not a date": ({"expires_on": "next spring"}, "Not a valid date value"),
    "address missing": ({"url": ""}, "Enter the address of the page"),
}


@pytest.mark.parametrize("changes, message", OTHER_FIELDS.values(), ids=OTHER_FIELDS.keys())
def test_a_new_link_with_a_bad_field_is_refused_with_what_was_typed_kept(
        changes, message, as_staff, category, db):
    before = _rows(db)
    data = _form(category, **changes)
    response = submit(as_staff, "/resources/new", data)
    _assert_refused(response, message, data)
    assert _rows(db) == before


EDIT_OTHER_FIELDS = {key: OTHER_FIELDS[key] for key in (
    "title too short", "title empty", "description too long", "pinned nowhere",
    "expiry in the past")}


@pytest.mark.parametrize("changes, message", EDIT_OTHER_FIELDS.values(),
                         ids=EDIT_OTHER_FIELDS.keys())
def test_an_edit_with_a_bad_field_is_refused_and_changes_nothing(
        changes, message, as_staff, pinned, category, db):
    before = _rows(db)
    data = _form(category, **changes)
    response = submit(as_staff, f"/resources/{pinned.id}/edit", data)
    _assert_refused(response, message, data)
    assert _rows(db) == before


def test_the_boundary_lengths_are_accepted(as_staff, category, db):
    url = "https://example.org/" + "a" * 1980
    assert len(url) == 2000
    response = submit(as_staff, "/resources/new",
                      _form(category, title="A" * 200, description="d" * 500, url=url))
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    link = db.session.scalar(select(ResourceLink))
    assert (len(link.title), len(link.description), len(link.url)) == (200, 500, 2000)


def test_a_link_may_expire_today_or_later(as_staff, category, db):
    response = submit(as_staff, "/resources/new",
                      _form(category, expires_on=date.today().isoformat()))
    assert response.status_code == 302
    assert db.session.scalar(select(ResourceLink.expires_on)) == date.today()


def test_a_refused_form_keeps_the_chosen_places(as_staff, category, make):
    other = make.category(slug="living", name="Living with MS")
    response = submit(as_staff, "/resources/new",
                      _form(category, url="javascript:alert(1)", categories=[category.slug]))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _checked(page, category.slug)
    assert not _checked(page, other.slug)
    assert _checked_site_wide(page)


def _checked(page: str, slug: str) -> bool:
    for tag in re.findall(r"<input[^>]*>", page):
        if 'name="categories"' in tag and f'value="{slug}"' in tag:
            return " checked" in tag
    raise AssertionError(f"no checkbox for {slug}")


def _checked_site_wide(page: str) -> bool:
    (tag,) = [t for t in re.findall(r"<input[^>]*>", page) if 'name="site_wide"' in t]
    return " checked" in tag
