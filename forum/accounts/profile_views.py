"""Profiles: /u/<username> and its avatar, /settings/profile and /settings/privacy, and the
moderators' profile history and clearing under /mod/users/<username>/profile."""
from __future__ import annotations

from flask import abort, current_app, render_template, url_for
from flask_login import current_user, login_required

from forum.accounts import avatars, profile_queries, profiles
from forum.accounts.profile_forms import (
    VISIBILITY_LABELS, ClearFieldForm, PrivacyForm, ProfileForm,
)
from forum.accounts.views import bp
from forum.arguments import page_arg
from forum.boards.services import page_count
from forum.forms import carry_out, render_form
from forum.moderation import queries as moderation_queries
from forum.permissions import allowed, require, sees_field

AVATAR_CACHE = "public, max-age=86400"


@bp.get("/u/<username>")
def profile(username: str):
    # A deleted account and a name nobody ever held give the very same page.
    member, shown = profile_queries.member_with_profile(username) or abort(404)
    page = page_arg()
    posts_shown = current_user.is_authenticated or shown.posts_visible_to_visitors
    posts, pages = [], 1
    if posts_shown:
        pages = page_count(profile_queries.post_total(member, current_user),
                           profile_queries.POSTS_PER_PAGE)
        posts = profile_queries.posts(member, current_user, page)
    if page > pages:
        abort(404)
    return render_template(
        "accounts/profile.html", member=member, profile=shown,
        fields=profiles.shown_fields(current_user, member, shown),
        visibility_labels=VISIBILITY_LABELS, posts=posts, posts_shown=posts_shown,
        page=page, pages=pages, reports=profile_queries.public_reports(member))


@bp.get("/u/<username>/avatar.svg")
def avatar(username: str):
    member = profile_queries.member_named(username)
    svg = avatars.avatar_svg(member.username) if member else avatars.generic_svg()
    response = current_app.response_class(svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = AVATAR_CACHE
    return response


# The member's own settings -------------------------------------------------------------

def _saved(changed: list[str]) -> str:
    return "Your changes are saved." if changed else "Nothing was changed."


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    if not allowed(current_user, "profile.edit", current_user):
        # Say why rather than a bare 403: it is the member's own page.
        return render_template("accounts/profile_locked.html"), 403
    form = ProfileForm(obj=profiles.profile_of(current_user))
    done = carry_out(
        form, lambda: profiles.update_profile(current_user, current_user, form.values()),
        _saved, url_for("accounts.edit_profile"))
    return done or render_form("accounts/edit_profile.html", form)


@bp.route("/settings/privacy", methods=["GET", "POST"])
@login_required
def privacy():
    require(current_user, "account.settings", current_user)
    form = PrivacyForm(obj=profiles.profile_of(current_user))
    done = carry_out(
        form, lambda: profiles.update_profile(current_user, current_user, form.values()),
        _saved, url_for("accounts.privacy"))
    return done or render_form("accounts/privacy.html", form)


# Moderators ----------------------------------------------------------------------------

def _moderated_member(username: str):
    # Refused before the lookup, so that a member cannot probe names through these routes.
    require(current_user, "moderation.view")
    return moderation_queries.member_named(username) or abort(404)


def _history_page(member, form: ClearFieldForm, status: int = 200):
    shown = profiles.profile_of(member)
    hidden_fields = {field for field in profiles.HEALTH_FIELDS
                     if not sees_field(current_user, member,
                                       getattr(shown, f"{field}_visibility"))}
    return render_template(
        "accounts/profile_history.html", member=member, form=form,
        rows=profile_queries.revisions(member), hidden_fields=hidden_fields,
        labels={field: label[:1].upper() + label[1:]
                for field, label in profiles.FIELD_LABELS.items()}), status


@bp.get("/mod/users/<username>/profile")
@login_required
def profile_history(username: str):
    member = _moderated_member(username)
    require(current_user, "profile.history", member)
    return _history_page(member, ClearFieldForm(formdata=None))


@bp.post("/mod/users/<username>/profile/clear")
@login_required
def clear_profile_field(username: str):
    member = _moderated_member(username)
    require(current_user, "profile.clear_field", member)
    form = ClearFieldForm()
    done = carry_out(
        form, lambda: profiles.clear_field(current_user, member, form.field.data,
                                           form.reason.data or ""),
        "The field is cleared; the member is told why.",
        url_for("accounts.profile_history", username=member.username))
    return done or _history_page(member, form, status=422)

