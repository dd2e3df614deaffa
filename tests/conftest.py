"""Fixtures: an app per test on SQLite and on PostgreSQL, a client, and small factories.

Each backend's schema is built once per run by the Alembic migrations (so every
test also exercises them), then emptied; after each test the tables are emptied again.
"""
from __future__ import annotations

import os
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from jinja2 import BytecodeCache

from support import (
    TEST_PASSWORD, Factory, copy_database, counting_queries, drop_run_database, empty_tables,
    in_ci, open_browser, postgres_answers, postgres_url, restore_database, reuse_url_builders,
    submit,
)

reuse_url_builders()

# The developer's own settings must not leak into the tests.
for name in ("DATABASE_URL", "SECRET_KEY", "MAIL_BACKEND", "RATELIMIT_ENABLED",
             "RATELIMIT_STORAGE_URI", "SESSION_COOKIE_SECURE", "FORUM_BASE_URL",
             "JOBS_REDIS_URL", "JOBS_QUEUE", "RATELIMIT_KEY_PREFIX"):
    os.environ.pop(name, None)


def _base_config(database_url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret-key",
        "MAIL_BACKEND": "file",
        "MAIL_OUTBOX": str(instance / "outbox"),
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PASSWORD_TIME_COST": 1,
        "PASSWORD_MEMORY_COST": 8,
        "FORUM_BASE_URL": "http://localhost",
    }


def _migrate(database_url: str, instance: Path) -> None:
    from flask_migrate import upgrade

    from forum import create_app

    app = create_app(_base_config(database_url, instance))
    with app.app_context():
        upgrade()
        from forum.extensions import db

        # The rows the migrations add (the starting treatments) go too: the first test of
        # a run starts from the same empty forum as every other test.
        empty_tables(db)
        db.engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request, tmp_path_factory) -> str:
    """A migrated, empty database of each kind, built once per test run."""
    instance = tmp_path_factory.mktemp(f"{request.param}-schema")
    os.environ["INSTANCE_PATH"] = str(instance)
    if request.param == "sqlite":
        url = f"sqlite:///{instance / 'test.sqlite3'}"
    else:
        url = postgres_url()
        if not postgres_answers(url):
            if in_ci():
                pytest.fail(f"PostgreSQL does not answer at {url}, and CI requires it")
            pytest.skip(f"PostgreSQL does not answer at {url}")
    _migrate(url, instance)
    return url


def pytest_sessionfinish(session, exitstatus) -> None:
    for engine in _engines.values():
        engine.dispose()
    drop_run_database()


class _TemplateBytecode(BytecodeCache):
    """Compiled templates kept across tests: every test builds a new app, and compiling
    the same templates again for each was a third of these tests' time. Jinja checks each
    template's source checksum, so an edited template is compiled afresh."""

    store: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def _settle_site_settings(db) -> None:
    """Most tests are not about the approval queue: members' posts appear at once.

    Tests of the queue turn it on with `make.setting("approval_posts", "2")`.
    """
    from forum.admin.models import SiteSetting

    db.session.add(SiteSetting(key="approval_posts", value="0"))
    db.session.commit()


@pytest.fixture
def config_overrides(request) -> dict:
    """App settings for one test: override the fixture in a module, or parametrize it
    with `@pytest.mark.parametrize("config_overrides", [{...}], indirect=True)`."""
    return getattr(request, "param", {})


# One engine per database (and engine settings) for the whole run, kept from test to test
# with its connections and its cache of compiled SQL: a new engine for each test's app made
# every test compile its statements again and open new connections (on PostgreSQL a
# server process of its own, with cold caches), which cost more than most tests.
_engines: dict[tuple, object] = {}


def _reuse_engine(app, db) -> tuple:
    engines = db._app_engines[app]  # Flask-SQLAlchemy's engines, by app and bind
    key = (engines[None].url.render_as_string(hide_password=False),
           repr(sorted(app.config["SQLALCHEMY_ENGINE_OPTIONS"].items())),
           app.config["SQLALCHEMY_ECHO"])
    engines[None] = _engines.setdefault(key, engines[None])
    return key


@pytest.fixture
def app(database_url, tmp_path, monkeypatch, config_overrides):
    from forum import create_app
    from forum.extensions import db

    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    app = create_app({**_base_config(database_url, tmp_path), **config_overrides})
    app.jinja_env.bytecode_cache = _TemplateBytecode()
    engine_key = _reuse_engine(app, db)
    with app.app_context():
        _settle_site_settings(db)
        yield app
        db.session.remove()
        empty_tables(db)
        if db.engine.pool.checkedout():
            # Something of the test's (a thread?) still holds a connection: the next test
            # starts with connections of its own.
            _engines.pop(engine_key).dispose()


@pytest.fixture
def db(app):
    from forum.extensions import db

    return db


class FreshContextClient(FlaskClient):
    """A test client whose every request (redirects included) gets its own app context,
    as under a real server, after the test's own changes so far are committed.

    The `app` fixture keeps a context pushed so tests can use the factories, and Flask
    would reuse it for requests: `g` (Flask-Login's current user, Flask-WTF's token) and
    the database session would outlive each request, which a real server never allows.
    """

    def run_wsgi_app(self, environ, buffered=False):
        from flask import has_app_context

        from forum.extensions import db

        # What the test did before this request (through factories or services) is its own
        # unit of work, done by now: commit it, as a command would, so the request sees it.
        # (A request sent from another thread has no test context to commit.)
        if has_app_context():
            db.session.commit()
        with self.application.app_context():
            return super().run_wsgi_app(environ, buffered=buffered)


@pytest.fixture
def client(app):
    return FreshContextClient(app, app.response_class)


@pytest.fixture
def new_client(app):
    """Another browser: no cookies shared with `client`."""
    return lambda: FreshContextClient(app, app.response_class)


@pytest.fixture
def login(client):
    def log_in(user_or_name, password: str = TEST_PASSWORD, remember: bool = False):
        name = getattr(user_or_name, "username", user_or_name)
        data = {"login": name, "password": password}
        if remember:
            data["remember"] = "y"
        response = submit(client, "/login", data)
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return log_in


@pytest.fixture
def make(db) -> Factory:
    return Factory(db)


@pytest.fixture
def browser(new_client):
    """Another browser, signed in as `user` (None: an anonymous visitor)."""
    return lambda user=None: open_browser(new_client, user)


@pytest.fixture
def category(make):
    """A category for tests that need one; folders about other categories override it."""
    return make.category(slug="living-with-ms", name="Living with MS")


@pytest.fixture
def member(make):
    return make.user("river")


@pytest.fixture
def moderator(make):
    return make.user("warden", role="moderator")


@pytest.fixture
def admin(make):
    return make.user("steward", role="admin")


@pytest.fixture
def outbox(app):
    """The messages written to the outbox so far, oldest first."""
    folder = Path(app.config["MAIL_OUTBOX"])

    def read():
        if not folder.exists():
            return []
        parser = BytesParser(policy=policy.default)
        return [parser.parsebytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]

    return read


# The demo ----------------------------------------------------------------------------

# What `flask forum seed-demo` wrote on a new forum, by database and day, with its output.
_demo_copies: dict[tuple, tuple] = {}


def _new_forum(db) -> bool:
    """Whether the forum is as the `app` fixture hands it over: no rows but its setting."""
    from sqlalchemy import select, text

    from forum.admin.models import SiteSetting

    counts = " + ".join(f'(SELECT count(*) FROM "{table.name}")'
                        for table in db.metadata.sorted_tables if table.name != "site_settings")
    if db.session.scalar(text(f"SELECT {counts}")):
        return False
    settings = db.session.execute(select(SiteSetting.key, SiteSetting.value)).all()
    return [tuple(row) for row in settings] == [("approval_posts", "0")]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in folder.rglob("*") if path.is_file()}


@pytest.fixture
def demo_forum(app, db, database_url) -> str:
    """A new forum loaded with `flask forum seed-demo`; returns what the command printed.

    Loading the demo takes seconds, so the command runs once per test process, database
    and day, and later tests get an exact copy of what it wrote: the rows (see
    support.copy_database) and the files (the mail it sent). On a forum the test has
    already changed, the command runs afresh."""
    from datetime import date, datetime, timezone

    key = (database_url, date.today(), datetime.now(timezone.utc).date())
    instance = Path(app.instance_path)
    new = _new_forum(db)
    db.session.rollback()
    if new and key in _demo_copies:
        copy, files, output = _demo_copies[key]
        restore_database(db, copy)
        for name, content in files.items():
            (instance / name).parent.mkdir(parents=True, exist_ok=True)
            (instance / name).write_bytes(content)
        return output
    before = _files(instance)
    result = app.test_cli_runner().invoke(args=["forum", "seed-demo"])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    if new:
        written = {name: content for name, content in _files(instance).items()
                   if before.get(name) != content}
        _demo_copies[key] = (copy_database(db), written, result.output)
    return result.output


# Query counting ----------------------------------------------------------------------

@pytest.fixture
def count_queries(db):
    return lambda: counting_queries(db.engine)
