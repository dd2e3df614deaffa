"""The reads behind the resource panels and pages; each runs a fixed number of queries."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, or_, select

from forum.extensions import db
from forum.resources.models import Clinic, ResourceClick, ResourceLink, resource_link_categories


def _shown(today: date):
    return (ResourceLink.unpinned_at.is_(None), ResourceLink.hidden_at.is_(None),
            or_(ResourceLink.expires_on.is_(None), ResourceLink.expires_on >= today))


def _ordered(query):
    return query.order_by(ResourceLink.clinic_id, ResourceLink.position, ResourceLink.id)


def link(link_id: int) -> ResourceLink | None:
    return db.session.get(ResourceLink, link_id)


def site_wide_links(today: date) -> list[ResourceLink]:
    return list(db.session.scalars(_ordered(
        select(ResourceLink).where(ResourceLink.site_wide.is_(True), *_shown(today)))))


def category_links(category_id: int, today: date) -> list[ResourceLink]:
    pinned_here = select(resource_link_categories.c.link_id).where(
        resource_link_categories.c.category_id == category_id)
    return list(db.session.scalars(_ordered(
        select(ResourceLink).where(ResourceLink.id.in_(pinned_here), *_shown(today)))))


def listed_links(today: date, clinic_id: int | None = None,
                 category_id: int | None = None) -> list[ResourceLink]:
    query = select(ResourceLink).where(*_shown(today))
    if clinic_id is not None:
        query = query.where(ResourceLink.clinic_id == clinic_id)
    if category_id is not None:
        query = query.where(ResourceLink.id.in_(
            select(resource_link_categories.c.link_id)
            .where(resource_link_categories.c.category_id == category_id)))
    return list(db.session.scalars(_ordered(query)))


def clinic_links(clinic_id: int) -> list[ResourceLink]:
    """Everything a clinic has pinned, hidden or expired included, for its staff."""
    return list(db.session.scalars(_ordered(
        select(ResourceLink).where(ResourceLink.clinic_id == clinic_id,
                                   ResourceLink.unpinned_at.is_(None)))))


def moderated_links() -> list[ResourceLink]:
    """Hidden and dead links, for moderators."""
    return list(db.session.scalars(_ordered(
        select(ResourceLink).where(ResourceLink.unpinned_at.is_(None),
                                   or_(ResourceLink.hidden_at.is_not(None),
                                       ResourceLink.link_status == "dead")))))


def clinics() -> list[Clinic]:
    return list(db.session.scalars(select(Clinic).order_by(Clinic.name)))


def clicks(link: ResourceLink, today: date, days: int = 30) -> dict:
    rows = db.session.execute(
        select(ResourceClick.day, ResourceClick.count)
        .where(ResourceClick.link_id == link.id, ResourceClick.day > today - timedelta(days=days))
        .order_by(ResourceClick.day.desc())).all()
    total = db.session.scalar(select(func.coalesce(func.sum(ResourceClick.count), 0))
                              .where(ResourceClick.link_id == link.id))
    return {"days": rows, "total": total, "recent": sum(count for _, count in rows)}
