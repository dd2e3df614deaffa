"""Report, follow-up and treatment forms, with DESIGN.md's "Treatment report fields" names."""
# Numbers are read in ASCII digits only, and kept as typed when a form comes back.
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Callable

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from forum.arguments import whole_number
from forum.outcomes.checks import (
    EARLIEST_DIAGNOSIS, FollowUpValues, NOTE_MAX, RELAPSES_MAX, ReportValues, TEXT_MAX,
)
from forum.outcomes.models import (
    COMPLICATIONS, FOLLOW_UP_MONTHS, MS_TYPES, PDDS, PGIC, SYMPTOM_LABELS, SYMPTOM_SCALE,
    TREATMENT_KINDS, VEINS, VISIBILITY,
)
from forum.outcomes.schedule import months_text, today
from forum.outcomes.treatments import DESCRIPTION_MAX, NAME_MAX, SLUG_MAX

_MONTH = re.compile(r"([0-9]{4})\s*[-/]\s*([0-9]{1,2})")
_EDSS = re.compile(r"(10|[0-9])(?:[.,]([0-9]))?")
NOT_SAID = ""


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the choices a field offers, values as the browser sends them."""
    return [SelectChoice(str(value), text) for value, text in pairs]


def numbered(scale: dict[int, str]) -> list[tuple[int, str]]:
    """A scale's answers with their numbers in front, as the scale is known by them."""
    return [(value, f"{value} – {text}") for value, text in scale.items()]


def offered(field) -> set[str]:
    return {choice.value for choice in field.iter_choices()}


class WholeNumberField(StringField):
    """A whole number from `low` to `high`, in the digits 0-9: int() would also read other
    scripts' digits and numbers of any length. `data` is the number (None when empty or
    wrong); the page shown again keeps what was typed."""

    def __init__(self, label: str, low: int, high: int | Callable[[], int],
                 required: bool = True, missing: str = "", **kwargs):
        render_kw = {"inputmode": "numeric", "autocomplete": "off",
                     **kwargs.pop("render_kw", {})}
        super().__init__(label, render_kw=render_kw, **kwargs)
        self.low, self._high, self.required = low, high, required
        # Shows "(required)" beside the label (the forms are novalidate: the server says why).
        self.flags.required = required
        self.missing = missing or f"Enter a whole number from {low} to {self.high}."

    @property
    def high(self) -> int:
        # A callable bound (this year) is read when used, not when the module was imported.
        return self._high() if callable(self._high) else self._high

    def process_formdata(self, valuelist):
        text = valuelist[0].strip() if valuelist else ""
        self.data = whole_number(text, self.low, self.high) if text else None

    def _typed(self) -> str:
        return (self.raw_data[0] if self.raw_data else "").strip()

    def pre_validate(self, form):
        if not self._typed():
            if self.required:
                raise StopValidation(self.missing)
            return
        if self.data is None:
            raise StopValidation(f"Enter a whole number from {self.low} to {self.high}, "
                                 "in the digits 0 to 9.")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


class EdssField(WholeNumberField):
    """An EDSS score, 0 to 10 in steps of 0.5, with a point or a comma; optional."""

    def __init__(self, label: str, **kwargs):
        super().__init__(label, 0, 10, required=False,
                         render_kw={"inputmode": "decimal"}, **kwargs)

    def process_formdata(self, valuelist):
        match = _EDSS.fullmatch(valuelist[0].strip()) if valuelist else None
        self.data = Decimal(f"{match[1]}.{match[2] or 0}") if match else None
        if self.data is not None and (self.data > 10 or (self.data * 2) % 1):
            self.data = None

    def pre_validate(self, form):
        if self._typed() and self.data is None:
            raise StopValidation("An EDSS score runs from 0 to 10 in steps of 0.5, such as "
                                 "3.5; leave it empty if you do not know it.")


class MonthField(WholeNumberField):
    """A month typed as YYYY-MM; `data` is the first of that month."""

    def __init__(self, label: str, missing: str, **kwargs):
        super().__init__(label, 1, 12, missing=missing, **kwargs)
        self.render_kw = {"autocomplete": "off", "placeholder": "YYYY-MM"}

    def process_formdata(self, valuelist):
        match = _MONTH.fullmatch(valuelist[0].strip()) if valuelist else None
        self.data = None
        if match and 1 <= int(match[2]) <= 12 and int(match[1]) >= 1:
            self.data = date(int(match[1]), int(match[2]), 1)

    def pre_validate(self, form):
        if not self._typed():
            raise StopValidation(self.missing)
        if self.data is None:
            raise StopValidation("Give the month as year and month in digits, like 2011-03.")

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return self.data.strftime("%Y-%m") if self.data else ""


class Choice(RadioField):
    """One answer from a list, shown as radio buttons; `required` or may be left out."""

    def __init__(self, label: str, choices, missing: str = "", required: bool = True,
                 **kwargs):
        super().__init__(label, choices=options(choices), coerce=str, **kwargs)
        self.missing, self.required = missing, required

    def pre_validate(self, form):
        if self.data in (None, NOT_SAID):
            if self.required:
                raise StopValidation(self.missing)
            self.data = None
            return
        if self.data not in offered(self):
            raise StopValidation("Choose one of the answers shown.")

    @property
    def number(self) -> int | None:
        return None if self.data in (None, NOT_SAID) else int(self.data)


class IntervalChoice(Choice):
    """Which follow-up: the page offers the intervals due, but any interval is read, so that
    the service can say why one not due yet (or given already) is refused."""

    def pre_validate(self, form):
        if self.data in (None, NOT_SAID):
            raise StopValidation(self.missing)
        if self.data not in {str(months) for months in FOLLOW_UP_MONTHS}:
            raise StopValidation("Choose one of the follow-ups shown.")


class CheckboxList(SelectMultipleField):
    """Several answers from a list, as checkboxes; the service decides what goes together."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def __init__(self, label: str, choices=None, **kwargs):
        super().__init__(label, choices=None if choices is None else options(choices),
                         coerce=str, **kwargs)

    def pre_validate(self, form):
        if self.choices is not None and set(self.data or []) - offered(self):
            raise StopValidation("Choose from the answers shown.")


def _symptom_choices() -> list:
    return [*numbered(SYMPTOM_SCALE), (NOT_SAID, "Not said")]


def _with_symptoms(form_class):
    """Add a 0-4 rating for each symptom, `symptom_<name>`, each optional."""
    for name, label in SYMPTOM_LABELS.items():
        setattr(form_class, f"symptom_{name}", Choice(label, _symptom_choices(),
                                                      required=False))
    return form_class


def symptoms_of(form) -> dict[str, int | None]:
    return {name: form[f"symptom_{name}"].number for name in SYMPTOM_LABELS}


def symptom_fields(form) -> list:
    return [form[f"symptom_{name}"] for name in SYMPTOM_LABELS]


PDDS_TEXT = "The Patient-Determined Disease Steps: the one step that fits you best."
EDSS_TEXT = ("Only if a neurologist gave you one: 0 to 10 in steps of 0.5, such as 3.5. "
             "Leave it empty if not.")
ANOTHER_CLINIC = "other"
TEXT_TOO_LONG = f"Keep this under {TEXT_MAX} characters."


@_with_symptoms
class ReportForm(FlaskForm):
    treatment = SelectField("Treatment", validate_choice=False,
                            validators=[DataRequired("Choose the treatment you had.")])
    treatment_other = StringField(
        "Name of the treatment (only for “something else” and “another disease-modifying "
        "therapy”)", validators=[Length(max=TEXT_MAX, message=TEXT_TOO_LONG)])
    treated_on = MonthField("Month of the treatment", missing="Give the month of the "
                            "treatment, like 2011-03.",
                            description="Year and month, like 2011-03. The first treatment, "
                                        "if there were several.")
    veins = CheckboxList("Veins treated (CCSVI procedures only)", VEINS.items())
    clinic = SelectField("Clinic (CCSVI procedures only)", validate_choice=False)
    clinic_other = StringField("Name of the clinic, if it is not in the list",
                               validators=[Length(max=TEXT_MAX, message=TEXT_TOO_LONG)])
    ms_type = Choice("Type of MS", MS_TYPES.items(), missing="Choose your type of MS, or "
                     "“Not sure”.")
    diagnosis_year = WholeNumberField("Year of diagnosis", EARLIEST_DIAGNOSIS,
                                      lambda: today().year,
                                      missing="Give the year you were diagnosed with MS.")
    pdds = Choice("Disability before the treatment", numbered(PDDS), description=PDDS_TEXT,
                  missing="Choose the step that fitted you before the treatment.")
    edss = EdssField("EDSS before the treatment (optional)", description=EDSS_TEXT)
    relapses_12m = WholeNumberField("Relapses in the 12 months before the treatment", 0,
                                    RELAPSES_MAX, missing="Give the number of relapses (0 if "
                                    "there were none).")
    visibility = Choice("Who may see this report", VISIBILITY.items(),
                        missing="Choose who may see the report.")
    consent_export = BooleanField("Include this report, without anything that identifies me, "
                                  "in the open data file")

    def validate_clinic_other(self, field) -> None:
        if self.clinic.data == ANOTHER_CLINIC and not (field.data or "").strip():
            raise ValidationError("Name the clinic, or choose one from the list.")

    def validate_clinic(self, field) -> None:
        if field.data not in (None, "", ANOTHER_CLINIC) and whole_number(field.data) is None:
            raise ValidationError("Choose the clinic from the list.")

    def values(self) -> ReportValues:
        clinic = self.clinic.data or ""
        return ReportValues(
            treatment=self.treatment.data or "", treated_on=self.treated_on.data,
            ms_type=self.ms_type.data or "", diagnosis_year=self.diagnosis_year.data,
            pdds=self.pdds.number, relapses_12m=self.relapses_12m.data,
            visibility=self.visibility.data or "", treatment_other=self.treatment_other.data,
            veins=list(self.veins.data or []),
            clinic_id=whole_number(clinic) if clinic not in ("", ANOTHER_CLINIC) else None,
            clinic_other=self.clinic_other.data or "", edss=self.edss.data,
            symptoms=symptoms_of(self), consent_export=bool(self.consent_export.data))


@_with_symptoms
class FollowUpForm(FlaskForm):
    months = IntervalChoice("Which follow-up is this?",
                    [(m, f"{months_text(m)} after the treatment") for m in FOLLOW_UP_MONTHS],
                    missing="Choose which follow-up this is.")
    pgic = Choice("Overall, compared with before the treatment, I am", numbered(PGIC),
                  missing="Choose how you are overall compared with before the treatment.",
                  description="The Patient Global Impression of Change. “No change” is an "
                              "answer that counts as much as any other.")
    pdds = Choice("Disability now", numbered(PDDS), description=PDDS_TEXT,
                  missing="Choose the step that fits you now.")
    edss = EdssField("EDSS now (optional)", description=EDSS_TEXT)
    relapses = WholeNumberField("Relapses since your last report", 0, RELAPSES_MAX,
                                missing="Give the number of relapses (0 if there were none).")
    complications = CheckboxList("Complications since your last report",
                                 COMPLICATIONS.items(),
                                 description="Tick “None” if there were none.")
    repeated = BooleanField("I had the treatment again (a repeat procedure or a new course)")
    stopped = BooleanField("I stopped the treatment")
    note = TextAreaField("Anything else you want to say (optional)", render_kw={"rows": 5},
                         validators=[Length(max=NOTE_MAX, message=f"Keep the note under "
                                                                  f"{NOTE_MAX:,} characters.")],
                         description="Markdown works. Shown on the report's page.")

    def values(self, months: int | None = None) -> FollowUpValues:
        return FollowUpValues(
            months=months if months is not None else self.months.number,
            pgic=self.pgic.number, pdds=self.pdds.number, relapses=self.relapses.data,
            edss=self.edss.data, symptoms=symptoms_of(self),
            complications=list(self.complications.data or []),
            repeated=bool(self.repeated.data), stopped=bool(self.stopped.data),
            note=self.note.data or "")


class ThreadTreatmentsForm(FlaskForm):
    treatments = CheckboxList("Treatments this thread is about")


class TreatmentForm(FlaskForm):
    slug = StringField("Short name (part of its address)",
                       validators=[DataRequired("Give a short name, such as dmt-natalizumab."),
                                   Length(max=SLUG_MAX)],
                       description="Lowercase letters, digits and hyphens; disease-modifying "
                                   "therapies start with dmt-. It cannot change later.")
    name = StringField("Name", validators=[DataRequired("Name the treatment."),
                                           Length(max=NAME_MAX)])
    kind = SelectField("Kind", choices=options(TREATMENT_KINDS.items()),
                       invalid_choice_message="Choose a kind from the list.",
                       validators=[DataRequired("Choose a kind.")])
    description = TextAreaField("Description (optional)", render_kw={"rows": 3},
                                validators=[Length(max=DESCRIPTION_MAX)])


class TreatmentEditForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired("Name the treatment."),
                                           Length(max=NAME_MAX)])
    description = TextAreaField("Description (optional)", render_kw={"rows": 3},
                                validators=[Length(max=DESCRIPTION_MAX)])
