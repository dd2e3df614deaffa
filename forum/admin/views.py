"""Admins' pages: site settings, clinics, members' roles."""
from __future__ import annotations

from flask import Blueprint, abort, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from forum.admin import services
from forum.admin.forms import ClinicForm, RoleForm, SettingsForm
from forum.forms import carry_out, render_form
from forum.moderation.queries import member_named
from forum.permissions import ROLES, require
from forum.resources import queries as resource_queries

bp = Blueprint("admin", __name__)


@bp.route("/admin/settings", methods=["GET", "POST"])
@login_required
def settings():
    require(current_user, "site.settings")
    form = SettingsForm(data=services.all_values())
    values = lambda: {key: form[key].data for key in services.SETTINGS}  # noqa: E731
    done = carry_out(form, lambda: services.update(current_user, values()),
                     "Settings saved.", url_for("admin.settings"))
    if done:
        return done
    return render_form("admin/settings.html", form)


@bp.route("/admin/clinics", methods=["GET", "POST"])
@login_required
def clinics():
    require(current_user, "clinic.manage")
    form = ClinicForm()
    done = carry_out(
        form,
        lambda: services.create_clinic(current_user, form.name.data, form.website.data,
                                        form.description.data),
        "The clinic is added. Give its staff the clinic staff role from their moderation page.",
        url_for("admin.clinics"))
    if done:
        return done
    return render_form("admin/clinics.html", form, clinics=resource_queries.clinics())


@bp.route("/admin/users/<username>/role", methods=["GET", "POST"])
@login_required
def role(username: str):
    member = member_named(username) or abort(404)
    require(current_user, "user.role", member)
    clinics = {str(clinic.id): clinic for clinic in resource_queries.clinics()}
    form = RoleForm(data={"role": member.role, "clinic": str(member.clinic_id or "")})
    form.role.choices = [SelectChoice(role, role.replace("_", " ")) for role in ROLES]
    form.clinic.choices = [SelectChoice("", "No clinic")] + [
        SelectChoice(key, clinic.name) for key, clinic in clinics.items()]
    done = carry_out(
        form,
        lambda: services.set_role(current_user, member, form.role.data,
                                   clinics.get(form.clinic.data or ""), form.reason.data),
        lambda _: f"{member.username} is now {member.role.replace('_', ' ')}.",
        url_for("moderation.member", username=member.username))
    if done:
        return done
    return render_form("admin/role.html", form, member=member)
