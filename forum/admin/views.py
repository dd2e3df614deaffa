"""Site settings for admins."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user, login_required

from forum.admin import services
from forum.admin.forms import SettingsForm
from forum.errors import ValidationError
from forum.forms import attach_error, render_form
from forum.permissions import require

bp = Blueprint("admin", __name__)


@bp.route("/admin/settings", methods=["GET", "POST"])
@login_required
def settings():
    require(current_user, "site.settings")
    form = SettingsForm(data=services.all_values())
    if form.validate_on_submit():
        try:
            services.update(current_user, {key: form[key].data for key in services.SETTINGS})
        except ValidationError as error:
            attach_error(form, error)
        else:
            flash("Settings saved.", "success")
            return redirect(url_for("admin.settings"))
    return render_form("admin/settings.html", form)
