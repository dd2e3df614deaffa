"""Signing in: /login with login (username or email), password and remember."""
from __future__ import annotations

import html
from urllib.parse import urlencode

import pytest

from support import TEST_PASSWORD, csrf_from, submit

NO_MATCH = "That username or email and password do not match."


def signed_in_as(client) -> str | None:
    page = client.get("/").get_data(as_text=True)
    marker = "Signed in as <strong>"
    if marker not in page:
        return None
    return page.split(marker, 1)[1].split("</strong>", 1)[0]


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def test_login_with_username_works(client, make):
    make.user("river")
    response = submit(client, "/login", {"login": "river", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert signed_in_as(client) == "river"


def test_login_with_username_ignores_case(client, make):
    make.user("River_Fern")
    submit(client, "/login", {"login": "rIVER_fern", "password": TEST_PASSWORD})
    assert signed_in_as(client) == "River_Fern"


def test_login_with_email_instead_of_username_works(client, make):
    make.user("river", email="river@example.org")
    response = submit(client, "/login", {"login": "river@example.org", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert signed_in_as(client) == "river"


def test_login_with_email_ignores_case(client, make):
    make.user("river", email="river@example.org")
    submit(client, "/login", {"login": "River@EXAMPLE.org", "password": TEST_PASSWORD})
    assert signed_in_as(client) == "river"


def test_login_ignores_spaces_around_the_name(client, make):
    make.user("river")
    submit(client, "/login", {"login": "  river ", "password": TEST_PASSWORD})
    assert signed_in_as(client) == "river"


def test_login_greets_the_member_by_name(client, make):
    make.user("river")
    response = submit(client, "/login", {"login": "river", "password": TEST_PASSWORD},
                      follow_redirects=True)
    assert "Signed in as river." in text_of(response)


def test_an_unverified_member_can_sign_in(client, make):
    make.user("river", verified=False)
    submit(client, "/login", {"login": "river", "password": TEST_PASSWORD})
    assert signed_in_as(client) == "river"


def test_a_wrong_password_is_refused_with_422(client, make):
    make.user("river")
    response = submit(client, "/login", {"login": "river", "password": "not my password"})
    assert response.status_code == 422
    assert NO_MATCH in text_of(response)
    assert signed_in_as(client) is None


def test_an_unknown_user_is_refused_with_422(client):
    response = submit(client, "/login", {"login": "nobody", "password": TEST_PASSWORD})
    assert response.status_code == 422
    assert NO_MATCH in text_of(response)
    assert signed_in_as(client) is None


def test_wrong_password_and_unknown_user_get_the_same_answer(client, make):
    make.user("river")
    wrong_password = submit(client, "/login", {"login": "river", "password": "not my password"})
    unknown_user = submit(client, "/login", {"login": "lake", "password": "not my password"})
    assert wrong_password.status_code == unknown_user.status_code == 422

    def answer(response):
        body = text_of(response)
        body = body.replace(csrf_from(response.get_data(as_text=True)), "")
        return body.replace('value="river"', "").replace('value="lake"', "")

    assert answer(wrong_password) == answer(unknown_user)


def test_a_refused_login_keeps_the_name_but_not_the_password(client, make):
    make.user("river")
    response = submit(client, "/login", {"login": "river", "password": "my secret words"})
    body = response.get_data(as_text=True)
    assert 'value="river"' in body
    assert "my secret words" not in body


def test_a_login_with_an_empty_password_is_refused_with_422(client, make):
    make.user("river")
    response = submit(client, "/login", {"login": "river", "password": ""})
    assert response.status_code == 422
    assert "Enter your password." in text_of(response)
    assert signed_in_as(client) is None


def test_login_without_a_csrf_token_is_refused_with_400(client, make):
    make.user("river")
    response = client.post("/login", data={"login": "river", "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert signed_in_as(client) is None


def test_a_signed_in_member_visiting_login_is_sent_on(client, make, login):
    login(make.user("river"))
    response = client.get("/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


# Where you land ------------------------------------------------------------------------

def test_login_goes_home_by_default(client, make):
    make.user("river")
    response = submit(client, "/login", {"login": "river", "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/"


def test_login_follows_a_local_next_path(client, make):
    make.user("river")
    response = submit(client, "/login?next=/guidelines",
                      {"login": "river", "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/guidelines"


def test_the_login_form_carries_the_next_path_along(client):
    page = client.get("/login?next=/guidelines").get_data(as_text=True)
    assert 'action="/login?next=/guidelines"' in page


@pytest.mark.parametrize("target", [
    "http://evil.example/",
    "https://evil.example/login",
    "//evil.example/",
    "/\\evil.example/",
    "/\t/evil.example/",
    "javascript:alert(1)",
])
def test_login_ignores_a_next_that_leaves_the_site(client, make, target):
    make.user("river")
    response = submit(client, "/login?" + urlencode({"next": target}),
                      {"login": "river", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_sends_people_who_needed_to_sign_in_back_where_they_were(client, make):
    category = make.category(slug="living")
    make.user("river")
    response = client.get(f"/c/{category.slug}/new")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert login_url.startswith("/login?next=")
    response = submit(client, login_url, {"login": "river", "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/c/living/new"
