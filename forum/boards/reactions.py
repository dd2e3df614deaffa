"""Reactions to posts ("helpful", "thank you", "me too", "hugs"): toggling, and the counts
and names that the thread page and the "who reacted" page show."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, delete, func, literal, select, union_all
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum.auth.models import User
from forum.boards import extras
from forum.boards.models import REACTION_KINDS, Bookmark, Post, Reaction
from forum.errors import ValidationError
from forum.extensions import db
from forum.permissions import require

# What each kind is called on its button and in notices.
LABELS = {"helpful": "Helpful", "thanks": "Thank you", "metoo": "Me too", "hugs": "Hugs"}
UNKNOWN_KIND = "Choose one of the reactions: helpful, thank you, me too or hugs."
# The "who reacted" page names this many members per kind, and counts the rest.
NAMED_PER_KIND = 100
# The bookmark row rides along in the counts query under a name no reaction can have.
_BOOKMARK = "_bookmark"


def toggle(actor, post: Post, kind: str) -> bool:
    """Add `actor`'s reaction of `kind` to `post`, or take it back if it is there.
    Returns whether the reaction is now there.

    A double click racing itself ends with one reaction, never an error: the delete and
    the insert are each single statements that the primary key keeps honest.
    """
    if kind not in REACTION_KINDS:
        raise ValidationError(UNKNOWN_KIND, "kind")
    require(actor, "post.react", post)
    taken_back = db.session.execute(
        delete(Reaction).where(Reaction.post_id == post.id, Reaction.user_id == actor.id,
                               Reaction.kind == kind)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken_back:
        return False
    if _insert_once(post, actor, kind):
        from forum.notify import activity

        activity.reacted(post, actor, kind)
    return True


def _insert_once(post: Post, actor, kind: str) -> bool:
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[db.engine.dialect.name]
    statement = (insert(Reaction).values(post_id=post.id, user_id=actor.id, kind=kind)
                 .on_conflict_do_nothing().returning(Reaction.kind))
    return db.session.execute(statement).first() is not None


@dataclass
class PostReactions:
    """What the thread page shows under each post: counts per kind, and (for a member)
    which of them are theirs and whether they bookmarked it."""

    counts: dict[int, dict[str, int]] = field(default_factory=dict)
    mine: set[tuple[int, str]] = field(default_factory=set)
    bookmarked: set[int] = field(default_factory=set)

    def count(self, post_id: int, kind: str) -> int:
        return self.counts.get(post_id, {}).get(kind, 0)

    def total(self, post_id: int) -> int:
        return sum(self.counts.get(post_id, {}).values())

    def pressed(self, post_id: int, kind: str) -> bool:
        return (post_id, kind) in self.mine


def for_posts(viewer, post_ids: list[int]) -> PostReactions:
    """One query, whatever the number of posts and reactions: the counts grouped by post
    and kind, and for a member a mark on their own, with their bookmarks alongside."""
    shown = PostReactions()
    if not post_ids:
        return shown
    member_id = viewer.id if getattr(viewer, "is_authenticated", False) else None
    mine = (func.max(case((Reaction.user_id == member_id, 1), else_=0)) if member_id
            else literal(0))
    counts = (select(Reaction.post_id, Reaction.kind, func.count().label("n"), mine.label("mine"))
              .where(Reaction.post_id.in_(post_ids))
              .group_by(Reaction.post_id, Reaction.kind))
    statement = counts
    if member_id is not None:
        statement = union_all(counts, select(
            Bookmark.post_id, literal(_BOOKMARK), literal(0), literal(1))
            .where(Bookmark.user_id == member_id, Bookmark.post_id.in_(post_ids)))
    for post_id, kind, number, is_mine in db.session.execute(statement):
        if kind == _BOOKMARK:
            shown.bookmarked.add(post_id)
            continue
        shown.counts.setdefault(post_id, {})[kind] = number
        if is_mine:
            shown.mine.add((post_id, kind))
    return shown


@extras.on_thread_page
def _thread_page(viewer, thread, posts) -> dict:
    return {"post_reactions": for_posts(viewer, [post.id for post in posts]),
            "reaction_kinds": REACTION_KINDS, "reaction_labels": LABELS}


@dataclass
class WhoReacted:
    kind: str
    label: str
    total: int
    members: list[User]

    @property
    def unnamed(self) -> int:
        return self.total - len(self.members)


def who_reacted(post: Post) -> list[WhoReacted]:
    """The members behind each kind of reaction, earliest first, up to NAMED_PER_KIND each:
    two queries, whatever the number of reactions."""
    totals = dict(db.session.execute(
        select(Reaction.kind, func.count()).where(Reaction.post_id == post.id)
        .group_by(Reaction.kind)).all())
    if not totals:
        return []
    place = func.row_number().over(partition_by=Reaction.kind,
                                   order_by=(Reaction.created_at, Reaction.user_id))
    ranked = (select(Reaction.kind, Reaction.user_id, place.label("place"))
              .where(Reaction.post_id == post.id).subquery())
    rows = db.session.execute(
        select(ranked.c.kind, User).join(User, User.id == ranked.c.user_id)
        .where(ranked.c.place <= NAMED_PER_KIND).order_by(ranked.c.kind, ranked.c.place)).all()
    named: dict[str, list[User]] = {}
    for kind, member in rows:
        named.setdefault(kind, []).append(member)
    return [WhoReacted(kind, LABELS[kind], totals[kind], named.get(kind, []))
            for kind in REACTION_KINDS if totals.get(kind)]
