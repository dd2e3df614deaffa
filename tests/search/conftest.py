"""Fixtures for the search tests: a category, its members, and a way to read results."""
from __future__ import annotations

import re

import pytest

RESULT_LINK = re.compile(r'<h3 class="thread-title"><a href="/p/(\d+)">')


@pytest.fixture
def search(client):
    """GET /search with these parameters; the response."""
    def run(q=None, **params):
        if q is not None:
            params["q"] = q
        return client.get("/search", query_string=params)

    return run


@pytest.fixture
def found(search):
    """The ids of the posts a search lists, in order (the search must succeed)."""
    def ids(q, **params):
        response = search(q, **params)
        assert response.status_code == 200, response.get_data(as_text=True)[:2000]
        return [int(post_id) for post_id in RESULT_LINK.findall(response.get_data(as_text=True))]

    return ids


@pytest.fixture
def opening(db):
    """The opening post of a thread."""
    from sqlalchemy import select

    from forum.boards.models import Post

    def first(thread):
        return db.session.scalar(select(Post).where(Post.thread_id == thread.id)
                                 .order_by(Post.id).limit(1))

    return first
