"""Site settings: typed defaults here, admins' changes in the site_settings table."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from sqlalchemy import select

from forum import markup
from forum.admin.models import SiteSetting
from forum.errors import ValidationError
from forum.extensions import db
from forum.moderation.models import ModerationAction
from forum.permissions import require
from forum.timeutil import utcnow

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
        try:
            value = int(text.strip())
        except ValueError:
            raise ValidationError(f"Enter a whole number from {low} to {high}.") from None
        if not low <= value <= high:
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
        db.session.add(ModerationAction(
            actor_id=actor.id, action="site.settings", target_type="site", target_id=0,
            target_label="site settings", reason="Changed: " + "; ".join(labels)))
    db.session.commit()
