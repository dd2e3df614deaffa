"""The registry's pages cost a fixed number of SQL statements, however many follow-ups
(and, for a member's own list, reports) there are to show."""
from __future__ import annotations

import pytest

from forum.outcomes.schedule import add_months, today

MAX_STATEMENTS = 10
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def measure(client, count_queries):
    def run(url: str) -> list[str]:
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        return list(statements)

    return run


@pytest.fixture
def author(make):
    return make.user("willow")


@pytest.fixture(params=["anonymous", "author", "moderator"])
def reader(request, make, login, author):
    if request.param == "author":
        login(author)
    elif request.param == "moderator":
        login(make.user("warden", role="moderator"))
    return request.param


def grow(make, report, intervals) -> None:
    for months in intervals:
        make.follow_up(report, months=months, complications=["restenosis", "thrombosis"],
                       note=f"At {months} months: *tired*.", pgic=5)


def test_report_page_statements_do_not_grow_with_follow_ups(make, measure, author, reader):
    report = make.outcome_report(author, clinic_other="A clinic abroad")
    grow(make, report, [1])
    few = measure(f"/outcomes/{report.id}")

    grow(make, report, [3, 6, 12, 24])
    many = measure(f"/outcomes/{report.id}")

    assert len(many) == len(few) <= MAX_STATEMENTS, many


def test_own_reports_page_statements_do_not_grow_with_reports_and_follow_ups(
        make, login, measure, author):
    login(author)
    first = make.outcome_report(author)
    grow(make, first, [1])
    few = measure("/outcomes/mine")

    grow(make, first, [3, 6])
    for slug in ("ccsvi-stent", "dmt-natalizumab", "diet"):
        grow(make, make.outcome_report(author, treatment=slug, visibility="dashboard"),
             [1, 3, 12])
    many = measure("/outcomes/mine")

    assert len(many) == len(few) <= MAX_STATEMENTS, many


def test_the_due_banner_costs_one_statement_however_many_reports_are_due(
        make, login, measure, author):
    login(author)
    make.treatments()
    without = measure("/guidelines")
    for slug in ("ccsvi-stent", "dmt-natalizumab", "diet", "rehabilitation"):
        make.outcome_report(author, treatment=slug, visibility="dashboard",
                            treated_on=add_months(today().replace(day=1), -7))

    with_due = measure("/guidelines")

    assert len(with_due) == len(without)


def test_reading_a_report_never_writes_to_the_database(make, measure, author):
    report = make.outcome_report(author)
    grow(make, report, [1, 3])

    statements = measure(f"/outcomes/{report.id}")

    assert [s for s in statements if s.lstrip().upper().startswith(WRITES)] == []
