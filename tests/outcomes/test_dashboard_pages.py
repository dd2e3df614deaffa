"""The outcomes dashboard and the treatment pages: what they say, show and refuse."""
from __future__ import annotations

import re

import pytest

from forum.resources import services as resources
from forum.timeutil import utcnow
from outcomes.figures_data import Registry, months_ago
from support import database_snapshot

STATEMENT = "These are self-reports from members, not a controlled trial."


@pytest.fixture
def registry(db, make) -> Registry:
    return Registry(db, make)


@pytest.fixture
def angioplasty(registry):
    treatment = registry.treatment(description="Balloons widen narrowed neck veins.")
    registry.commit()
    return treatment


@pytest.fixture
def reported(registry, angioplasty):
    """Twenty reports treated 30 months ago; the 12-month answers include a PGIC point
    given by 3 members only, which must be suppressed."""
    reports = registry.reports(20, angioplasty, treated_on=months_ago(30))
    for index, report in enumerate(reports):
        pgic = 1 if index < 3 else (2 if index < 10 else 4)
        registry.follow_up(report, 12, pgic)
    registry.commit()
    return angioplasty


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def test_dashboard_says_these_are_self_reports_not_a_trial(client, reported):
    assert STATEMENT in page(client, "/outcomes")


def test_treatment_page_says_these_are_self_reports_not_a_trial(client, reported):
    assert STATEMENT in page(client, "/outcomes/t/ccsvi-angioplasty")


def test_dashboard_lists_each_treatment_with_its_reports(client, reported):
    html = page(client, "/outcomes")
    row = re.search(r'<th scope="row"><a href="/outcomes/t/ccsvi-angioplasty">.*?</tr>', html,
                    re.S).group(0)
    assert "<td>20</td>" in row
    assert re.search(r"<td>20 gave it<br><span class=\"n\">of 20 due", row)  # at 12 months


def test_dashboard_chart_has_a_text_alternative_and_a_table(client, reported):
    html = page(client, "/outcomes")
    assert re.search(r'<figure class="chart" aria-labelledby="reports-chart-caption">\s*'
                     r'<svg [^>]*id="reports-chart"[^>]*role="img"'
                     r'[^>]*aria-labelledby="reports-chart-title reports-chart-desc"', html)
    assert '<title id="reports-chart-title">' in html
    assert "CCSVI venous balloon angioplasty: 20" in html  # in the chart's <desc>
    assert '<figcaption id="reports-chart-caption">' in html
    assert '<caption id="by-treatment-caption">' in html
    assert '<th scope="col">Reports filed</th>' in html


def test_treatment_page_charts_have_text_alternatives_and_tables(client, reported):
    html = page(client, "/outcomes/t/ccsvi-angioplasty")
    for chart in ("retention-chart", "pgic-chart"):
        assert re.search(rf'<svg [^>]*id="{chart}"[^>]*role="img"', html), chart
        assert f'<desc id="{chart}-desc">' in html
        assert f'<figcaption id="{chart}-caption">' in html
    for table in ("retention-caption", "pgic-table-caption", "pdds-caption",
                  "symptoms-caption", "complications-table-caption", "course-caption"):
        assert f'<caption id="{table}">' in html, table


def test_charts_carry_no_script_no_style_and_no_random_id(client, reported):
    html = page(client, "/outcomes/t/ccsvi-angioplasty")
    assert "<script" not in html
    assert "<style" not in html
    assert 'style="' not in main_of(html)
    assert "chart-" + "-" not in html and not re.search(r'id="chart-[0-9a-f]{8}-', html)


def test_suppressed_cell_is_marked_in_the_table_and_absent_from_the_chart(client, reported):
    html = page(client, "/outcomes/t/ccsvi-angioplasty")
    table = re.search(r'<table class="figures-table" id="pgic-table">.*?</table>', html,
                      re.S).group(0)
    very_much = re.search(r"Very much improved</th>(.*?)</tr>", table, re.S).group(1)
    assert "suppressed" in very_much
    assert ">3<" not in very_much and "(15%)" not in very_much
    chart = re.search(r'<svg [^>]*id="pgic-chart".*?</svg>', html, re.S).group(0)
    # 3 of 20 would be 15%; the complementary cell (7 of 20, 35%) is withheld too.
    assert "<desc class=\"value\">15" not in chart and "<desc class=\"value\">35" not in chart
    assert "very much improved suppressed" in chart


def test_treatment_name_is_escaped_everywhere(client, registry):
    treatment = registry.treatment("other", "Cold <b>baths</b> & tea", kind="other")
    for report in registry.reports(5, treatment, treated_on=months_ago(30)):
        registry.follow_up(report, 12, 4)
    registry.commit()

    html = page(client, "/outcomes/t/other")
    assert "<b>baths</b>" not in html
    assert "Cold &lt;b&gt;baths&lt;/b&gt; &amp; tea" in html


def test_unknown_treatment_is_not_found(client, angioplasty):
    page(client, "/outcomes/t/no-such-treatment", 404)


def test_treatment_taken_off_the_list_without_reports_is_not_found(client, registry):
    registry.treatment("diet", "Diet", kind="diet", active=False)
    registry.commit()
    page(client, "/outcomes/t/diet", 404)


def test_treatment_taken_off_the_list_with_reports_still_shows(client, registry):
    treatment = registry.treatment("diet", "Diet", kind="diet", active=False)
    registry.reports(5, treatment)
    registry.commit()
    assert "no longer on the list" in page(client, "/outcomes/t/diet")


@pytest.mark.parametrize("query", ["ms_type=rrmss", "ms_type=%3Cscript%3E", "year=1800",
                                   "year=abc", "year=99999999999999999999", "year=%EF%BC%92",
                                   "year=2020.5", "ms_type=rrms&year=-1"])
@pytest.mark.parametrize("url", ["/outcomes", "/outcomes/t/ccsvi-angioplasty"])
def test_nonsense_filter_is_refused_with_a_message_and_the_figures(client, reported, url,
                                                                   query):
    html = page(client, f"{url}?{query}", 400)
    assert 'role="alert"' in html
    assert "so every" in html
    assert STATEMENT in html


def test_chosen_filters_stay_chosen_in_the_form(client, reported):
    html = page(client, f"/outcomes?ms_type=rrms&year={months_ago(30).year}")
    assert '<option value="rrms" selected>' in html
    assert f'<option value="{months_ago(30).year}" selected>' in html


def test_filtered_dashboard_counts_only_matching_reports(client, registry, angioplasty):
    registry.reports(5, angioplasty, ms_type="spms")
    registry.reports(6, angioplasty, ms_type="rrms")
    registry.commit()
    html = page(client, "/outcomes?ms_type=spms")
    assert re.search(r"ccsvi-angioplasty\?ms_type=spms\">.*?</a></th>\s*<td>5</td>", html, re.S)


@pytest.fixture
def clinic_links(make, db, moderator):
    """A CCSVI link with an evidence note, and a link pinned for other treatments."""
    staff = make.staff("vein_anna", make.clinic("Vein Clinic of Example"))
    ccsvi = make.category(slug="ccsvi", name="CCSVI")
    outcomes = make.category(slug="treatments-outcomes", name="Treatments & outcomes")
    venous = make.link(staff, "Venous angioplasty explained", "https://clinic.example.org/a",
                       site_wide=False, categories=[ccsvi])
    resources.set_note(moderator, venous,
                       "The randomized Brave Dreams trial found no benefit.")
    general = make.link(staff, "Our treatments", "https://clinic.example.org/t",
                        site_wide=False, categories=[outcomes])
    db.session.commit()
    return venous, general


def test_treatment_page_puts_the_evidence_first(client, reported, clinic_links):
    html = main_of(page(client, "/outcomes/t/ccsvi-angioplasty"))
    evidence = html.index('id="evidence"')
    assert evidence < html.index('id="figures"') < html.index('id="clinic-links"')
    assert "Brave Dreams trial found no benefit" in html[evidence:html.index('id="figures"')]


def test_treatment_page_shows_clinic_links_with_their_disclosure(client, reported,
                                                                  clinic_links):
    venous, general = clinic_links
    html = main_of(page(client, "/outcomes/t/ccsvi-angioplasty"))
    links = html[html.index('id="clinic-links"'):html.index('id="discussions"')]
    assert f'id="resource-{venous.id}"' in links
    assert "Provided by <strong>Vein Clinic of Example</strong>" in links
    assert f'id="resource-{general.id}"' not in links


def test_other_treatments_show_links_pinned_in_treatments_and_outcomes(client, registry,
                                                                       clinic_links):
    venous, general = clinic_links
    registry.treatment("dmt-natalizumab", "Natalizumab", kind="dmt")
    registry.commit()
    html = main_of(page(client, "/outcomes/t/dmt-natalizumab"))
    assert f'id="resource-{general.id}"' in html
    assert f'id="resource-{venous.id}"' not in html


def test_treatment_page_lists_linked_threads_latest_activity_first(client, registry, make,
                                                                   reported):
    older = make.thread(title="My angioplasty, a year on")
    newer = make.thread(title="Restenosis after six months")
    unlinked = make.thread(title="Nothing to do with it")
    make.reply(older, body="Still the same")  # now the latest activity
    registry.link_thread(older, reported)
    registry.link_thread(newer, reported)
    registry.commit()

    html = main_of(page(client, "/outcomes/t/ccsvi-angioplasty"))
    discussions = html[html.index('id="discussions"'):]
    assert discussions.index(older.title) < discussions.index(newer.title)
    assert unlinked.title not in discussions


def test_treatment_page_leaves_out_threads_the_viewer_may_not_see(client, registry, make, db,
                                                                  reported):
    waiting = make.thread(title="Waiting for a moderator")
    deleted = make.thread(title="Deleted by a moderator")
    waiting.pending = True
    deleted.deleted_at = utcnow()
    registry.link_thread(waiting, reported)
    registry.link_thread(deleted, reported)
    registry.commit()

    html = page(client, "/outcomes/t/ccsvi-angioplasty")
    assert waiting.title not in html and deleted.title not in html


def test_visitor_reading_the_figures_writes_nothing(client, db, reported):
    before = database_snapshot(db)
    page(client, "/outcomes")
    page(client, "/outcomes/t/ccsvi-angioplasty?ms_type=rrms")
    assert database_snapshot(db) == before


@pytest.mark.parametrize("url", ["/outcomes", "/outcomes/t/ccsvi-angioplasty"])
def test_visitor_pages_can_be_kept_by_a_shared_cache(client, reported, url):
    first = client.get(url)
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "Set-Cookie" not in first.headers
    etag, _ = first.get_etag()
    again = client.get(url, headers={"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304


@pytest.mark.parametrize("slug", ["CCSVI-ANGIOPLASTY", "ccsvi-angioplasty%20", "%C3%A9",
                                  "a" * 300, "..%2F..%2Fetc", "%F0%9F%98%80", "1"])
def test_odd_treatment_addresses_are_not_found(client, reported, slug):
    assert client.get(f"/outcomes/t/{slug}").status_code == 404
