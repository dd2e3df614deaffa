"""Treatment reports, follow-ups and complications for benchmarks, bulk-inserted in batches.

Shaped like the demo's (forum/outcomes/demo_plans.py: drop-outs, bad outcomes, repeats
and stops) but spread over every treatment on the list, every MS type and ten years.
"""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, insert, select

from forum.extensions import db
from forum.outcomes.demo_plans import PlannedReport, plan_report
from forum.outcomes.models import (
    SYMPTOMS, FollowUp, FollowUpComplication, Treatment, TreatmentReport,
)
from forum.outcomes.schedule import due_on, today as utc_today

BATCH = 5000
MONTHS_BACK = 120
# CCSVI procedures peaked around 2010-2012; here they simply weigh most, as on this forum.
WEIGHTS = {"ccsvi-angioplasty": 20, "ccsvi-stent": 8, "rehabilitation": 10, "diet": 8,
           "other": 2, "dmt-other": 2}
DMT_WEIGHT = 4
PUBLIC_SHARE, HIDDEN_SHARE = 0.1, 0.005


def _weights(slugs: list[str]) -> list[int]:
    return [WEIGHTS.get(slug, DMT_WEIGHT) for slug in slugs]


def _at(day: date, days_after: int) -> datetime:
    return datetime.combine(day + timedelta(days=days_after), time(12))


def _report_row(rng: random.Random, plan: PlannedReport, treatment_id: int, needs_name: bool,
                author_id: int) -> dict:
    filed = _at(plan.treated_on, 10)
    return {
        "code": f"{rng.getrandbits(64):016x}", "author_id": author_id,
        "treatment_id": treatment_id, "treatment_other": "A bench treatment" if needs_name else "",
        "treated_on": plan.treated_on, "veins": list(plan.veins), "clinic_id": None,
        "clinic_other": "", "ms_type": plan.ms_type, "diagnosis_year": plan.diagnosis_year,
        "pdds": plan.pdds, "edss": plan.edss, "relapses_12m": plan.relapses_12m,
        "visibility": "public" if plan.public else "dashboard",
        "consent_export": plan.consent_export, "created_at": filed, "updated_at": filed,
        "hidden_at": filed if rng.random() < HIDDEN_SHARE else None, "hidden_reason": "",
        **{f"symptom_{name}": plan.symptoms[name] for name in SYMPTOMS},
    }


def _follow_up_rows(plan: PlannedReport, report_id: int) -> list[dict]:
    rows = []
    for given in plan.follow_ups:
        moment = _at(due_on(plan.treated_on, given.months), 3)
        rows.append({
            "report_id": report_id, "months": given.months, "pgic": given.pgic,
            "pdds": given.pdds, "edss": given.edss, "relapses": given.relapses,
            "repeated": given.repeated, "stopped": given.stopped, "note": "", "note_html": "",
            "created_at": moment, "updated_at": moment,
            **{f"symptom_{name}": given.symptoms[name] for name in SYMPTOMS}})
    return rows


def _insert_ids(model, rows: list[dict]) -> list[int]:
    """Insert many rows in one executemany; their new ids, in the rows' order.

    A Core executemany, its ids read back after: the ORM's ordered RETURNING takes
    quadratic time to sort them, and this generator is the only writer.
    """
    if not rows:
        return []
    before = db.session.scalar(select(func.coalesce(func.max(model.id), 0)))
    db.session.execute(insert(model.__table__), rows)
    ids = list(db.session.scalars(select(model.id).where(model.id > before).order_by(model.id)))
    assert len(ids) == len(rows), "another writer inserted rows meanwhile"
    return ids


def _batch(rng: random.Random, count: int, treatments: dict[str, tuple[int, bool]],
           user_ids: list[int], day: date) -> tuple[int, int]:
    slugs = list(treatments)
    weights = _weights(slugs)
    plans = [plan_report(rng, slug, day, rng.random() < PUBLIC_SHARE, MONTHS_BACK)
             for slug in rng.choices(slugs, weights, k=count)]
    report_ids = _insert_ids(TreatmentReport, [
        _report_row(rng, plan, *treatments[plan.treatment], rng.choice(user_ids))
        for plan in plans])
    follow_up_rows = [row for plan, report_id in zip(plans, report_ids)
                      for row in _follow_up_rows(plan, report_id)]
    follow_up_ids = _insert_ids(FollowUp, follow_up_rows)
    given = [planned for plan in plans for planned in plan.follow_ups]
    complications = [{"followup_id": follow_up_id, "kind": kind}
                     for follow_up_id, planned in zip(follow_up_ids, given)
                     for kind in planned.complications]
    if complications:
        db.session.execute(insert(FollowUpComplication.__table__), complications)
    return len(follow_up_rows), len(complications)


def generate_reports(count: int, user_ids: list[int], seed: int) -> tuple[int, int]:
    """`count` reports by the given members; returns (follow-ups, complication rows)."""
    rng = random.Random(seed)
    # Plain values: the rows would expire at each batch's commit and load again.
    treatments = {row.slug: (row.id, row.needs_name) for row in db.session.scalars(
        select(Treatment).where(Treatment.active.is_(True)).order_by(Treatment.position))}
    day = utc_today()
    follow_ups = complications = 0
    for start in range(0, count, BATCH):
        made = _batch(rng, min(BATCH, count - start), treatments, user_ids, day)
        follow_ups += made[0]
        complications += made[1]
        db.session.commit()
        print(f"  {min(start + BATCH, count)} reports", flush=True)
    return follow_ups, complications
