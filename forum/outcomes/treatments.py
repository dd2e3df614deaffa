"""The treatment list admins keep, and which treatments a discussion thread is about."""
# Every change flushes and is logged where a moderator or admin made it; the caller commits.
from __future__ import annotations

import re

from sqlalchemy import delete, func, insert, select

from forum.audit import record
from forum.boards.models import Thread
from forum.errors import Conflict, ValidationError
from forum.extensions import db
from forum.moderation.services import check_reason
from forum.outcomes.models import TREATMENT_KINDS, Treatment, thread_treatments
from forum.permissions import require
from forum.unit_of_work import flush_unique

# The list every forum starts with (slug, name, kind), in this order. Migration 0005
# freezes a copy of its own, as migrations must; this one seeds tests and the demo.
STARTING_TREATMENTS: tuple[tuple[str, str, str], ...] = (
    ("ccsvi-angioplasty", "CCSVI venous balloon angioplasty", "ccsvi"),
    ("ccsvi-stent", "CCSVI venous stenting", "ccsvi"),
    ("dmt-interferon-beta", "Interferon beta", "dmt"),
    ("dmt-glatiramer-acetate", "Glatiramer acetate", "dmt"),
    ("dmt-natalizumab", "Natalizumab", "dmt"),
    ("dmt-ocrelizumab", "Ocrelizumab", "dmt"),
    ("dmt-ofatumumab", "Ofatumumab", "dmt"),
    ("dmt-fingolimod", "Fingolimod", "dmt"),
    ("dmt-siponimod", "Siponimod", "dmt"),
    ("dmt-dimethyl-fumarate", "Dimethyl fumarate", "dmt"),
    ("dmt-teriflunomide", "Teriflunomide", "dmt"),
    ("dmt-cladribine", "Cladribine", "dmt"),
    ("dmt-alemtuzumab", "Alemtuzumab", "dmt"),
    ("dmt-other", "Another disease-modifying therapy", "dmt"),
    ("rehabilitation", "Rehabilitation or exercise", "rehabilitation"),
    ("diet", "Diet or supplement", "diet"),
    ("other", "Something else", "other"),
)

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX, NAME_MAX, DESCRIPTION_MAX = 60, 120, 2000
SLUG_TAKEN = "Another treatment already has that short name."
# The figures and every report name a treatment by its slug, so a DMT's slug says so.
DMT_PREFIX = "dmt-"


def ensure_starting_treatments() -> int:
    """Add whichever of the starting list is missing (tests, a fresh demo); returns how many."""
    present = set(db.session.scalars(select(Treatment.slug)))
    missing = [entry for entry in STARTING_TREATMENTS if entry[0] not in present]
    for position, (slug, name, kind) in enumerate(STARTING_TREATMENTS):
        if (slug, name, kind) in missing:
            db.session.add(Treatment(slug=slug, name=name, kind=kind, position=position))
    db.session.flush()
    return len(missing)


def treatment_by_slug(slug: str) -> Treatment | None:
    return db.session.scalar(select(Treatment).where(Treatment.slug == slug))


# Admins' list ------------------------------------------------------------------------

def _check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= NAME_MAX:
        raise ValidationError(f"Give the treatment a name of 2 to {NAME_MAX} characters.",
                              "name")
    return name


def _check_description(description: str) -> str:
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(f"Keep the description under {DESCRIPTION_MAX:,} characters.",
                              "description")
    return description


def _check_slug(slug: str, kind: str) -> str:
    slug = (slug or "").strip().lower()
    if not 2 <= len(slug) <= SLUG_MAX or not SLUG_PATTERN.fullmatch(slug):
        raise ValidationError(
            f"Give a short name of 2 to {SLUG_MAX} lowercase letters, digits and single "
            "hyphens, such as dmt-natalizumab: it is part of the treatment's address.", "slug")
    if kind == "dmt" and not slug.startswith(DMT_PREFIX):
        raise ValidationError("A disease-modifying therapy's short name starts with dmt-.",
                              "slug")
    return slug


def add_treatment(actor, slug: str, name: str, kind: str, description: str = "") -> Treatment:
    require(actor, "treatment.manage")
    if kind not in TREATMENT_KINDS:
        raise ValidationError("Choose a kind from the list.", "kind")
    slug, name = _check_slug(slug, kind), _check_name(name)
    description = _check_description(description)
    if treatment_by_slug(slug) is not None:
        raise ValidationError(SLUG_TAKEN, "slug")
    last = db.session.scalar(select(func.max(Treatment.position)))
    treatment = Treatment(slug=slug, name=name, kind=kind, description=description,
                          position=(last if last is not None else -1) + 1)
    db.session.add(treatment)
    flush_unique(SLUG_TAKEN, "slug")
    record(actor, "treatment.add", treatment, "", {"slug": slug, "kind": kind})
    db.session.flush()
    return treatment


def edit_treatment(actor, treatment: Treatment, name: str, description: str) -> bool:
    """Rename or describe a treatment (its slug stays: it is in addresses and the data file).
    True when something changed."""
    require(actor, "treatment.manage")
    name, description = _check_name(name), _check_description(description)
    if (name, description) == (treatment.name, treatment.description):
        return False
    previous = treatment.name
    treatment.name, treatment.description = name, description
    record(actor, "treatment.edit", treatment,
           f"Renamed from {previous}" if previous != name else "Description changed",
           {"from": previous, "to": name})
    db.session.flush()
    return True


def set_active(actor, treatment: Treatment, active: bool, reason: str = "") -> None:
    """Take a treatment off the list for new reports (its reports and figures stay), or back."""
    require(actor, "treatment.manage")
    if treatment.active == active:
        raise Conflict("That treatment is already on the list." if active
                       else "That treatment is already off the list.")
    reason = check_reason(reason, required=False)
    treatment.active = active
    record(actor, "treatment.reactivate" if active else "treatment.deactivate", treatment,
           reason)
    db.session.flush()


def move_treatment(actor, treatment: Treatment, direction: str) -> None:
    """Swap places with the neighbour above or below within the same kind."""
    require(actor, "treatment.manage")
    if direction not in ("up", "down"):
        raise ValidationError("Move a treatment up or down.")
    upward = direction == "up"
    neighbour = db.session.scalar(
        select(Treatment).where(
            Treatment.kind == treatment.kind,
            Treatment.position < treatment.position if upward
            else Treatment.position > treatment.position)
        .order_by(Treatment.position.desc() if upward else Treatment.position).limit(1))
    if neighbour is None:
        return
    treatment.position, neighbour.position = neighbour.position, treatment.position
    record(actor, "treatment.move", treatment, f"Moved {direction}",
           {"direction": direction})
    db.session.flush()


# Threads ------------------------------------------------------------------------------

def linked_ids(thread_id: int) -> set[int]:
    return set(db.session.scalars(select(thread_treatments.c.treatment_id)
                                  .where(thread_treatments.c.thread_id == thread_id)))


def link(thread_id: int, treatment_id: int) -> None:
    """Link one treatment to a thread, if it is not already (a report opening its thread)."""
    if treatment_id not in linked_ids(thread_id):
        db.session.execute(insert(thread_treatments).values(thread_id=thread_id,
                                                            treatment_id=treatment_id))


def unlink(thread_id: int, treatment_id: int) -> None:
    db.session.execute(delete(thread_treatments).where(
        thread_treatments.c.thread_id == thread_id,
        thread_treatments.c.treatment_id == treatment_id))


def set_thread_treatments(actor, thread: Thread, slugs: list[str]) -> list[Treatment]:
    """Make the thread's treatments exactly those named. A treatment off the list may stay
    linked but not be newly linked. A moderator changing another's thread is logged."""
    require(actor, "thread.link_treatment", thread)
    wanted = set(slugs)
    current = linked_ids(thread.id)
    rows = list(db.session.scalars(select(Treatment).where(Treatment.slug.in_(wanted)))) \
        if wanted else []
    known = {row.slug for row in rows}
    if wanted - known or any(not row.active and row.id not in current for row in rows):
        raise ValidationError("Choose treatments from the list.", "treatments")
    chosen = {row.id for row in rows}
    for treatment_id in current - chosen:
        unlink(thread.id, treatment_id)
    for treatment_id in chosen - current:
        db.session.execute(insert(thread_treatments).values(thread_id=thread.id,
                                                            treatment_id=treatment_id))
    if chosen != current and actor.id != thread.author_id:
        record(actor, "thread.treatments", thread,
               ", ".join(sorted(row.name for row in rows)) or "No treatments",
               {"treatments": sorted(known)})
    db.session.flush()
    return sorted(rows, key=lambda row: row.position)
