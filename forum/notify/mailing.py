"""Activity by mail, as each member chose per kind: right away (one mail per unread line,
not per reply) or in one daily digest; each mail with a signed one-click unsubscribe link.

Each claims its lines with one UPDATE ... RETURNING (the immediate kind in the publishing
unit of work, the digest in its job), so a second run (or two workers at once) finds
nothing left to send; the job that builds the mail then checks, member by member, that
they can still see the post: a post hidden after it was published is never mailed.
A mail names the thread and links to it; it never carries a post's text (health talk does
not belong in inboxes the forum cannot protect).
"""
from __future__ import annotations

from collections import defaultdict

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.orm import joinedload

from forum import jobs, mail
from forum.accounts import mail_preferences
from forum.auth.models import User
from forum.boards.models import Post, Thread
from forum.extensions import db
from forum.notify import wording
from forum.notify.models import GroupedNotification
from forum.permissions import can
from forum.timeutil import utcnow

ONE_CLICK = {"List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# Unsubscribe links ---------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="outflow-unsubscribe")


def unsubscribe_token(user_id: int, kinds: list[str]) -> str:
    """Signed, not timed: a link in an old mail must still work."""
    return _serializer().dumps({"u": user_id, "k": sorted(set(kinds))})


def unsubscribe_target(token: str) -> tuple[User, list[str]] | None:
    """The member and the kinds of mail a token switches off; None when it is not ours."""
    try:
        data = _serializer().loads(token)
    except BadData:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) \
            or not isinstance(data.get("k"), list):
        return None
    known = {kind.key for kind in mail_preferences.KINDS}
    kinds = [kind for kind in data["k"] if isinstance(kind, str) and kind in known]
    member = db.session.get(User, data["u"])
    if member is None or member.is_former or not kinds:
        return None
    return member, kinds


def unsubscribe(member: User, kinds: list[str]) -> None:
    for kind in kinds:
        mail_preferences.set_choice(member, kind, "off")


def _headers(user_id: int, kinds: list[str]) -> tuple[dict[str, str], str]:
    link = mail.absolute(f"/unsubscribe/{unsubscribe_token(user_id, kinds)}")
    return {"List-Unsubscribe": f"<{link}>", **ONE_CLICK}, link


# Which lines a member wants mailed how ---------------------------------------------------

def _chooses(choice: str):
    """SQL: the line's member chose `choice` for the line's kind of mail."""
    per_kind = []
    for kind, mail_kind in wording.MAIL_KINDS.items():
        matches = (GroupedNotification.kind.startswith(kind) if kind == wording.REACTION_PREFIX
                   else GroupedNotification.kind == kind)
        per_kind.append(and_(matches, mail_preferences.chooses_clause(
            mail_kind, choice, user_id=GroupedNotification.user_id)))
    return or_(*per_kind)


def _mailable():
    """No mail to deleted accounts, nor to addresses never confirmed."""
    return exists().where(User.id == GroupedNotification.user_id, User.deleted_at.is_(None),
                          User.email_verified_at.is_not(None))


def _claim(conditions, **values) -> list[int]:
    return list(db.session.scalars(
        update(GroupedNotification).where(GroupedNotification.read_at.is_(None), _mailable(), *conditions)
        .values(**values).returning(GroupedNotification.id)
        .execution_options(synchronize_session=False)))


def _load(ids: list[int]) -> list[tuple[GroupedNotification, User, Post | None]]:
    return list(db.session.execute(
        select(GroupedNotification, User, Post)
        .join(User, User.id == GroupedNotification.user_id)
        .outerjoin(Post, Post.id == GroupedNotification.post_id)
        .where(GroupedNotification.id.in_(ids))
        .order_by(GroupedNotification.user_id, GroupedNotification.updated_at)
        .options(joinedload(GroupedNotification.thread).joinedload(Thread.category),
                 joinedload(GroupedNotification.last_actor))).unique().all())


def _sees(member: User, notification: GroupedNotification, post: Post | None) -> bool:
    thread = notification.thread
    if thread is None or post is None:
        return False
    return can(member, "thread.view", thread) and can(member, "post.read", post)


def _line(notification: GroupedNotification) -> dict[str, str]:
    return {"text": notification.text, "link": mail.absolute(notification.href)}


# The jobs -------------------------------------------------------------------------------

def mail_right_away(group_keys: list[str], news: Post) -> None:
    """In the publishing unit of work: claim the lines of these groups whose members want
    them right away (lines already mailed and still unread stay quiet), and schedule their
    mail only when there are any. `news`: the post that made news now."""
    ids = _claim([GroupedNotification.group_key.in_(group_keys),
                  GroupedNotification.mailed_at.is_(None), _chooses("immediately")],
                 mailed_at=utcnow())
    if ids:
        jobs.enqueue("notify.mail_lines", ids, news.id)


@jobs.job("notify.mail_lines")
def mail_lines(ids: list[int], post_id: int) -> int:
    """Mail each claimed line to its member, if they can still see the post."""
    news = db.session.get(Post, post_id)
    sent = 0
    for notification, member, _first in _load(ids):
        if news is None or not _sees(member, notification, news):
            continue
        kind = wording.mail_kind(notification.kind)
        headers, link = _headers(member.id, [kind])
        mail.send(member.email, notification.text, "mail/activity.txt", headers=headers,
                  user=member, line=_line(notification), unsubscribe_link=link,
                  kind_label=mail_preferences.kind(kind).label,
                  preferences_link=mail.absolute("/settings/email-preferences"))
        sent += 1
    return sent


@jobs.job("notify.send_digests", timeout=1800)
def send_digests() -> int:
    """One mail per member holding each line that changed since their last digest, once."""
    ids = _claim([GroupedNotification.digested_at.is_(None), GroupedNotification.mailed_at.is_(None),
                  _chooses("daily")], digested_at=utcnow())
    by_member: dict[int, tuple[User, list[GroupedNotification]]] = {}
    kinds: dict[int, set[str]] = defaultdict(set)
    for notification, member, post in _load(ids) if ids else []:
        if not _sees(member, notification, post):
            continue
        by_member.setdefault(member.id, (member, []))[1].append(notification)
        kinds[member.id].add(wording.mail_kind(notification.kind))
    for member_id, (member, lines) in by_member.items():
        headers, link = _headers(member_id, sorted(kinds[member_id]))
        count = len(lines)
        mail.send(member.email, f"Outflow: {count} update{'' if count == 1 else 's'} for you",
                  "mail/digest.txt", headers=headers, user=member,
                  lines=[_line(line) for line in lines], unsubscribe_link=link,
                  kind_labels=[mail_preferences.kind(kind).label
                               for kind in sorted(kinds[member_id])],
                  preferences_link=mail.absolute("/settings/email-preferences"))
    return len(by_member)
