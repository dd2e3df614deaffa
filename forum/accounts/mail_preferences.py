"""Every kind of mail a member can switch, in one registry, and each member's choices.

A member with no row for a kind gets the kind's default, so adding a kind is one entry in
`KINDS` and no migration. Bulk jobs ask `wants_clause` to filter in SQL rather than
asking `wants` member by member.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum.accounts.models import MailPreference
from forum.auth.models import User
from forum.errors import ValidationError
from forum.extensions import db

CHOICES = ("off", "immediately", "daily")
CHOICE_LABELS = {"off": "Off", "immediately": "Right away", "daily": "Once a day, in one mail"}
ACTIVITY_CHOICES = ("off", "immediately", "daily")


@dataclass(frozen=True)
class MailKind:
    key: str
    label: str
    description: str
    choices: tuple[str, ...]
    default: str

    def __post_init__(self) -> None:
        assert set(self.choices) <= set(CHOICES) and self.default in self.choices, self.key


KINDS: tuple[MailKind, ...] = (
    MailKind("notices", "Notices from moderators",
             "When a moderator hides, restores, edits or approves something of yours, or "
             "suspends or welcomes back your account. The notice is always on the site too.",
             ("off", "immediately"), "immediately"),
    MailKind("outcome_reminders", "Follow-up reminders",
             "One mail when a follow-up of one of your treatment reports falls due "
             "(1, 3, 6, 12 and 24 months after the treatment). The site shows it too.",
             ("off", "immediately"), "immediately"),
    # What others do: every kind is opt-in (off until the member asks), as issue 17 wants,
    # so that joining never fills an inbox. Each line is on the notifications page anyway.
    MailKind("replies", "Replies in threads you watch",
             "New replies in threads you started, replied to or chose to watch. Right away "
             "means one mail when a thread has news, not one per reply, until you read it.",
             ACTIVITY_CHOICES, "off"),
    MailKind("new_threads", "New threads in categories you watch",
             "A new thread in a category you chose to watch.", ACTIVITY_CHOICES, "off"),
    MailKind("mentions", "Mentions", "Someone wrote @ and your username in a post.",
             ACTIVITY_CHOICES, "off"),
    MailKind("quotes", "Quotes of your posts", "Someone quoted one of your posts.",
             ACTIVITY_CHOICES, "off"),
    MailKind("reactions", "Reactions to your posts",
             "Members found your post helpful, thanked you, said “me too” or sent hugs.",
             ACTIVITY_CHOICES, "off"),
)
_BY_KEY = {kind.key: kind for kind in KINDS}

# Mail about the account's own safety: never switchable, or a member could lock themself
# out, or miss that someone else got in.
ALWAYS_SENT: tuple[str, ...] = (
    "The link to confirm your email address",
    "Password reset links you ask for",
    "Changing your email address: the link to the new address, and a note with an undo "
    "link to the old one",
    "A note that your password was changed",
    "A note that your data export is ready to download",
)


def kind(key: str) -> MailKind:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise KeyError(f"no kind of mail named {key!r}") from None


def _valid(mail_kind: MailKind, stored: str | None) -> str:
    # A stored choice the kind no longer offers falls back to its default.
    return stored if stored in mail_kind.choices else mail_kind.default


def choice(user: User, key: str) -> str:
    mail_kind = kind(key)
    stored = db.session.scalar(select(MailPreference.choice).where(
        MailPreference.user_id == user.id, MailPreference.kind == key))
    return _valid(mail_kind, stored)


def choices_for(user: User) -> dict[str, str]:
    """Every kind's choice for `user`, in one query (the preferences page)."""
    stored = {key: value for key, value in db.session.execute(
        select(MailPreference.kind, MailPreference.choice)
        .where(MailPreference.user_id == user.id))}
    return {mail_kind.key: _valid(mail_kind, stored.get(mail_kind.key)) for mail_kind in KINDS}


def wants(user: User, key: str) -> bool:
    return choice(user, key) != "off"


def set_choice(user: User, key: str, value: str) -> None:
    """Record `user`'s choice for one kind; flushes. Two saves at once: the last one wins."""
    mail_kind = kind(key)
    if value not in mail_kind.choices:
        raise ValidationError(f"Choose one of the offered answers for {mail_kind.label}.", key)
    insert = {"postgresql": pg_insert, "sqlite": sqlite_insert}[db.engine.dialect.name]
    statement = insert(MailPreference).values(user_id=user.id, kind=key, choice=value)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[MailPreference.user_id, MailPreference.kind],
        set_={"choice": statement.excluded.choice}))
    loaded = db.session.identity_map.get(db.session.identity_key(MailPreference, (user.id, key)))
    if loaded is not None:
        db.session.expire(loaded)
    db.session.flush()


def set_choices(user: User, values: dict[str, str]) -> None:
    """Record several kinds at once (the preferences form); unknown kinds are refused."""
    for key, value in values.items():
        set_choice(user, key, value)


def chooses_clause(key: str, value: str, user_id=User.id) -> ColumnElement[bool]:
    """SQL: the member whose id is `user_id` chose `value` for `key` (the default counts)."""
    mail_kind = kind(key)
    if value == mail_kind.default:
        other = exists().where(MailPreference.user_id == user_id, MailPreference.kind == key,
                               MailPreference.choice != value)
        return ~other
    return exists().where(MailPreference.user_id == user_id, MailPreference.kind == key,
                          MailPreference.choice == value)


def wants_clause(key: str, user_id=User.id) -> ColumnElement[bool]:
    """SQL: the member whose id is `user_id` wants mail of kind `key` at all."""
    mail_kind = kind(key)
    if mail_kind.default != "off":
        return ~exists().where(MailPreference.user_id == user_id, MailPreference.kind == key,
                               MailPreference.choice == "off")
    return exists().where(MailPreference.user_id == user_id, MailPreference.kind == key,
                          MailPreference.choice != "off")
