"""Fixtures for the discussion-board tests: a browser, a category and the people who post.
"""
from __future__ import annotations

import pytest


@pytest.fixture
def category(make):
    return make.category(slug="living-with-ms", name="Living with MS")


@pytest.fixture
def member(make):
    return make.user("river")


@pytest.fixture
def other_member(make):
    return make.user("heron")

