"""/settings/delete: a member deletes their account, keeping or removing their posts."""
from __future__ import annotations

from flask import flash, redirect, session, url_for
from flask_login import current_user, login_required, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length

from forum.accounts import deletion
from forum.accounts.held_names import HOLD_DAYS
from forum.accounts.views import bp
from forum.auth.services import MAX_PASSWORD_LENGTH
from forum.errors import ValidationError
from forum.extensions import limiter
from forum.forms import attach_error, render_form
from forum.permissions import require

DELETED = "Your account is deleted."
CHOOSE = "Choose what happens to your posts."
# Each choice's explanation sits beside its radio button (the template ties them).
POSTS_CHOICES = [
    SelectChoice("keep", "Keep my posts, under \u201cformer member\u201d"),
    SelectChoice("remove", "Remove my posts too"),
]


class DeleteAccountForm(FlaskForm):
    # No choice is made for the member: leaving is theirs to decide, with both spelled out.
    posts = RadioField("What should happen to your posts?", choices=POSTS_CHOICES,
                       validate_choice=False,
                       validators=[InputRequired(CHOOSE), AnyOf(deletion.POSTS_CHOICES, CHOOSE)])
    password = PasswordField(
        "Your password",
        validators=[InputRequired("Type your password to confirm."),
                    Length(max=MAX_PASSWORD_LENGTH)],
        description="To make sure it is you.",
        render_kw={"autocomplete": "current-password"},
    )


@bp.route("/settings/delete", methods=["GET", "POST"])
@login_required
@limiter.limit("5 per hour", key_func=lambda: f"user:{current_user.id}", methods=["POST"])
def delete():
    member = current_user._get_current_object()
    require(member, "account.delete", member)
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            deletion.delete_own_account(member, form.password.data, form.posts.data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            # Its session rows are gone already; this forgets the cookie's side too.
            session.clear()
            logout_user()
            flash(DELETED, "success")
            return redirect(url_for("boards.home"))
    return render_form("accounts/delete.html", form, hold_days=HOLD_DAYS)
