"""Settings: the account (email and password), signed-in devices, and which mail to get."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user, login_required, logout_user

from forum.accounts import account_services as services
from forum.accounts import mail_preferences
from forum.accounts.account_forms import (
    EmailChangeForm, PasswordChangeForm, chosen, mail_preferences_form,
)
from forum.accounts.user_agents import describe
from forum.accounts.views import bp
from forum.errors import ValidationError
from forum.extensions import limiter
from forum.forms import ButtonForm, attach_error, carry_out, render_form
from forum.permissions import require


def _member_limit(setting: str):
    return limiter.limit(lambda: current_app.config[setting],
                         key_func=lambda: f"user:{current_user.id}", methods=["POST"])


def _me():
    """The signed-in member, checked, as the services want it (not the proxy)."""
    member = current_user._get_current_object()
    require(member, "account.settings", member)
    return member


# Email address and password ------------------------------------------------------------------

def _account_page(email_form: EmailChangeForm, password_form: PasswordChangeForm,
                  status: int = 200):
    return render_template("accounts/account.html", email_form=email_form,
                           password_form=password_form), status


@bp.get("/settings/account")
@login_required
def account():
    _me()
    return _account_page(EmailChangeForm(), PasswordChangeForm())


@bp.post("/settings/email")
@login_required
@_member_limit("RATELIMIT_MAIL")
def change_email():
    member = _me()
    form = EmailChangeForm()
    done = carry_out(
        form, lambda: services.request_email_change(member, form.email.data, form.password.data),
        lambda new: (f"We have sent a link to {new}. Open it within 48 hours to finish the "
                     f"change; until then your address stays {member.email}."),
        url_for("accounts.account"))
    # The other form starts empty: both have a "password" field.
    return done or _account_page(form, PasswordChangeForm(formdata=None), 422)


@bp.post("/settings/password")
@login_required
@_member_limit("RATELIMIT_LOGIN")
def change_password():
    member = _me()
    form = PasswordChangeForm()
    done = carry_out(
        form, lambda: services.change_password(member, form.current_password.data,
                                               form.password.data, form.password_confirm.data),
        "Your password is changed, and every other device was signed out.",
        url_for("accounts.account"))
    return done or _account_page(EmailChangeForm(formdata=None), form, 422)


@bp.route("/settings/email/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    # Opened from the new mailbox, perhaps on another device: the token says whose it is.
    # Applying it takes a button press, as mail scanners open every link.
    change = services.email_change_for(token) or abort(404)
    form = ButtonForm()
    if not change.confirmable:
        return render_template("accounts/account_email_confirm.html", form=form,
                               change=change, token=token), 409
    signed_in_here = current_user.is_authenticated and current_user.id == change.user.id
    done = carry_out(form, lambda: services.confirm_email_change(change),
                     f"Thank you: your email address is now {change.new}.",
                     url_for("accounts.account") if signed_in_here else url_for("auth.login"))
    return done or render_form("accounts/account_email_confirm.html", form,
                               change=change, token=token)


@bp.route("/settings/email/undo/<token>", methods=["GET", "POST"])
def undo_email(token: str):
    change = services.email_undo_for(token) or abort(404)
    form = ButtonForm()
    if not change.undoable:
        return render_template("accounts/account_email_undo.html", form=form,
                               change=change, token=token), 409
    if form.validate_on_submit():
        try:
            reset = services.undo_email_change(change)
        except ValidationError as error:
            attach_error(form, error)
        else:
            if current_user.is_authenticated and current_user.id == change.user.id:
                # Its session row is gone with the others; the cookie must go too.
                session.clear()
                logout_user()
            flash(f"Your email address is {change.old} again, and every device was signed "
                  "out. Someone else may know your password: please choose a new one now.",
                  "success")
            return redirect(url_for("auth.reset_password", token=reset))
    return render_form("accounts/account_email_undo.html", form, change=change, token=token)


# Signed-in devices ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Device:
    id: int
    name: str
    signed_in: datetime
    last_seen: datetime
    current: bool


@bp.get("/settings/sessions")
@login_required
def sessions():
    member = _me()
    current = member.current_login_session
    devices = [Device(row.id, describe(row.user_agent), row.created_at, row.last_seen_at,
                      current is not None and row.id == current.id)
               for row in services.live_sessions(member)]
    return render_template("accounts/sessions.html", devices=devices)


def _signed_out_here():
    session.clear()
    logout_user()
    flash("You have signed out of this device.", "success")
    return redirect(url_for("boards.home"))


@bp.post("/settings/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int):
    member = _me()
    # Someone else's session is "not found", so ids cannot be probed for.
    row = services.own_session(member, session_id) or abort(404)
    here = member.current_login_session is not None and member.current_login_session.id == row.id
    services.end_login_session(member, row)
    if here:
        return _signed_out_here()
    flash("That device is signed out.", "success")
    return redirect(url_for("accounts.sessions"))


@bp.post("/settings/sessions/end-others")
@login_required
def end_other_sessions():
    member = _me()
    ended = services.end_other_sessions(member)
    flash("Every other device is signed out." if ended else "No other device was signed in.",
          "success")
    return redirect(url_for("accounts.sessions"))


# Which mail to get ------------------------------------------------------------------------------

@bp.route("/settings/email-preferences", methods=["GET", "POST"])
@login_required
def email_preferences():
    member = _me()
    form = mail_preferences_form(mail_preferences.choices_for(member))
    done = carry_out(form, lambda: mail_preferences.set_choices(member, chosen(form)),
                     "Your email settings are saved.", url_for("accounts.email_preferences"))
    return done or render_form("accounts/email_preferences.html", form,
                               kinds=mail_preferences.KINDS,
                               always_sent=mail_preferences.ALWAYS_SENT)
