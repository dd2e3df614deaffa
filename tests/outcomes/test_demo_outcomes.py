"""The demo's treatment reports: enough clearly fake ones, with drop-outs and bad outcomes,
that the figures show (suppressed cells included) on a fresh forum; safe to load twice."""
from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from forum.auth.models import User
from forum.boards.models import Thread
from forum.demo import DEMO_PASSWORD
from forum.outcomes.models import (
    FollowUp, FollowUpComplication, Treatment, TreatmentReport, thread_treatments,
)
from support import submit


@pytest.fixture
def seeded(demo_forum):
    """The demo, loaded on a new forum (see `demo_forum` in tests/conftest.py)."""
    return demo_forum


def counts(db) -> dict[str, int]:
    return {name: db.session.scalar(select(func.count()).select_from(table)) for name, table in (
        ("users", User), ("reports", TreatmentReport), ("follow_ups", FollowUp),
        ("complications", FollowUpComplication), ("threads", Thread),
        ("thread links", thread_treatments))}


def given_per_cell(db) -> Counter:
    """Follow-ups given, per (treatment, months): the figures' cells."""
    rows = db.session.execute(
        select(Treatment.slug, FollowUp.months, func.count())
        .join(TreatmentReport, TreatmentReport.treatment_id == Treatment.id)
        .join(FollowUp, FollowUp.report_id == TreatmentReport.id)
        .group_by(Treatment.slug, FollowUp.months))
    return Counter({(slug, months): number for slug, months, number in rows})


def test_seed_demo_twice_adds_no_more_reports(app, db, seeded):
    first = counts(db)
    again = app.test_cli_runner().invoke(args=["forum", "seed-demo"])
    assert again.exit_code == 0, again.output
    assert "0 treatment reports and 0 follow-ups added" in again.output
    assert counts(db) == first


def test_the_demo_covers_several_treatments_and_intervals(db, seeded):
    cells = given_per_cell(db)
    treatments = {slug for slug, _ in cells}
    assert {"ccsvi-angioplasty", "ccsvi-stent", "dmt-natalizumab", "dmt-ocrelizumab",
            "rehabilitation", "diet"} <= treatments
    assert {months for _, months in cells} == {1, 3, 6, 12, 24}
    assert counts(db)["reports"] >= 40


def test_fewer_members_report_back_at_later_intervals(db, seeded):
    cells = given_per_cell(db)
    per_interval = Counter()
    for (_, months), number in cells.items():
        per_interval[months] += number
    assert per_interval[1] > per_interval[6] > per_interval[24] > 0


def test_some_cells_are_large_enough_to_show_and_some_are_suppressed(db, seeded):
    numbers = given_per_cell(db).values()
    assert any(number >= 5 for number in numbers)
    assert any(0 < number < 5 for number in numbers)


def test_the_demo_holds_bad_outcomes(db, seeded):
    kinds = set(db.session.scalars(select(FollowUpComplication.kind)))
    assert {"restenosis", "thrombosis"} <= kinds
    pgic = set(db.session.scalars(select(FollowUp.pgic)))
    assert 4 in pgic and pgic & {5, 6, 7}  # "no change" and worse
    assert db.session.scalar(select(func.count()).where(FollowUp.stopped.is_(True))) > 0
    assert db.session.scalar(select(func.count()).where(FollowUp.repeated.is_(True))) > 0


def test_a_few_reports_are_public_with_threads_and_some_consent_to_export(db, seeded):
    reports = list(db.session.scalars(select(TreatmentReport)))
    public = [report for report in reports if report.visibility == "public"]
    assert 0 < len(public) < len(reports) / 4
    assert all(report.thread_id is not None for report in public)
    consenting = sum(report.consent_export for report in reports)
    assert 0 < consenting < len(reports)


def test_demo_patients_are_clearly_fake_and_can_sign_in(client, db, seeded):
    authors = set(db.session.scalars(
        select(User.username).join(TreatmentReport, TreatmentReport.author_id == User.id)))
    assert authors and all(name.startswith("demo_patient_") for name in authors)
    response = submit(client, "/login", {"login": "demo_patient_01", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_the_figures_show_the_demo(client, seeded):
    # One seeding for the four pages: loading the demo is most of this file's time.
    for path in ("/outcomes", "/outcomes/t/ccsvi-angioplasty", "/outcomes/t/ccsvi-stent",
                 "/outcomes.csv"):
        assert client.get(path).status_code == 200, path
