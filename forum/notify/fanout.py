"""Telling many members at once in a fixed number of statements: who may be told of
something in a thread is a SQL condition on users, and the lines are written with one
UPDATE (groups already unread) and one INSERT ... SELECT (everyone else), never a query
per member.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists, literal, or_, select, true, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum.auth.models import User
from forum.extensions import db
from forum.notify.models import CategoryWatch, GroupedNotification, ThreadWatch
from forum.permissions import MODERATING_ROLES
from forum.timeutil import utcnow


def insert_for(model):
    """INSERT with ON CONFLICT for the database in use."""
    dialect = db.session.get_bind().dialect.name
    return {"postgresql": pg_insert, "sqlite": sqlite_insert}[dialect](model)


def sees_thread(thread) -> ColumnElement[bool]:
    """SQL twin of the "thread.view" rule for the member in `User`."""
    if thread.deleted_at is None and not thread.pending:
        return true()
    now = utcnow()
    moderates = and_(User.role.in_(sorted(MODERATING_ROLES)),
                     or_(User.suspended_at.is_(None),
                         and_(User.suspended_until.is_not(None), User.suspended_until <= now)))
    if thread.deleted_at is None:
        return or_(moderates, User.id == thread.author_id)
    return moderates


def watches_thread(thread_id: int, level: str = "watching") -> ColumnElement[bool]:
    return exists().where(ThreadWatch.user_id == User.id, ThreadWatch.thread_id == thread_id,
                          ThreadWatch.level == level)


def watches_category(category_id: int, level: str = "watching") -> ColumnElement[bool]:
    return exists().where(CategoryWatch.user_id == User.id,
                          CategoryWatch.category_id == category_id, CategoryWatch.level == level)


def not_muted(thread) -> ColumnElement[bool]:
    """A muted thread tells its member nothing; a muted category neither, unless the member
    chose to watch that one thread."""
    return and_(~watches_thread(thread.id, "muted"),
                or_(~watches_category(thread.category_id, "muted"),
                    watches_thread(thread.id, "watching")))


def may_be_told(thread, actor_id: int | None) -> list[ColumnElement[bool]]:
    """Who may hear of something in `thread`: not its doer, not a deleted account, someone
    who can see the thread and has not muted it."""
    conditions = [User.deleted_at.is_(None), sees_thread(thread), not_muted(thread)]
    if actor_id is not None:
        conditions.append(User.id != actor_id)
    return conditions


def tell(kind: str, group_key: str, who: list[ColumnElement[bool]], thread, post_id: int,
         actor_id: int | None, grouped: bool) -> None:
    """One line of `kind` for every member matching `who` (and `may_be_told`).

    `grouped`: a member whose line of this group is still unread gets it counted up (and
    back into the next digest) instead of a second line.
    """
    now = utcnow()
    conditions = [*who, *may_be_told(thread, actor_id)]
    if grouped:
        db.session.execute(
            update(GroupedNotification)
            .where(GroupedNotification.group_key == group_key, GroupedNotification.read_at.is_(None),
                   GroupedNotification.user_id.in_(select(User.id).where(*conditions)))
            .values(count=GroupedNotification.count + 1, updated_at=now, last_actor_id=actor_id,
                    digested_at=None)
            .execution_options(synchronize_session=False))
    unread = exists().where(GroupedNotification.user_id == User.id,
                            GroupedNotification.group_key == group_key, GroupedNotification.read_at.is_(None))
    values = {
        "kind": kind, "group_key": group_key,
        "thread_id": thread.id, "post_id": post_id, "count": 1, "last_actor_id": actor_id,
        "created_at": now, "updated_at": now,
    }
    columns = GroupedNotification.__table__.c
    rows = select(User.id, *(literal(value, columns[name].type) for name, value in values.items()))
    statement = insert_for(GroupedNotification).from_select(
        ["user_id", *values], rows.where(*conditions, ~unread))
    # Two replies published at the same moment: the second finds the first's line.
    statement = statement.on_conflict_do_nothing(
        index_elements=["user_id", "group_key"],
        index_where=columns.read_at.is_(None))
    db.session.execute(statement)
