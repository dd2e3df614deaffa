"""Rules for clinics' resource links: pinning, editing, unpinning, notes, hiding, clicks.

Each change writes its moderation log entry in the caller's unit of work.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum import markup
from forum.audit import record
from forum.boards.models import Category
from forum.errors import ValidationError
from forum.extensions import db
from forum.moderation.services import check_reason
from forum.permissions import require
from forum.resources.models import EvidenceNote, ResourceClick, ResourceLink
from forum.timeutil import utcnow
from forum.unit_of_work import update_if

TITLE_MIN, TITLE_MAX = 3, 200
URL_MAX = 2000
DESCRIPTION_MAX = 500
NOTE_MAX = 5000


def check_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise ValidationError("Enter the address of the page, starting with https://.", "url")
    if len(url) > URL_MAX:
        raise ValidationError(f"Keep the address under {URL_MAX:,} characters.", "url")
    if markup.has_hidden_characters(url):
        raise ValidationError(
            "Remove the spaces, line breaks and invisible characters from the address "
            "(a space inside an address is written %20).", "url")
    if not markup.is_safe_link(url):
        raise ValidationError(
            "Use a full http:// or https:// address, without a user name or password in it.",
            "url")
    return url


def _check_fields(title: str, url: str, description: str, expires_on: date | None) -> tuple:
    title = " ".join((title or "").split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise ValidationError(f"Give the link a title of {TITLE_MIN} to {TITLE_MAX} characters.",
                              "title")
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(f"Keep the description under {DESCRIPTION_MAX} characters.",
                              "description")
    if expires_on is not None and expires_on < date.today():
        raise ValidationError("The expiry date is already past.", "expires_on")
    return title, check_url(url), description


def _placement(site_wide: bool, categories: list[Category]) -> None:
    if not site_wide and not categories:
        raise ValidationError("Pin the link site-wide, or in at least one category.", "categories")


def pin_link(actor, title: str, url: str, description: str, site_wide: bool,
             categories: list[Category], expires_on: date | None = None) -> ResourceLink:
    require(actor, "resource.create")
    title, url, description = _check_fields(title, url, description, expires_on)
    _placement(site_wide, categories)
    last = db.session.scalar(select(func.max(ResourceLink.position))
                             .where(ResourceLink.clinic_id == actor.clinic_id))
    link = ResourceLink(clinic_id=actor.clinic_id, title=title, url=url, description=description,
                        site_wide=site_wide, categories=list(categories), expires_on=expires_on,
                        position=(last or 0) + 1, created_by_id=actor.id)
    db.session.add(link)
    db.session.flush()
    db.session.refresh(link, ["clinic"])
    record(actor, "resource.pin", link, _where(link))
    db.session.flush()
    return link


def edit_link(actor, link: ResourceLink, title: str, url: str, description: str,
              site_wide: bool, categories: list[Category], expires_on: date | None) -> None:
    require(actor, "resource.edit", link)
    title, url, description = _check_fields(title, url, description, expires_on)
    _placement(site_wide, categories)
    if url != link.url:
        link.link_status, link.checked_at, link.check_detail = "unknown", None, ""
    link.title, link.url, link.description = title, url, description
    link.site_wide, link.categories, link.expires_on = site_wide, list(categories), expires_on
    link.updated_at = utcnow()
    record(actor, "resource.edit", link, _where(link))
    db.session.flush()


def _where(link: ResourceLink) -> str:
    places = (["site-wide"] if link.site_wide else []) + [c.name for c in link.categories]
    return "Pinned " + ", ".join(places)


def unpin_link(actor, link: ResourceLink, reason: str = "") -> None:
    require(actor, "resource.unpin", link)
    reason = check_reason(reason, required=False)
    update_if(link, ResourceLink.unpinned_at.is_(None), "That link is already unpinned.",
              unpinned_at=utcnow())
    record(actor, "resource.unpin", link, reason)
    db.session.flush()


def move_link(actor, link: ResourceLink, direction: str) -> None:
    """Swap places with the clinic's next link up or down."""
    require(actor, "resource.reorder", link)
    if direction not in ("up", "down"):
        raise ValidationError("Move a link up or down.")
    order = ResourceLink.position.desc() if direction == "up" else ResourceLink.position
    compare = (ResourceLink.position < link.position if direction == "up"
               else ResourceLink.position > link.position)
    neighbour = db.session.scalar(
        select(ResourceLink).where(ResourceLink.clinic_id == link.clinic_id,
                                   ResourceLink.unpinned_at.is_(None), compare)
        .order_by(order).limit(1))
    if neighbour is not None:
        link.position, neighbour.position = neighbour.position, link.position
        db.session.flush()


def set_note(actor, link: ResourceLink, body: str) -> None:
    """Add or replace the evidence note beside a link; the log keeps each version's text."""
    require(actor, "resource.note", link)
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write the note: what does the evidence say?", "note")
    if len(body) > NOTE_MAX:
        raise ValidationError(f"Keep the note under {NOTE_MAX:,} characters.", "note")
    now = utcnow()
    if link.note is None:
        link.note = EvidenceNote(body=body, body_html=markup.render(body), author_id=actor.id,
                                 created_at=now, updated_at=now)
    else:
        note = link.note
        note.body, note.body_html, note.author_id, note.updated_at = (
            body, markup.render(body), actor.id, now)
    record(actor, "resource.note", link, body[:1000])
    db.session.flush()


def hide_link(actor, link: ResourceLink, reason: str) -> None:
    require(actor, "resource.hide", link)
    reason = check_reason(reason)
    update_if(link, ResourceLink.hidden_at.is_(None), "That link is already hidden.",
              hidden_at=utcnow(), hidden_by_id=actor.id, hidden_reason=reason)
    record(actor, "resource.hide", link, reason)
    db.session.flush()


def restore_link(actor, link: ResourceLink, reason: str = "") -> None:
    require(actor, "resource.restore", link)
    reason = check_reason(reason, required=False)
    update_if(link, ResourceLink.hidden_at.is_not(None), "That link is not hidden.",
              hidden_at=None, hidden_by_id=None, hidden_reason="")
    record(actor, "resource.restore", link, reason)
    db.session.flush()


def record_click(link: ResourceLink, day: date) -> None:
    """Add one to the day's count in one statement, so simultaneous clicks all count."""
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[db.engine.dialect.name]
    statement = insert(ResourceClick).values(link_id=link.id, day=day, count=1)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[ResourceClick.link_id, ResourceClick.day],
        set_={"count": ResourceClick.count + 1}))
