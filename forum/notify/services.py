"""Tell a member something: a notice on the site, and a mail when it matters; and the
reading side of a member's notifications (notices and grouped activity together: the
list, the unread count, marking read)."""
from __future__ import annotations

from flask import g, has_request_context
from sqlalchemy import func, select, true, update
from sqlalchemy.orm import aliased, joinedload

from forum import mail
from forum.accounts import mail_preferences
from forum.boards.models import Thread
from forum.extensions import db
from forum.notify.models import GroupedNotification, Notification
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


BANNER_SIZE = 5


def unread_for(user, limit: int = BANNER_SIZE) -> list[Notification]:
    """The banner on every page: the moderators' notices only. Activity would turn it into
    a second notifications page; the header's count includes it."""
    if limit == BANNER_SIZE and has_request_context():
        # Asked by the layout on every page: together with the header's count.
        if g.get(_HEADER, (None,))[0] != user.id:
            header_state(user)
        state = g.get(_HEADER)
        if state[0] == user.id:
            return state[1]
    return list(db.session.scalars(_banner(user.id, limit)))


def _banner(user_id: int, limit: int):
    return (select(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .order_by(Notification.id.desc()).limit(limit))


_HEADER = "notify_header"


def header_state(user, *extra) -> tuple[int, tuple]:
    """What the layout shows a member (the unread count, and the banner's notices, kept
    for `unread_for`) and any `extra` scalar columns a page wants, in ONE statement."""
    banner = _banner(user.id, BANNER_SIZE).subquery()
    notice = aliased(Notification, banner)
    counts = select(unread_count_statement(user.id).label("unread"),
                    *(column.label(f"extra_{index}") for index, column in enumerate(extra))
                    ).subquery()
    rows = db.session.execute(
        select(counts, notice).select_from(counts.outerjoin(banner, true()))
        .order_by(banner.c.id.desc())).all()
    unread, extras = rows[0][0], tuple(rows[0][1:1 + len(extra)])
    if has_request_context():
        g.setdefault(_HEADER, (user.id, [row[-1] for row in rows if row[-1] is not None],
                               unread))
    return unread, extras


def header_count(user) -> int:
    """The header's count for this request, asked once (with the banner) per page."""
    state = g.get(_HEADER)
    if state is not None and state[0] == user.id:
        return state[2]
    return header_state(user)[0]


def unread_count_statement(user_id):
    """Unread notices and activity lines, as one SELECT of two counts added up."""
    notices = (select(func.count()).select_from(Notification)
               .where(Notification.user_id == user_id, Notification.read_at.is_(None))
               .scalar_subquery())
    groups = (select(func.count()).select_from(GroupedNotification)
              .where(GroupedNotification.user_id == user_id,
                     GroupedNotification.read_at.is_(None))
              .scalar_subquery())
    return notices + groups


def unread_count(user) -> int:
    return db.session.scalar(select(unread_count_statement(user.id)))


def recent_for(user, limit: int = 50) -> list:
    """Notices and activity lines, newest first (a group is as new as its latest event)."""
    notices = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.id.desc()).limit(limit))
    groups = db.session.scalars(
        select(GroupedNotification).where(GroupedNotification.user_id == user.id)
        .order_by(GroupedNotification.updated_at.desc(), GroupedNotification.id.desc())
        .limit(limit)
        # What a line's text is composed from, loaded with it: no query per line.
        .options(joinedload(GroupedNotification.thread).joinedload(Thread.category),
                 joinedload(GroupedNotification.last_actor))).unique()
    lines = [*notices, *groups]
    lines.sort(key=lambda line: line.shown_at, reverse=True)
    return lines[:limit]


def owned_group(user, notification_id: int) -> GroupedNotification | None:
    return db.session.scalar(select(GroupedNotification).where(
        GroupedNotification.id == notification_id, GroupedNotification.user_id == user.id))


def mark_read(line: GroupedNotification) -> None:
    if line.read_at is None:
        line.read_at = utcnow()
        db.session.flush()


def mark_all_read(user) -> None:
    now = utcnow()
    for model in (Notification, GroupedNotification):
        db.session.execute(
            update(model).where(model.user_id == user.id, model.read_at.is_(None))
            .values(read_at=now).execution_options(synchronize_session=False))


def mark_thread_read(user, thread_id: int, up_to_post_id: int) -> None:
    """The member has seen a page of the thread: its lines whose first unread post is on
    or before that page are read (so the next reply starts a new group)."""
    db.session.execute(
        update(GroupedNotification)
        .where(GroupedNotification.user_id == user.id, GroupedNotification.read_at.is_(None),
               GroupedNotification.thread_id == thread_id,
               GroupedNotification.post_id <= up_to_post_id)
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
