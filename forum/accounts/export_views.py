"""/settings/export: ask for a copy of your data, see your exports, download a ready one."""
from __future__ import annotations

from flask import abort, send_file, url_for
from flask_login import current_user, login_required

from forum.accounts import export as exports
from forum.accounts.views import bp
from forum.extensions import limiter
from forum.forms import ButtonForm, carry_out, render_form
from forum.permissions import require
from forum.timeutil import utcnow

# An export reads everything a member ever wrote: a few a day is plenty for anyone.
EXPORT_LIMIT = "3 per day"


@bp.route("/settings/export", methods=["GET", "POST"])
@login_required
@limiter.limit(EXPORT_LIMIT, key_func=lambda: f"user:{current_user.id}", methods=["POST"])
def export():
    require(current_user, "account.export", current_user)
    form = ButtonForm()
    done = carry_out(form, lambda: exports.request_export(current_user),
                     "We are preparing your export. We will email you when it is ready "
                     "to download.", url_for("accounts.export"))
    if done:
        return done
    listed = exports.exports_of(current_user)
    now = utcnow()
    return render_form("accounts/export.html", form, exports=listed, now=now,
                       pending=exports.has_pending(listed, now),
                       keep_days=exports.KEEP_DAYS)


@bp.get("/settings/export/<int:export_id>/download")
@login_required
def download_export(export_id: int):
    export = exports.export_of(current_user, export_id) or abort(404)
    path = exports.file_to_send(current_user, export)
    response = send_file(path, mimetype="application/zip", as_attachment=True,
                         download_name=exports.download_name(current_user, export),
                         max_age=0)
    # Everything a member wrote, health details included: no cache may keep a copy.
    response.headers["Cache-Control"] = "private, no-store"
    return response
