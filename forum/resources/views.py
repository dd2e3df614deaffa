"""Clinic resource links: the list, pinning and editing, notes, hiding, outbound clicks."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from forum import markup
from forum.arguments import id_arg
from forum.boards import queries as board_queries
from forum.boards.models import Category
from forum.confirming import Confirmation, ask_first
from forum.forms import ReasonForm, carry_out, render_form
from forum.permissions import can, require
from forum.resources import queries, services
from forum.resources.forms import NoteForm, ResourceForm
from forum.resources.models import ResourceLink

bp = Blueprint("resources", __name__)


def _link_or_404(link_id: int) -> ResourceLink:
    link = queries.link(link_id)
    if link is None or link.unpinned_at is not None:
        abort(404)
    return link


def _categories() -> list[Category]:
    return board_queries.categories()


def _resource_form(link: ResourceLink | None = None) -> tuple[ResourceForm, dict]:
    form = ResourceForm(obj=link)
    categories = {c.slug: c for c in _categories()}
    form.categories.choices = [SelectChoice(slug, c.name) for slug, c in categories.items()]
    if link is not None and not form.is_submitted():
        form.categories.data = [c.slug for c in link.categories]
    return form, categories


def _link_fields(form: ResourceForm, categories: dict) -> tuple:
    """The form's values in the order pin_link and edit_link take them."""
    chosen = [categories[slug] for slug in form.categories.data or [] if slug in categories]
    return (form.title.data, form.url.data, form.description.data, form.site_wide.data,
            chosen, form.expires_on.data)


@bp.get("/resources")
def index():
    today = date.today()
    clinic_id = id_arg("clinic")
    category = None
    if request.args.get("category"):
        category = board_queries.category_by_slug(request.args["category"]) or abort(404)
    context = {
        "links": queries.listed_links(today, clinic_id, category.id if category else None),
        "clinics": queries.clinics(), "categories": _categories(),
        "clinic_id": clinic_id, "category": category, "today": today,
    }
    if can(current_user, "resource.create"):
        context["own_links"] = queries.clinic_links(current_user.clinic_id)
    if can(current_user, "moderation.view"):
        context["flagged_links"] = queries.moderated_links()
    return render_template("resources/index.html", **context)


@bp.route("/resources/new", methods=["GET", "POST"])
@login_required
def new():
    require(current_user, "resource.create")
    form, categories = _resource_form()
    done = carry_out(
        form,
        lambda: services.pin_link(current_user, *_link_fields(form, categories)),
        "The link is pinned.", url_for("resources.index"))
    if done:
        return done
    return render_form("resources/form.html", form, link=None)


@bp.route("/resources/<int:link_id>/edit", methods=["GET", "POST"])
@login_required
def edit(link_id: int):
    link = _link_or_404(link_id)
    require(current_user, "resource.edit", link)
    form, categories = _resource_form(link)
    done = carry_out(
        form,
        lambda: services.edit_link(current_user, link, *_link_fields(form, categories)),
        "Your changes are saved.", url_for("resources.edit", link_id=link.id))
    if done:
        return done
    return render_form("resources/form.html", form, link=link,
                       clicks=queries.clicks(link, date.today()))


@bp.route("/resources/<int:link_id>/unpin", methods=["GET", "POST"])
@login_required
def unpin(link_id: int):
    # Nothing pins an unpinned link again, so this asks first.
    link = _link_or_404(link_id)
    require(current_user, "resource.unpin", link)
    form = ReasonForm()
    form.reason.description = "Optional. Kept in the moderation log."
    return ask_first(_unpinning(link), form,
                     lambda: services.unpin_link(current_user, link, form.reason.data or ""),
                     "The link is unpinned.", url_for("resources.index"))


def _unpinning(link: ResourceLink) -> Confirmation:
    return Confirmation(
        title=f"Confirm: Unpin “{link.title}”",
        question=f"Unpin “{link.title}”?",
        consequences=(
            f"The link from {link.clinic.name} leaves every list at once, site-wide and in "
            "its categories, and its address on this site stops working.",
            "Nobody can edit it any more, and its clicks are no longer shown. The unpinning "
            "goes into the moderation log.",
            "An unpinned link cannot be pinned again: to show it once more, pin it as a new "
            "link, whose clicks start from nothing.",
        ),
        button="Unpin the link", cancel_url=url_for("resources.edit", link_id=link.id),
        action_url=url_for("resources.unpin", link_id=link.id))


@bp.post("/resources/<int:link_id>/move")
@login_required
def move(link_id: int):
    link = _link_or_404(link_id)
    services.move_link(current_user, link, request.form.get("direction", ""))
    return redirect(url_for("resources.index") + "#own-links")


@bp.route("/resources/<int:link_id>/note", methods=["GET", "POST"])
@login_required
def note(link_id: int):
    link = _link_or_404(link_id)
    require(current_user, "resource.note", link)
    form = NoteForm(data={"note": link.note.body if link.note else ""})
    done = carry_out(form, lambda: services.set_note(current_user, link, form.note.data),
                     "The evidence note is saved and shown beside the link.",
                     url_for("resources.index"))
    if done:
        return done
    return render_form("resources/note.html", form, link=link)


@bp.route("/resources/<int:link_id>/hide", methods=["GET", "POST"])
@login_required
def hide(link_id: int):
    link = _link_or_404(link_id)
    require(current_user, "resource.hide", link)
    form = ReasonForm()
    done = carry_out(form, lambda: services.hide_link(current_user, link, form.reason.data),
                     "The link is hidden.",
                     url_for("resources.index"))
    if done:
        return done
    return render_form("resources/hide.html", form, link=link)


@bp.post("/resources/<int:link_id>/restore")
@login_required
def restore(link_id: int):
    link = _link_or_404(link_id)
    services.restore_link(current_user, link, request.form.get("reason", ""))
    flash("The link is shown again.", "success")
    return redirect(url_for("resources.index"))


@bp.get("/r/<int:link_id>")
def outbound(link_id: int):
    # The one read that writes: the daily click count, which the URL contract promises.
    link = queries.link(link_id)
    today = date.today()
    if link is None or not link.is_shown(today):
        abort(404)
    if not markup.is_safe_link(link.url):
        # Pinned before addresses were checked for line breaks and control characters,
        # which a Location header cannot carry; its staff can correct it.
        abort(404)
    services.record_click(link, today)
    return redirect(link.url, code=302)
