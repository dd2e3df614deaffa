"""Profiles: /u/<username> and its avatar, /settings/profile and /settings/privacy, and the
moderators' profile history and clearing under /mod/users/<username>/profile."""
from __future__ import annotations

from flask import abort, current_app, render_template, request, url_for
from flask_login import current_user, login_required

from forum.accounts import avatars, profile_queries, profiles
from forum.accounts.profile_forms import (
    VISIBILITY_LABELS, ClearFieldForm, PrivacyForm, ProfileForm,
)
from forum.accounts.views import bp
from forum.arguments import page_arg
from forum.boards.services import page_count
from forum.confirming import Confirmation, ask_first
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


def _history_page(member):
    shown = profiles.profile_of(member)
    hidden_fields = {field for field in profiles.HEALTH_FIELDS
                     if not sees_field(current_user, member,
                                       getattr(shown, f"{field}_visibility"))}
    return render_template(
        "accounts/profile_history.html", member=member,
        rows=profile_queries.revisions(member), hidden_fields=hidden_fields,
        labels={field: label[:1].upper() + label[1:]
                for field, label in profiles.FIELD_LABELS.items()},
        clearable={field: profiles.FIELD_LABELS[field] for field in profiles.CLEARABLE_FIELDS})


@bp.get("/mod/users/<username>/profile")
@login_required
def profile_history(username: str):
    member = _moderated_member(username)
    require(current_user, "profile.history", member)
    return _history_page(member)


@bp.route("/mod/users/<username>/profile/clear", methods=["GET", "POST"])
@login_required
def clear_profile_field(username: str):
    # Nothing puts the old text back on the profile, so this asks first. The field comes
    # in the query (the history page's links) or with the confirm page's form.
    member = _moderated_member(username)
    require(current_user, "profile.clear_field", member)
    form = ClearFieldForm(data={"field": request.args.get("field", "")})
    form.reason.description = "Required. Shown to the member, and kept in the log."
    field = form.field.data or ""
    label, current = profiles.field_to_clear(current_user, member, field)
    return ask_first(
        _clearing(member, field, label, current), form,
        lambda: profiles.clear_field(current_user, member, field, form.reason.data or ""),
        "The field is cleared; the member is told why.",
        url_for("accounts.profile_history", username=member.username))


def _clearing(member, field: str, label: str, current: str | None) -> Confirmation:
    """`current` is the text that will go, or None when the member keeps it from moderators."""
    name = member.username
    return Confirmation(
        title=f"Confirm: Clear {label} — {name}",
        question=f"Clear the {label} on {name}'s profile?",
        consequences=(
            f"The {label} on {name}'s profile is emptied at once, for everyone.",
            *((f"{name} keeps their {label} from moderators, so it is not shown here.",)
              if current is None else ()),
            f"{name} is told, by notice and by mail, with your reason; the clearing goes "
            "into the moderation log.",
            "The profile history records the change, but nothing puts the old text back on "
            "the profile: only the member could write it again.",
        ),
        button=f"Clear the {label}",
        cancel_url=url_for("accounts.profile_history", username=name),
        action_url=url_for("accounts.clear_profile_field", username=name),
        carried=("field",), quote=current or "")
