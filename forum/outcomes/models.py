"""Treatments, members' treatment reports, their follow-ups, and what keeps them honest
(earlier values kept on change, reminders sent once per interval)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import (
    JSON, Column, ForeignKey, Index, Numeric, String, Table, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.auth.models import User
from forum.boards.models import Thread
from forum.extensions import db
from forum.resources.models import Clinic
from forum.timeutil import utcnow

SYMPTOMS = ("fatigue", "thinking", "heat", "walking", "balance", "bladder", "vision", "pain",
            "sleep")
SYMPTOM_LABELS = {
    "fatigue": "Fatigue", "thinking": "Thinking and memory", "heat": "Heat sensitivity",
    "walking": "Walking", "balance": "Balance", "bladder": "Bladder and bowel",
    "vision": "Vision", "pain": "Pain", "sleep": "Sleep",
}
# How much a symptom troubles the member, 0-4, the same words at baseline and follow-up.
SYMPTOM_SCALE = {0: "None", 1: "Mild", 2: "Moderate", 3: "Severe", 4: "Very severe"}
# Treatment kinds, in the order the list groups them.
TREATMENT_KINDS = {
    "ccsvi": "CCSVI venous procedures",
    "dmt": "Disease-modifying therapies",
    "rehabilitation": "Rehabilitation and exercise",
    "diet": "Diet and supplements",
    "other": "Something else",
}
VISIBILITY = {
    "public": "Public: shown on its own page under my name, with a discussion thread",
    "dashboard": "Counted in the figures only: never shown with my name",
}
MS_TYPES = {
    "cis": "Clinically isolated syndrome (CIS)",
    "rrms": "Relapsing-remitting (RRMS)",
    "spms": "Secondary progressive (SPMS)",
    "ppms": "Primary progressive (PPMS)",
    "unsure": "Not sure",
}
VEINS = {"left-ijv": "Left internal jugular vein", "right-ijv": "Right internal jugular vein",
         "azygos": "Azygos vein", "other": "Another vein"}
FOLLOW_UP_MONTHS = (1, 3, 6, 12, 24)
COMPLICATIONS = {
    "none": "None",
    "restenosis": "The vein narrowed again (restenosis)",
    "thrombosis": "A blood clot (thrombosis)",
    "stent-migration": "The stent moved (stent migration)",
    "access-bleeding": "Bleeding where the catheter went in",
    "arrhythmia": "A heart rhythm problem",
    "other": "Something else",
}
# Patient Global Impression of Change: 4 is "no change", the middle of the scale.
PGIC = {1: "Very much improved", 2: "Much improved", 3: "Minimally improved", 4: "No change",
        5: "Minimally worse", 6: "Much worse", 7: "Very much worse"}
PDDS = {
    0: "Normal: some mild symptoms, no limit on activity",
    1: "Mild disability: noticeable symptoms, small effect on lifestyle",
    2: "Moderate disability: no limits on walking, but significant problems",
    3: "Gait disability: walking is affected, but no aid needed",
    4: "Early cane: a cane or single crutch some of the time",
    5: "Late cane: a cane or crutch needed to walk 25 feet",
    6: "Bilateral support: two canes, crutches or a walker needed",
    7: "Wheelchair or scooter: mainly, but can take a few steps",
    8: "Bedridden: unable to sit in a wheelchair for more than an hour",
}


class Treatment(db.Model):
    """One entry of the treatment list admins manage (CCSVI procedures, DMTs, ...)."""

    __tablename__ = "treatments"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    # ccsvi, dmt, rehabilitation, diet or other: groups the list, and a CCSVI procedure
    # asks which veins and which clinic.
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    audit_kind = "treatment"

    @property
    def audit_label(self) -> str:
        return self.name

    @property
    def is_procedure(self) -> bool:
        return self.kind == "ccsvi"

    @property
    def needs_name(self) -> bool:
        """"Other" treatments ask the member to name what they had."""
        return self.slug in ("other", "dmt-other")


thread_treatments = Table(
    "thread_treatments",
    db.metadata,
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
    Column("treatment_id", ForeignKey("treatments.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_thread_treatments_treatment", "treatment_id"),
)


class _Symptoms:
    """The nine symptom ratings (0 none ... 4 severe), one column each so SQL can average
    their changes without parsing anything."""

    symptom_fatigue: Mapped[Optional[int]]
    symptom_thinking: Mapped[Optional[int]]
    symptom_heat: Mapped[Optional[int]]
    symptom_walking: Mapped[Optional[int]]
    symptom_balance: Mapped[Optional[int]]
    symptom_bladder: Mapped[Optional[int]]
    symptom_vision: Mapped[Optional[int]]
    symptom_pain: Mapped[Optional[int]]
    symptom_sleep: Mapped[Optional[int]]

    def symptoms(self) -> dict[str, int | None]:
        return {name: getattr(self, f"symptom_{name}") for name in SYMPTOMS}

    def symptom_columns(self) -> dict[str, int | None]:
        return {f"symptom_{name}": value for name, value in self.symptoms().items()}


class TreatmentReport(_Symptoms, db.Model):
    """A member's report of a treatment they had, with their state before it (baseline)."""

    __tablename__ = "treatment_reports"
    __table_args__ = (
        # updated_at too: the figures' cache fingerprint reads it from the index alone.
        Index("ix_treatment_reports_treatment", "treatment_id", "hidden_at", "updated_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stands for the report in the open data file, where the id would say too much.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    treatment_id: Mapped[int] = mapped_column(ForeignKey("treatments.id"))
    treatment_other: Mapped[str] = mapped_column(String(120), default="")
    treated_on: Mapped[date]  # the first of the month of treatment
    veins: Mapped[list] = mapped_column(JSON, default=list)
    clinic_id: Mapped[Optional[int]] = mapped_column(ForeignKey("clinics.id"))
    clinic_other: Mapped[str] = mapped_column(String(120), default="")
    ms_type: Mapped[str] = mapped_column(String(10))
    diagnosis_year: Mapped[int]
    pdds: Mapped[int]
    edss: Mapped[Optional[Decimal]] = mapped_column(Numeric(3, 1))
    relapses_12m: Mapped[int]
    # public: on the report page and the member's list; dashboard: counted in the figures only.
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    consent_export: Mapped[bool] = mapped_column(default=False)
    # The discussion a public report opens; indexed so a thread page finds its report.
    thread_id: Mapped[Optional[int]] = mapped_column(ForeignKey("threads.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    hidden_at: Mapped[Optional[datetime]]
    hidden_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id"))
    hidden_reason: Mapped[str] = mapped_column(Text, default="")

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    treatment: Mapped[Treatment] = relationship(lazy="joined")
    clinic: Mapped[Optional[Clinic]] = relationship()
    thread: Mapped[Optional[Thread]] = relationship()
    follow_ups: Mapped[list["FollowUp"]] = relationship(
        back_populates="report", order_by="FollowUp.months")

    audit_kind = "treatment_report"

    @property
    def audit_label(self) -> str:
        # No username: a report counted in the figures only is never shown with a name.
        return f"{self.treatment.name} report #{self.id}"

    @property
    def treatment_label(self) -> str:
        return self.treatment_other or self.treatment.name

    @property
    def is_public(self) -> bool:
        return self.visibility == "public"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def ms_type_label(self) -> str:
        return MS_TYPES.get(self.ms_type, self.ms_type)

    @property
    def vein_names(self) -> list[str]:
        return [VEINS.get(vein, vein) for vein in self.veins or []]

    @property
    def clinic_name(self) -> str:
        return self.clinic.name if self.clinic is not None else self.clinic_other

    def baseline_values(self) -> dict:
        """The values a member typed, as plain JSON (what a revision keeps)."""
        return {
            "treatment": self.treatment.slug, "treatment_other": self.treatment_other,
            "treated_on": self.treated_on.isoformat(), "veins": list(self.veins or []),
            "clinic_id": self.clinic_id, "clinic_other": self.clinic_other,
            "ms_type": self.ms_type, "diagnosis_year": self.diagnosis_year, "pdds": self.pdds,
            "edss": None if self.edss is None else str(self.edss),
            "relapses_12m": self.relapses_12m, "visibility": self.visibility,
            "consent_export": self.consent_export, **self.symptom_columns(),
        }


class FollowUp(_Symptoms, db.Model):
    """What a member reported at a fixed interval after their treatment."""

    __tablename__ = "follow_ups"
    __table_args__ = (UniqueConstraint("report_id", "months"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_reports.id", ondelete="CASCADE"))
    months: Mapped[int]
    pgic: Mapped[int]
    pdds: Mapped[int]
    edss: Mapped[Optional[Decimal]] = mapped_column(Numeric(3, 1))
    relapses: Mapped[int]
    repeated: Mapped[bool] = mapped_column(default=False)
    stopped: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    # Rendered by forum.markup when written.
    note_html: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[TreatmentReport] = relationship(back_populates="follow_ups")
    complication_rows: Mapped[list["FollowUpComplication"]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="FollowUpComplication.kind")

    @property
    def complications(self) -> list[str]:
        return [row.kind for row in self.complication_rows]

    @property
    def complication_names(self) -> list[str]:
        return [COMPLICATIONS.get(kind, kind) for kind in self.complications]

    @property
    def pgic_label(self) -> str:
        return PGIC.get(self.pgic, str(self.pgic))

    def answer_values(self) -> dict:
        """The answers as plain JSON (what a revision keeps)."""
        return {
            "months": self.months, "pgic": self.pgic, "pdds": self.pdds,
            "edss": None if self.edss is None else str(self.edss), "relapses": self.relapses,
            "complications": self.complications, "repeated": self.repeated,
            "stopped": self.stopped, "note": self.note, **self.symptom_columns(),
        }


class FollowUpComplication(db.Model):
    """One complication a follow-up reports: a row each, so SQL counts them by kind."""

    __tablename__ = "followup_complications"

    followup_id: Mapped[int] = mapped_column(
        ForeignKey("follow_ups.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)


class OutcomeRevision(db.Model):
    """The values a report or follow-up had before its author changed them."""

    __tablename__ = "outcome_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_reports.id", ondelete="CASCADE"), index=True)
    followup_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("follow_ups.id", ondelete="CASCADE"))
    values: Mapped[dict] = mapped_column(JSON)
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReminderSent(db.Model):
    """A follow-up reminder went out: once per report and interval, never twice."""

    __tablename__ = "outcome_reminders"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("treatment_reports.id", ondelete="CASCADE"), primary_key=True)
    months: Mapped[int] = mapped_column(primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
