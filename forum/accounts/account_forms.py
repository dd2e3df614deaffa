"""The account forms: email, password, mail preferences. Field names are part of the public
contract (DESIGN.md); the email and password forms share a page, so their ids differ."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from forum.accounts.mail_preferences import CHOICE_LABELS, KINDS
from forum.auth.services import MAX_PASSWORD_LENGTH


class EmailChangeForm(FlaskForm):
    email = EmailField(
        "New email address",
        validators=[DataRequired("Enter the new address."), Length(max=254)],
        description="We send a link to it. Your address changes when you open that link.",
        render_kw={"autocomplete": "email"},
    )
    password = PasswordField(
        "Your current password", id="email-change-password",
        validators=[InputRequired("Enter your current password."),
                    Length(max=MAX_PASSWORD_LENGTH)],
        description="So that nobody who finds this device signed in can take your account.",
        render_kw={"autocomplete": "current-password"},
    )


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[InputRequired("Enter your current password."),
                    Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    password = PasswordField(
        "New password", id="new-password",
        validators=[InputRequired("Choose a new password."), Length(max=MAX_PASSWORD_LENGTH)],
        description="At least 10 characters; a few words strung together work well.",
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        "New password again", id="new-password-confirm",
        validators=[InputRequired("Type the new password again."),
                    EqualTo("password", "The two new passwords are not the same.")],
        render_kw={"autocomplete": "new-password"},
    )


class MailPreferencesForm(FlaskForm):
    """One radio group per kind of mail in the registry; built by `mail_preferences_form`."""


def mail_preferences_form(current: dict[str, str]) -> MailPreferencesForm:
    """The form with one field per kind, each showing the member's choice until submitted."""

    class Form(MailPreferencesForm):
        pass

    for mail_kind in KINDS:
        setattr(Form, mail_kind.key, RadioField(
            mail_kind.label, description=mail_kind.description,
            choices=[SelectChoice(value, CHOICE_LABELS[value]) for value in mail_kind.choices],
            default=current[mail_kind.key],
            validators=[InputRequired("Choose one.")]))
    return Form()


def chosen(form: MailPreferencesForm) -> dict[str, str]:
    return {mail_kind.key: form[mail_kind.key].data for mail_kind in KINDS}
