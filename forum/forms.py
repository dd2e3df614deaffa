"""The forms and helpers every feature shares: a lone button, a reason, the form round."""
from __future__ import annotations

from typing import Any, Callable

from flask import flash, redirect, render_template
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from forum.errors import ValidationError

REASON_MAX = 1000


class ButtonForm(FlaskForm):
    """A form with nothing but its CSRF token, behind a single button."""


class ReasonForm(FlaskForm):
    """A moderator's action: the reason is shown to the member and kept in the log."""

    reason = TextAreaField("Reason", validators=[Length(max=REASON_MAX)],
                           description="Shown to the member where it concerns them, and kept "
                                       "in the log.",
                           render_kw={"rows": 3})


def attach_error(form: FlaskForm, error: ValidationError) -> None:
    """Show a service's refusal beside the field it concerns, or above the form."""
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def render_form(template: str, form: FlaskForm, **context):
    """A form page: 200 when first shown, 422 when re-shown with what was typed."""
    status = 422 if form.is_submitted() else 200
    return render_template(template, form=form, **context), status


def carry_out(form: FlaskForm, action: Callable[[], Any], done: str | Callable[[Any], str],
              then: str | Callable[[Any], str]):
    """The usual form round: when a valid form comes in, run the service; on success
    flash `done` and redirect to `then` (each a string, or a function of the result).

    Returns None when the form is to be shown (again), with any refusal attached.
    """
    if not form.validate_on_submit():
        return None
    try:
        result = action()
    except ValidationError as error:
        attach_error(form, error)
        return None
    flash(done(result) if callable(done) else done, "success")
    return redirect(then(result) if callable(then) else then)
