"""Rules for clinics' resource links: pinning, editing, unpinning, notes, hiding, clicks.

Each change writes its moderation log entry in the same transaction.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from forum import markup
from forum.auth.models import ROLES, User
from forum.boards.models import Category
from forum.errors import ValidationError
from forum.extensions import db
from forum.moderation.models import ModerationAction
from forum.moderation.services import check_reason
from forum.permissions import require
from forum.resources.models import Clinic, EvidenceNote, ResourceClick, ResourceLink
from forum.timeutil import utcnow

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


def _log(actor, action: str, link: ResourceLink, reason: str = "") -> None:
    db.session.add(ModerationAction(
        actor_id=actor.id, action=action, target_type="resource", target_id=link.id,
        target_label=f"{link.title} ({link.clinic.name})"[:200], reason=reason))


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
    _log(actor, "resource.pin", link, _where(link))
    db.session.commit()
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
    _log(actor, "resource.edit", link, _where(link))
    db.session.commit()


def _where(link: ResourceLink) -> str:
    places = (["site-wide"] if link.site_wide else []) + [c.name for c in link.categories]
    return "Pinned " + ", ".join(places)


def unpin_link(actor, link: ResourceLink, reason: str = "") -> None:
    require(actor, "resource.unpin", link)
    link.unpinned_at = utcnow()
    _log(actor, "resource.unpin", link, check_reason(reason, required=False))
    db.session.commit()


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
        db.session.commit()


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
    _log(actor, "resource.note", link, body[:1000])
    db.session.commit()


def hide_link(actor, link: ResourceLink, reason: str) -> None:
    require(actor, "resource.hide", link)
    reason = check_reason(reason)
    link.hidden_at, link.hidden_by_id, link.hidden_reason = utcnow(), actor.id, reason
    _log(actor, "resource.hide", link, reason)
    db.session.commit()


def restore_link(actor, link: ResourceLink, reason: str = "") -> None:
    require(actor, "resource.restore", link)
    link.hidden_at, link.hidden_by_id, link.hidden_reason = None, None, ""
    _log(actor, "resource.restore", link, check_reason(reason, required=False))
    db.session.commit()


def record_click(link: ResourceLink, day: date) -> None:
    """Add one to today's count: an UPDATE, or the day's first INSERT (racing safely)."""
    for _ in range(2):
        done = db.session.execute(
            update(ResourceClick)
            .where(ResourceClick.link_id == link.id, ResourceClick.day == day)
            .values(count=ResourceClick.count + 1)
        ).rowcount
        if done:
            db.session.commit()
            return
        try:
            db.session.add(ResourceClick(link_id=link.id, day=day, count=1))
            db.session.commit()
            return
        except IntegrityError:
            # Another request inserted the day's row first; count on top of it.
            db.session.rollback()


# Clinics and roles ---------------------------------------------------------------------

def check_clinic_name(name: str) -> str:
    """A clinic's name with its spacing tidied; 2 to 120 characters."""
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 120:
        raise ValidationError("Give the clinic a name of 2 to 120 characters.", "name")
    return name


def clinic_named(name: str) -> Clinic | None:
    """The clinic of that name, whatever its case or spacing."""
    key = " ".join((name or "").split()).lower()
    return db.session.scalar(select(Clinic).where(func.lower(Clinic.name) == key))


def create_clinic(actor, name: str, website: str = "", description: str = "") -> Clinic:
    require(actor, "clinic.manage")
    name = check_clinic_name(name)
    website = (website or "").strip()
    if website:
        website = check_url(website)
    if clinic_named(name) is not None:
        raise ValidationError("A clinic with that name already exists.", "name")
    clinic = Clinic(name=name, website=website, description=(description or "").strip()[:2000])
    db.session.add(clinic)
    db.session.flush()
    db.session.add(ModerationAction(actor_id=actor.id, action="clinic.create",
                                    target_type="clinic", target_id=clinic.id,
                                    target_label=clinic.name))
    db.session.commit()
    return clinic


def set_role(actor, member: User, role: str, clinic: Clinic | None, reason: str = "") -> None:
    require(actor, "user.role", member)
    if role not in ROLES:
        raise ValidationError("Choose a role from the list.", "role")
    if role == "clinic_staff" and clinic is None:
        raise ValidationError("Clinic staff belong to a clinic: choose one.", "clinic")
    member.role = role
    member.clinic = clinic if role == "clinic_staff" else None
    label = role + (f" — {clinic.name}" if member.clinic else "")
    db.session.add(ModerationAction(actor_id=actor.id, action="user.role", target_type="user",
                                    target_id=member.id, target_label=member.username,
                                    reason=f"{label}. {check_reason(reason, required=False)}"
                                    .strip()))
    db.session.commit()
