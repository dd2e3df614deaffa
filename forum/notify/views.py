"""A member's notices."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from forum.forms import ButtonForm
from forum.notify import services

bp = Blueprint("notify", __name__)


@bp.get("/notifications")
@login_required
def notifications():
    return render_template("notify/notifications.html",
                           notifications=services.recent_for(current_user), form=ButtonForm())


@bp.post("/notifications/read")
@login_required
def mark_read():
    services.mark_all_read(current_user)
    flash("All notices are marked as read.", "success")
    return redirect(url_for("notify.notifications"))
