"""Keyboard journeys: filing a treatment report and its follow-up, and reading what members
reported about a treatment."""
from __future__ import annotations

from sqlalchemy import select

import axe
from journeys import flashes, reread, sign_in, start
from keyboard import check_box, choose, fill_field, follow, pick, tab_to


def test_a_member_files_a_treatment_report_and_then_its_first_follow_up(page, live_server,
                                                                         db, make):
    from forum.outcomes.models import TreatmentReport

    make.treatments()
    member = make.user("slow_tortoise")

    sign_in(page, live_server, member, next_path="/outcomes/mine")
    axe.check(page, "my treatment reports")
    follow(page, "Report a treatment")
    axe.check(page, "report a treatment")
    pick(page, "Treatment", "CCSVI venous balloon angioplasty")
    # Treated long ago, so that every follow-up is due as soon as the report is filed.
    fill_field(page, "Month of the treatment", "2011-03")
    check_box(page, "Left internal jugular vein")
    choose(page, "ms_type", "Relapsing-remitting")
    fill_field(page, "Year of diagnosis", "2005")
    choose(page, "pdds", "Gait disability")
    fill_field(page, "Relapses in the 12 months before the treatment", "1")
    choose(page, "visibility", "Public")
    follow(page, "File the report")
    assert "Your report is filed" in flashes(page)
    axe.check(page, "a treatment report")

    follow(page, "Give the 1-month follow-up")
    axe.check(page, "give a follow-up")
    choose(page, "months", "1 month after")
    choose(page, "pgic", "No change")
    choose(page, "pdds", "Gait disability")
    fill_field(page, "Relapses since your last report", "0")
    check_box(page, "complications-0")  # "None"
    follow(page, "Save the follow-up")

    assert "your 1-month follow-up is saved" in flashes(page)
    assert "1 month" in page.locator("#follow-ups-heading + *").inner_text()
    reread(db)
    report = db.session.scalars(select(TreatmentReport)).one()
    assert (report.treatment.slug, report.ms_type, report.pdds, report.veins) == \
        ("ccsvi-angioplasty", "rrms", 3, ["left-ijv"])
    follow_up = report.follow_ups[0]
    assert (follow_up.months, follow_up.pgic, follow_up.complications) == (1, 4, ["none"])


def test_a_visitor_opens_a_treatment_from_the_dashboard_and_reads_its_figures(
        page, live_server, make):
    # Five reports: fewer would be suppressed, to keep each member unrecognisable.
    for number in range(5):
        report = make.outcome_report(make.user(f"reporter{number}"))
        make.follow_up(report, months=1, pgic=2 if number < 2 else 4)

    start(page, live_server, "/outcomes", "treatment outcomes")
    follow(page, "CCSVI venous balloon angioplasty", exact=True)
    axe.check(page, "a treatment's page")

    assert page.locator("h1").inner_text() == "CCSVI venous balloon angioplasty"
    # The wide tables scroll sideways in a region of their own, which the keyboard reaches.
    tab_to(page, "Follow-ups given, of the reports due (n = 5 reports)")
    table = page.evaluate("() => document.activeElement.innerText")
    assert "1 month\t5\t5\t100%" in table  # due, given, share
    assert "3 months\t5\t0\t0%" in table
