"""The profile and privacy forms, with DESIGN.md's /settings/profile field names.

Both carry the three health fields' visibilities (one mixin), so either page can change
who sees what. Lengths and ranges are checked by forum.accounts.profiles, which says why
beside the field.
"""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField

from forum.accounts.profiles import (
    BIO_MAX, CLEARABLE_FIELDS, DISPLAY_NAME_MAX, FIELD_LABELS, LOCATION_MAX, PRIVACY_FIELDS,
    PUBLISHED_FIELDS,
)
from forum.forms import ReasonForm
from forum.outcomes.checks import EARLIEST_DIAGNOSIS
from forum.outcomes.forms import NOT_SAID, Choice, WholeNumberField
from forum.outcomes.models import MS_TYPES
from forum.outcomes.schedule import today

VISIBILITY_LABELS = {"private": "Only me", "members": "Members", "everyone": "Everyone"}
FIELD_NAMES = {"location": "your location", "ms_type": "your type of MS",
               "diagnosis_year": "your year of diagnosis"}


class OptionalChoice(Choice):
    """A Choice whose first answer, "Not said", is the empty value and stays chosen when
    the page is shown again."""

    def __init__(self, label: str, choices, **kwargs):
        super().__init__(label, [(NOT_SAID, "Not said"), *choices], required=False, **kwargs)

    def pre_validate(self, form):
        if self.data in (None, NOT_SAID):
            self.data = NOT_SAID
            return
        super().pre_validate(form)


def _visibility_field(field: str) -> Choice:
    return Choice(f"Who sees {FIELD_NAMES[field]}", VISIBILITY_LABELS.items(),
                  missing="Choose who may see it.", default="private")


class VisibilityFields(FlaskForm):
    """Who sees each health field: shared by the profile and the privacy pages."""

    location_visibility = _visibility_field("location")
    ms_type_visibility = _visibility_field("ms_type")
    diagnosis_year_visibility = _visibility_field("diagnosis_year")

    def values(self) -> dict[str, Any]:
        """What the service is given: every field of the form but its token."""
        return {name: field.data for name, field in self._fields.items()
                if name in PUBLISHED_FIELDS or name in PRIVACY_FIELDS}

    def visibility_field(self, field: str) -> Choice:
        return self[f"{field}_visibility"]


class ProfileForm(VisibilityFields):
    display_name = StringField(
        "Display name (optional)",
        description=f"Shown beside your username, up to {DISPLAY_NAME_MAX} characters. "
                    "Outflow never asks for your real name: a pseudonym or a first name "
                    "is best.")
    bio = TextAreaField(
        "About you (optional)",
        description=f"A few words for other members, up to {BIO_MAX:,} characters. "
                    "Formatting as in posts.",
        render_kw={"rows": 6})
    location = StringField(
        "Location (optional)",
        description=f"A region or country is enough, up to {LOCATION_MAX} characters.")
    ms_type = OptionalChoice("Type of MS (optional)", MS_TYPES.items())
    diagnosis_year = WholeNumberField(
        "Year of diagnosis (optional)", EARLIEST_DIAGNOSIS, lambda: today().year,
        required=False, description=f"From {EARLIEST_DIAGNOSIS} to this year.")


class PrivacyForm(VisibilityFields):
    posts_visible_to_visitors = BooleanField(
        "Show my posts on my profile to visitors who are not signed in",
        description="Signed-in members always see your posts on your profile. Your posts "
                    "stay readable in their threads either way.")



class ClearFieldForm(ReasonForm):
    """A moderator empties one of a profile's free-text fields, saying why."""

    field = Choice("Field to clear", [(name, FIELD_LABELS[name].capitalize())
                                      for name in CLEARABLE_FIELDS],
                   missing="Choose the field to clear.")
