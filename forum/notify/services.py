"""Tell a member something: a notice on the site, and a mail when it matters."""
from __future__ import annotations

from sqlalchemy import select, update

from forum import mail
from forum.accounts import mail_preferences
from forum.extensions import db
from forum.notify.models import Notification
from forum.timeutil import utcnow

NOTICE_MAIL = "notices"


def notify(user, kind: str, message: str, link: str = "", mail_subject: str | None = None) -> None:
    """Add the notice to the caller's unit of work; mail it too, once that commits, when the
    member wants notices by mail (the "notices" kind of forum.accounts.mail_preferences).

    A deleted account gets no mail: its address is no longer one we may write to.
    """
    db.session.add(Notification(user_id=user.id, kind=kind, message=message, link=link))
    if mail_subject and not user.is_former and mail_preferences.wants(user, NOTICE_MAIL):
        mail.send(user.email, mail_subject, "mail/notice.txt", user=user,
                  message=message, link=mail.absolute(link) if link else "",
                  preferences_link=mail.absolute("/settings/email-preferences"))


def unread_for(user, limit: int = 5) -> list[Notification]:
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .order_by(Notification.id.desc()).limit(limit)
    ))


def recent_for(user, limit: int = 50) -> list[Notification]:
    return list(db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.id.desc()).limit(limit)
    ))


def mark_all_read(user) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
