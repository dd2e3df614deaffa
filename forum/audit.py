"""The moderation log's one writer: every entry, whatever its target, goes through record()."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Protocol

from sqlalchemy import Select, update

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


def forget(target_kind: str, target_ids: Iterable[int] | Select, label: str) -> int:
    """Rename the targets of earlier entries to `label`; returns how many entries changed.

    The single exception to "never altered": a member who deletes their account takes
    their name (and, when they remove their posts, their threads' titles) out of the
    log, which copied them into its labels. Only the label changes; who acted, what
    they did, when and why stay as written. It is one bulk UPDATE on the table, which
    the ORM's append-only guard (a before_update hook on loaded rows) does not see, so
    it is the one path that can do this, and this function is its only caller.
    `target_ids` is a list of ids or a SELECT of them (a member may have many posts).
    """
    table = ModerationAction.__table__
    ids = target_ids if isinstance(target_ids, Select) else list(target_ids)
    changed = db.session.execute(
        update(table).where(table.c.target_type == target_kind, table.c.target_id.in_(ids),
                            table.c.target_label != label)
        .values(target_label=label[:LABEL_MAX])
    ).rowcount or 0
    # Entries loaded before the UPDATE would otherwise still show the old label.
    for entry in [row for row in db.session.identity_map.values()
                  if isinstance(row, ModerationAction) and row.target_type == target_kind]:
        db.session.expire(entry, ["target_label"])
    return changed
