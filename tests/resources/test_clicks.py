"""Outbound clicks: /r/<id> counts one click per link per day and redirects.

No per-person data is kept: a row per link per day with a count. Staff of the
link's clinic see the counts on the link's edit page; nobody else does.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import inspect, select

from forum.auth.models import User
from forum.resources import services
from forum.resources.models import ResourceClick

URL = "https://example.org/venous-angioplasty"


@pytest.fixture
def click_clinic(make):
    return make.clinic("Vein Care Clinic")


@pytest.fixture
def click_staff(make, click_clinic):
    return make.staff("vein_staff", click_clinic)


@pytest.fixture
def click_link(click_staff):
    return services.pin_link(click_staff, "Venous Angioplasty for CCSVI", URL,
                             "How the clinic does it.", True, [])


def click_rows(db, link=None) -> list[tuple[int, date, int]]:
    db.session.rollback()
    query = select(ResourceClick.link_id, ResourceClick.day, ResourceClick.count)
    if link is not None:
        query = query.where(ResourceClick.link_id == link.id)
    return [tuple(row) for row in db.session.execute(query.order_by(ResourceClick.day))]


def test_a_click_redirects_to_the_links_address(client, click_link):
    response = client.get(f"/r/{click_link.id}")

    assert response.status_code == 302
    assert response.headers["Location"] == URL


def test_a_click_adds_one_to_todays_count(client, db, click_link):
    client.get(f"/r/{click_link.id}")

    assert click_rows(db) == [(click_link.id, date.today(), 1)]


def test_the_click_table_holds_only_link_day_and_count(db, click_link):
    columns = {column["name"] for column in inspect(db.engine).get_columns("resource_clicks")}

    assert columns == {"link_id", "day", "count"}


def test_a_second_click_the_same_day_increments_the_same_row(client, new_client, db, click_link):
    client.get(f"/r/{click_link.id}")
    new_client().get(f"/r/{click_link.id}")

    assert click_rows(db) == [(click_link.id, date.today(), 2)]


def test_clicks_on_another_day_make_another_row(client, db, click_link):
    yesterday = date.today() - timedelta(days=1)
    services.record_click(click_link, yesterday)
    services.record_click(click_link, yesterday)

    client.get(f"/r/{click_link.id}")

    assert click_rows(db) == [(click_link.id, yesterday, 2), (click_link.id, date.today(), 1)]


def test_clicks_are_counted_per_link(client, db, click_staff, click_link):
    other = services.pin_link(click_staff, "Treatment Options",
                              "https://example.org/treatment-options", "", True, [])

    client.get(f"/r/{click_link.id}")
    client.get(f"/r/{other.id}")
    client.get(f"/r/{other.id}")

    assert click_rows(db, click_link) == [(click_link.id, date.today(), 1)]
    assert click_rows(db, other) == [(other.id, date.today(), 2)]


def _hide(db, make, link):
    services.hide_link(make.user("warden", role="moderator"), link, "Misleading claims")


def _unpin(db, make, link):
    services.unpin_link(db.session.get(User, link.created_by_id), link)


def _expire(db, make, link):
    link.expires_on = date.today() - timedelta(days=1)
    db.session.commit()


@pytest.mark.parametrize("take_down", [_hide, _unpin, _expire],
                         ids=["hidden", "unpinned", "expired"])
def test_a_link_no_longer_shown_is_404_and_counts_nothing(client, db, make, click_link,
                                                          take_down):
    take_down(db, make, click_link)

    response = client.get(f"/r/{click_link.id}")

    assert response.status_code == 404
    assert click_rows(db) == []


def test_an_unknown_link_is_404(client, db, click_link):
    response = client.get(f"/r/{click_link.id + 1000}")

    assert response.status_code == 404
    assert click_rows(db) == []


# Counts on the edit page ------------------------------------------------------------------

@pytest.fixture
def counted_link(click_link):
    today = date.today()
    for days_ago, clicks in ((0, 2), (10, 3), (40, 5)):
        for _ in range(clicks):
            services.record_click(click_link, today - timedelta(days=days_ago))
    return click_link


def test_staff_see_total_and_last_30_days_on_the_edit_page(client, login, click_staff,
                                                           counted_link):
    login(click_staff)

    response = client.get(f"/resources/{counted_link.id}/edit")

    assert response.status_code == 200
    assert "10 clicks in all, 5 in the last 30 days" in response.get_data(as_text=True)


def test_staff_see_the_clicks_of_each_recent_day(client, login, click_staff, counted_link):
    login(click_staff)
    today = date.today()

    html = client.get(f"/resources/{counted_link.id}/edit").get_data(as_text=True)

    assert f"<td>{today.isoformat()}</td><td>2</td>" in html
    assert f"<td>{(today - timedelta(days=10)).isoformat()}</td><td>3</td>" in html
    # Older days count in the total only.
    assert (today - timedelta(days=40)).isoformat() not in html


def test_staff_of_another_clinic_cannot_see_the_counts(client, login, db, make, counted_link):
    login(make.staff("rival_staff", make.clinic("Other Vein Clinic")))

    response = client.get(f"/resources/{counted_link.id}/edit")

    assert response.status_code == 403
    assert "clicks in all" not in response.get_data(as_text=True)
