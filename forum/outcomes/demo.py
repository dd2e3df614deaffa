"""Demo treatment reports and follow-ups from clearly fake patients, filed through the services."""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from sqlalchemy import select

from forum.auth.models import User
from forum.auth.passwords import hash_password
from forum.boards.models import Post, Thread
from forum.extensions import db
from forum.moderation import services as moderation
from forum.notify.services import mark_all_read
from forum.outcomes import demo_plans, services
from forum.outcomes.demo_plans import PlannedFollowUp, PlannedReport
from forum.outcomes.models import TreatmentReport
from forum.outcomes.schedule import due_on, today
from forum.outcomes.treatments import ensure_starting_treatments, link, treatment_by_slug
from forum.resources.models import Clinic
from forum.timeutil import utcnow

SEED = 15
# Every eighth patient's first report is public (it opens a thread); the rest count in the
# figures only, as most members' will.
PUBLIC_EVERY = 8
# The demo forum's own threads about a treatment, linked to it for its page.
THREAD_TREATMENTS = {
    "Had venous angioplasty in 2011: my 12-month follow-up": "ccsvi-angioplasty",
    "Two years on natalizumab: what I track": "dmt-natalizumab",
}


def _patients(password: str) -> list[User]:
    """The demo patients, created when missing. One password hash for all of them: hashing
    it 48 times would take most of the seeding's time."""
    names = [demo_plans.username(index) for index in range(demo_plans.PATIENTS)]
    existing = {user.username_key: user for user in db.session.scalars(
        select(User).where(User.username_key.in_(names)))}
    password_hash = hash_password(password) if len(existing) < len(names) else ""
    now = utcnow()
    for name in names:
        if name not in existing:
            existing[name] = User(username=name, username_key=name,
                                  email=f"{name}@example.org", password_hash=password_hash,
                                  role="member", email_verified_at=now,
                                  created_at=now - timedelta(days=3 * 365))
            db.session.add(existing[name])
    db.session.flush()
    return [existing[name] for name in names]


def _filed_by(patients: list[User]) -> set[int]:
    return set(db.session.scalars(select(TreatmentReport.author_id).where(
        TreatmentReport.author_id.in_([patient.id for patient in patients]))))


def _report_values(plan: PlannedReport, clinic: Clinic | None) -> services.ReportValues:
    at_clinic = plan.at_demo_clinic and clinic is not None
    return services.ReportValues(
        treatment=plan.treatment, treated_on=plan.treated_on, ms_type=plan.ms_type,
        diagnosis_year=plan.diagnosis_year, pdds=plan.pdds, edss=plan.edss,
        relapses_12m=plan.relapses_12m, symptoms=plan.symptoms,
        visibility="public" if plan.public else "dashboard", veins=list(plan.veins),
        clinic_id=clinic.id if at_clinic else None,
        clinic_other="A clinic abroad (demo)" if plan.veins and not at_clinic else "",
        consent_export=plan.consent_export)


def _follow_up_values(plan: PlannedFollowUp) -> services.FollowUpValues:
    return services.FollowUpValues(
        months=plan.months, pgic=plan.pgic, pdds=plan.pdds, edss=plan.edss,
        relapses=plan.relapses, symptoms=plan.symptoms, complications=list(plan.complications),
        repeated=plan.repeated, stopped=plan.stopped, note=plan.note)


def _at(day, days_after: int) -> datetime:
    return datetime.combine(day + timedelta(days=days_after), time(12))


def _file(patient: User, plan: PlannedReport, clinic: Clinic | None, moderator: User) -> int:
    """File one planned report and its follow-ups; returns how many follow-ups it has."""
    report = services.file_report(patient, _report_values(plan, clinic))
    if report.thread_id is not None:
        # Demo patients are new, so their thread's opening post waits for approval.
        _approve_opening_post(moderator, report.thread_id)
    for planned in plan.follow_ups:
        follow_up = services.give_follow_up(patient, report, _follow_up_values(planned))
        # Given some days after it fell due, long enough ago that the edit window closed.
        follow_up.created_at = follow_up.updated_at = _at(
            due_on(plan.treated_on, planned.months), 3 + planned.months % 7)
    report.created_at = _at(plan.treated_on, 10)
    report.updated_at = max([report.created_at, *(f.created_at for f in report.follow_ups)])
    return len(plan.follow_ups)


def _approve_opening_post(moderator: User, thread_id: int) -> None:
    post = db.session.scalar(select(Post).where(Post.thread_id == thread_id).order_by(Post.id))
    if post is not None and post.pending:
        moderation.approve_post(moderator, post, "Demo content")


def _link_demo_threads() -> None:
    for title, slug in THREAD_TREATMENTS.items():
        thread_id = db.session.scalar(select(Thread.id).where(Thread.title == title))
        treatment = treatment_by_slug(slug)
        if thread_id is not None and treatment is not None:
            link(thread_id, treatment.id)


def seed_outcomes(moderator: User, password: str, clinic_name: str) -> str:
    """Add the demo patients' reports and follow-ups that are missing; returns a summary.

    Deterministic for a given day (random.Random(SEED)); a patient who already has a report
    is left as they are, so running it twice adds nothing.
    """
    ensure_starting_treatments()
    clinic = db.session.scalar(select(Clinic).where(Clinic.name == clinic_name))
    patients = _patients(password)
    done = _filed_by(patients)
    rng, day = random.Random(SEED), today()
    reports = follow_ups = 0
    treatments = demo_plans.treatments_by_patient(SEED)
    for index, (patient, slugs) in enumerate(zip(patients, treatments)):
        # Planned whether or not it is filed, so each patient's draws stay the same.
        plans = [demo_plans.plan_report(rng, slug, day,
                                        public=number == 0 and index % PUBLIC_EVERY == 0)
                 for number, slug in enumerate(slugs)]
        if patient.id in done:
            continue
        for plan in plans:
            follow_ups += _file(patient, plan, clinic, moderator)
            reports += 1
        # The approvals of their threads were the seeding, not news for them.
        mark_all_read(patient)
    _link_demo_threads()
    db.session.flush()
    return f"{reports} treatment reports and {follow_ups} follow-ups added"
