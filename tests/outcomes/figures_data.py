"""Treatments, reports and follow-ups with chosen values, made straight from the models, for
the figures' tests (the registry's services are not needed to count what is there)."""
from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal
from typing import Iterable

from sqlalchemy import delete, insert

from forum.outcomes.models import (
    SYMPTOMS, FollowUp, FollowUpComplication, Treatment, TreatmentReport, thread_treatments,
)
from forum.outcomes.schedule import add_months, today
from forum.timeutil import utcnow

# A username, an address and a note no figure or file may ever show.
SECRET_NAME = "tell_no_one_username"
SECRET_EMAIL = "tell_no_one@example.org"
SECRET_NOTE = "My neighbour Jo drove me to the clinic"


def months_ago(months: int) -> date:
    """A treatment month `months` before this one: every interval up to `months` is due."""
    return add_months(today().replace(day=1), -months)


def symptoms(value: int | None = 2, **chosen: int | None) -> dict[str, int | None]:
    return {name: chosen.get(name, value) for name in SYMPTOMS}


class Registry:
    """Builds the registry's rows; `commit()` when done (the test client commits too)."""

    def __init__(self, db, make):
        self.db, self.make = db, make
        self._author = None
        # The migration seeds the starting list, and only the first test of a run sees it
        # (tables are emptied after each test): start every test from no treatments.
        db.session.execute(delete(Treatment))

    @property
    def author(self):
        if self._author is None:
            self._author = self.make.user(SECRET_NAME, email=SECRET_EMAIL)
        return self._author

    def treatment(self, slug: str = "ccsvi-angioplasty",
                  name: str = "CCSVI venous balloon angioplasty", kind: str = "ccsvi",
                  active: bool = True, position: int = 0, description: str = "") -> Treatment:
        treatment = Treatment(slug=slug, name=name, kind=kind, active=active,
                              position=position, description=description)
        self.db.session.add(treatment)
        self.db.session.flush()
        return treatment

    def report(self, treatment: Treatment, treated_on: date | None = None, *,
               ms_type: str = "rrms", pdds: int = 3, diagnosis_year: int = 2005,
               baseline: dict | None = None, hidden: bool = False, consent: bool = False,
               visibility: str = "public", edss: Decimal | None = None,
               relapses_12m: int = 1, author=None) -> TreatmentReport:
        report = TreatmentReport(
            code=secrets.token_hex(8), author_id=(author or self.author).id,
            treatment_id=treatment.id, treatment_other="", treated_on=treated_on or months_ago(30),
            veins=[], clinic_other="", ms_type=ms_type, diagnosis_year=diagnosis_year,
            pdds=pdds, edss=edss, relapses_12m=relapses_12m, visibility=visibility,
            consent_export=consent, hidden_reason="")
        for name, value in (baseline or symptoms()).items():
            setattr(report, f"symptom_{name}", value)
        if hidden:
            report.hidden_at = utcnow()
            report.hidden_reason = "Spam"
        self.db.session.add(report)
        self.db.session.flush()
        return report

    def follow_up(self, report: TreatmentReport, months: int, pgic: int = 4, *,
                  pdds: int | None = None, now: dict | None = None,
                  complications: Iterable[str] = ("none",), repeated: bool = False,
                  stopped: bool = False, relapses: int = 0, edss: Decimal | None = None,
                  note: str = "") -> FollowUp:
        follow_up = FollowUp(report_id=report.id, months=months, pgic=pgic,
                             pdds=report.pdds if pdds is None else pdds, edss=edss,
                             relapses=relapses, repeated=repeated, stopped=stopped,
                             note=note, note_html=f"<p>{note}</p>" if note else "")
        for name, value in (now or report.symptoms()).items():
            setattr(follow_up, f"symptom_{name}", value)
        self.db.session.add(follow_up)
        # As the registry does: a report's stamp moves with its follow-ups.
        report.updated_at = utcnow()
        self.db.session.flush()
        for kind in complications:
            self.db.session.add(FollowUpComplication(followup_id=follow_up.id, kind=kind))
        self.db.session.flush()
        return follow_up

    def reports(self, count: int, treatment: Treatment, **values) -> list[TreatmentReport]:
        return [self.report(treatment, **values) for _ in range(count)]

    def answered(self, count: int, treatment: Treatment, months: int = 12,
                 report_values: dict | None = None, **answers) -> list[FollowUp]:
        """`count` reports, each with one follow-up at `months` giving `answers`."""
        return [self.follow_up(self.report(treatment, **(report_values or {})), months,
                               **answers)
                for _ in range(count)]

    def link_thread(self, thread, treatment: Treatment) -> None:
        self.db.session.execute(insert(thread_treatments).values(
            thread_id=thread.id, treatment_id=treatment.id))

    def commit(self) -> None:
        self.db.session.commit()
