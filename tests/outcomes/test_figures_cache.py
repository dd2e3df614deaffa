"""Figures are kept between requests, and computed afresh as soon as a report changes."""
from __future__ import annotations

import pytest

from forum.outcomes.figures import Filters, dashboard_figures, treatment_figures
from forum.timeutil import utcnow
from outcomes.figures_data import Registry, months_ago


@pytest.fixture
def registry(db, make) -> Registry:
    return Registry(db, make)


@pytest.fixture
def angioplasty(registry):
    treatment = registry.treatment()
    registry.reports(10, treatment, treated_on=months_ago(30))
    registry.commit()
    return treatment


def reports_filed(treatment) -> tuple[int | None, int | None]:
    return (treatment_figures(treatment).reports.value,
            dashboard_figures()[0].reports.value)


def test_figures_are_kept_while_nothing_changes(angioplasty, count_queries):
    treatment_figures(angioplasty)
    with count_queries() as statements:
        treatment_figures(angioplasty)
    assert len(statements) == 1  # the fingerprint only


def test_a_new_report_is_counted_at_once(registry, angioplasty):
    assert reports_filed(angioplasty) == (10, 10)
    registry.reports(5, angioplasty)
    registry.commit()
    assert reports_filed(angioplasty) == (15, 15)


def test_a_hidden_report_leaves_the_figures_at_once_and_comes_back_restored(
        registry, angioplasty, db):
    extra = registry.reports(5, angioplasty)
    registry.commit()
    assert reports_filed(angioplasty) == (15, 15)
    for report in extra:
        report.hidden_at = utcnow()
    db.session.commit()
    assert reports_filed(angioplasty) == (10, 10)
    for report in extra:
        report.hidden_at = None
    db.session.commit()
    assert reports_filed(angioplasty) == (15, 15)


def test_a_new_follow_up_is_counted_at_once(registry, angioplasty):
    reports = registry.reports(5, angioplasty, treated_on=months_ago(30))
    registry.commit()
    twelve = treatment_figures(angioplasty).intervals[3]
    assert twelve.n.value == 0
    for report in reports:
        registry.follow_up(report, 12, 2)
    registry.commit()
    assert treatment_figures(angioplasty).intervals[3].n.value == 5


def test_each_filter_has_its_own_figures(registry, angioplasty):
    registry.reports(6, angioplasty, ms_type="spms")
    registry.commit()
    assert treatment_figures(angioplasty, Filters("spms")).reports.value == 6
    assert treatment_figures(angioplasty, Filters("rrms")).reports.value == 10


def test_kept_figures_equal_figures_computed_afresh(registry, angioplasty):
    for report in registry.reports(7, angioplasty, ms_type="spms", treated_on=months_ago(14)):
        registry.follow_up(report, 12, 5, complications=("restenosis",))
    registry.commit()
    for filters in (Filters(), Filters("spms"), Filters(year=months_ago(14).year)):
        treatment_figures(angioplasty, filters)
        assert treatment_figures(angioplasty, filters) == treatment_figures(
            angioplasty, filters, use_cache=False)
        assert dashboard_figures(filters) == dashboard_figures(filters, use_cache=False)
