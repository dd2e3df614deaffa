"""The open data file: one de-identified row per follow-up, from consenting members only."""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest

from forum.outcomes.export import diagnosis_band
from outcomes.figures_data import SECRET_EMAIL, SECRET_NAME, SECRET_NOTE, Registry, symptoms

COLUMNS = [
    "report", "treatment", "ms_type", "years_since_diagnosis", "months", "pgic",
    "pdds_baseline", "pdds_now", "edss_baseline", "edss_now", "relapses_12m_baseline",
    "relapses_since_last_report",
    "symptom_fatigue_baseline", "symptom_fatigue_now", "symptom_thinking_baseline",
    "symptom_thinking_now", "symptom_heat_baseline", "symptom_heat_now",
    "symptom_walking_baseline", "symptom_walking_now", "symptom_balance_baseline",
    "symptom_balance_now", "symptom_bladder_baseline", "symptom_bladder_now",
    "symptom_vision_baseline", "symptom_vision_now", "symptom_pain_baseline",
    "symptom_pain_now", "symptom_sleep_baseline", "symptom_sleep_now",
    "complications", "repeated", "stopped",
]


@pytest.fixture
def registry(db, make) -> Registry:
    return Registry(db, make)


@pytest.fixture
def angioplasty(registry):
    return registry.treatment()


def download(client) -> tuple[list[str], list[dict]]:
    response = client.get("/outcomes.csv")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


@pytest.fixture
def consenting(registry, angioplasty):
    report = registry.report(angioplasty, date(2014, 3, 1), ms_type="spms", pdds=4,
                             diagnosis_year=2005, edss=Decimal("5.5"), relapses_12m=2,
                             baseline=symptoms(3, sleep=None), consent=True)
    report.treatment_other, report.clinic_other = "Cold baths in Lisbon", "Secret Vein Spa"
    registry.follow_up(report, 1, 2, pdds=3, edss=Decimal("5.0"), relapses=0,
                       now=symptoms(2, sleep=1), complications=("thrombosis", "restenosis"),
                       note=SECRET_NOTE)
    registry.follow_up(report, 12, 6, pdds=5, relapses=1, complications=("none",),
                       repeated=True, stopped=True)
    registry.commit()
    return report


def test_csv_has_the_documented_columns(client, consenting):
    header, _ = download(client)
    assert header == COLUMNS


def test_csv_has_one_row_per_follow_up_in_the_order_of_the_codes(client, registry,
                                                                 angioplasty, consenting):
    other = registry.report(angioplasty, consent=True)
    registry.follow_up(other, 6)
    registry.commit()
    _, rows = download(client)
    assert [(row["report"], row["months"]) for row in rows] == sorted(
        [(consenting.code, "1"), (consenting.code, "12"), (other.code, "6")])


def test_csv_row_holds_the_answers(client, consenting):
    _, rows = download(client)
    first = rows[0]
    assert (first["report"], first["treatment"], first["ms_type"]) == (
        consenting.code, "ccsvi-angioplasty", "spms")
    assert (first["years_since_diagnosis"], first["months"], first["pgic"]) == ("5-9", "1",
                                                                                "2")
    assert (first["pdds_baseline"], first["pdds_now"], first["edss_baseline"],
            first["edss_now"]) == ("4", "3", "5.5", "5.0")
    assert (first["relapses_12m_baseline"], first["relapses_since_last_report"]) == ("2",
                                                                                    "0")
    assert (first["symptom_fatigue_baseline"], first["symptom_fatigue_now"],
            first["symptom_sleep_baseline"], first["symptom_sleep_now"]) == ("3", "2", "",
                                                                             "1")
    assert first["complications"] == "restenosis;thrombosis"
    assert (first["repeated"], first["stopped"]) == ("no", "no")
    assert (rows[1]["complications"], rows[1]["repeated"], rows[1]["stopped"]) == (
        "none", "yes", "yes")


def test_csv_leaves_out_reports_without_consent(client, registry, angioplasty, consenting):
    registry.follow_up(registry.report(angioplasty, consent=False), 6)
    registry.commit()
    _, rows = download(client)
    assert {row["report"] for row in rows} == {consenting.code}


def test_csv_leaves_out_hidden_reports(client, registry, angioplasty, consenting):
    registry.follow_up(registry.report(angioplasty, consent=True, hidden=True), 6)
    registry.commit()
    _, rows = download(client)
    assert {row["report"] for row in rows} == {consenting.code}


def test_csv_names_nobody_and_holds_no_dates_or_free_text(client, consenting):
    # The random code could hold any digits: look at everything else.
    text = client.get("/outcomes.csv").get_data(as_text=True).replace(consenting.code, "")
    for secret in (SECRET_NAME, SECRET_EMAIL, SECRET_NOTE, "Cold baths", "Secret Vein Spa",
                   "2014", "2005"):
        assert secret not in text, secret
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)


def test_csv_uses_the_random_code_not_the_report_id(client, consenting):
    _, rows = download(client)
    assert rows[0]["report"] == consenting.code != str(consenting.id)


def test_csv_is_streamed_as_a_download(client, consenting):
    response = client.get("/outcomes.csv")
    assert response.is_streamed
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="outflow-outcomes.csv"')


def test_csv_with_no_consenting_reports_is_just_the_header(client, angioplasty):
    header, rows = download(client)
    assert (header, rows) == (COLUMNS, [])


@pytest.mark.parametrize("treated, diagnosed, band", [
    (2014, 2014, "0-4"), (2014, 2010, "0-4"), (2014, 2009, "5-9"), (2030, 2000, "30-34"),
    (2010, 2012, "0-4"),
])
def test_years_since_diagnosis_come_in_bands_of_five(treated, diagnosed, band):
    assert diagnosis_band(date(treated, 6, 1), diagnosed) == band
