"""Fixtures for watching and notifications: a category, the people who post and watch."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.notify.models import GroupedNotification


@pytest.fixture
def starter(make):
    return make.user("lark")


@pytest.fixture
def thread(make, category, starter):
    return make.thread(category=category, author=starter, title="Cooling vests in summer")


@pytest.fixture
def lines(db):
    """A member's activity lines as the database holds them now."""
    def read(user, kind: str | None = None) -> list[GroupedNotification]:
        db.session.expire_all()
        statement = select(GroupedNotification).where(GroupedNotification.user_id == user.id)
        if kind:
            statement = statement.where(GroupedNotification.kind == kind)
        return list(db.session.scalars(statement.order_by(GroupedNotification.id)))

    return read
