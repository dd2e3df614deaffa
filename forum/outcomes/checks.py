"""The rules a report's and a follow-up's values must meet, each refusal naming its field."""
# Forms read what was typed into Python values; these checks decide whether the values make
# sense, so that a service called from the demo loader or a test is held to the same rules.
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from forum.errors import ValidationError
from forum.extensions import db
from forum.outcomes.models import (
    COMPLICATIONS, FOLLOW_UP_MONTHS, MS_TYPES, PDDS, PGIC, SYMPTOM_SCALE, SYMPTOMS, VEINS,
    VISIBILITY, Treatment,
)
from forum.outcomes.schedule import today
from forum.resources.models import Clinic

EARLIEST_TREATMENT = date(1990, 1, 1)
EARLIEST_DIAGNOSIS = 1950
RELAPSES_MAX = 50
EDSS_MAX = Decimal(10)
TEXT_MAX = 120
NOTE_MAX = 5000


@dataclass
class ReportValues:
    """What a member tells about a treatment and their state before it (DESIGN's names)."""

    treatment: str
    treated_on: date
    ms_type: str
    diagnosis_year: int
    pdds: int
    relapses_12m: int
    visibility: str
    treatment_other: str = ""
    veins: list[str] = field(default_factory=list)
    clinic_id: int | None = None
    clinic_other: str = ""
    edss: Decimal | None = None
    symptoms: dict[str, int | None] = field(default_factory=dict)
    consent_export: bool = False


@dataclass
class FollowUpValues:
    """What a member reports at one interval after the treatment."""

    months: int
    pgic: int
    pdds: int
    relapses: int
    edss: Decimal | None = None
    symptoms: dict[str, int | None] = field(default_factory=dict)
    complications: list[str] = field(default_factory=list)
    repeated: bool = False
    stopped: bool = False
    note: str = ""


def _whole(value, low: int, high: int, message: str, name: str) -> int:
    # bool is an int to Python, and "3" is not one: both are a caller's mistake.
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(message, name)
    return value


def one_line(text: str, name: str, limit: int = TEXT_MAX) -> str:
    text = " ".join((text or "").split())
    if len(text) > limit:
        raise ValidationError(f"Keep this under {limit} characters.", name)
    return text


def check_pdds(value, name: str = "pdds") -> int:
    return _whole(value, 0, max(PDDS), "Choose the step (0 to 8) that fits best.", name)


def check_edss(value: Decimal | None, name: str = "edss") -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, Decimal) or not value.is_finite() or \
            not 0 <= value <= EDSS_MAX or (value * 2) % 1:
        raise ValidationError("An EDSS score runs from 0 to 10 in steps of 0.5, "
                              "such as 3.5; leave it empty if you do not know it.", name)
    return value.quantize(Decimal("0.1"))


def check_relapses(value, name: str) -> int:
    return _whole(value, 0, RELAPSES_MAX,
                  f"Give the number of relapses as a whole number from 0 to {RELAPSES_MAX}.",
                  name)


def check_symptoms(symptoms: dict[str, int | None]) -> dict[str, int | None]:
    unknown = set(symptoms) - set(SYMPTOMS)
    if unknown:
        raise ValidationError(f"There is no symptom called {sorted(unknown)[0]!r}.")
    checked = {}
    for name in SYMPTOMS:
        value = symptoms.get(name)
        if value is not None:
            value = _whole(value, min(SYMPTOM_SCALE), max(SYMPTOM_SCALE),
                           "Rate it from 0 (none) to 4 (very severe), or leave it empty.",
                           f"symptom_{name}")
        checked[name] = value
    return checked


# Reports -----------------------------------------------------------------------------

def _treatment(slug: str, current: Treatment | None) -> Treatment:
    treatment = db.session.scalar(select(Treatment).where(Treatment.slug == (slug or "")))
    # A treatment taken off the list stays valid for the reports that already name it.
    if treatment is None or (not treatment.active and treatment is not current):
        raise ValidationError("Choose the treatment from the list.", "treatment")
    return treatment


def _treated_on(value: date) -> date:
    if not isinstance(value, date):
        raise ValidationError("Give the month of the treatment, like 2011-03.", "treated_on")
    value = value.replace(day=1)
    if value > today():
        raise ValidationError("The treatment month is in the future: report a treatment "
                              "once you have had it.", "treated_on")
    if value < EARLIEST_TREATMENT:
        raise ValidationError("The registry starts in January 1990: give a month from "
                              "then on.", "treated_on")
    return value


def _procedure_details(values: ReportValues, treatment: Treatment) -> tuple:
    veins = [vein for vein in VEINS if vein in set(values.veins or [])]
    if set(values.veins or []) - set(VEINS):
        raise ValidationError("Choose the veins from the list.", "veins")
    clinic_other = one_line(values.clinic_other, "clinic_other")
    clinic = None
    if values.clinic_id is not None:
        clinic = db.session.get(Clinic, values.clinic_id)
        if clinic is None:
            raise ValidationError("Choose the clinic from the list.", "clinic")
    if not treatment.is_procedure and (veins or clinic or clinic_other):
        field_name = "veins" if veins else "clinic"
        raise ValidationError("Veins and clinic are asked only for CCSVI procedures: clear "
                              "them, or choose a CCSVI procedure as the treatment.", field_name)
    if clinic is not None and clinic_other:
        raise ValidationError("Choose a clinic from the list or name another one, not both.",
                              "clinic_other")
    return veins, clinic, clinic_other


def _treatment_other(values: ReportValues, treatment: Treatment) -> str:
    other = one_line(values.treatment_other, "treatment_other")
    if treatment.needs_name and len(other) < 2:
        raise ValidationError("Name the treatment you had.", "treatment_other")
    if not treatment.needs_name and other:
        raise ValidationError(f"A name is asked only for “{treatment.name}” treatments "
                              "outside the list: clear it, or choose such a treatment.",
                              "treatment_other")
    return other


def check_report(values: ReportValues, current: Treatment | None = None) -> dict:
    """The checked values as the report's columns (plus `treatment` and `clinic` rows)."""
    treatment = _treatment(values.treatment, current)
    treated_on = _treated_on(values.treated_on)
    veins, clinic, clinic_other = _procedure_details(values, treatment)
    if values.ms_type not in MS_TYPES:
        raise ValidationError("Choose your type of MS, or “Not sure”.", "ms_type")
    diagnosis_year = _whole(values.diagnosis_year, EARLIEST_DIAGNOSIS, today().year,
                            f"Give the year of your diagnosis, from {EARLIEST_DIAGNOSIS} to "
                            f"{today().year}.", "diagnosis_year")
    if diagnosis_year > treated_on.year:
        raise ValidationError("The diagnosis year is after the treatment: the registry is "
                              "for treatments of MS, so check both.", "diagnosis_year")
    if values.visibility not in VISIBILITY:
        raise ValidationError("Choose who may see the report.", "visibility")
    return {
        "treatment": treatment, "treatment_other": _treatment_other(values, treatment),
        "treated_on": treated_on, "veins": veins, "clinic": clinic,
        "clinic_other": clinic_other, "ms_type": values.ms_type,
        "diagnosis_year": diagnosis_year, "pdds": check_pdds(values.pdds),
        "edss": check_edss(values.edss),
        "relapses_12m": check_relapses(values.relapses_12m, "relapses_12m"),
        "visibility": values.visibility, "consent_export": bool(values.consent_export),
        **{f"symptom_{name}": value for name, value in check_symptoms(values.symptoms).items()},
    }


# Follow-ups ---------------------------------------------------------------------------

def check_months(months) -> int:
    if isinstance(months, bool) or months not in FOLLOW_UP_MONTHS:
        raise ValidationError("Choose which follow-up this is: 1, 3, 6, 12 or 24 months "
                              "after the treatment.", "months")
    return months


def _complications(kinds: list[str]) -> list[str]:
    chosen = set(kinds or [])
    if chosen - set(COMPLICATIONS):
        raise ValidationError("Choose complications from the list.", "complications")
    if not chosen:
        raise ValidationError("Tick the complications you had since your last report, or "
                              "“None”: no complications is an answer that counts too.",
                              "complications")
    if "none" in chosen and len(chosen) > 1:
        raise ValidationError("“None” cannot go with a complication: untick one or the "
                              "other.", "complications")
    return [kind for kind in COMPLICATIONS if kind in chosen]


def check_follow_up(values: FollowUpValues) -> dict:
    """The checked answers as the follow-up's columns, plus `complications`."""
    note = (values.note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(f"Keep the note under {NOTE_MAX:,} characters; it has "
                              f"{len(note):,}.", "note")
    return {
        "pgic": _whole(values.pgic, min(PGIC), max(PGIC),
                       "Choose how you are overall compared with before the treatment.",
                       "pgic"),
        "pdds": check_pdds(values.pdds), "edss": check_edss(values.edss),
        "relapses": check_relapses(values.relapses, "relapses"),
        "complications": _complications(values.complications),
        "repeated": bool(values.repeated), "stopped": bool(values.stopped), "note": note,
        **{f"symptom_{name}": value for name, value in check_symptoms(values.symptoms).items()},
    }
