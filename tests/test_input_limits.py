"""Input that once gave a 500 gets a 404 or a clear 4xx, and keeps what was typed."""
from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import quote

import pytest
from markupsafe import escape
from sqlalchemy import func, select

from forum.admin.models import SiteSetting
from forum.admin.services import all_values
from forum.arguments import BoundedInt
from forum.auth.models import LoginSession
from forum.boards.models import Post
from forum.moderation.models import ModerationAction
from forum.resources.models import ResourceLink
from support import csrf_from, sign_in, submit

NUL_MESSAGE = "NUL character that cannot be stored"


@pytest.fixture
def thread(make):
    return make.thread(make.category("ccsvi"), make.user("fern"), "Liberation, two years on",
                       posts=2)


@pytest.fixture
def admin(make):
    return make.user("boss", role="admin")


@pytest.fixture
def staff(make):
    return make.staff("vein_anna")


@pytest.fixture
def link(make, staff):
    return make.link(staff, url="https://www.example.org/ccsvi")


def _post_count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Post))


def _kept(page: str, typed: str) -> bool:
    return str(escape(typed)) in page


# Ids past the integer range ----------------------------------------------------------

def _int_rules(app):
    return [rule for rule in app.url_map.iter_rules() if "<int:" in rule.rule]


def test_every_int_route_takes_the_bounded_converter(app):
    assert {type(converter) for rule in _int_rules(app)
            for name, converter in rule._converters.items()
            if f"<int:{name}>" in rule.rule} == {BoundedInt}


def _filled(rule, number: str) -> str:
    """The rule's address with `number` for each id and a word for anything else."""
    url = rule.rule
    for name in rule._converters:
        url = url.replace(f"<int:{name}>", number).replace(f"<{name}>", "hide")
    return url


@pytest.mark.parametrize("number", ["2147483648", "9223372036854775808", "1" * 40])
def test_every_id_past_the_integer_range_is_not_found(app, client, admin, number):
    sign_in(client, admin)
    for rule in _int_rules(app):
        for method in {"GET", "POST"} & rule.methods:
            # A POST-only action's GET twin (GET /t/<id>/reply) answers 405 whatever the id.
            always_405 = client.open(_filled(rule, "1"), method=method).status_code == 405
            url = _filled(rule, number)
            status = client.open(url, method=method).status_code
            assert status == (405 if always_405 else 404), f"{method} {url}"


def test_an_id_in_other_digits_is_not_found(client, thread):
    assert client.get(f"/t/{thread.id}").status_code == 200
    arabic_indic = str(thread.id).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert client.get(f"/t/{quote(arabic_indic)}").status_code == 404


def test_an_id_past_the_integer_range_in_a_filter_is_not_found(client):
    assert client.get("/resources?clinic=2147483648").status_code == 404


# NUL, and bytes that are not UTF-8 ---------------------------------------------------

def test_nul_in_a_reply_is_refused_with_what_was_typed_kept(client, login, make, db, thread):
    login(make.user("heron"))
    before = _post_count(db)

    response = submit(client, f"/t/{thread.id}/reply", {"body": "Week one\x00: less fatigue"},
                      form_page=f"/t/{thread.id}")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert NUL_MESSAGE in page
    assert _kept(page, "Week one: less fatigue")
    assert _post_count(db) == before


def test_nul_in_a_field_name_is_refused(client, login, make, db, thread):
    login(make.user("heron"))
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)

    response = client.post(f"/t/{thread.id}/reply", data={
        "body": "A reply", "bo\x00dy": "x", "csrf_token": csrf_from(page)})

    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


def test_nul_in_an_address_is_refused(client, thread):
    response = client.get("/c/ccsvi%00")

    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


def test_nul_in_a_query_string_is_refused(client, thread):
    response = client.get("/resources?category=ccsvi%00")

    assert response.status_code == 400
    assert NUL_MESSAGE in response.get_data(as_text=True)


def test_nul_in_the_browsers_name_does_not_stop_a_login(client, make, db):
    make.user("fern")
    token = csrf_from(client.get("/login").get_data(as_text=True))

    response = client.post("/login", headers={"User-Agent": "Mozilla/5.0\x00 (X11)"},
                           data={"login": "fern", "password": "correct horse battery staple",
                                 "csrf_token": token})

    assert response.status_code == 302
    assert db.session.scalar(select(LoginSession.user_agent)) == "Mozilla/5.0 (X11)"


def test_bytes_that_are_not_utf8_in_a_form_are_kept_as_their_escapes(client, login, make, db,
                                                                     thread):
    login(make.user("heron"))
    token = csrf_from(client.get(f"/t/{thread.id}").get_data(as_text=True))

    response = client.post(f"/t/{thread.id}/reply", data=f"body=caf%FF%FE&csrf_token={token}",
                           content_type="application/x-www-form-urlencoded")

    assert response.status_code == 302
    db.session.expire_all()
    newest = db.session.scalar(select(Post).order_by(Post.id.desc()).limit(1))
    assert newest.body == "caf%FF%FE"


def test_an_address_that_is_not_utf8_is_not_found(client, thread):
    assert client.get("/c/%FF").status_code == 404


# Numbers in other digits -------------------------------------------------------------

@pytest.mark.parametrize("page", ["١", "²", "１", "1.0", "-1", "100001"])
def test_a_page_number_that_is_not_a_sensible_page_is_not_found(client, thread, page):
    assert client.get(f"/t/{thread.id}?page={quote(page)}").status_code == 404


def test_a_filter_in_other_digits_is_not_found(client):
    assert client.get(f"/resources?clinic={quote('١')}").status_code == 404


@pytest.mark.parametrize("days", ["²", "99999999999999999999", "9" * 5000, "7.5"])
def test_suspension_days_that_are_not_a_sensible_number_get_a_form_error(
        client, login, make, db, days):
    member = make.user("fern")
    login(make.user("warden", role="moderator"))

    response = submit(client, "/mod/users/fern/suspend",
                      {"days": days, "reason": "Repeated advertising"})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error"' in page
    assert _kept(page, "Repeated advertising")
    db.session.expire_all()
    assert db.session.get(type(member), member.id).suspended_at is None


@pytest.mark.parametrize("number", ["١", "²", "1_0", "99999999999"])
def test_a_site_setting_that_is_not_plain_digits_gets_a_form_error(client, login, admin, db,
                                                                  number):
    login(admin)

    response = submit(client, "/admin/settings", {**all_values(), "approval_posts": number})

    assert response.status_code == 422
    assert "Enter a whole number from 0 to 50." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SiteSetting, "approval_posts").value == "0"


# Over-long reasons -------------------------------------------------------------------

LONG_REASON = "Because " + "very " * 300


def _reason_cases():
    """Each action with a reason: who may take it, where it is posted, and the page its
    form is on when that is elsewhere."""
    return {
        "hiding a post": ("moderator", lambda w: f"/mod/posts/{w.post.id}/hide", None),
        "locking a thread": ("moderator", lambda w: f"/mod/threads/{w.thread.id}/lock", None),
        "suspending": ("moderator", lambda w: "/mod/users/fern/suspend", None),
        "dismissing a report": ("moderator", lambda w: f"/mod/reports/{w.report.id}/dismiss",
                                None),
        "hiding a link": ("moderator", lambda w: f"/resources/{w.link.id}/hide", None),
        "unpinning a link": ("staff", lambda w: f"/resources/{w.link.id}/unpin",
                             lambda w: f"/resources/{w.link.id}/edit"),
        "changing a role": ("admin", lambda w: "/admin/users/fern/role", None),
    }


@pytest.mark.parametrize("case", list(_reason_cases()))
def test_an_over_long_reason_is_refused_with_what_was_typed_kept(
        case, client, login, make, db, thread, link, staff):
    db.session.refresh(thread)
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))
    world = SimpleNamespace(thread=thread, post=post, link=link,
                            report=make.report(post, make.user("oak")))
    actors = {"moderator": make.user("warden", role="moderator"), "staff": staff,
              "admin": make.user("boss", role="admin")}
    role, url, form_page = _reason_cases()[case]
    login(actors[role])
    logged = db.session.scalar(select(func.count()).select_from(ModerationAction))

    response = submit(client, url(world),
                      {"reason": LONG_REASON, "days": "7", "role": "member", "clinic": "",
                       "confirm": "yes"},
                      form_page=form_page(world) if form_page else None)

    page = response.get_data(as_text=True)
    assert response.status_code == 422, page[:2000]
    assert _kept(page, LONG_REASON.strip())
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ModerationAction)) == logged


# A pinned link's address ------------------------------------------------------------

@pytest.mark.parametrize("address", [
    "https://example.org/a\nb", "https://example.org/a\rb", "https://exa\tmple.org/",
    "https://example.org/\x01", "https://example.org/\x7f", "https://example.org/a b",
    "https://example.org/\u202egpj.exe", "https://exa\u200bmple.org/",
])
def test_a_pinned_links_address_with_hidden_characters_is_refused(
        client, login, make, db, staff, address):
    category = make.category("ccsvi")
    login(staff)

    response = submit(client, "/resources/new", {
        "title": "Understanding CCSVI", "url": address, "description": "",
        "categories": category.slug})

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Remove the spaces, line breaks and invisible characters" in page
    assert 'id="url-error"' in page
    assert _kept(page, "Understanding CCSVI")
    assert db.session.scalar(select(func.count()).select_from(ResourceLink)) == 0


def test_an_address_stored_before_the_check_is_not_followed(client, db, link):
    # As a link pinned before addresses were checked would be.
    link.url = "https://example.org/a\r\nSet-Cookie: stolen=1"
    db.session.commit()

    assert client.get(f"/r/{link.id}").status_code == 404


# Where ?next= may send someone -------------------------------------------------------

@pytest.mark.parametrize("target", [
    "/c/ccsvi\r\nSet-Cookie: stolen=1", "/\n", "/c/\ttab", "/c/\x01", "/c/\u2028",
    "//evil.example", "/\\evil.example", "\\\\evil.example", "/c/ccsvi\\..\\x",
    "https://evil.example/", "javascript:alert(1)", "c/ccsvi", "/" + "a" * 2001,
])
def test_a_next_that_could_leave_the_site_or_split_a_header_goes_home(
        client, make, target):
    sign_in(client, make.user("fern"))

    response = client.get("/login", query_string={"next": target})

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_next_within_the_site_is_followed(client, make):
    sign_in(client, make.user("fern"))

    response = client.get("/login", query_string={"next": "/c/ccsvi?page=2"})

    assert response.headers["Location"] == "/c/ccsvi?page=2"
