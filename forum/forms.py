"""Helpers shared by every feature's forms."""
from __future__ import annotations

from flask import render_template
from flask_wtf import FlaskForm

from forum.errors import ValidationError


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
