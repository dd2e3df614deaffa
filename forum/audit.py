"""The moderation log's one writer: every entry, whatever its target, goes through record()."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from forum.extensions import db
from forum.moderation.models import ModerationAction

LABEL_MAX = 200


class Auditable(Protocol):
    """A row the log can name: models set `audit_kind` and give an `audit_label`."""

    id: int
    audit_kind: str

    @property
    def audit_label(self) -> str: ...


@dataclass(frozen=True)
class Target:
    """Something the log names that is not a row of its own, such as the site settings."""

    audit_kind: str
    id: int
    audit_label: str


SITE_SETTINGS = Target("site", 0, "site settings")


def record(actor: Any, action: str, target: Auditable, reason: str = "",
           details: dict | None = None) -> ModerationAction:
    """Add one log entry to the caller's unit of work.

    `actor` is None for the system (the command line, the demo loader). The target's
    label is copied, so the entry still reads right after a rename or removal.
    """
    if target.id is None:
        db.session.flush()  # a row made in this unit of work gets its id now
    entry = ModerationAction(
        actor_id=getattr(actor, "id", None), action=action, target_type=target.audit_kind,
        target_id=target.id, target_label=target.audit_label[:LABEL_MAX], reason=reason or "",
        details=details or {},
    )
    db.session.add(entry)
    return entry
