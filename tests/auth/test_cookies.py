"""The login cookies: out of reach of scripts, not sent cross-site, HTTPS-only when asked."""
from __future__ import annotations

import pytest

from support import TEST_PASSWORD, submit


@pytest.fixture
def config_overrides(request, monkeypatch):
    """Environment variables for the app under test, given by indirect parametrization."""
    for name, value in getattr(request, "param", {}).items():
        monkeypatch.setenv(name, value)
    return {}


behind_https = pytest.mark.parametrize(
    "config_overrides", [{"SESSION_COOKIE_SECURE": "true"}], indirect=True,
    ids=["SESSION_COOKIE_SECURE=true"])


def set_cookies(response) -> dict[str, str]:
    """The Set-Cookie headers of a response, by cookie name."""
    headers = response.headers.getlist("Set-Cookie")
    return {header.split("=", 1)[0]: header for header in headers}


def attributes(header: str) -> set[str]:
    return {part.strip().lower() for part in header.split(";")[1:]}


def sign_in(client, remember: bool = False):
    data = {"login": "river", "password": TEST_PASSWORD}
    if remember:
        data["remember"] = "y"
    response = submit(client, "/login", data)
    assert response.status_code == 302
    return set_cookies(response)


def test_the_session_cookie_is_http_only(client, make):
    make.user("river")
    assert "httponly" in attributes(sign_in(client)["session"])


def test_the_session_cookie_is_same_site_lax(client, make):
    make.user("river")
    assert "samesite=lax" in attributes(sign_in(client)["session"])


def test_the_session_cookie_is_not_secure_by_default_so_http_on_a_laptop_works(client, make):
    make.user("river")
    assert "secure" not in attributes(sign_in(client)["session"])


def test_the_remember_cookie_is_http_only_and_same_site_lax(client, make):
    make.user("river")
    remember = attributes(sign_in(client, remember=True)["remember_token"])
    assert "httponly" in remember
    assert "samesite=lax" in remember


@pytest.mark.parametrize("config_overrides", [{"SESSION_COOKIE_SECURE": True}],
                         ids=["config SESSION_COOKIE_SECURE=True"])
def test_the_session_cookie_is_secure_when_configured(client, make):
    make.user("river")
    assert "secure" in attributes(sign_in(client)["session"])


@behind_https
def test_the_environment_setting_secures_the_session_cookie(client, make):
    make.user("river")
    assert "secure" in attributes(sign_in(client)["session"])


@behind_https
def test_the_environment_setting_secures_the_remember_cookie(client, make):
    make.user("river")
    assert "secure" in attributes(sign_in(client, remember=True)["remember_token"])
