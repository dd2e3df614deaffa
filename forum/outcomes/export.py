"""The open data file: one de-identified row per follow-up of reports whose author consented.

A row holds the report's random code (never its id), the treatment's slug, MS type, years
from diagnosis to treatment in 5-year bands, the interval and the answers. No usernames,
no dates, no free text (no notes, no named "other" treatment, no clinic).
"""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any, Iterator

from sqlalchemy import select

from forum.extensions import db
from forum.outcomes.models import (
    SYMPTOMS, FollowUp, FollowUpComplication, Treatment, TreatmentReport,
)

Report = TreatmentReport
BATCH = 1000
FILENAME = "outflow-outcomes.csv"
COLUMNS = [
    "report", "treatment", "ms_type", "years_since_diagnosis", "months", "pgic",
    "pdds_baseline", "pdds_now", "edss_baseline", "edss_now", "relapses_12m_baseline",
    "relapses_since_last_report",
    *(f"symptom_{name}_{when}" for name in SYMPTOMS for when in ("baseline", "now")),
    "complications", "repeated", "stopped",
]


def diagnosis_band(treated_on: date, diagnosis_year: int) -> str:
    """Whole years from diagnosis to treatment, in bands of five ("0-4", "5-9", ...)."""
    years = max(0, treated_on.year - diagnosis_year)
    low = years // 5 * 5
    return f"{low}-{low + 4}"


def _query():
    symptoms = []
    for name in SYMPTOMS:
        symptoms += [getattr(Report, f"symptom_{name}").label(f"before_{name}"),
                     getattr(FollowUp, f"symptom_{name}").label(f"after_{name}")]
    return (
        select(FollowUp.id.label("follow_up"), Report.code, Treatment.slug, Report.ms_type,
               Report.treated_on, Report.diagnosis_year, FollowUp.months, FollowUp.pgic,
               Report.pdds.label("pdds_before"), FollowUp.pdds.label("pdds_after"),
               Report.edss.label("edss_before"), FollowUp.edss.label("edss_after"),
               Report.relapses_12m, FollowUp.relapses, *symptoms, FollowUp.repeated,
               FollowUp.stopped, FollowUpComplication.kind)
        .select_from(FollowUp)
        .join(Report, FollowUp.report_id == Report.id)
        .join(Treatment, Report.treatment_id == Treatment.id)
        .outerjoin(FollowUpComplication, FollowUpComplication.followup_id == FollowUp.id)
        .where(Report.consent_export.is_(True), Report.hidden_at.is_(None))
        # By the random code: the file's order says nothing of who filed first.
        .order_by(Report.code, FollowUp.months, FollowUpComplication.kind)
        # Read in batches through a server-side cursor, however many rows there are.
        .execution_options(yield_per=BATCH))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return f"{value:.1f}"
    return str(value)


def _line(row, kinds: list[str]) -> list[str]:
    symptoms = []
    for name in SYMPTOMS:
        symptoms += [getattr(row, f"before_{name}"), getattr(row, f"after_{name}")]
    values = [row.code, row.slug, row.ms_type,
              diagnosis_band(row.treated_on, row.diagnosis_year), row.months, row.pgic,
              row.pdds_before, row.pdds_after, row.edss_before, row.edss_after,
              row.relapses_12m, row.relapses, *symptoms, ";".join(kinds), row.repeated,
              row.stopped]
    return [_text(value) for value in values]


def rows() -> Iterator[list[str]]:
    """The file's rows after its header, one per follow-up (its complications, one SQL
    row each, folded into one column)."""
    current, kinds = None, []
    for row in db.session.execute(_query()):
        if current is not None and row.follow_up != current.follow_up:
            yield _line(current, kinds)
            kinds = []
        current = row
        if row.kind:
            kinds.append(row.kind)
    if current is not None:
        yield _line(current, kinds)


def csv_chunks(rows_per_chunk: int = 200) -> Iterator[str]:
    """The CSV text, header first, in chunks to stream."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for index, row in enumerate(rows(), start=1):
        writer.writerow(row)
        if index % rows_per_chunk == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
