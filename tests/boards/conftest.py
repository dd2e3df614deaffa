"""Fixtures for the discussion-board tests: a browser, a category and the people who post.
"""
from __future__ import annotations

import pytest


@pytest.fixture
def other_member(make):
    return make.user("heron")

