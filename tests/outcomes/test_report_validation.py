"""A report the rules refuse: a 422 with a clear message beside the field, everything typed
shown again, and nothing saved; never a server error."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from forum.outcomes.models import Treatment, TreatmentReport
from forum.outcomes.schedule import add_months, today
from support import form_state, report_fields, submit


@pytest.fixture
def member(make, login):
    make.treatments()
    member = make.user("willow")
    login(member)
    return member


def reports(db) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(TreatmentReport))


def next_month() -> str:
    return add_months(today().replace(day=1), 1).strftime("%Y-%m")


REFUSALS = {
    "treatment month in the future": ({"treated_on": "2099-01"}, "treated_on", "in the future"),
    "treatment next month": ({"treated_on": next_month()}, "treated_on", "in the future"),
    "treatment before 1990": ({"treated_on": "1989-12"}, "treated_on",
                              "starts in January 1990"),
    "treatment month in words": ({"treated_on": "March 2011"}, "treated_on", "like 2011-03"),
    "treatment month 13": ({"treated_on": "2011-13"}, "treated_on", "like 2011-03"),
    "treatment month empty": ({"treated_on": ""}, "treated_on", "Give the month"),
    "treatment month in Arabic-Indic digits": ({"treated_on": "٢٠١١-٠٣"}, "treated_on",
                                               "like 2011-03"),
    "diagnosis year in Arabic-Indic digits": ({"diagnosis_year": "٢٠٠٥"}, "diagnosis_year",
                                              "in the digits 0 to 9"),
    "diagnosis year in full-width digits": ({"diagnosis_year": "２００５"}, "diagnosis_year",
                                            "in the digits 0 to 9"),
    "diagnosis year with 5000 digits": ({"diagnosis_year": "9" * 5000}, "diagnosis_year",
                                        "in the digits 0 to 9"),
    "diagnosis year before 1950": ({"diagnosis_year": "1949"}, "diagnosis_year",
                                   "from 1950"),
    "diagnosis after the treatment": ({"diagnosis_year": "2012"}, "diagnosis_year",
                                      "after the treatment"),
    "relapses above 50": ({"relapses_12m": "51"}, "relapses_12m", "from 0 to 50"),
    "relapses negative": ({"relapses_12m": "-1"}, "relapses_12m", "from 0 to 50"),
    "relapses as a fraction": ({"relapses_12m": "1.5"}, "relapses_12m", "from 0 to 50"),
    "relapses missing": ({"relapses_12m": ""}, "relapses_12m", "Give the number of relapses"),
    "PDDS 9": ({"pdds": "9"}, "pdds", "Choose one of the answers shown"),
    "PDDS missing": ({"pdds": None}, "pdds", "Choose the step"),
    "EDSS above 10": ({"edss": "10.5"}, "edss", "steps of 0.5"),
    "EDSS off the half steps": ({"edss": "3.3"}, "edss", "steps of 0.5"),
    "EDSS in words": ({"edss": "four"}, "edss", "steps of 0.5"),
    "symptom rated 7": ({"symptom_fatigue": "7"}, "symptom_fatigue",
                        "Choose one of the answers shown"),
    "MS type unknown": ({"ms_type": "ms"}, "ms_type", "Choose one of the answers shown"),
    "MS type missing": ({"ms_type": None}, "ms_type", "Choose your type of MS"),
    "visibility missing": ({"visibility": None}, "visibility", "Choose who may see"),
    "treatment not on the list": ({"treatment": "snake-oil"}, "treatment",
                                  "Choose the treatment from the list"),
    "treatment missing": ({"treatment": ""}, "treatment", "Choose the treatment you had"),
    "other treatment unnamed": ({"treatment": "other", "veins": None}, "treatment_other",
                                "Name the treatment you had"),
    "name given for a listed treatment": ({"treatment_other": "Liberation"},
                                          "treatment_other", "A name is asked only"),
    "name too long": ({"treatment": "other", "veins": None, "treatment_other": "x" * 121},
                      "treatment_other", "under 120 characters"),
    "veins for a disease-modifying therapy": ({"treatment": "dmt-natalizumab"}, "veins",
                                              "only for CCSVI procedures"),
    "a vein not on the list": ({"veins": ["left-ijv", "kidney"]}, "veins",
                               "Choose from the answers shown"),
    "another clinic unnamed": ({"clinic": "other"}, "clinic_other", "Name the clinic"),
    "a clinic that does not exist": ({"clinic": "2147483647"}, "clinic",
                                     "Choose the clinic from the list"),
    "a clinic in words": ({"clinic": "Vein Clinic"}, "clinic",
                          "Choose the clinic from the list"),
    "a clinic for rehabilitation": ({"treatment": "rehabilitation", "veins": None,
                                     "clinic": "other", "clinic_other": "Gym"}, "clinic",
                                    "only for CCSVI procedures"),
}


def error_beside(page: str, field: str) -> str:
    start = page.index(f'id="{field}-error"')
    return page[start:page.index("</p>", start)]


@pytest.mark.parametrize("overrides,field,message", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refused_report_says_why_beside_the_field_and_saves_nothing(
        db, client, member, overrides, field, message):
    response = submit(client, "/outcomes/new", report_fields(**overrides))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in error_beside(page, field)
    assert reports(db) == 0


@pytest.mark.parametrize("overrides", [{"treated_on": "2099-01"}, {"diagnosis_year": "٢٠٠٥"},
                                       {"treatment": "dmt-natalizumab"}],
                         ids=["refused by the service", "refused by the form",
                              "refused for a combination"])
def test_a_refused_report_keeps_everything_typed(client, member, overrides):
    typed = report_fields(treatment_other="", clinic_other="Not chosen", clinic="",
                          edss="6.5", relapses_12m="3", pdds="5", symptom_heat="4",
                          symptom_pain="0", consent_export="y", visibility="dashboard",
                          **overrides)

    page = submit(client, "/outcomes/new", typed).get_data(as_text=True)

    shown = form_state(page)
    for name, value in typed.items():
        assert shown.get(name) == (value if isinstance(value, list) else [value]), name


def test_a_nul_character_is_refused_without_a_server_error(db, client, member):
    response = submit(client, "/outcomes/new",
                      report_fields(treatment="other", veins=None,
                                    treatment_other="Low-dose\x00naltrexone"))

    assert response.status_code == 400
    assert reports(db) == 0


def test_a_treatment_taken_off_the_list_is_refused_for_new_reports(db, client, member):
    treatment = db.session.scalar(select(Treatment).where(Treatment.slug == "ccsvi-stent"))
    treatment.active = False
    db.session.commit()

    response = submit(client, "/outcomes/new", report_fields(treatment="ccsvi-stent"))

    assert response.status_code == 422
    assert "ccsvi-stent" not in client.get("/outcomes/new").get_data(as_text=True)
    assert reports(db) == 0


def test_the_treatment_month_may_be_this_month(db, client, member):
    response = submit(client, "/outcomes/new",
                      report_fields(treated_on=today().strftime("%Y-%m")))

    assert response.status_code == 302
    assert db.session.scalar(select(TreatmentReport.treated_on)) == today().replace(day=1)


@pytest.mark.parametrize("typed,stored", [("2011-3", date(2011, 3, 1)),
                                          (" 2011/03 ", date(2011, 3, 1))])
def test_the_treatment_month_reads_common_ways_of_writing_it(db, client, member, typed, stored):
    submit(client, "/outcomes/new", report_fields(treated_on=typed))

    assert db.session.scalar(select(TreatmentReport.treated_on)) == stored


def test_an_edss_written_with_a_comma_is_read(db, client, member):
    submit(client, "/outcomes/new", report_fields(edss="6,5"))

    assert str(db.session.scalar(select(TreatmentReport.edss))) == "6.5"
