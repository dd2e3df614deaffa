"""Admins' work: site settings (typed defaults here, changes in site_settings), clinics
and members' roles. Every change is logged; the caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import func, select

from forum import markup
from forum.admin.models import SiteSetting
from forum.arguments import whole_number
from forum.audit import SITE_SETTINGS, record
from forum.auth.models import User
from forum.errors import ValidationError
from forum.extensions import db
from forum.permissions import ROLES, require
from forum.resources.models import Clinic
from forum.timeutil import utcnow
from forum.unit_of_work import flush_unique

DEFAULT_CRISIS_TEXT = """\
**If you are in danger now, call your local emergency number** (112 in Europe, 911 in
North America, 999 in the UK).

You do not have to go through this alone. Free, confidential crisis lines:

- United States: call or text **988** (Suicide & Crisis Lifeline)
- United Kingdom and Ireland: call **116 123** (Samaritans)
- Canada: call or text **988**
- Australia: call **13 11 14** (Lifeline)
- Elsewhere: https://findahelpline.com lists services by country

Thank you for telling us. A moderator will look at the post first, before any other report.
"""


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    help: str
    default: str
    parse: Callable[[str], object]


def _whole_number(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        # In the digits 0-9, as everywhere: int() would also read "١٢" and "1_000".
        value = whole_number(text.strip(), low, high)
        if value is None:
            raise ValidationError(f"Enter a whole number from {low} to {high}.")
        return value
    return parse


def _text(max_length: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        text = text.strip()
        if not text:
            raise ValidationError("This cannot be empty.")
        if len(text) > max_length:
            raise ValidationError(f"Keep it under {max_length:,} characters.")
        return text
    return parse


SETTINGS = {
    setting.key: setting for setting in (
        Setting("approval_posts", "Posts that wait for approval",
                "How many of a new member's first posts a moderator approves before they "
                "appear (0 turns the approval queue off).", "2", _whole_number(0, 50)),
        Setting("new_member_links", "Links allowed in a post on a member's first day",
                "Spam comes with links; new members may include this many per post during "
                "their first 24 hours.", "2", _whole_number(0, 100)),
        Setting("crisis_text", "Crisis resources page",
                "Shown at once to a member who reports a post as self-harm or crisis, and "
                "at /crisis. Markdown.", DEFAULT_CRISIS_TEXT, _text(10_000)),
    )
}


def _stored() -> dict[str, str]:
    return dict(db.session.execute(select(SiteSetting.key, SiteSetting.value)).all())


def get(key: str):
    row = db.session.get(SiteSetting, key)
    setting = SETTINGS[key]
    return setting.parse(row.value if row is not None else setting.default)


def all_values() -> dict[str, str]:
    stored = _stored()
    return {key: stored.get(key, setting.default) for key, setting in SETTINGS.items()}


# Markdown settings keep their HTML beside them, rendered when saved, never on read.
RENDERED = {"crisis_text"}
_default_html: dict[str, str] = {}


def html(key: str) -> str:
    row = db.session.get(SiteSetting, f"{key}.html")
    if row is not None:
        return row.value
    if key not in _default_html:
        _default_html[key] = markup.render(SETTINGS[key].default)
    return _default_html[key]


def update(actor, values: dict[str, str]) -> None:
    """Check every value first, so that a mistake in one saves none."""
    require(actor, "site.settings")
    parsed = {}
    for key, text in values.items():
        try:
            SETTINGS[key].parse(text)
        except ValidationError as error:
            raise ValidationError(error.message, key) from None
        parsed[key] = text.strip()
    current = all_values()
    changed = {key: text for key, text in parsed.items() if current[key].strip() != text}
    for key in RENDERED & changed.keys():
        changed[f"{key}.html"] = markup.render(changed[key])
    now = utcnow()
    for key, text in changed.items():
        row = db.session.get(SiteSetting, key)
        if row is None:
            db.session.add(SiteSetting(key=key, value=text, updated_at=now))
        else:
            row.value, row.updated_at = text, now
    labels = [SETTINGS[key].label for key in changed if key in SETTINGS]
    if labels:
        record(actor, "site.settings", SITE_SETTINGS, "Changed: " + "; ".join(labels),
               {"keys": sorted(key for key in changed if key in SETTINGS)})
    db.session.flush()


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


def create_clinic(actor: User | None, name: str, website: str = "",
                  description: str = "") -> Clinic:
    """Add a clinic. `actor` None is the system (the command line, the demo loader),
    which no request can be: a signed-out visitor is an anonymous user, never None."""
    from forum.resources.services import check_url

    if actor is not None:
        require(actor, "clinic.manage")
    name = check_clinic_name(name)
    website = (website or "").strip()
    if website:
        website = check_url(website)
    if clinic_named(name) is not None:
        raise ValidationError("A clinic with that name already exists.", "name")
    clinic = Clinic(name=name, website=website, description=(description or "").strip()[:2000])
    db.session.add(clinic)
    flush_unique("A clinic with that name already exists.", "name")
    record(actor, "clinic.create", clinic)
    db.session.flush()
    return clinic


def set_role(actor, member: User, role: str, clinic: Clinic | None, reason: str = "") -> None:
    from forum.moderation.services import check_reason

    require(actor, "user.role", member)
    if role not in ROLES:
        raise ValidationError("Choose a role from the list.", "role")
    if role == "clinic_staff" and clinic is None:
        raise ValidationError("Clinic staff belong to a clinic: choose one.", "clinic")
    reason = check_reason(reason, required=False)
    previous = member.role
    member.role = role
    member.clinic = clinic if role == "clinic_staff" else None
    label = role + (f" — {clinic.name}" if member.clinic else "")
    record(actor, "user.role", member, f"{label}. {reason}".strip(),
           {"from": previous, "to": role, "clinic": clinic.name if member.clinic else None})
    db.session.flush()
