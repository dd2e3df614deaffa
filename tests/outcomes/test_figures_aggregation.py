"""The figures count what members reported, checked against numbers worked out by hand."""
from __future__ import annotations

import pytest

from forum.outcomes.figures import Filters, dashboard_figures, quantile, treatment_figures
from outcomes.figures_data import Registry, months_ago, symptoms


@pytest.fixture
def registry(db, make) -> Registry:
    return Registry(db, make)


@pytest.fixture
def angioplasty(registry):
    return registry.treatment()


def at(figures, months: int):
    return next(interval for interval in figures.intervals if interval.months == months)


def retention(figures) -> dict[int, tuple]:
    return {row.months: (row.due.value, row.gave.value) for row in figures.retention}


# Twelve-month answers of ten members, each: (PGIC, PDDS now, fatigue now, walking now,
# complications, repeated). Baselines: PDDS 3, every symptom 2.
TWELVE_MONTHS = [
    (2, 1, 1, 4, ("none",), True),
    (2, 2, 1, 4, ("none",), True),
    (2, 2, 1, 4, ("none",), True),
    (2, 3, 1, 4, ("none",), True),
    (2, 3, 1, 4, ("none",), True),
    (5, 4, 2, None, ("restenosis", "thrombosis"), False),
    (5, 4, 2, None, ("restenosis", "thrombosis"), False),
    (5, 4, 2, None, ("restenosis", "thrombosis"), False),
    (5, 5, 2, None, ("restenosis", "thrombosis"), False),
    (5, 6, 2, None, ("restenosis", "thrombosis"), False),
]


@pytest.fixture
def twelve_months(registry, angioplasty):
    """Fifteen reports treated 30 months ago (every interval due); ten gave the 12-month
    follow-up above."""
    reports = registry.reports(15, angioplasty, treated_on=months_ago(30))
    for report, (pgic, pdds, fatigue, walking, kinds, again) in zip(reports, TWELVE_MONTHS):
        registry.follow_up(report, 12, pgic, pdds=pdds,
                           now=symptoms(2, fatigue=fatigue, walking=walking),
                           complications=kinds, repeated=again)
    registry.commit()
    return treatment_figures(angioplasty)


def test_reports_filed_counts_every_report_not_hidden(twelve_months):
    assert twelve_months.reports.value == 15


def test_pgic_distribution_counts_each_point(twelve_months):
    counts = {answer.key: answer.count.value for answer in at(twelve_months, 12).pgic}
    assert counts == {1: 0, 2: 5, 3: 0, 4: 0, 5: 5, 6: 0, 7: 0}
    assert at(twelve_months, 12).n.value == 10


def test_pdds_change_median_and_quartiles(twelve_months):
    # Changes sorted: -2 -1 -1 0 0 1 1 1 2 3; quartiles interpolate between neighbours.
    pdds = at(twelve_months, 12).pdds
    assert (pdds.n.value, pdds.median, pdds.lower_quartile, pdds.upper_quartile) == (
        10, 0.5, -0.75, 1.0)


def test_symptom_means_count_only_those_who_rated_it(twelve_months):
    changes = {change.name: (change.n.value, change.mean)
               for change in at(twelve_months, 12).symptoms}
    assert changes["fatigue"] == (10, -0.5)
    assert changes["walking"] == (5, 2.0)
    assert changes["sleep"] == (10, 0.0)


def test_complication_rates_count_each_kind(twelve_months):
    interval = at(twelve_months, 12)
    counts = {answer.key: answer.count.value for answer in interval.complications}
    assert counts == {"none": 5, "restenosis": 5, "thrombosis": 5, "stent-migration": 0,
                      "access-bleeding": 0, "arrhythmia": 0, "other": 0}
    restenosis = next(a for a in interval.complications if a.key == "restenosis")
    assert restenosis.count.percent_of(interval.n) == 50.0


def test_repeated_and_stopped_are_counted(twelve_months):
    interval = at(twelve_months, 12)
    assert (interval.repeated.value, interval.stopped.value) == (5, 0)


def test_intervals_without_follow_ups_have_none(twelve_months):
    assert at(twelve_months, 6).n.value == 0
    assert at(twelve_months, 6).pdds.median is None


def test_retention_counts_due_and_given_at_each_interval(registry, angioplasty):
    young = registry.reports(5, angioplasty, treated_on=months_ago(2))   # 1 month due
    middle = registry.reports(5, angioplasty, treated_on=months_ago(4))  # 1 and 3 due
    old = registry.reports(5, angioplasty, treated_on=months_ago(30))    # all due
    for report in young + old:
        registry.follow_up(report, 1)
    for report in middle:
        registry.follow_up(report, 3)
    for report in old:
        registry.follow_up(report, 24)
    registry.commit()

    assert retention(treatment_figures(angioplasty)) == {
        1: (15, 10), 3: (10, 5), 6: (5, 0), 12: (5, 0), 24: (5, 5)}


def test_a_follow_up_before_its_interval_is_due_is_not_counted(registry, angioplasty):
    for report in registry.reports(5, angioplasty, treated_on=months_ago(2)):
        registry.follow_up(report, 1)
        registry.follow_up(report, 3)
    registry.commit()

    figures = treatment_figures(angioplasty)
    assert retention(figures)[3] == (0, 0)
    assert at(figures, 3).n.value == 0


def test_hidden_reports_are_not_counted(registry, angioplasty):
    for report in registry.reports(5, angioplasty):
        registry.follow_up(report, 12, 1)
    for report in registry.reports(3, angioplasty, hidden=True):
        registry.follow_up(report, 12, 7)
    registry.commit()

    figures = treatment_figures(angioplasty)
    assert figures.reports.value == 5
    assert {a.key: a.count.value for a in at(figures, 12).pgic}[7] == 0


def test_reports_counted_in_the_figures_only_are_counted(registry, angioplasty):
    registry.reports(3, angioplasty, visibility="public")
    registry.reports(2, angioplasty, visibility="dashboard")
    registry.commit()

    assert treatment_figures(angioplasty).reports.value == 5


def test_each_treatment_counts_only_its_own_reports(registry, angioplasty):
    stent = registry.treatment("ccsvi-stent", "CCSVI venous stenting", position=1)
    registry.reports(5, angioplasty)
    registry.reports(6, stent)
    registry.commit()

    assert treatment_figures(stent).reports.value == 6
    rows = {summary.treatment.slug: summary.reports.value for summary in dashboard_figures()}
    assert rows == {"ccsvi-angioplasty": 5, "ccsvi-stent": 6}


def test_filters_count_only_matching_reports(registry, angioplasty):
    registry.reports(5, angioplasty, ms_type="rrms", treated_on=months_ago(30))
    registry.reports(6, angioplasty, ms_type="spms", treated_on=months_ago(30))
    registry.reports(7, angioplasty, ms_type="spms", treated_on=months_ago(2))
    registry.commit()
    year = months_ago(30).year

    assert treatment_figures(angioplasty, Filters(ms_type="spms")).reports.value == 13
    assert treatment_figures(angioplasty, Filters(year=year)).reports.value == 11
    assert treatment_figures(angioplasty, Filters("spms", year)).reports.value == 6


def test_dashboard_counts_retention_per_treatment(registry, angioplasty):
    for report in registry.reports(10, angioplasty, treated_on=months_ago(30))[:5]:
        registry.follow_up(report, 6)
    registry.commit()

    summary = dashboard_figures()[0]
    assert (summary.reports.value, summary.retention[2].due.value,
            summary.retention[2].gave.value) == (10, 10, 5)


def test_dashboard_leaves_out_treatments_taken_off_the_list_without_reports(registry):
    registry.treatment("diet", "Diet", kind="diet", active=False)
    registry.commit()

    assert dashboard_figures() == []


@pytest.mark.parametrize("histogram, fraction, expected", [
    ({0: 1}, 0.5, 0.0),
    ({-1: 2, 0: 3, 1: 1}, 0.5, 0.0),
    ({-1: 2, 0: 3, 1: 1}, 0.25, -0.75),
    ({1: 1, 3: 1}, 0.5, 2.0),
    ({}, 0.5, None),
])
def test_quantile_interpolates_within_the_histogram(histogram, fraction, expected):
    assert quantile(histogram, fraction) == expected
