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
def reload(db):
    """Read a row again from the database, as the requests left it."""
    def read(obj):
        db.session.expire_all()
        return db.session.get(type(obj), obj.id)

    return read
