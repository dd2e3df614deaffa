"""The reads behind the moderation pages; each runs a fixed number of queries."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from forum.arguments import whole_number
from forum.auth.models import User
from forum.boards.models import Post, Thread
from forum.extensions import db
from forum.moderation.models import ModerationAction, Report

LOG_PAGE_SIZE = 50


@dataclass
class ReportGroup:
    """The open reports on one post, shown and resolved together."""

    post: Post
    reports: list[Report] = field(default_factory=list)

    @property
    def is_crisis(self) -> bool:
        return any(report.is_crisis for report in self.reports)

    @property
    def first(self) -> Report:
        return self.reports[0]


def member_named(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username_key == username.lower()))


def report_with_post(report_id: int) -> Report | None:
    return db.session.scalar(
        select(Report).where(Report.id == report_id)
        .options(joinedload(Report.post).joinedload(Post.thread)))


def open_report_groups() -> list[ReportGroup]:
    reports = db.session.scalars(
        select(Report).where(Report.status == "open")
        .options(joinedload(Report.reporter),
                 joinedload(Report.post).options(joinedload(Post.author),
                                                 joinedload(Post.thread)))
        .order_by(Report.id)
    ).all()
    groups: dict[int, ReportGroup] = {}
    for report in reports:
        groups.setdefault(report.post_id, ReportGroup(report.post)).reports.append(report)
    # Crisis first, then the most reported, then the longest waiting.
    return sorted(groups.values(),
                  key=lambda group: (not group.is_crisis, -len(group.reports), group.first.id))


def pending_posts() -> list[Post]:
    return list(db.session.scalars(
        select(Post).where(Post.pending.is_(True), Post.deleted_at.is_(None))
        .options(joinedload(Post.author), joinedload(Post.thread).joinedload(Thread.category))
        .order_by(Post.id)
    ))


def queue_sizes() -> dict[str, int]:
    return {
        "reports": db.session.scalar(
            select(func.count(func.distinct(Report.post_id))).where(Report.status == "open")),
        "pending": db.session.scalar(
            select(func.count()).select_from(Post)
            .where(Post.pending.is_(True), Post.deleted_at.is_(None))),
        "crisis": db.session.scalar(
            select(func.count()).select_from(Report)
            .where(Report.status == "open", Report.reason == "crisis")),
    }


def log_entries(actor: str = "", action: str = "", target: str = "", page: int = 1):
    """A page of the log, newest first, and whether there is a next page."""
    query = select(ModerationAction).options(joinedload(ModerationAction.actor))
    if actor:
        query = query.join(User, User.id == ModerationAction.actor_id).where(
            User.username_key == actor.strip().lower())
    if action:
        query = query.where(ModerationAction.action == action)
    if target:
        kind, _, number = target.partition(":")
        target_id = whole_number(number)
        if target_id is not None:
            query = query.where(ModerationAction.target_type == kind,
                                ModerationAction.target_id == target_id)
        else:
            query = query.where(ModerationAction.target_label.ilike(f"%{target.strip()}%"))
    rows = list(db.session.scalars(
        query.order_by(ModerationAction.id.desc())
        .limit(LOG_PAGE_SIZE + 1).offset((page - 1) * LOG_PAGE_SIZE)
    ))
    return rows[:LOG_PAGE_SIZE], len(rows) > LOG_PAGE_SIZE


def logged_actions() -> list[str]:
    return list(db.session.scalars(
        select(ModerationAction.action).distinct().order_by(ModerationAction.action)))


def member_overview(member: User) -> dict:
    post_ids = select(Post.id).where(Post.author_id == member.id).scalar_subquery()
    return {
        "posts": list(db.session.scalars(
            select(Post).where(Post.author_id == member.id)
            .options(joinedload(Post.thread)).order_by(Post.id.desc()).limit(50))),
        "reports_made": list(db.session.scalars(
            select(Report).where(Report.reporter_id == member.id)
            .options(joinedload(Report.post).joinedload(Post.thread))
            .order_by(Report.id.desc()).limit(50))),
        "reports_received": list(db.session.scalars(
            select(Report).where(Report.post_id.in_(post_ids))
            .options(joinedload(Report.reporter), joinedload(Report.post).joinedload(Post.thread))
            .order_by(Report.id.desc()).limit(50))),
        "actions": list(db.session.scalars(
            select(ModerationAction)
            .where(or_(
                (ModerationAction.target_type == "user") & (ModerationAction.target_id == member.id),
                (ModerationAction.target_type == "post") & ModerationAction.target_id.in_(post_ids),
            ))
            .options(joinedload(ModerationAction.actor))
            .order_by(ModerationAction.id.desc()).limit(50))),
    }
