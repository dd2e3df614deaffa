"""A member's notifications, watching threads and categories, and unsubscribing from mail."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    has_request_context,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required

from forum.boards import queries as board_queries
from forum.boards.views import thread_url
from forum.errors import ValidationError
from forum.extensions import csrf, limiter
from forum.forms import ButtonForm
from forum.notify import activity, mailing, services, watching  # noqa: F401 - receivers
from forum.permissions import require

bp = Blueprint("notify", __name__)

UNSUBSCRIBE_LIMIT = "30 per minute"


@bp.app_context_processor
def _unread_count() -> dict:
    """The header's count: one statement per page for members, which also brings the
    banner's notices (none for visitors, none again after a board page's provider)."""
    if not has_request_context() or not current_user.is_authenticated:
        return {}
    return {"unread_notice_count": services.header_count(current_user)}


@bp.get("/notifications")
@login_required
def notifications():
    require(current_user, "notifications.view")
    return render_template("notify/notifications.html",
                           notifications=services.recent_for(current_user), form=ButtonForm())


@bp.get("/notifications/<int:notification_id>")
@login_required
def open_notification(notification_id: int):
    """Following a line marks it read (a member's own GET may write), then goes there."""
    require(current_user, "notifications.view")
    notification = services.owned_group(current_user, notification_id) or abort(404)
    services.mark_read(notification)
    return redirect(notification.href)


@bp.post("/notifications/read")
@login_required
def mark_read():
    require(current_user, "notifications.view")
    services.mark_all_read(current_user)
    flash("All notices are marked as read.", "success")
    return redirect(url_for("notify.notifications"))


def _level() -> str:
    level = request.form.get("level", "")
    if level not in watching.THREAD_LEVELS:
        raise ValidationError("Choose watching, normal or muted.", "level")
    return level


@bp.post("/t/<int:thread_id>/watch")
@login_required
def watch_thread(thread_id: int):
    thread = board_queries.visible_thread(thread_id, current_user) or abort(404)
    level = _level()
    watching.set_thread_level(current_user, thread, level)
    flash(f"Notifications for this thread: {watching.THREAD_LEVELS[level][0]}. "
          f"{watching.THREAD_LEVELS[level][1]}", "success")
    return redirect(thread_url(thread))


@bp.post("/c/<slug>/watch")
@login_required
def watch_category(slug: str):
    category = board_queries.category_by_slug(slug) or abort(404)
    level = _level()
    watching.set_category_level(current_user, category, level)
    flash(f"Notifications for {category.name}: {watching.CATEGORY_LEVELS[level][0]}. "
          f"{watching.CATEGORY_LEVELS[level][1]}", "success")
    return redirect(url_for("boards.category", slug=category.slug))


# Unsubscribing: the link in every activity mail ------------------------------------------

@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; a mail client's one-click POST has no form
@limiter.limit(UNSUBSCRIBE_LIMIT, methods=["POST"])
def unsubscribe(token: str):
    target = mailing.unsubscribe_target(token)
    if target is None:
        abort(404)
    member, kinds = target
    labels = [mailing.mail_preferences.kind(kind).label for kind in kinds]
    # A GET only shows the button: mail scanners open links, and must not unsubscribe.
    done = request.method == "POST"
    if done:
        mailing.unsubscribe(member, kinds)
    response = make_response(render_template("notify/unsubscribe.html", member=member,
                                             labels=labels, token=token, done=done))
    # The page names the member: no shared cache may keep it.
    response.cache_control.no_store = True
    return response
