"""No figure rests on 1 to 4 reports, nor lets one be worked out, whatever the filters.

Each case is small enough to check by hand; the comments give the sums.
"""
from __future__ import annotations

import pytest

from forum.outcomes.figures import Filters, dashboard_figures, treatment_figures
from outcomes.figures_data import Registry, months_ago, symptoms

OLD = 30  # months ago: every interval is due


@pytest.fixture
def registry(db, make) -> Registry:
    return Registry(db, make)


@pytest.fixture
def angioplasty(registry):
    return registry.treatment()


def at(figures, months: int = 12):
    return next(interval for interval in figures.intervals if interval.months == months)


def pgic(figures, months: int = 12) -> dict[int, int | None]:
    return {answer.key: answer.count.value for answer in at(figures, months).pgic}


def dues(figures) -> dict[int, int | None]:
    return {row.months: row.due.value for row in figures.retention}


def answers(registry, treatment, pgic_counts: dict[int, int], ms_type: str = "rrms",
            months: int = 12) -> None:
    for point, count in pgic_counts.items():
        registry.answered(count, treatment, months, {"ms_type": ms_type,
                                                     "treated_on": months_ago(OLD)},
                          pgic=point)


def view(registry, treatment, **filters):
    registry.commit()
    return treatment_figures(treatment, Filters(**filters))


def test_count_of_one_to_four_is_suppressed_and_zero_is_shown(registry, angioplasty):
    answers(registry, angioplasty, {1: 3, 4: 7})
    figures = view(registry, angioplasty)
    # 3 is suppressed; alone it would be 10 - 7, so 7 goes too; the zeros stay.
    assert pgic(figures) == {1: None, 2: 0, 3: 0, 4: None, 5: 0, 6: 0, 7: 0}
    assert at(figures).n.value == 10


def test_complementary_cell_is_the_smallest_other_non_zero_one(registry, angioplasty):
    answers(registry, angioplasty, {1: 2, 3: 6, 4: 9})
    assert pgic(view(registry, angioplasty)) == {1: None, 2: 0, 3: None, 4: 9, 5: 0, 6: 0,
                                                 7: 0}


def test_no_complementary_cell_when_two_are_suppressed_already(registry, angioplasty):
    answers(registry, angioplasty, {1: 2, 2: 3, 4: 10})
    assert pgic(view(registry, angioplasty)) == {1: None, 2: None, 3: 0, 4: 10, 5: 0, 6: 0,
                                                 7: 0}


def test_all_minus_each_ms_type_cannot_give_the_one_left(registry, angioplasty):
    for ms_type, count in (("rrms", 10), ("spms", 8), ("ppms", 3)):
        registry.reports(count, angioplasty, ms_type=ms_type, treated_on=months_ago(OLD))
    assert view(registry, angioplasty).reports.value == 21
    # Were RRMS (10) and SPMS (8) shown, 21 - 10 - 8 would give PPMS: 3.
    for ms_type in ("rrms", "spms", "ppms", "cis"):
        assert view(registry, angioplasty, ms_type=ms_type).reports.value is None, ms_type


def test_all_minus_a_filter_cannot_give_a_small_cell(registry, angioplasty):
    answers(registry, angioplasty, {7: 3, 4: 5}, ms_type="rrms")
    answers(registry, angioplasty, {7: 2, 4: 5}, ms_type="spms")
    assert pgic(view(registry, angioplasty))[7] == 5
    # RRMS alone: were "very much worse" shown (3), or "no change" (5) beside n = 8,
    # all (5) minus RRMS would give SPMS's 2.
    for ms_type in ("rrms", "spms"):
        figures = view(registry, angioplasty, ms_type=ms_type)
        assert pgic(figures)[7] is None and pgic(figures)[4] is None
        assert at(figures).n.value == {"rrms": 8, "spms": 7}[ms_type]


def test_filter_a_minus_a_and_b_cannot_give_a_small_cell(registry, angioplasty):
    early, late = months_ago(OLD + 12), months_ago(OLD)
    registry.reports(7, angioplasty, ms_type="rrms", treated_on=late)
    registry.reports(3, angioplasty, ms_type="rrms", treated_on=early)
    registry.reports(6, angioplasty, ms_type="spms", treated_on=late)
    assert view(registry, angioplasty).reports.value == 16
    assert view(registry, angioplasty, ms_type="rrms").reports.value == 10
    # RRMS in the later year (7) would give RRMS in the earlier one: 10 - 7 = 3.
    assert view(registry, angioplasty, ms_type="rrms", year=late.year).reports.value is None
    assert view(registry, angioplasty, year=late.year).reports.value is None
    assert view(registry, angioplasty, ms_type="spms", year=late.year).reports.value is None


def test_what_the_unfiltered_view_withholds_a_filtered_view_withholds(registry, angioplasty):
    answers(registry, angioplasty, {1: 3, 2: 6, 4: 17}, ms_type="rrms")
    answers(registry, angioplasty, {4: 3, 7: 7}, ms_type="spms")
    # All: 1 -> 3 (suppressed), its complement 2 -> 6; 4 -> 20 and 7 -> 7 are shown.
    assert pgic(view(registry, angioplasty)) == {1: None, 2: None, 3: 0, 4: 20, 5: 0, 6: 0,
                                                 7: 7}
    # By MS type, "much improved" (6 RRMS, 0 SPMS) would be safe, but shown there it
    # would add up to the 6 withheld above, and 36 - 6 - 20 - 7 gives the 3. ("No change"
    # is 3 for SPMS, so this table, published unfiltered, is withheld whole by MS type.)
    rrms = view(registry, angioplasty, ms_type="rrms")
    assert set(pgic(rrms).values()) == {None}
    assert at(rrms).n.value == 26


def test_a_filtered_table_with_a_new_small_cell_is_withheld_whole(registry, angioplasty):
    answers(registry, angioplasty, {2: 10, 4: 6}, ms_type="rrms")
    answers(registry, angioplasty, {2: 5, 4: 2, 7: 5}, ms_type="spms")
    assert pgic(view(registry, angioplasty)) == {1: 0, 2: 15, 3: 0, 4: 8, 5: 0, 6: 0, 7: 5}
    # "No change" is 2 for SPMS. Withholding it and one complement (say "very much
    # worse", 0 for RRMS) would not do: its total (5) and RRMS's 0 give SPMS's 5, and
    # SPMS's n (12) minus 5 and 5 gives the 2. So the table goes, its n stays.
    spms = view(registry, angioplasty, ms_type="spms")
    assert set(pgic(spms).values()) == {None}
    assert at(spms).n.value == 12


def test_a_share_is_suppressed_when_the_rest_is_small(registry, angioplasty):
    for index, follow_up in enumerate(registry.answered(
            10, angioplasty, report_values={"treated_on": months_ago(OLD)})):
        follow_up.repeated = index < 8
    interval = at(view(registry, angioplasty))
    # 8 of 10 had it again: shown, it would say that 2 did not.
    assert (interval.repeated.value, interval.stopped.value) == (None, 0)


def test_symptom_mean_is_suppressed_when_few_rated_it_or_few_did_not(registry, angioplasty):
    reports = registry.reports(10, angioplasty, treated_on=months_ago(OLD))
    for index, report in enumerate(reports):
        registry.follow_up(report, 12, now=symptoms(1, fatigue=None if index < 3 else 1))
    changes = {change.name: change for change in at(view(registry, angioplasty)).symptoms}
    assert (changes["fatigue"].n.value, changes["fatigue"].mean) == (None, None)
    assert (changes["walking"].n.value, changes["walking"].mean) == (10, -1.0)


def test_an_interval_with_fewer_than_five_answers_is_withheld_whole(registry, angioplasty):
    reports = registry.reports(10, angioplasty, treated_on=months_ago(OLD))
    for report in reports[:3]:
        registry.follow_up(report, 6, 4)
    interval = at(view(registry, angioplasty), 6)
    assert interval.n.value is None
    assert all(answer.count.value is None for answer in interval.pgic)
    assert interval.pdds.median is None
    assert all(change.mean is None for change in interval.symptoms)


def test_median_is_withheld_where_its_n_is_small_in_another_region(registry, angioplasty):
    answers(registry, angioplasty, {4: 6}, ms_type="rrms")
    answers(registry, angioplasty, {4: 2}, ms_type="spms")
    assert at(view(registry, angioplasty)).pdds.median == 0.0
    rrms = at(view(registry, angioplasty, ms_type="rrms"))
    assert (rrms.n.value, rrms.pdds.median) == (None, None)


def test_complications_withhold_a_complement_too(registry, angioplasty):
    registry.answered(10, angioplasty, report_values={"treated_on": months_ago(OLD)})
    registry.answered(3, angioplasty, report_values={"treated_on": months_ago(OLD)},
                      complications=("restenosis",))
    kinds = {answer.key: answer.count.value
             for answer in at(view(registry, angioplasty)).complications}
    assert (kinds["restenosis"], kinds["none"], kinds["thrombosis"]) == (None, None, 0)


def test_few_who_did_not_give_a_follow_up_are_not_revealed(registry, angioplasty):
    for report in registry.reports(20, angioplasty, treated_on=months_ago(OLD))[:17]:
        registry.follow_up(report, 12)
    figures = view(registry, angioplasty)
    # Due at 12 months (20) minus gave (17) would say 3 did not. Nor may it be pinned
    # between two equal published dues (24 and 6 months both 20 would give it).
    assert figures.retention[3].gave.value == 17
    assert dues(figures) == {1: 20, 3: 20, 6: 20, 12: None, 24: None}


def test_few_reports_not_yet_due_are_not_revealed(registry, angioplasty):
    registry.reports(10, angioplasty, treated_on=months_ago(OLD))
    registry.reports(3, angioplasty, treated_on=months_ago(2))
    # Due at 1 month: 13; any longer due (10) beside it, or beside the 13 reports,
    # would show the 3 treated in the last three months.
    assert dues(view(registry, angioplasty)) == {1: 13, 3: None, 6: None, 12: None,
                                                 24: None}


def test_fewer_than_five_reports_withhold_everything(registry, angioplasty):
    for report in registry.reports(4, angioplasty, treated_on=months_ago(OLD)):
        registry.follow_up(report, 12, 2)
    figures = view(registry, angioplasty)
    assert figures.reports.value is None
    summary = dashboard_figures()[0]
    assert summary.reports.value is None


def test_dashboard_and_treatment_page_publish_the_same_retention(registry, angioplasty):
    for report in registry.reports(20, angioplasty, treated_on=months_ago(OLD))[:17]:
        registry.follow_up(report, 12)
    registry.reports(6, angioplasty, ms_type="spms", treated_on=months_ago(5))
    for filters in (Filters(), Filters(ms_type="spms"), Filters(year=months_ago(5).year)):
        registry.commit()
        page = treatment_figures(angioplasty, filters)
        summary = dashboard_figures(filters)[0]
        assert summary.reports == page.reports and summary.retention == page.retention


def test_a_filtered_complications_table_with_a_new_small_rest_is_withheld_whole(
        registry, angioplasty):
    old = {"treated_on": months_ago(OLD)}
    registry.answered(10, angioplasty, report_values={**old, "ms_type": "rrms"})
    registry.answered(6, angioplasty, report_values={**old, "ms_type": "spms"},
                      complications=("restenosis", "thrombosis"))
    registry.answered(3, angioplasty, report_values={**old, "ms_type": "spms"},
                      complications=("thrombosis",))
    kinds = {a.key: a.count.value for a in at(view(registry, angioplasty)).complications}
    assert (kinds["none"], kinds["restenosis"], kinds["thrombosis"]) == (10, 6, 9)
    # For SPMS, 6 of 9 had restenosis: shown, it would say 3 did not.
    spms = at(view(registry, angioplasty, ms_type="spms"))
    assert {answer.count.value for answer in spms.complications} == {None}
    assert spms.n.value == 9
