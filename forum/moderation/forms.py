"""Moderation and report forms; field names follow DESIGN.md."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from forum.forms import ReasonForm
from forum.moderation.models import REPORT_REASONS
from forum.moderation.services import MAX_SUSPENSION_DAYS, NOTE_MAX


class MoveForm(ReasonForm):
    category = SelectField("Move to category", coerce=str,
                           validators=[InputRequired("Choose a category.")])


class SuspendForm(ReasonForm):
    days = IntegerField("Days", validators=[
        InputRequired("Enter a number of days, or 0 for a permanent suspension."),
        NumberRange(0, MAX_SUSPENSION_DAYS, f"Enter 0 to {MAX_SUSPENSION_DAYS}.")],
        description="0 suspends until a moderator lifts it.", default=7)


class ReportForm(FlaskForm):
    reason = RadioField("Why are you reporting this post?",
                        choices=[SelectChoice(value, label) for value, label in REPORT_REASONS.items()],
                        validators=[InputRequired("Choose a reason.")])
    note = TextAreaField("Anything moderators should know (optional)",
                         validators=[Optional(), Length(max=NOTE_MAX)], render_kw={"rows": 4})


class LogFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = StringField("Moderator", validators=[Optional(), Length(max=30)])
    action = SelectField("Action", validators=[Optional()])
    target = StringField("Target", validators=[Optional(), Length(max=100)],
                         description="A name or title, or type:id such as post:12 or user:3.")
