"""What templates may call: permission checks, URL helpers, dates. Never the database."""
from __future__ import annotations

from datetime import datetime

from flask import Flask

from forum.permissions import badge, can
from forum.timeutil import utcnow


def timeago(moment: datetime | None) -> str:
    if moment is None:
        return ""
    seconds = int((utcnow() - moment).total_seconds())
    if seconds < 60:
        return "just now"
    for size, unit in ((86400 * 365, "year"), (86400 * 30, "month"), (86400 * 7, "week"),
                       (86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def isodate(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""


def longdate(moment: datetime | None) -> str:
    return moment.strftime("%d %B %Y, %H:%M UTC") if moment else ""


def member_context() -> dict:
    """What the layout shows a signed-in member: unread notices, looked up once a request
    (an error page rendered after the page itself must not ask again)."""
    from flask import g, has_request_context
    from flask_login import current_user

    from forum.notify.services import unread_for

    # Mail templates render outside any request, for nobody in particular.
    if not has_request_context() or not current_user.is_authenticated:
        return {"unread_notices": []}
    if "unread_notices" not in g:
        g.unread_notices = unread_for(current_user)
    return {"unread_notices": g.unread_notices}


def init_app(app: Flask) -> None:
    from forum.boards.views import thread_url

    app.jinja_env.globals.update(can=can, badge=badge, thread_url=thread_url)
    app.jinja_env.filters.update(timeago=timeago, isodate=isodate, longdate=longdate)
    app.context_processor(member_context)
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
