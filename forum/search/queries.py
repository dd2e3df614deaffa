"""The search itself: matching posts found by the database's own full-text engine,
filtered by what the viewer may read, ranked, one page at a time (three queries).

Ranking every match of a common word would cost time in proportion to the forum's size,
so the ranking is done among the most recent CANDIDATES matches that the viewer may see
and that pass the filters: a search answers as fast on a million posts as on a thousand,
and a member who gets that many is told to add a word or a filter.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import (
    and_,
    column,
    false,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
)
from sqlalchemy.orm import joinedload

from forum.auth.models import User
from forum.boards.models import Category, Post, Thread
from forum.extensions import db
from forum.search.parsing import Query

PER_PAGE = 20
CANDIDATES = 1000
# A title says what a whole thread is about: a match there counts for more.
TITLE_WEIGHT = 4.0


@dataclass(frozen=True)
class Filters:
    category: Category | None = None
    author: User | None = None
    since: date | None = None
    until: date | None = None
    # Hidden, removed and waiting posts and threads too (moderators: "search.everything").
    everything: bool = False


@dataclass
class Results:
    posts: list[Post]
    total: int
    # More matched than were ranked: the total is a floor, and refining is worth it.
    capped: bool

    @property
    def pages(self) -> int:
        return max((self.total + PER_PAGE - 1) // PER_PAGE, 1)


def _viewer_id(viewer) -> int | None:
    return viewer.id if getattr(viewer, "is_authenticated", False) else None


def _readable(viewer, everything: bool):
    """What the boards show this viewer's eyes: live posts in live threads, and their own
    posts and threads still waiting for approval (forum.permissions' _can_see_thread and
    _can_see_post_text, as members have them). Moderators see the rest with the switch."""
    if everything:
        return true()
    viewer_id = _viewer_id(viewer)
    own_post = Post.author_id == viewer_id if viewer_id is not None else false()
    own_thread = Thread.author_id == viewer_id if viewer_id is not None else false()
    return and_(
        Thread.deleted_at.is_(None), or_(Thread.pending.is_(False), own_thread),
        Post.deleted_at.is_(None), Post.hidden_at.is_(None), or_(Post.pending.is_(False), own_post),
    )


def _filtered(filters: Filters) -> list:
    conditions = []
    if filters.category is not None:
        conditions.append(Thread.category_id == filters.category.id)
    if filters.author is not None:
        conditions.append(Post.author_id == filters.author.id)
    if filters.since is not None or filters.until is not None:
        conditions += _dated(Post, filters)
    return conditions


def _dated(posts, filters: Filters) -> list:
    conditions = []
    if filters.since is not None:
        conditions.append(posts.created_at >= datetime.combine(filters.since, time.min))
    if filters.until is not None:
        conditions.append(
            posts.created_at < datetime.combine(filters.until + timedelta(days=1), time.min))
    return conditions


def _postgres_ranked(query: Query, conditions: list):
    vector = literal_column("posts.search_vector")
    tsquery = func.websearch_to_tsquery(literal_column("'english'::regconfig"),
                                        query.websearch())
    candidates = (
        select(Post.id.label("id"))
        .join(Thread, Thread.id == Post.thread_id)
        .where(vector.op("@@")(tsquery), *conditions)
        # By date, not id, so that a date filter walks ix_posts_created_at from the end
        # of its range rather than every newer post first.
        .order_by(Post.created_at.desc()).limit(CANDIDATES)
        .subquery()
    )
    # Ranked out here, so that only the candidates' vectors are read to rank them.
    # ts_rank weighs A (the title) 1.0 and unlabelled (the body) 0.1 by default.
    return (select(candidates.c.id, func.ts_rank(vector, tsquery).label("score"))
            .join(Post, Post.id == candidates.c.id))


def _sqlite_ranked(query: Query, conditions: list):
    fts = table("post_search", column("rowid"))
    # FTS5 takes the table's own name as the left side of MATCH and in bm25().
    index = literal_column("post_search")
    rowid = fts.c.rowid
    candidates = (
        select(rowid.label("id"),
               # bm25 is lower for better matches: negated, so both engines sort downwards.
               (-func.bm25(index, TITLE_WEIGHT, 1.0)).label("score"))
        .select_from(fts)
        .join(Post, Post.id == rowid)
        .join(Thread, Thread.id == Post.thread_id)
        .where(index.op("MATCH")(query.fts5()), *conditions)
        .order_by(rowid.desc()).limit(CANDIDATES)
        .subquery()
    )
    return select(candidates.c.id, candidates.c.score)


def search(query: Query, filters: Filters, viewer, page: int) -> Results:
    conditions = [_readable(viewer, filters.everything), *_filtered(filters)]
    if db.session.get_bind().dialect.name == "postgresql":
        # psycopg prepares a statement run often; PostgreSQL's generic plan for it then
        # cannot see the words or the category, and walked every post for a category's
        # common word (300 ms instead of 50). Plan each search for its own values.
        db.session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        ranked = _postgres_ranked(query, conditions).subquery()
    else:
        ranked = _sqlite_ranked(query, conditions).subquery()
    rows = db.session.execute(
        select(ranked.c.id, func.count().over().label("total"))
        .order_by(ranked.c.score.desc(), ranked.c.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    total = rows[0].total if rows else 0
    return Results(posts=_posts_in_order([row.id for row in rows]), total=total,
                   capped=total >= CANDIDATES)


def _posts_in_order(ids: list[int]) -> list[Post]:
    if not ids:
        return []
    found = {post.id: post for post in db.session.scalars(
        select(Post).where(Post.id.in_(ids))
        .options(joinedload(Post.thread).joinedload(Thread.category), joinedload(Post.author))
    )}
    return [found[post_id] for post_id in ids if post_id in found]


def member_named(username: str) -> User | None:
    """An author to filter by: a member who still has an account."""
    return db.session.scalar(select(User).where(User.username_key == username.strip().lower(),
                                                User.deleted_at.is_(None)))


def category_by_slug(slug: str) -> Category | None:
    return db.session.scalar(select(Category).where(Category.slug == slug))


def categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))
