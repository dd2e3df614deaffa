"""Fixtures for reactions, bookmarks, quotes and feeds: a thread by one member, and others."""
from __future__ import annotations

import pytest


@pytest.fixture
def author(make):
    return make.user("river")


@pytest.fixture
def thread(make, category, author):
    return make.thread(category=category, author=author, title="Cooling vests in summer",
                       body="The vest helped me walk further.\n\nTry one in June.")


@pytest.fixture
def opening(thread, db):
    from sqlalchemy import select

    from forum.boards.models import Post

    return db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))
