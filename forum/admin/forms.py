"""The site settings form, built from the settings' own descriptions."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired

from forum.admin.services import SETTINGS


class SettingsForm(FlaskForm):
    pass


for _key, _setting in SETTINGS.items():
    setattr(SettingsForm, _key, TextAreaField(
        _setting.label, description=_setting.help,
        validators=[InputRequired("This cannot be empty.")],
        render_kw={"rows": 12 if _setting.key == "crisis_text" else 1}))
