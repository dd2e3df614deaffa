"""Fixtures for the moderation tests: a category, the people involved, a fresh read."""
from __future__ import annotations

import pytest


@pytest.fixture
def mod_category(make):
    return make.category(slug="treatments", name="Treatments")


@pytest.fixture
def author(make):
    return make.user("lark")


@pytest.fixture
def reporter(make):
    return make.user("wren")


@pytest.fixture
def moderator(make):
    return make.user("warden", role="moderator")


@pytest.fixture
def reload(db):
    """Read a row again from the database, as the requests left it."""
    def read(obj):
        db.session.expire_all()
        return db.session.get(type(obj), obj.id)

    return read


@pytest.fixture
def browser(new_client):
    """Another browser, signed in as `user`: for the second person in a test."""
    from support import TEST_PASSWORD, submit

    def open_as(user):
        other = new_client()
        response = submit(other, "/login", {"login": user.username, "password": TEST_PASSWORD})
        assert response.status_code == 302
        return other

    return open_as
