"""Register, verify, log in and out, reset a password."""
from __future__ import annotations

from flask import (
    Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from forum.auth import services
from forum.auth.forms import (
    LoginForm, RegisterForm, ResetPasswordForm, ResetRequestForm,
)
from forum.extensions import limiter
from forum.forms import ButtonForm, carry_out, render_form
from forum.navigation import safe_next

bp = Blueprint("auth", __name__)

REGISTERED_MESSAGE = ("Welcome! We have sent a link to your email address. "
                      "Open it to confirm the address, then you can post.")


def _limit(name: str):
    return limiter.limit(lambda: current_app.config[name], methods=["POST"])


@bp.route("/register", methods=["GET", "POST"])
@_limit("RATELIMIT_REGISTER")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("boards.home"))
    form = RegisterForm()
    if form.validate_on_submit() and form.website.data:
        # A bot filled the honeypot: answer as if it worked, create nothing.
        flash(REGISTERED_MESSAGE, "success")
        return redirect(url_for("auth.login"))
    done = carry_out(
        form,
        lambda: services.register(form.username.data, form.email.data, form.password.data),
        REGISTERED_MESSAGE, url_for("auth.login"))
    if done:
        return done
    return render_form("auth/register.html", form)


@bp.route("/login", methods=["GET", "POST"])
@_limit("RATELIMIT_LOGIN")
def login():
    if current_user.is_authenticated:
        return redirect(safe_next())
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.login.data, form.password.data)
        if user is None:
            form.form_errors.append("That username or email and password do not match.")
        else:
            _begin(user, remember=form.remember.data)
            flash(f"Signed in as {user.username}.", "success")
            return redirect(safe_next())
    return render_form("auth/login.html", form)


def _begin(user, remember: bool) -> None:
    # A fresh session at login: nothing set before it (a planted id, an old CSRF token) survives.
    session.clear()
    services.start_session(user, remember, request.user_agent.string or "")
    login_user(user, remember=remember, duration=services.REMEMBERED_SESSION_LIFETIME)


@bp.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.end_session(current_user._get_current_object())
    # Clear first: logout_user leaves a note in the session that tells Flask-Login to
    # delete the remember-me cookie, and clearing afterwards would erase that note.
    session.clear()
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("boards.home"))


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify(token: str):
    # Confirming takes a button press: mail scanners that open links must not verify.
    form = ButtonForm()
    if form.validate_on_submit():
        user = services.verify_email(token)
        if user is None:
            abort(404)
        flash("Thank you, your email address is confirmed.", "success")
        return redirect(url_for("boards.home") if current_user.is_authenticated
                        else url_for("auth.login"))
    return render_form("auth/verify.html", form, token=token)


@bp.post("/resend-verification")
@login_required
@_limit("RATELIMIT_MAIL")
def resend_verification():
    if not current_user.is_verified:
        services.send_verification(current_user)
    flash("We have sent a new confirmation link to your email address.", "success")
    return redirect(safe_next())


@bp.route("/reset", methods=["GET", "POST"])
@_limit("RATELIMIT_MAIL")
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash("If that address belongs to an account, a reset link is on its way. "
              "It works for one hour.", "success")
        return redirect(url_for("auth.login"))
    return render_form("auth/reset_request.html", form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@_limit("RATELIMIT_LOGIN")
def reset_password(token: str):
    user = services.user_for_reset_token(token)
    if user is None:
        return render_template("auth/reset_invalid.html"), 404
    form = ResetPasswordForm()
    done = carry_out(form, lambda: services.reset_password(user, form.password.data),
                     "Your password is changed, and every device was signed out. "
                     "Please sign in again.", url_for("auth.login"))
    if done:
        return done
    return render_form("auth/reset_password.html", form, token=token)
