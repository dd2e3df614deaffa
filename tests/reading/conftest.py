"""Fixtures for what's new: a category, a reader, and someone else who posts."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.boards.models import ThreadRead


@pytest.fixture
def reader(make):
    """A member who joined a month ago (the factory's default)."""
    return make.user("river")


@pytest.fixture
def writer(make):
    return make.user("heron")


@pytest.fixture
def read_position(db):
    """The reader's stored position in a thread, straight from the table (None: none)."""
    def position(user, thread):
        db.session.expire_all()
        return db.session.scalar(select(ThreadRead.last_read_post_id).where(
            ThreadRead.user_id == user.id, ThreadRead.thread_id == thread.id))

    return position

