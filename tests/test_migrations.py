"""The migrations upgrade a database that already holds data, and downgrade it again.

The shared fixtures build an empty schema; here each backend gets its own database
(a file for SQLite, a dedicated schema for PostgreSQL) stopped at the first revision,
filled with rows by plain SQL, then taken to head and back down to base.
"""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import create_engine, inspect, text

from support import in_ci, postgres_answers, postgres_url

FIRST_REVISION = "fbd6435abc6a"
PG_SCHEMA = "migration_check"
WHEN = datetime(2025, 3, 1, 9, 30)


@pytest.fixture(params=["sqlite", "postgresql"])
def migration_url(request, tmp_path):
    """An empty database of each kind that nothing else in the run touches."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    base = postgres_url()
    if not postgres_answers(base):
        if in_ci():
            pytest.fail(f"PostgreSQL does not answer at {base}, and CI requires it")
        pytest.skip(f"PostgreSQL does not answer at {base}")
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{PG_SCHEMA}"'))
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{PG_SCHEMA}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
        admin.dispose()


@pytest.fixture
def migration_app(migration_url, tmp_path, monkeypatch):
    from forum import create_app
    from forum.extensions import db

    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": migration_url,
        "SECRET_KEY": "test-secret-key",
        "MAIL_BACKEND": "file",
        "MAIL_OUTBOX": str(tmp_path / "outbox"),
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PASSWORD_TIME_COST": 1,
        "PASSWORD_MEMORY_COST": 8,
        "FORUM_BASE_URL": "http://localhost",
    })
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _fill_first_revision(connection) -> None:
    """A forum as the first revision knew it: one member, category, thread and post."""
    connection.execute(text(
        "INSERT INTO users (id, username, username_key, email, password_hash, role, "
        "email_verified_at, created_at, post_count) VALUES "
        "(1, 'River', 'river', 'river@example.org', 'not-a-real-hash', 'member', :t, :t, 1)"
    ), {"t": WHEN})
    connection.execute(text(
        "INSERT INTO categories (id, slug, name, description, position, created_at, "
        "thread_count, post_count, last_post_id) VALUES "
        "(1, 'living-with-ms', 'Living with MS', 'A place to talk.', 0, :t, 1, 1, NULL)"
    ), {"t": WHEN})
    connection.execute(text(
        "INSERT INTO threads (id, category_id, author_id, title, slug, created_at, "
        "last_post_at, last_post_id, post_count, is_pinned, is_locked, deleted_at) VALUES "
        "(1, 1, 1, 'After my angioplasty', 'after-my-angioplasty', :t, :t, NULL, 1, "
        ":no, :no, NULL)"
    ), {"t": WHEN, "no": False})
    connection.execute(text(
        "INSERT INTO posts (id, thread_id, author_id, body, body_html, created_at) VALUES "
        "(1, 1, 1, 'Six months on, no change.', '<p>Six months on, no change.</p>', :t)"
    ), {"t": WHEN})
    connection.execute(text(
        "INSERT INTO post_revisions (id, post_id, body, body_html, written_at, replaced_at, "
        "replaced_by_id) VALUES (1, 1, 'Three months on', '<p>Three months on</p>', :t, :t, 1)"
    ), {"t": WHEN})
    connection.execute(text("UPDATE threads SET last_post_id = 1 WHERE id = 1"))
    connection.execute(text("UPDATE categories SET last_post_id = 1 WHERE id = 1"))


def _foreign_keys(connection, table: str) -> dict[tuple, dict]:
    return {(tuple(fk["constrained_columns"]), fk["referred_table"]): fk.get("options", {})
            for fk in inspect(connection).get_foreign_keys(table)}


def _assert_foreign_keys_intact(connection) -> None:
    if connection.dialect.name == "sqlite":
        assert connection.execute(text("PRAGMA foreign_key_check")).fetchall() == []
    for table in ("categories", "threads"):
        keys = _foreign_keys(connection, table)
        assert (("last_post_id",), "posts") in keys, f"{table}.last_post_id lost its key"
        assert keys[(("last_post_id",), "posts")].get("ondelete") == "SET NULL"
    post_keys = _foreign_keys(connection, "posts")
    for column, target in (("thread_id", "threads"), ("author_id", "users"),
                           ("deleted_by_id", "users"), ("hidden_by_id", "users")):
        assert ((column,), target) in post_keys, f"posts.{column} lost its key"
    assert (("post_id",), "posts") in _foreign_keys(connection, "post_revisions")


def _assert_first_revision_rows(connection) -> None:
    assert connection.execute(text(
        "SELECT username, email, role, post_count FROM users")).all() == [
        ("River", "river@example.org", "member", 1)]
    assert connection.execute(text(
        "SELECT slug, thread_count, post_count, last_post_id FROM categories")).all() == [
        ("living-with-ms", 1, 1, 1)]
    assert connection.execute(text(
        "SELECT category_id, author_id, title, last_post_id, post_count FROM threads")).all() == [
        (1, 1, "After my angioplasty", 1, 1)]
    assert connection.execute(text(
        "SELECT thread_id, author_id, body, body_html FROM posts")).all() == [
        (1, 1, "Six months on, no change.", "<p>Six months on, no change.</p>")]
    assert connection.execute(text("SELECT post_id, body FROM post_revisions")).all() == [
        (1, "Three months on")]


def test_upgrading_a_database_with_data_keeps_it_and_downgrading_works(migration_app):
    from flask_migrate import downgrade, upgrade

    from forum.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:  # not the schema the other tests share
            assert connection.execute(text("SELECT current_schema()")).scalar_one() == PG_SCHEMA

    upgrade(revision=FIRST_REVISION)
    with db.engine.begin() as connection:
        _fill_first_revision(connection)

    upgrade()
    with db.engine.connect() as connection:
        _assert_first_revision_rows(connection)
        assert connection.execute(text(
            "SELECT pending, hidden_at, hidden_by_id, hidden_reason FROM posts")).one() == (
            False, None, None, "")
        # SQLite answers 0 for false through plain SQL; PostgreSQL answers False.
        assert connection.execute(text("SELECT pending FROM threads")).scalar_one() in (False, 0)
        assert connection.execute(text(
            "SELECT suspended_at, suspended_until, suspension_reason FROM users")).one() == (
            None, None, "")
        assert connection.execute(text("SELECT reason FROM post_revisions")).scalar_one() == ""
        _assert_foreign_keys_intact(connection)

    # The application reads the upgraded rows as it reads its own.
    from forum.boards.models import Post, Thread

    post = db.session.get(Post, 1)
    assert post.pending is False and post.hidden_at is None and post.author.username == "River"
    assert db.session.get(Thread, 1).last_post_id == 1
    db.session.remove()

    downgrade(revision=FIRST_REVISION)
    with db.engine.connect() as connection:
        _assert_first_revision_rows(connection)
        assert "pending" not in {c["name"] for c in inspect(connection).get_columns("posts")}
        assert "reports" not in inspect(connection).get_table_names()
        if connection.dialect.name == "sqlite":
            assert connection.execute(text("PRAGMA foreign_key_check")).fetchall() == []

    downgrade(revision="base")
    with db.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
