"""Download your data: asking for an export, the job that builds it, and its expiry.

The file lives under the instance folder's exports/ with a random name stored on its
row, so a path is never guessed from an id; it is written aside and renamed into place,
so a half-written file is never offered. The format is docs/export-format.md.
"""
from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import and_, delete, or_, select, update

from forum import jobs, mail
from forum.accounts.export_writer import write_zip
from forum.accounts.models import DataExport
from forum.auth.models import User
from forum.errors import Conflict
from forum.extensions import db
from forum.permissions import require
from forum.timeutil import utcnow


KEEP_DAYS = 7
# A pending export older than this is taken as lost (its worker died): it no longer
# stops the member from asking again.
STALE_AFTER = timedelta(days=1)
ALREADY_PENDING = ("Your previous export is still being prepared. We will email you when "
                   "it is ready; you can ask for another one after that.")
NO_FILE = "That export's file is no longer here; please ask for a new one."
MAIL_SUBJECT = "Outflow: your data export is ready"

# What the export does with each column that points at a member (the contract shared with
# forum.accounts.deletion; tests/accounts/test_personal_data_coverage.py walks the schema).
COVERED_COLUMNS: dict[str, str] = {
    "thread_watches.user_id": "exported: watches, each thread and its level.",
    "category_watches.user_id": "exported: watches, each category and its level.",
    "grouped_notifications.user_id": "exported: activity, the lines about replies, "
                                     "mentions, quotes and reactions.",
    "grouped_notifications.last_actor_id": "not exported as a person: another member's "
                                           "activity line is theirs, and yours name nobody.",
    "reactions.user_id": "exported: reactions, the kind and the post's id.",
    "bookmarks.user_id": "exported: bookmarks, the post's id and when.",
    "thread_reads.user_id": "exported: read_marks, how far you read each thread.",
    "category_reads.user_id": "exported: read_marks, where you marked a category read.",
    "profiles.user_id": "exported: the profile section, every field with its visibility.",
    "profile_revisions.user_id": "exported: profile_history, old and new values.",
    "profile_revisions.changed_by_id": "exported only as \"you\" or \"a moderator\" on your "
                                       "own history; another member's history is not yours.",
    "mail_preferences.user_id": "exported: mail_preferences, the choices you made.",
    "data_exports.user_id": "not exported: the list of your exports is the page you download "
                            "it from.",
    "login_sessions.user_id": "exported: sessions, without the token hash.",
    "notifications.user_id": "exported: notifications, message, link and when read.",
    "threads.author_id": "exported: threads you started.",
    "posts.author_id": "exported: posts, with their earlier versions.",
    "posts.deleted_by_id": "exported only as \"you\" or \"a moderator\" (deleted_by) on your "
                           "own posts; posts others wrote are not yours.",
    "posts.hidden_by_id": "not exported as a person: your hidden posts carry hidden_at and "
                          "the reason, never who hid them.",
    "post_revisions.replaced_by_id": "exported only as \"you\" or \"a moderator\" "
                                     "(replaced_by) on your own posts' revisions.",
    "reports.reporter_id": "exported: reports_made, without the reported post's text.",
    "reports.resolved_by_id": "not exported: who resolved a report, and a moderator's own "
                              "work on others' reports, are not about you.",
    "treatment_reports.author_id": "exported: treatment_reports with follow-ups, revisions "
                                   "and reminders sent.",
    "treatment_reports.hidden_by_id": "not exported as a person: your hidden reports carry "
                                      "hidden_at and the reason only.",
    "moderation_actions.actor_id": "not exported: a moderator's own log lines are not about "
                                   "you; lines about you say \"a moderator\", never who.",
    "resource_links.created_by_id": "not exported: links pinned for a clinic are the "
                                    "clinic's published work, public on the site.",
    "resource_links.hidden_by_id": "not exported: a moderator's work on clinic links.",
    "evidence_notes.author_id": "not exported: notes written in a moderator's role, public "
                                "on the site.",
}


# Asking ---------------------------------------------------------------------------------

def request_export(member: User) -> DataExport:
    """Start an export for `member` (suspended or not); Conflict while one is pending."""
    require(member, "account.export", member)
    # Two requests at once must not both find nothing pending: the member's row is the lock
    # (PostgreSQL; SQLite lets one writer in at a time anyway).
    db.session.execute(select(User.id).where(User.id == member.id).with_for_update())
    now = utcnow()
    pending = db.session.scalar(
        select(DataExport.id).where(DataExport.user_id == member.id,
                                    DataExport.status == "pending",
                                    DataExport.requested_at > now - STALE_AFTER).limit(1))
    if pending is not None:
        raise Conflict(ALREADY_PENDING)
    export = DataExport(user_id=member.id, status="pending", requested_at=now,
                        file_name=f"{secrets.token_urlsafe(24)}.zip")
    db.session.add(export)
    db.session.flush()
    jobs.enqueue("accounts.build_export", export.id)
    return export


def exports_of(member: User, limit: int = 20) -> list[DataExport]:
    return list(db.session.scalars(
        select(DataExport).where(DataExport.user_id == member.id)
        .order_by(DataExport.id.desc()).limit(limit)))


def export_of(member: User, export_id: int) -> DataExport | None:
    """The member's own export by id; None for anyone else's, so it is a 404 to them."""
    export = db.session.get(DataExport, export_id)
    return export if export is not None and export.user_id == member.id else None


def has_pending(exports: list[DataExport], now: datetime) -> bool:
    return any(export.status == "pending" and export.requested_at > now - STALE_AFTER
               for export in exports)


def file_to_send(member: User, export: DataExport) -> Path:
    require(member, "export.download", export)
    path = path_of(export)
    if not path.is_file():
        raise Conflict(NO_FILE)
    return path


def download_name(member: User, export: DataExport) -> str:
    return f"outflow-export-{member.username}-{(export.ready_at or utcnow()):%Y-%m-%d}.zip"


# Building ----------------------------------------------------------------------------------

def exports_folder() -> Path:
    return Path(current_app.config["EXPORTS_FOLDER"])


def path_of(export: DataExport) -> Path:
    # The name is ours (token_urlsafe), but a path is built only from its last part.
    return exports_folder() / Path(export.file_name).name


@jobs.job("accounts.build_export", timeout=3600)
def build_export(export_id: int) -> None:
    """Write the export's ZIP, mark it ready and mail the member.

    Idempotent: a ready export is left alone, and every run writes the same final path,
    so a retry (or two runs at once) leaves one file and sends one mail.
    """
    export = db.session.get(DataExport, export_id)
    if export is None or export.status == "ready":
        return
    member = db.session.get(User, export.user_id)
    if member is None or member.is_former:
        _mark_failed(export_id)
        return
    try:
        _write(export, member)
    except Exception:
        db.session.rollback()
        _mark_failed(export_id)
        raise  # the runner retries
    now = utcnow()
    path = path_of(export)
    marked = db.session.execute(
        update(DataExport).where(DataExport.id == export_id, DataExport.status != "ready")
        .values(status="ready", size_bytes=path.stat().st_size, ready_at=now,
                expires_at=now + timedelta(days=KEEP_DAYS))
        .execution_options(synchronize_session="fetch")).rowcount
    if not marked:
        return  # another run finished first and mailed
    mail.send(member.email, MAIL_SUBJECT, "mail/export_ready.txt", user=member,
              expires_at=now + timedelta(days=KEEP_DAYS),
              link=mail.absolute("/settings/export"))


def _write(export: DataExport, member: User) -> None:
    final = path_of(export)
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(f".{final.name}.{secrets.token_hex(4)}.partial")
    try:
        write_zip(partial, member, utcnow())
        os.replace(partial, final)
    finally:
        partial.unlink(missing_ok=True)


def _mark_failed(export_id: int) -> None:
    """Record the failure in a transaction of its own: the runner rolls the job's back."""
    with db.engine.begin() as connection:
        connection.execute(
            update(DataExport.__table__)
            .where(DataExport.__table__.c.id == export_id,
                   DataExport.__table__.c.status != "ready")
            .values(status="failed"))


# Expiry ------------------------------------------------------------------------------------

def purge_expired(now: datetime | None = None) -> int:
    """Delete expired exports (file and row), and failed or lost ones after KEEP_DAYS;
    returns how many rows went. Flushes; the caller commits."""
    now = now or utcnow()
    gone = or_(DataExport.expires_at <= now,
               and_(DataExport.status != "ready",
                    DataExport.requested_at <= now - timedelta(days=KEEP_DAYS)))
    exports = list(db.session.scalars(select(DataExport).where(gone)))
    for export in exports:
        path_of(export).unlink(missing_ok=True)
    if exports:
        db.session.execute(delete(DataExport).where(
            DataExport.id.in_([export.id for export in exports]))
            .execution_options(synchronize_session=False))
    _remove_stale_partials(now)
    db.session.flush()
    return len(exports)


def _remove_stale_partials(now: datetime) -> None:
    """Half-written files left by a worker that died mid-export."""
    folder = exports_folder()
    if not folder.is_dir():
        return
    cutoff = (now - STALE_AFTER).replace(tzinfo=UTC).timestamp()  # stored times are UTC
    for partial in folder.glob(".*.partial"):
        try:
            if partial.stat().st_mtime < cutoff:
                partial.unlink(missing_ok=True)
        except FileNotFoundError:
            pass
