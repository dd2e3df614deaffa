"""Every page's title says where the reader is, most specific first, ending "— Outflow";
a form re-shown with problems says "Error:" first."""
from __future__ import annotations

import html
import re

import pytest

from support import submit

TITLE = re.compile(r"<title>(.*?)</title>", re.S)


@pytest.fixture
def config_overrides():
    return {"POSTS_PER_PAGE": 2}


def title_of(response) -> str:
    return html.unescape(TITLE.search(response.get_data(as_text=True)).group(1))


@pytest.fixture
def thread(make, category):
    return make.thread(category, title="Cold feet after stenting", posts=3)


def test_the_home_page_is_titled_with_the_site_name_alone(client):
    assert title_of(client.get("/")) == "Outflow"


def test_the_thread_page_names_the_thread_then_its_category(client, thread):
    response = client.get(f"/t/{thread.id}/{thread.slug}")
    assert title_of(response) == "Cold feet after stenting — Living with MS — Outflow"


def test_a_later_page_of_a_thread_says_which_page(client, thread):
    response = client.get(f"/t/{thread.id}/{thread.slug}?page=2")
    assert title_of(response) == "Cold feet after stenting (page 2) — Living with MS — Outflow"


def test_a_refused_reply_titles_the_page_as_an_error_in_the_reply(client, thread, member,
                                                                  login):
    login(member)
    response = submit(client, f"/t/{thread.id}/reply", {"body": ""},
                      form_page=f"/t/{thread.id}")
    assert response.status_code == 422
    assert title_of(response) == "Error: Reply — Cold feet after stenting — Outflow"


def test_a_thread_title_is_escaped_once_in_the_page_title(client, make, category):
    thread = make.thread(category, title="Heat & <fatigue>")
    raw = TITLE.search(client.get(f"/t/{thread.id}").get_data(as_text=True)).group(1)
    assert raw.startswith("Heat &amp; &lt;fatigue&gt; — ")


def test_a_refused_sign_in_says_error_first(client, member):
    response = submit(client, "/login", {"login": member.username, "password": "not it"})
    assert title_of(response) == "Error: Sign in — Outflow"


def test_a_refused_password_change_says_error_first_on_the_account_page(client, member, login):
    login(member)
    response = submit(client, "/settings/password",
                      {"current_password": "", "password": "", "password_confirm": ""},
                      form_page="/settings/account")
    assert title_of(response) == "Error: Account — Settings — Outflow"


def test_a_search_that_cannot_run_says_error_first(client):
    title = title_of(client.get("/search?q=fatigue&from=last+week"))
    assert title == "Error: “fatigue” — Search — Outflow"


def test_a_missing_page_is_titled_page_not_found(client):
    assert title_of(client.get("/nowhere-at-all")) == "Page not found — Outflow"


@pytest.fixture
def own_post(make, thread, member):
    return make.reply(thread, member)


@pytest.fixture
def others_post(make, thread):
    return make.reply(thread)


def test_the_new_thread_page_names_the_category(client, login, member, category):
    login(member)
    assert title_of(client.get(f"/c/{category.slug}/new")) == (
        "New thread — Living with MS — Outflow")


def test_the_edit_page_names_the_thread(client, login, member, own_post):
    login(member)
    assert title_of(client.get(f"/p/{own_post.id}/edit")) == (
        "Edit post — Cold feet after stenting — Outflow")


def test_the_report_page_names_the_thread(client, login, member, others_post):
    login(member)
    assert title_of(client.get(f"/p/{others_post.id}/report")) == (
        "Report a post — Cold feet after stenting — Outflow")


# Every page, walked --------------------------------------------------------------------

@pytest.fixture
def pages(make, category, thread, member, moderator, admin, browser, own_post, others_post):
    """The pages a reader meets, each as seen by someone who may open it."""
    make.treatments()
    report = make.outcome_report(member)
    visitor, signed_in = browser(), browser(member)
    paths = {
        visitor: ["/", f"/c/{category.slug}", f"/t/{thread.id}/{thread.slug}",
                  f"/t/{thread.id}/{thread.slug}?page=2", "/login", "/register", "/reset",
                  "/search", "/search?q=stenting", "/guidelines", "/resources", "/outcomes",
                  "/outcomes/t/ccsvi-angioplasty", f"/outcomes/{report.id}",
                  f"/u/{member.username}", "/display"],
        signed_in: ["/settings", "/settings/account", "/settings/profile", "/settings/privacy",
                    "/settings/email-preferences", "/settings/display", "/settings/sessions",
                    "/settings/export", "/settings/delete", "/notifications", "/bookmarks",
                    f"/c/{category.slug}/new", f"/p/{own_post.id}/edit",
                    f"/p/{others_post.id}/report", "/outcomes/mine", "/outcomes/new"],
        browser(moderator): ["/mod", "/mod/reports", "/mod/queue", "/mod/log",
                             f"/mod/users/{member.username}"],
        browser(admin): ["/admin/settings", "/admin/clinics", "/admin/treatments"],
    }
    shown = {}
    for reader, urls in paths.items():
        for url in urls:
            response = reader.get(url)
            assert response.status_code == 200, url
            shown[url] = response
    return shown


def test_every_page_title_ends_with_the_site_name(pages):
    titles = {url: title_of(response) for url, response in pages.items()}
    assert titles.pop("/") == "Outflow"
    assert {url: title for url, title in titles.items() if not title.endswith(" — Outflow")} == {}


def test_no_two_pages_share_a_title(pages):
    titles = [title_of(response) for response in pages.values()]
    assert sorted(title for title in titles if titles.count(title) > 1) == []


def test_every_page_has_exactly_one_main_heading(pages):
    counts = {url: len(re.findall(r"<h1[\s>]", response.get_data(as_text=True)))
              for url, response in pages.items()}
    assert {url: count for url, count in counts.items() if count != 1} == {}
