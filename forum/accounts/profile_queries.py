"""The reads behind profile pages; each runs a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select, true
from sqlalchemy.orm import aliased, contains_eager

from forum.accounts.models import Profile, ProfileRevision
from forum.accounts.profiles import empty_profile
from forum.auth.models import User
from forum.auth.services import USERNAME_PATTERN
from forum.boards import queries as board_queries
from forum.boards.models import Post, Thread
from forum.extensions import db
from forum.outcomes.models import TreatmentReport
from forum.permissions import can

POSTS_PER_PAGE = 20


@dataclass(frozen=True)
class ProfilePost:
    """One of the member's posts as their profile lists it."""

    post: Post
    # The post that opened its thread: listed as "started", not "replied in".
    opened_thread: bool


def member_named(username: str) -> User | None:
    """A current member by username, any case; None for a name nobody holds, and for a
    deleted account, so that both read as the same "not found"."""
    if not USERNAME_PATTERN.fullmatch(username):
        return None
    member = db.session.scalar(select(User).where(User.username_key == username.lower()))
    return None if member is None or member.is_former else member


def member_with_profile(username: str) -> tuple[User, Profile] | None:
    """The member and their profile (an empty one when they never filled it in)."""
    if not USERNAME_PATTERN.fullmatch(username):
        return None
    row = db.session.execute(
        select(User, Profile).outerjoin(Profile, Profile.user_id == User.id)
        .where(User.username_key == username.lower())).first()
    if row is None or row[0].is_former:
        return None
    member, profile = row
    return member, profile or empty_profile(member)


def _threads_seen_by(viewer):
    """The threads a viewer may open, as permissions' "thread.view" says, in SQL."""
    if can(viewer, "moderation.view"):
        return true()
    return and_(Thread.deleted_at.is_(None), board_queries.threads_seen_by(viewer))


def _shown_posts(member, viewer):
    # Only posts every reader sees: a profile is no way round hiding, removal or the queue.
    return and_(Post.author_id == member.id, Post.deleted_at.is_(None),
                Post.hidden_at.is_(None), Post.pending.is_(False), _threads_seen_by(viewer))


def post_total(member, viewer) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Post).join(Thread, Thread.id == Post.thread_id)
        .where(_shown_posts(member, viewer))) or 0


def posts(member, viewer, page: int, per_page: int = POSTS_PER_PAGE) -> list[ProfilePost]:
    """A page of the member's posts the viewer may read, newest first, with their threads."""
    earlier = aliased(Post)
    first_id = (select(func.min(earlier.id)).where(earlier.thread_id == Post.thread_id)
                .correlate(Post).scalar_subquery())
    rows = db.session.execute(
        select(Post, (Post.id == first_id).label("opened_thread"))
        .join(Post.thread).options(contains_eager(Post.thread))
        .where(_shown_posts(member, viewer))
        .order_by(Post.id.desc()).limit(per_page).offset((page - 1) * per_page))
    return [ProfilePost(post, bool(opened)) for post, opened in rows]


def public_reports(member) -> list[TreatmentReport]:
    """The member's treatment reports that anyone may open (public, not hidden)."""
    return list(db.session.scalars(
        select(TreatmentReport)
        .where(TreatmentReport.author_id == member.id, TreatmentReport.visibility == "public",
               TreatmentReport.hidden_at.is_(None))
        .order_by(TreatmentReport.treated_on.desc(), TreatmentReport.id.desc())))


@dataclass(frozen=True)
class RevisionRow:
    revision: ProfileRevision
    # None when the account that made the change is gone.
    changed_by: User | None


def revisions(member) -> list[RevisionRow]:
    """Every change to the member's profile, newest first, with who made it."""
    changer = aliased(User)
    rows = db.session.execute(
        select(ProfileRevision, changer)
        .outerjoin(changer, changer.id == ProfileRevision.changed_by_id)
        .where(ProfileRevision.user_id == member.id)
        .order_by(ProfileRevision.id.desc()))
    return [RevisionRow(revision, changed_by) for revision, changed_by in rows]
