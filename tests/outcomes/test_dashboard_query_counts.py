"""The figures' pages run a fixed number of SQL statements, however many reports there are.

Each page is measured with a few reports, then again with many more (over more
treatments, MS types, years, follow-ups, complications, linked threads and clinic
links); the number of statements must stay the same.
"""
from __future__ import annotations

import pytest

from forum.resources import services as resources
from outcomes.figures_data import Registry, months_ago, symptoms

# A treatment page: the treatment, 4 for the figures, 4 for the clinic links (category,
# links, their categories, their notes), 2 for the threads; a member's page adds what
# every page costs them (session, account, notices, follow-ups due).
MAX_STATEMENTS = 16
PAGES = ["/outcomes", "/outcomes?ms_type=rrms", "/outcomes?year={year}",
         "/outcomes/t/ccsvi-angioplasty", "/outcomes/t/ccsvi-angioplasty?ms_type=spms",
         "/outcomes/t/ccsvi-angioplasty?ms_type=rrms&year={year}", "/outcomes.csv"]


@pytest.fixture
def registry(db, make) -> Registry:
    return Registry(db, make)


@pytest.fixture(params=["anonymous", "member"])
def reader(request, login, make):
    if request.param == "member":
        login(make.user("reader"))
    return request.param


@pytest.fixture
def measure(client, count_queries):
    def run(url: str) -> list[str]:
        with count_queries() as statements:
            response = client.get(url)
            response.get_data()  # the CSV streams: its queries run as it is read
        assert response.status_code == 200, url
        return list(statements)

    return run


def grow(registry, make, treatments, count: int, offset: int) -> None:
    """`count` reports per treatment, of every MS type and several years, with
    follow-ups, complications, a linked thread each time."""
    types = ["rrms", "spms", "ppms", "cis", "unsure"]
    for treatment in treatments:
        for index in range(count):
            report = registry.report(treatment, months_ago(3 + 7 * (index + offset)),
                                     ms_type=types[index % len(types)], consent=True)
            for months in (1, 3)[: 1 + index % 2]:
                registry.follow_up(report, months, 1 + index % 7,
                                   now=symptoms(index % 5),
                                   complications=("restenosis", "other")[: index % 3])
        registry.link_thread(make.thread(title=f"Thread {offset}"), treatment)
    registry.commit()


@pytest.fixture
def world(registry, make, moderator):
    treatments = [registry.treatment(), registry.treatment("dmt-natalizumab", "Natalizumab",
                                                           kind="dmt", position=1)]
    staff = make.staff("vein_anna", make.clinic("Vein Clinic of Example"))
    ccsvi = make.category(slug="ccsvi", name="CCSVI")
    resources.set_note(moderator, make.link(staff, site_wide=False, categories=[ccsvi]),
                       "No benefit in the Brave Dreams trial.")
    grow(registry, make, treatments, 2, 0)
    return treatments, staff, ccsvi, moderator


@pytest.mark.parametrize("url", PAGES)
def test_figures_statements_do_not_grow_with_reports(registry, make, measure, world, reader,
                                                     url):
    url = url.format(year=months_ago(10).year)
    few = measure(url)

    treatments, staff, ccsvi, moderator = world
    treatments.append(registry.treatment("diet", "Diet", kind="diet", position=2))
    grow(registry, make, treatments, 12, 2)
    for index in range(3):
        link = make.link(staff, f"Link {index}", f"https://clinic.example.org/{index}",
                         site_wide=False, categories=[ccsvi])
        resources.set_note(moderator, link, f"Note {index}")
    make.db.session.commit()
    many = measure(url)

    assert len(many) == len(few) <= MAX_STATEMENTS, many
