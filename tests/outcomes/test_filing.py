"""Filing a treatment report: each kind of treatment, and what a public report opens."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from forum.boards.models import Category, Post, Thread
from forum.outcomes.models import TreatmentReport, thread_treatments
from support import report_fields, submit


@pytest.fixture
def member(make, login):
    make.treatments()
    member = make.user("willow")
    login(member)
    return member


def only_report(db) -> TreatmentReport:
    db.session.expire_all()
    return db.session.scalars(select(TreatmentReport)).one()


def test_a_member_files_a_ccsvi_report_with_veins_and_a_forum_clinic(db, make, client, member):
    clinic = make.clinic("Vein Clinic of Example")

    response = submit(client, "/outcomes/new", report_fields(clinic=str(clinic.id)))

    report = only_report(db)
    assert response.status_code == 302
    assert response.location.endswith(f"/outcomes/{report.id}")
    assert (report.author_id, report.treatment.slug, report.treated_on) == (
        member.id, "ccsvi-angioplasty", date(2011, 3, 1))
    assert report.veins == ["left-ijv", "azygos"]
    assert (report.clinic_id, report.clinic_other) == (clinic.id, "")
    assert (report.ms_type, report.diagnosis_year, report.pdds, report.edss,
            report.relapses_12m) == ("rrms", 2005, 3, Decimal("4.5"), 1)
    assert report.symptoms() == {name: 2 for name in report.symptoms()}
    assert report.consent_export is False
    assert len(report.code) == 16 and report.code != str(report.id)


def test_a_ccsvi_report_names_a_clinic_outside_the_list(db, client, member):
    submit(client, "/outcomes/new",
           report_fields(clinic="other", clinic_other="A clinic in Sofia"))

    report = only_report(db)
    assert (report.clinic_id, report.clinic_other) == (None, "A clinic in Sofia")


def test_a_member_files_a_disease_modifying_therapy_report_without_veins(db, client, member):
    response = submit(client, "/outcomes/new", report_fields(
        treatment="dmt-natalizumab", veins=None, edss="", treated_on="2019-11"))

    report = only_report(db)
    assert response.status_code == 302
    assert (report.treatment.slug, report.veins, report.edss) == ("dmt-natalizumab", [], None)


@pytest.mark.parametrize("slug", ["other", "dmt-other"])
def test_a_treatment_outside_the_list_is_filed_under_its_own_name(db, client, member, slug):
    submit(client, "/outcomes/new", report_fields(
        treatment=slug, treatment_other="Low-dose naltrexone", veins=None))

    report = only_report(db)
    assert (report.treatment.slug, report.treatment_label) == (slug, "Low-dose naltrexone")


def test_rehabilitation_is_filed_with_symptoms_left_out(db, client, member):
    submit(client, "/outcomes/new", report_fields(
        treatment="rehabilitation", veins=None, symptom_pain="", symptom_sleep=None))

    report = only_report(db)
    assert report.treatment.slug == "rehabilitation"
    assert (report.symptom_pain, report.symptom_sleep, report.symptom_fatigue) == (None, None, 2)


def test_consent_to_the_open_data_file_is_kept_when_ticked(db, client, member):
    submit(client, "/outcomes/new", report_fields(consent_export="y"))

    assert only_report(db).consent_export is True


def test_the_form_offers_active_treatments_grouped_by_kind(client, member):
    page = client.get("/outcomes/new").get_data(as_text=True)

    assert '<optgroup label="CCSVI venous procedures">' in page
    assert '<optgroup label="Disease-modifying therapies">' in page
    assert page.index("CCSVI venous stenting") < page.index("Natalizumab")
    assert "Late cane: a cane or crutch needed to walk 25 feet" in page


def test_consent_is_off_when_the_form_opens(client, member):
    page = client.get("/outcomes/new").get_data(as_text=True)

    checkbox = page[page.index('id="consent_export"') - 80:page.index('id="consent_export"') + 40]
    assert "checked" not in checkbox


def test_a_public_report_opens_a_thread_in_treatments_and_outcomes(db, client, member):
    submit(client, "/outcomes/new", report_fields())

    report = only_report(db)
    thread = db.session.get(Thread, report.thread_id)
    assert thread.category.slug == "treatments-outcomes"
    assert thread.category.name == "Treatments & outcomes"
    assert thread.author_id == member.id
    assert thread.title == "Treatment report: CCSVI venous balloon angioplasty, March 2011"


def test_the_opening_post_is_the_reports_summary(db, client, member):
    submit(client, "/outcomes/new",
           report_fields(clinic="other", clinic_other="Dr. *Bold* www.spam.example"))

    report = only_report(db)
    post = db.session.scalars(select(Post).where(Post.thread_id == report.thread_id)).one()
    assert post.author_id == member.id
    assert "Left internal jugular vein, Azygos vein" in post.body_html
    assert "Relapsing-remitting (RRMS), diagnosed in 2005" in post.body_html
    assert "<td>4.5</td>" in post.body_html
    # The member's own words read as typed: no emphasis, no link made of them.
    assert "Dr. *Bold* www.spam.example" in post.body_html
    assert "<a " not in post.body_html


def test_a_public_reports_thread_is_linked_to_its_treatment(db, client, member):
    submit(client, "/outcomes/new", report_fields())

    report = only_report(db)
    linked = db.session.execute(select(thread_treatments.c.treatment_id)
                                .where(thread_treatments.c.thread_id == report.thread_id))
    assert [row.treatment_id for row in linked] == [report.treatment_id]


def test_a_report_for_the_figures_only_opens_no_thread(db, client, member):
    submit(client, "/outcomes/new", report_fields(visibility="dashboard"))

    assert only_report(db).thread_id is None
    assert db.session.scalars(select(Thread)).all() == []


def test_filing_uses_the_existing_treatments_category(db, make, client, member):
    existing = make.category(slug="treatments-outcomes", name="Treatments & outcomes")

    submit(client, "/outcomes/new", report_fields())

    assert db.session.scalars(select(Category)).all() == [existing]


def test_the_thread_page_links_to_the_report_and_its_treatment(db, client, member):
    submit(client, "/outcomes/new", report_fields())
    report = only_report(db)

    page = client.get(f"/t/{report.thread_id}").get_data(as_text=True)

    assert f'href="/outcomes/{report.id}"' in page
    assert 'href="/outcomes/t/ccsvi-angioplasty"' in page


def test_a_new_members_report_thread_waits_for_approval_like_any_first_post(
        db, make, client, member):
    make.setting("approval_posts", "2")

    response = submit(client, "/outcomes/new", report_fields())

    thread = db.session.get(Thread, only_report(db).thread_id)
    assert response.status_code == 302
    assert thread.pending is True
