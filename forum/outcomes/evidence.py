"""The reads behind a treatment's page besides its figures: clinic links and discussions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload, selectinload

from forum.boards import queries as board_queries
from forum.boards.models import Post, Thread
from forum.extensions import db
from forum.outcomes.models import Treatment, TreatmentReport, thread_treatments
from forum.outcomes.treatments import treatment_by_slug
from forum.resources import queries as resource_queries
from forum.resources.models import ResourceLink

# Clinic links say which treatment they describe through the category they are pinned
# in: CCSVI procedures in the CCSVI category, everything else in "Treatments & outcomes".
CCSVI_CATEGORY = "ccsvi"
TREATMENTS_CATEGORY = "treatments-outcomes"
THREAD_LIMIT = 10
SLUG_MAX = 60


def shown_treatment(slug: str) -> Treatment | None:
    """The treatment a page is about: on the list, or taken off it but with reports."""
    if len(slug) > SLUG_MAX:
        return None
    treatment = treatment_by_slug(slug)
    if treatment is None or treatment.active:
        return treatment
    counted = db.session.scalar(select(exists().where(
        TreatmentReport.treatment_id == treatment.id, TreatmentReport.hidden_at.is_(None))))
    return treatment if counted else None


def links_about(treatment: Treatment, today: date) -> list[ResourceLink]:
    """The clinic links pinned where this treatment is discussed, shown as everywhere
    (with the clinic's disclosure and any evidence note)."""
    slug = CCSVI_CATEGORY if treatment.is_procedure else TREATMENTS_CATEGORY
    category = board_queries.category_by_slug(slug)
    if category is None:
        return []
    return resource_queries.category_links(category.id, today)


@dataclass(frozen=True)
class EvidenceNote:
    """A moderators' note, once, with every link it was written on."""

    body_html: str
    links: list[ResourceLink]


def notes_on(links: list[ResourceLink]) -> list[EvidenceNote]:
    """The notes on these links, each text once: moderators often put the same note on
    every link about a treatment, and a reader needs it once, with where it applies."""
    grouped: dict[str, list[ResourceLink]] = {}
    for link in links:
        if link.note is not None:
            grouped.setdefault(link.note.body_html, []).append(link)
    return [EvidenceNote(body, noted) for body, noted in grouped.items()]


def threads_about(treatment: Treatment, viewer, limit: int = THREAD_LIMIT) -> list[Thread]:
    """Discussions linked to the treatment that this viewer may see, latest activity first."""
    # The same visibility rule the category listings use (the SQL side of permissions'
    # "thread.view"); deleted threads are left out even for moderators here.
    seen = board_queries.threads_seen_by(viewer)
    return list(db.session.scalars(
        select(Thread)
        .join(thread_treatments, thread_treatments.c.thread_id == Thread.id)
        .where(thread_treatments.c.treatment_id == treatment.id,
               Thread.deleted_at.is_(None), seen)
        .options(joinedload(Thread.author), joinedload(Thread.category),
                 selectinload(Thread.last_post).joinedload(Post.author))
        .order_by(Thread.last_post_at.desc(), Thread.id.desc())
        .limit(limit)))
