"""What every page shares: security headers, error pages in the site's layout, settings."""
import re

import pytest

from forum import config as settings
from forum import create_app


def test_every_response_carries_a_strict_content_security_policy(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy


@pytest.mark.parametrize("path", ["/", "/login", "/healthz", "/no-such-page"])
def test_security_headers_are_on_every_response(client, path):
    headers = client.get(path).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_members_pages_ask_shared_caches_not_to_keep_them(client, login, make):
    login(make.user())

    assert "private" in client.get("/").headers["Cache-Control"]


def test_unknown_page_shows_a_friendly_404_in_the_site_layout(client):
    response = client.get("/no-such-page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in html
    assert 'class="skip-link"' in html


def test_forbidden_action_shows_a_friendly_403(client, make, login):
    category = make.category()
    login(make.user(verified=False))
    response = client.get(f"/c/{category.slug}/new")
    assert response.status_code == 403
    assert "You cannot do that here" in response.get_data(as_text=True)


def test_wrong_method_shows_a_friendly_405(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "That is not how this page works" in response.get_data(as_text=True)


def test_oversized_request_shows_a_friendly_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/login", data={"login": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert "That was too large" in response.get_data(as_text=True)


def test_crash_shows_a_friendly_500_without_details(app, client):
    def explode():
        raise RuntimeError("secret internals")

    app.add_url_rule("/explode", "explode", explode)
    response = client.get("/explode")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert "secret internals" not in html


def test_post_without_csrf_token_is_refused_with_400(client):
    response = client.post("/login", data={"login": "someone", "password": "whatever"})
    assert response.status_code == 400
    assert "This form had expired" in response.get_data(as_text=True)


def test_secret_key_is_generated_once_and_kept(tmp_path):
    first = settings.load_or_create_secret_key(tmp_path)
    second = settings.load_or_create_secret_key(tmp_path)
    assert first == second
    assert len(first) >= 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_without_secret_key_setting_the_app_uses_the_kept_one(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    key = create_app().config["SECRET_KEY"]
    assert key == (tmp_path / "secret_key").read_text().strip()
    assert key == create_app().config["SECRET_KEY"]


def test_database_url_defaults_to_sqlite_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    uri = create_app().config["SQLALCHEMY_DATABASE_URI"]
    assert uri == f"sqlite:///{tmp_path / 'outflow.sqlite3'}"


@pytest.mark.parametrize("given,expected", [
    ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
    ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ("sqlite:///x.db", "sqlite:///x.db"),
])
def test_database_urls_get_the_psycopg_driver(given, expected):
    assert settings.normalise_database_url(given) == expected


def test_environment_settings_are_read(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "true")
    monkeypatch.setenv("MAIL_BACKEND", "smtp")
    monkeypatch.setenv("FORUM_BASE_URL", "https://outflow.example/")
    config = create_app().config
    assert config["RATELIMIT_ENABLED"] is False
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["MAIL_BACKEND"] == "smtp"
    assert config["FORUM_BASE_URL"] == "https://outflow.example"


def test_sqlite_runs_with_wal_and_foreign_keys(db):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_405_keeps_the_allow_header(client):
    response = client.get("/logout")
    assert "POST" in response.headers["Allow"]


def test_form_fields_carry_no_empty_aria_attributes(client):
    html = client.get("/register").get_data(as_text=True)
    assert 'aria-invalid="None"' not in html
    assert 'aria-describedby="None"' not in html
    assert 'aria-describedby="username-hint"' in html


def test_fields_with_errors_are_marked_invalid_and_point_at_the_message(client):
    from support import submit

    html = submit(client, "/register", {"username": ""}).get_data(as_text=True)
    assert 'aria-invalid="true"' in html
    assert 'id="username-error"' in html
    assert re.search(r'aria-describedby="username-hint username-error"', html)
