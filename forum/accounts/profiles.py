"""Members' profiles: what they tell about themselves, who sees it, and its history.

Every change of a field keeps a ProfileRevision (old and new value, and who changed it),
so that moderators can see what a profile said before, whoever changed it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import update

from forum import markup
from forum.accounts.models import VISIBILITIES, Profile, ProfileRevision
from forum.audit import record
from forum.boards.services import check_links
from forum.errors import Conflict, ValidationError
from forum.extensions import db
from forum.moderation.services import check_reason
from forum.notify.services import notify
from forum.outcomes.checks import EARLIEST_DIAGNOSIS
from forum.outcomes.models import MS_TYPES
from forum.outcomes.schedule import today
from forum.permissions import require, sees_field
from forum.timeutil import utcnow
from forum.unit_of_work import flush_unique

DISPLAY_NAME_MAX = 50
BIO_MAX = 2000
LOCATION_MAX = 100

# Fields shown to others only as far as their `<field>_visibility` allows.
HEALTH_FIELDS = ("location", "ms_type", "diagnosis_year")
VISIBILITY_FIELDS = tuple(f"{field}_visibility" for field in HEALTH_FIELDS)
# What a member publishes about themself: editing it follows the rule for posting.
PUBLISHED_FIELDS = ("display_name", "bio", "location", "ms_type", "diagnosis_year")
# Who sees what: a member may always make their profile more (or less) private.
PRIVACY_FIELDS = (*VISIBILITY_FIELDS, "posts_visible_to_visitors")
FIELD_LABELS = {"display_name": "display name", "bio": "bio", "location": "location",
                "ms_type": "type of MS", "diagnosis_year": "year of diagnosis",
                "location_visibility": "who sees your location",
                "ms_type_visibility": "who sees your type of MS",
                "diagnosis_year_visibility": "who sees your year of diagnosis",
                "posts_visible_to_visitors": "posts shown to visitors"}
# What a moderator may empty: the free text, where abuse and advertising end up.
CLEARABLE_FIELDS = ("display_name", "bio", "location")
ALREADY_SAVED = "Your profile was saved from another window a moment ago; please try again."


def empty_profile(member) -> Profile:
    """A member without a profile row: every field empty, the health fields private."""
    return Profile(user_id=member.id, display_name="", bio="", bio_html="", location="",
                   location_visibility="private", ms_type="", ms_type_visibility="private",
                   diagnosis_year=None, diagnosis_year_visibility="private",
                   posts_visible_to_visitors=False)


def profile_of(member) -> Profile:
    return db.session.get(Profile, member.id) or empty_profile(member)


@dataclass(frozen=True)
class ShownField:
    name: str
    label: str
    value: str
    visibility: str


SHOWN_LABELS = {"location": "Location", "ms_type": "Type of MS",
                "diagnosis_year": "Diagnosed in"}


def shown_fields(viewer, member, profile: Profile) -> list[ShownField]:
    """The health fields this viewer may read on the member's profile (and that are set)."""
    shown = []
    for field in HEALTH_FIELDS:
        value, visibility = getattr(profile, field), getattr(profile, f"{field}_visibility")
        if value in ("", None) or not sees_field(viewer, member, visibility):
            continue
        text = MS_TYPES.get(value, value) if field == "ms_type" else str(value)
        shown.append(ShownField(field, SHOWN_LABELS[field], text, visibility))
    return shown


# Checking what was typed ------------------------------------------------------------------

def _one_line(value: Any, field: str, limit: int) -> str:
    text = " ".join((value or "").split())
    if len(text) > limit:
        raise ValidationError(f"Keep the {FIELD_LABELS[field]} to {limit} characters at most; "
                              f"this one has {len(text)}.", field)
    return text


def _bio(value: Any) -> str:
    text = (value or "").strip()
    if len(text) > BIO_MAX:
        raise ValidationError(f"Keep the bio to {BIO_MAX:,} characters at most; this one has "
                              f"{len(text):,}.", "bio")
    return text


def _ms_type(value: Any) -> str:
    if value not in ("", None, *MS_TYPES):
        raise ValidationError("Choose one of the answers shown.", "ms_type")
    return value or ""


def _diagnosis_year(value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or not EARLIEST_DIAGNOSIS <= value <= today().year:
        raise ValidationError(f"Give a year from {EARLIEST_DIAGNOSIS} to {today().year}, or "
                              "leave it empty.", "diagnosis_year")
    return value


def _visibility(field: str):
    def check(value: Any) -> str:
        if value not in VISIBILITIES:
            raise ValidationError("Choose who may see it: only you, members, or everyone.",
                                  field)
        return value

    return check


CHECKS = {
    "display_name": lambda value: _one_line(value, "display_name", DISPLAY_NAME_MAX),
    "bio": _bio,
    "location": lambda value: _one_line(value, "location", LOCATION_MAX),
    "ms_type": _ms_type,
    "diagnosis_year": _diagnosis_year,
    **{field: _visibility(field) for field in VISIBILITY_FIELDS},
    "posts_visible_to_visitors": bool,
}


def as_text(value: Any) -> str:
    """A field's value as a revision keeps it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# Changing a profile ---------------------------------------------------------------------

def update_profile(actor, member, values: dict[str, Any]) -> list[str]:
    """Save the fields given in `values` (any of PUBLISHED_FIELDS and PRIVACY_FIELDS);
    returns the names of those that changed, each now with a revision."""
    unknown = set(values) - set(CHECKS)
    if unknown:
        raise ValueError(f"not profile fields: {sorted(unknown)}")
    published = set(values) & set(PUBLISHED_FIELDS)
    require(actor, "profile.edit" if published else "account.settings", member)
    cleaned = {field: CHECKS[field](value) for field, value in values.items()}
    stored = db.session.get(Profile, member.id)
    profile = stored or empty_profile(member)
    changed = [field for field in cleaned if getattr(profile, field) != cleaned[field]]
    if not changed:
        return []
    if "bio" in changed:
        html = markup.render(cleaned["bio"])
        check_links(actor, html, "bio", "your profile")
        profile.bio_html = html
    if stored is None:
        db.session.add(profile)
    for field in changed:
        _change(profile, field, cleaned[field], actor)
    profile.updated_at = utcnow()
    # Two first saves racing both insert the row; the second is told to try again.
    flush_unique(ALREADY_SAVED)
    return changed


def _change(profile: Profile, field: str, value: Any, actor) -> None:
    db.session.add(ProfileRevision(
        user_id=profile.user_id, field=field, old_value=as_text(getattr(profile, field)),
        new_value=as_text(value), changed_by_id=actor.id, changed_at=utcnow()))
    setattr(profile, field, value)


def clearable_label(field: str) -> str:
    """The label of a field a moderator may empty; any other field is refused."""
    if field not in CLEARABLE_FIELDS:
        raise ValidationError("Choose the display name, the bio or the location.", "field")
    return FIELD_LABELS[field]


def field_to_clear(moderator, member, field: str) -> tuple[str, str | None]:
    """What the confirm page shows before `clear_field`: the field's label and the text that
    would go, or None when the member keeps that field from moderators. Refused like the
    clearing itself: 422 for a field moderators may not empty, 409 for an empty one."""
    label = clearable_label(field)
    shown = profile_of(member)
    current = getattr(shown, field)
    if not current:
        raise _already_empty(label)
    if field in HEALTH_FIELDS and not sees_field(moderator, member,
                                                 getattr(shown, f"{field}_visibility")):
        return label, None
    return label, current


def _already_empty(label: str) -> Conflict:
    return Conflict(f"The {label} is already empty.")


def clear_field(moderator, member, field: str, reason: str) -> None:
    """A moderator empties a profile's free text (spam, abuse), logged and told."""
    require(moderator, "profile.clear_field", member)
    clearable_label(field)
    reason = check_reason(reason)
    old = getattr(db.session.get(Profile, member.id), field, "")
    values = {field: "", "updated_at": utcnow(), **({"bio_html": ""} if field == "bio" else {})}
    # Conditional: of two moderators clearing it at once, the second finds it empty.
    cleared = db.session.execute(
        update(Profile).where(Profile.user_id == member.id, getattr(Profile, field) != "")
        .values(**values).execution_options(synchronize_session="fetch")).rowcount
    if not old or not cleared:
        raise _already_empty(FIELD_LABELS[field])
    db.session.add(ProfileRevision(user_id=member.id, field=field, old_value=old, new_value="",
                                   changed_by_id=moderator.id, changed_at=utcnow()))
    record(moderator, "profile.clear", member, reason, {"field": field})
    notify(member, "profile.cleared",
           f"A moderator cleared the {FIELD_LABELS[field]} on your profile. Reason: {reason}",
           "/settings/profile", mail_subject="A moderator changed your profile")
    db.session.flush()
