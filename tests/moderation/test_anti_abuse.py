"""Anti-abuse that needs no moderator: the registration honeypot, the first-day link
limit and the rate limits on posting, reporting and registering. All through the routes.
"""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import func, select

from forum.auth.models import User
from forum.boards.models import Post, Thread
from forum.moderation.models import Report
from support import TEST_PASSWORD, csrf_from, submit

REGISTERED_MESSAGE = "We have sent a link to your email address"


@pytest.fixture
def config_overrides(request):
    """Rate limits stay off unless a test asks for them with `@limited`."""
    return getattr(request, "param", {})


LIMITS = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_POST": "3 per minute",
    "RATELIMIT_POST_NEW_MEMBER": "1 per minute",
    "RATELIMIT_REPORT": "2 per minute",
    "RATELIMIT_REGISTER": "2 per minute",
}
limited = pytest.mark.parametrize("config_overrides", [LIMITS], indirect=True, ids=["limits-on"])


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def count(db, model, *where) -> int:
    db.session.rollback()  # see what the requests committed
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def links(number: int) -> str:
    return "Worth reading: " + " and ".join(
        f"[page {index}](https://site{index}.example.org/ccsvi)" for index in range(number))


def new_thread(client, category, title: str = "What helped my fatigue", body: str = "Plain text"):
    return submit(client, f"/c/{category.slug}/new", {"title": title, "body": body})


def reply(client, thread, body: str):
    return submit(client, f"/t/{thread.id}/reply", {"body": body}, form_page=f"/t/{thread.id}")


def assert_slow_down(response, *typed: str):
    assert response.status_code == 429
    body = text_of(response)
    assert "Please slow down" in body
    assert "Skip to main content" in body  # the site's own layout, not a bare error
    for text in typed:
        assert text in body, f"{text!r} is not handed back"
    assert int(response.headers["Retry-After"]) > 0


@pytest.fixture
def category(make):
    return make.category(slug="living-with-ms", name="Living with MS")


# The registration honeypot -----------------------------------------------------------

def registration(number: int = 1, **changes) -> dict:
    data = {"username": f"heron_{number}", "email": f"heron{number}@example.org",
            "password": TEST_PASSWORD, "password_confirm": TEST_PASSWORD,
            "accept_guidelines": "y"}
    data.update(changes)
    return data


def test_a_filled_honeypot_is_answered_like_a_success_but_creates_nobody(client, db, outbox):
    response = submit(client, "/register", registration(website="https://cheap-pills.example"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert REGISTERED_MESSAGE in text_of(client.get("/login"))
    assert count(db, User) == 0
    assert outbox() == []


def test_an_empty_honeypot_registers_and_mails_as_usual(client, db, outbox):
    response = submit(client, "/register", registration(website=""))
    assert response.status_code == 302
    assert count(db, User, User.username_key == "heron_1") == 1
    assert len(outbox()) == 1


def test_the_honeypot_is_in_the_form_but_hidden_from_people_and_screen_readers(client):
    page = client.get("/register").get_data(as_text=True)
    match = re.search(r'<div class="honeypot" aria-hidden="true">(.*?)</div>', page, re.S)
    assert match, "no hidden honeypot wrapper on the register page"
    inside = match.group(1)
    assert 'name="website"' in inside
    assert 'tabindex="-1"' in inside  # keyboard users never land in it
    assert 'autocomplete="off"' in inside  # browsers do not fill it for people
    assert page.count('name="website"') == 1
    css = client.get("/static/css/site.css").get_data(as_text=True)
    assert re.search(r"\.honeypot\s*\{[^}]*left:\s*-\d+px", css)


# The first-day link limit ------------------------------------------------------------

def test_a_new_members_thread_with_three_links_is_refused_and_kept(client, db, make, login,
                                                                  category):
    login(make.user("fern", new=True))
    body = links(3)
    response = new_thread(client, category, "Three clinics I found", body)
    assert response.status_code == 422
    page = text_of(response)
    assert "During their first day, members can include at most 2 links" in page
    assert "this one has 3" in page
    assert "Three clinics I found" in page and body in page
    assert count(db, Thread) == 0


def test_a_new_members_reply_with_three_links_is_refused_and_kept(client, db, make, login):
    thread = make.thread()
    login(make.user("fern", new=True))
    body = links(3)
    response = reply(client, thread, body)
    assert response.status_code == 422
    page = text_of(response)
    assert "at most 2 links" in page and body in page
    assert count(db, Post) == 1


def test_bare_addresses_count_as_links(client, make, login):
    thread = make.thread()
    login(make.user("fern", new=True))
    body = "See https://a.example.org, https://b.example.org and https://c.example.org"
    response = reply(client, thread, body)
    assert response.status_code == 422
    assert "this one has 3" in text_of(response)


def test_a_new_member_may_post_two_links(client, db, make, login, category):
    login(make.user("fern", new=True))
    assert new_thread(client, category, body=links(2)).status_code == 302
    thread = db.session.scalar(select(Thread))
    assert reply(client, thread, links(2)).status_code == 302
    assert count(db, Post) == 2


def test_a_member_of_thirty_days_may_post_ten_links(client, db, make, login, category):
    login(make.user("fern"))
    assert new_thread(client, category, body=links(10)).status_code == 302
    thread = db.session.scalar(select(Thread))
    assert reply(client, thread, links(10)).status_code == 302
    assert count(db, Post) == 2


def test_the_site_setting_lowers_the_limit(client, make, login):
    make.setting("new_member_links", "0")
    thread = make.thread()
    login(make.user("fern", new=True))
    response = reply(client, thread, links(1))
    assert response.status_code == 422
    assert "at most 0 links" in text_of(response)


def test_the_site_setting_raises_the_limit(client, make, login):
    make.setting("new_member_links", "5")
    thread = make.thread()
    login(make.user("fern", new=True))
    assert reply(client, thread, links(5)).status_code == 302
    response = reply(client, thread, links(6))
    assert response.status_code == 422
    assert "at most 5 links" in text_of(response)


@pytest.mark.parametrize("role", ["clinic_staff", "moderator", "admin"])
def test_trusted_roles_are_exempt_on_their_first_day(client, db, make, login, category, role):
    login(make.user("keeper", role=role, new=True))
    assert new_thread(client, category, body=links(6)).status_code == 302
    assert count(db, Thread) == 1


def test_a_new_member_cannot_add_links_by_editing(client, db, make, login):
    member = make.user("fern", new=True)
    thread = make.thread(author=member, body="No links yet")
    post_id = db.session.scalar(select(Post.id).where(Post.thread_id == thread.id))
    login(member)
    response = submit(client, f"/p/{post_id}/edit", {"body": links(3)})
    assert response.status_code == 422
    assert "at most 2 links" in text_of(response)
    db.session.rollback()
    assert db.session.get(Post, post_id).body == "No links yet"


# Rate limits -------------------------------------------------------------------------

@limited
def test_threads_over_the_posting_limit_get_429_with_the_text_handed_back(client, db, make,
                                                                         login, category):
    login(make.user("fern"))
    for number in range(3):
        assert new_thread(client, category, f"Thread number {number}").status_code == 302
    response = new_thread(client, category, "One thread too many", "My long story of the day")
    assert_slow_down(response, "One thread too many", "My long story of the day")
    assert count(db, Thread) == 3


@limited
def test_replies_over_the_posting_limit_get_429_with_the_text_handed_back(client, db, make,
                                                                         login):
    thread = make.thread()
    login(make.user("fern"))
    for number in range(3):
        assert reply(client, thread, f"Reply number {number}").status_code == 302
    assert_slow_down(reply(client, thread, "A reply I typed for an hour"),
                     "A reply I typed for an hour")
    assert count(db, Post) == 4


@limited
def test_threads_and_replies_share_one_posting_budget(client, db, make, login, category):
    thread = make.thread(category=category)
    login(make.user("fern"))
    for number in range(3):
        assert reply(client, thread, f"Reply number {number}").status_code == 302
    assert_slow_down(new_thread(client, category, "A thread after three replies"))
    assert count(db, Post) == 4


@limited
def test_a_new_member_reaches_the_tighter_limit_sooner(client, new_client, make, login):
    thread = make.thread()
    login(make.user("fern", new=True))
    assert reply(client, thread, "My first words here").status_code == 302
    assert_slow_down(reply(client, thread, "And a second thought"), "And a second thought")

    established = new_client()
    submit(established, "/login", {"login": make.user("heron").username,
                                   "password": TEST_PASSWORD})
    for number in range(3):
        assert reply(established, thread, f"Reply number {number}").status_code == 302
    assert reply(established, thread, "Fourth").status_code == 429


@limited
def test_the_posting_limit_is_per_member(client, new_client, make, login):
    thread = make.thread()
    login(make.user("fern"))
    for number in range(3):
        reply(client, thread, f"Reply number {number}")
    assert reply(client, thread, "Too many").status_code == 429

    other = new_client()  # same address, another member
    assert submit(other, "/login", {"login": make.user("heron").username,
                                    "password": TEST_PASSWORD}).status_code == 302
    assert reply(other, thread, "My turn").status_code == 302


@limited
def test_posting_while_signed_out_is_sent_to_sign_in_not_limited(client, make):
    thread = make.thread()
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(f"/t/{thread.id}/reply", data={"body": "Hello", "csrf_token": token})
    assert response.status_code == 401


def report(client, post_id: int, reason: str = "spam"):
    return submit(client, f"/p/{post_id}/report", {"reason": reason, "note": "Selling cures"})


@pytest.fixture
def three_posts(db, make):
    """Three posts by someone else, for members to report."""
    thread = make.thread(author=make.user("pedlar"), posts=3)
    return db.session.scalars(select(Post.id).where(Post.thread_id == thread.id)
                              .order_by(Post.id)).all()


@limited
def test_reporting_over_the_limit_gets_429(client, db, make, login, three_posts):
    login(make.user("fern"))
    for post_id in three_posts[:2]:
        assert report(client, post_id).status_code == 302
    response = report(client, three_posts[2])
    assert_slow_down(response, "Selling cures")
    assert count(db, Report) == 2


@limited
def test_the_report_limit_is_per_member(client, new_client, db, make, login, three_posts):
    login(make.user("fern"))
    for post_id in three_posts[:2]:
        report(client, post_id)
    assert report(client, three_posts[2]).status_code == 429

    other = new_client()
    assert submit(other, "/login", {"login": make.user("heron").username,
                                    "password": TEST_PASSWORD}).status_code == 302
    assert report(other, three_posts[2]).status_code == 302
    assert count(db, Report) == 3


@limited
def test_registering_over_the_limit_gets_429(client, db):
    for number in range(2):
        assert submit(client, "/register", registration(number)).status_code == 302
    assert_slow_down(submit(client, "/register", registration(2)))
    assert count(db, User) == 2
