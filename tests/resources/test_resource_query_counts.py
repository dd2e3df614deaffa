"""The pages that show clinic links run a fixed number of SQL statements.

Each page is measured with 2 links, then with 12 (over 2 clinics, each with an
evidence note and pinned in several categories); the counts must be equal.
"""
from __future__ import annotations

import pytest

from forum.resources import services
from forum.resources.models import Clinic

PAGES = ["/resources", "/", "/c/ccsvi"]


@pytest.fixture
def counted_clinics(db):
    clinics = [Clinic(name="Vein Care Clinic"), Clinic(name="Other Vein Clinic")]
    db.session.add_all(clinics)
    db.session.commit()
    return clinics


@pytest.fixture
def counted_staff(make, counted_clinics):
    return [make.user(f"staff{index}", role="clinic_staff", clinic=clinic)
            for index, clinic in enumerate(counted_clinics)]


@pytest.fixture
def counted_categories(make):
    return [make.category(slug="ccsvi", name="CCSVI", position=0),
            make.category(slug="treatments", name="Treatments", position=1),
            make.category(slug="living", name="Living with MS", position=2)]


@pytest.fixture
def note_writer(make):
    return make.user("warden", role="moderator")


@pytest.fixture
def add_links(counted_staff, counted_categories, note_writer):
    serial = iter(range(1000))

    def add(how_many: int) -> None:
        for index in range(how_many):
            number = next(serial)
            staff = counted_staff[number % 2]
            link = services.pin_link(
                staff, f"Resource number {number}", f"https://example.org/page-{number}",
                "Something to read.", True,
                counted_categories if number % 3 else counted_categories[:2])
            services.set_note(note_writer, link, f"**Evidence** on resource {number}.")

    return add


@pytest.fixture(params=["anonymous", "member", "staff", "moderator"])
def viewer(request, login, make, counted_staff, note_writer):
    if request.param == "member":
        login(make.user("river"))
    elif request.param == "staff":
        login(counted_staff[0])
    elif request.param == "moderator":
        login(note_writer)
    return request.param


@pytest.fixture
def measure(client, count_queries):
    def run(url: str, shows: str) -> list[str]:
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200, url
        assert shows in response.get_data(as_text=True)
        return list(statements)

    return run


@pytest.mark.parametrize("url", PAGES)
def test_statements_do_not_grow_with_links(measure, add_links, viewer, url):
    add_links(2)
    few = measure(url, shows="Resource number 1<")

    add_links(10)
    many = measure(url, shows="Resource number 11<")

    assert 0 < len(many) == len(few), many
