"""Admins keep the treatment list: add, rename and describe, take off and back on, reorder."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from forum.forms import carry_out, render_form
from forum.outcomes import queries, treatments
from forum.outcomes.forms import TreatmentEditForm, TreatmentForm
from forum.outcomes.models import TREATMENT_KINDS, Treatment
from forum.permissions import require

bp = Blueprint("treatments", __name__, url_prefix="/admin/treatments")


@bp.before_request
def _admins_only():
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    require(current_user, "treatment.manage")
    return None


def _treatment_or_404(treatment_id: int) -> Treatment:
    return queries.treatment(treatment_id) or abort(404)


def _grouped() -> dict[str, list[Treatment]]:
    groups: dict[str, list[Treatment]] = {label: [] for label in TREATMENT_KINDS.values()}
    for item in queries.treatments(active_only=False):
        groups.setdefault(TREATMENT_KINDS.get(item.kind, item.kind), []).append(item)
    return groups


@bp.route("", methods=["GET", "POST"])
def index():
    form = TreatmentForm()
    done = carry_out(
        form,
        lambda: treatments.add_treatment(current_user, form.slug.data, form.name.data,
                                         form.kind.data, form.description.data),
        lambda item: f"{item.name} is on the list.", url_for("treatments.index"))
    if done:
        return done
    return render_form("outcomes/admin_treatments.html", form, groups=_grouped())


@bp.route("/<int:treatment_id>/edit", methods=["GET", "POST"])
def edit(treatment_id: int):
    item = _treatment_or_404(treatment_id)
    form = TreatmentEditForm(obj=item)
    done = carry_out(
        form,
        lambda: treatments.edit_treatment(current_user, item, form.name.data,
                                          form.description.data),
        lambda changed: "Your changes are saved." if changed else "Nothing was changed.",
        url_for("treatments.index"))
    if done:
        return done
    return render_form("outcomes/admin_treatment_edit.html", form, treatment=item)


@bp.post("/<int:treatment_id>/deactivate")
def deactivate(treatment_id: int):
    item = _treatment_or_404(treatment_id)
    treatments.set_active(current_user, item, False, request.form.get("reason", ""))
    flash(f"{item.name} is off the list for new reports; its reports and figures stay.",
          "success")
    return redirect(url_for("treatments.index"))


@bp.post("/<int:treatment_id>/reactivate")
def reactivate(treatment_id: int):
    item = _treatment_or_404(treatment_id)
    treatments.set_active(current_user, item, True, request.form.get("reason", ""))
    flash(f"{item.name} is back on the list.", "success")
    return redirect(url_for("treatments.index"))


@bp.post("/<int:treatment_id>/move")
def move(treatment_id: int):
    item = _treatment_or_404(treatment_id)
    treatments.move_treatment(current_user, item, request.form.get("direction", ""))
    return redirect(url_for("treatments.index") + f"#treatment-{item.id}")
