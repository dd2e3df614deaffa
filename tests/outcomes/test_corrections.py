"""A member corrects a report or a follow-up for 7 days, the earlier values kept; after that
it stands as given. Consent to the open data file can be taken back at any time."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.boards.models import Post, Thread
from forum.outcomes.models import OutcomeRevision, TreatmentReport, thread_treatments
from forum.outcomes.schedule import add_months, today
from forum.timeutil import utcnow
from support import follow_up_fields, form_state, report_fields, submit

LONG_AGO = utcnow() - timedelta(days=8)


@pytest.fixture
def author(make, login):
    member = make.user("willow")
    login(member)
    return member


@pytest.fixture
def report(make, author):
    return make.outcome_report(author, treated_on="2011-03", edss=None)


def fresh(db, report) -> TreatmentReport:
    db.session.expire_all()
    return db.session.get(TreatmentReport, report.id)


def revisions(db) -> list[OutcomeRevision]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutcomeRevision).order_by(OutcomeRevision.id)))


def test_the_correction_form_shows_the_report_as_filed(client, report):
    shown = form_state(client.get(f"/outcomes/{report.id}/edit").get_data(as_text=True))

    assert shown["treatment"] == ["ccsvi-angioplasty"]
    assert shown["treated_on"] == ["2011-03"]
    assert shown["veins"] == ["left-ijv"]
    assert shown["pdds"] == ["3"] and shown["visibility"] == ["public"]


def test_a_correction_within_7_days_keeps_the_earlier_values(db, client, report):
    response = submit(client, f"/outcomes/{report.id}/edit",
                      report_fields(pdds="5", veins=["right-ijv"]))

    assert response.status_code == 302
    corrected = fresh(db, report)
    assert (corrected.pdds, corrected.veins) == (5, ["right-ijv"])
    [revision] = revisions(db)
    assert (revision.report_id, revision.followup_id) == (report.id, None)
    assert revision.values["pdds"] == 3 and revision.values["veins"] == ["left-ijv"]


def test_a_correction_changing_nothing_keeps_no_revision(db, client, report):
    submit(client, f"/outcomes/{report.id}/edit",
           report_fields(veins=["left-ijv"], edss="", treated_on="2011-03"))

    assert revisions(db) == []


def test_a_report_cannot_be_corrected_after_7_days(db, make, client, author):
    report = make.outcome_report(author, created_at=LONG_AGO)

    page = client.get(f"/outcomes/{report.id}/edit")
    sent = submit(client, f"/outcomes/{report.id}/edit", report_fields(pdds="6"),
                  form_page=f"/outcomes/{report.id}")

    assert page.status_code == sent.status_code == 409
    assert "can be changed for 7 days after it was filed" in sent.get_data(as_text=True)
    assert fresh(db, report).pdds == 3 and revisions(db) == []


def test_a_corrected_report_rewrites_its_thread_summary(db, client, report):
    submit(client, f"/outcomes/{report.id}/edit",
           report_fields(treatment="ccsvi-stent", treated_on="2011-04"))

    thread = db.session.get(Thread, fresh(db, report).thread_id)
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    assert thread.title == "Treatment report: CCSVI venous stenting, April 2011"
    assert "CCSVI venous stenting, April 2011" in opening.body_html
    linked = db.session.scalars(select(thread_treatments.c.treatment_id).where(
        thread_treatments.c.thread_id == thread.id)).all()
    assert linked == [fresh(db, report).treatment_id]


def test_making_a_public_report_private_withdraws_its_summary(db, client, author, report):
    thread_id = report.thread_id

    submit(client, f"/outcomes/{report.id}/edit", report_fields(visibility="dashboard"))

    opening = db.session.scalar(select(Post).where(Post.thread_id == thread_id))
    assert fresh(db, report).thread_id is None
    assert "made this report private" in opening.body_html
    assert "CCSVI" not in opening.body_html
    assert "CCSVI" not in db.session.get(Thread, thread_id).title


def test_making_a_private_report_public_opens_its_thread(db, make, client, author):
    report = make.outcome_report(author, visibility="dashboard")

    submit(client, f"/outcomes/{report.id}/edit", report_fields())

    assert fresh(db, report).thread_id is not None


def test_a_new_month_that_would_make_a_given_follow_up_early_is_refused(
        db, make, client, author):
    report = make.outcome_report(author, treated_on=add_months(today().replace(day=1), -2))
    make.follow_up(report, months=1)

    response = submit(client, f"/outcomes/{report.id}/edit",
                      report_fields(treated_on=today().strftime("%Y-%m")))

    assert response.status_code == 422
    assert "You already gave the 1-month follow-up" in response.get_data(as_text=True)


def test_a_follow_up_correction_within_7_days_keeps_the_earlier_answers(
        db, make, client, report):
    given = make.follow_up(report, months=1, complications=["restenosis"], note="Before")

    response = submit(client, f"/outcomes/{report.id}/follow-up/1/edit", follow_up_fields(
        months=None, pgic="2", complications=["restenosis", "thrombosis"], note="After"))

    assert response.status_code == 302
    db.session.expire_all()
    assert (given.pgic, given.complications, given.note) == (2, ["restenosis", "thrombosis"],
                                                             "After")
    [revision] = revisions(db)
    assert revision.followup_id == given.id
    assert (revision.values["pgic"], revision.values["complications"],
            revision.values["note"]) == (4, ["restenosis"], "Before")


def test_a_follow_up_keeps_its_interval_when_corrected(db, make, client, report):
    given = make.follow_up(report, months=1)

    submit(client, f"/outcomes/{report.id}/follow-up/1/edit", follow_up_fields(months="12"))

    db.session.expire_all()
    assert given.months == 1


def test_a_follow_up_cannot_be_corrected_after_7_days(db, make, client, report):
    make.follow_up(report, months=1, created_at=LONG_AGO)

    response = client.get(f"/outcomes/{report.id}/follow-up/1/edit")

    assert response.status_code == 409
    assert "A follow-up can be changed for 7 days" in response.get_data(as_text=True)


def test_a_follow_up_not_given_has_no_correction_page(client, report):
    assert client.get(f"/outcomes/{report.id}/follow-up/3/edit").status_code == 404


def test_the_report_page_offers_corrections_only_within_the_window(make, client, author):
    recent = make.outcome_report(author)
    make.follow_up(recent, months=1)
    make.follow_up(recent, months=3, created_at=LONG_AGO)

    page = client.get(f"/outcomes/{recent.id}").get_data(as_text=True)

    assert f'href="/outcomes/{recent.id}/edit"' in page
    assert f'href="/outcomes/{recent.id}/follow-up/1/edit"' in page
    assert f'href="/outcomes/{recent.id}/follow-up/3/edit"' not in page


def test_consent_to_the_open_data_file_can_be_taken_back_after_7_days(
        db, make, client, author):
    report = make.outcome_report(author, consent_export=True, created_at=LONG_AGO)

    response = submit(client, f"/outcomes/{report.id}/consent-off", {},
                      form_page=f"/outcomes/{report.id}")

    assert response.status_code == 302
    assert fresh(db, report).consent_export is False
