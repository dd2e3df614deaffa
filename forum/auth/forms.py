"""Account forms; field names are part of the public contract (DESIGN.md)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from forum.auth.services import MAX_PASSWORD_LENGTH


class RegisterForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[DataRequired("Choose a username."), Length(max=30)],
        description="Shown on your posts. Please use a pseudonym, not your real name.",
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    email = EmailField(
        "Email",
        validators=[DataRequired("Enter your email address."), Length(max=254)],
        description="Never shown to anyone. We send a link to confirm it.",
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Choose a password."), Length(max=MAX_PASSWORD_LENGTH)],
        description="At least 10 characters.",
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        "Password again",
        validators=[InputRequired("Type the password again."),
                    EqualTo("password", "The two passwords are not the same.")],
        render_kw={"autocomplete": "new-password"},
    )
    accept_guidelines = BooleanField(
        "I have read and accept the community guidelines",
        validators=[DataRequired("Please accept the community guidelines to join.")],
    )
    # A honeypot: hidden from people (and screen readers), filled in by form-filling bots.
    website = StringField("Leave this field empty", validators=[Length(max=200)],
                          render_kw={"autocomplete": "off", "tabindex": "-1"})


class LoginForm(FlaskForm):
    login = StringField(
        "Username or email",
        validators=[DataRequired("Enter your username or email."), Length(max=254)],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[InputRequired("Enter your password."), Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField("Keep me signed in on this device")


class ResetRequestForm(FlaskForm):
    email = EmailField(
        "Email",
        validators=[DataRequired("Enter the email address of your account."), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )


class ResetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[InputRequired("Choose a new password."), Length(max=MAX_PASSWORD_LENGTH)],
        description="At least 10 characters.",
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        "New password again",
        validators=[InputRequired("Type the new password again."),
                    EqualTo("password", "The two passwords are not the same.")],
        render_kw={"autocomplete": "new-password"},
    )
