"""Admins' forms: site settings (built from the settings' own descriptions), clinics, roles."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from forum.admin.services import SETTINGS


class SettingsForm(FlaskForm):
    pass


for _key, _setting in SETTINGS.items():
    setattr(SettingsForm, _key, TextAreaField(
        _setting.label, description=_setting.help,
        validators=[InputRequired("This cannot be empty.")],
        render_kw={"rows": 12 if _setting.key == "crisis_text" else 1}))


class ClinicForm(FlaskForm):
    name = StringField("Clinic name", validators=[DataRequired("Name the clinic."),
                                                  Length(max=120)])
    website = StringField("Website (optional)", validators=[Length(max=500)])
    description = TextAreaField("Short description (optional)", validators=[Length(max=2000)],
                                render_kw={"rows": 3})


class RoleForm(FlaskForm):
    role = SelectField("Role", validators=[DataRequired("Choose a role.")])
    clinic = SelectField("Clinic (for clinic staff)", validators=[Optional()])
    reason = TextAreaField("Reason (optional)", validators=[Length(max=1000)],
                           render_kw={"rows": 2})
