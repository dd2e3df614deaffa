"""Expiry dates and the order of a clinic's links.

A link whose expiry date has passed is shown nowhere (its staff still see it in
their own list, marked "not shown"); a link expiring today is still shown. New
links go to the end of their clinic's list; staff move them up and down.
"""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from forum.resources import services
from forum.resources.models import ResourceLink
from support import csrf_from


@pytest.fixture
def order_clinic(make):
    return make.clinic("Vein Care Clinic")


@pytest.fixture
def order_staff(make, order_clinic):
    return make.staff("vein_staff", order_clinic)


@pytest.fixture
def topic(make):
    return make.category(slug="ccsvi", name="CCSVI")


def pin(staff, title, category=None, site_wide=True, expires_on=None):
    slug = re.sub(r"\W+", "-", title.lower())
    return services.pin_link(staff, title, f"https://example.org/{slug}", "A page to read.",
                             site_wide, [category] if category else [], expires_on=expires_on)


def main_part(html: str) -> str:
    """The page's <main>: what a reader sees, not the <head>."""
    return html.split("<main", 1)[1]


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return main_part(response.get_data(as_text=True))


# Expiry ----------------------------------------------------------------------------------

@pytest.fixture
def expired(db, order_staff, topic):
    link = pin(order_staff, "Relief After Angioplasty", topic)
    link.expires_on = date.today() - timedelta(days=1)  # pin_link refuses a past date
    db.session.commit()
    return link


@pytest.fixture
def expires_today(order_staff, topic):
    return pin(order_staff, "Treatment Options", topic, expires_on=date.today())


@pytest.mark.parametrize("url", ["/", "/c/ccsvi", "/resources"])
def test_an_expired_link_is_not_shown(client, expired, url):
    assert expired.title not in page(client, url)


def test_an_expired_links_outbound_address_is_404(client, expired):
    assert client.get(f"/r/{expired.id}").status_code == 404


@pytest.mark.parametrize("url", ["/", "/c/ccsvi", "/resources"])
def test_a_link_expiring_today_is_still_shown(client, expires_today, url):
    assert expires_today.title in page(client, url)


def test_a_link_expiring_today_still_redirects(client, expires_today):
    assert client.get(f"/r/{expires_today.id}").status_code == 302


def test_staff_still_see_an_expired_link_marked_not_shown(client, login, order_staff, expired):
    login(order_staff)

    own = page(client, "/resources").split('id="own-links"', 1)[1]

    item = own.split(expired.title, 1)[1].split("</li>", 1)[0]
    assert '<span class="badge">not shown</span>' in item


def test_a_link_expiring_today_is_not_marked_not_shown(client, login, order_staff,
                                                       expires_today):
    login(order_staff)

    own = page(client, "/resources").split('id="own-links"', 1)[1]

    item = own.split(expires_today.title, 1)[1].split("</li>", 1)[0]
    assert "not shown" not in item


# Ordering --------------------------------------------------------------------------------

TITLES = ["First Link", "Second Link", "Third Link"]


@pytest.fixture
def three(order_staff):
    return [pin(order_staff, title) for title in TITLES]


def order_in(html: str, titles=TITLES) -> list[str]:
    found = sorted((html.index(title), title) for title in titles if title in html)
    return [title for _, title in found]


def public_order(client) -> list[str]:
    listing = page(client, "/resources").split('id="own-links"', 1)[0]
    return order_in(listing)


def own_order(client) -> list[str]:
    return order_in(page(client, "/resources").split('id="own-links"', 1)[1])


def home_order(client) -> list[str]:
    return order_in(page(client, "/").split('class="resources-panel"', 1)[1])


def move(client, link, direction: str):
    token = csrf_from(client.get("/resources").get_data(as_text=True))
    return client.post(f"/resources/{link.id}/move",
                       data={"direction": direction, "csrf_token": token})


def positions(db, clinic) -> list[str]:
    db.session.commit()  # end the test's unit of work, to read what the requests left
    return list(db.session.scalars(select(ResourceLink.title)
                                   .where(ResourceLink.clinic_id == clinic.id)
                                   .order_by(ResourceLink.position)))


def test_new_links_go_to_the_end_of_the_clinics_list(client, db, order_clinic, three):
    assert positions(db, order_clinic) == TITLES
    assert public_order(client) == TITLES
    assert home_order(client) == TITLES


def test_a_new_link_goes_after_a_moved_one(client, login, db, order_clinic, order_staff,
                                           three):
    login(order_staff)
    move(client, three[2], "up")

    pin(order_staff, "Fourth Link")

    assert positions(db, order_clinic) == ["First Link", "Third Link", "Second Link",
                                           "Fourth Link"]


def test_moving_a_link_up_swaps_it_with_the_one_above(client, login, order_staff, three):
    login(order_staff)

    response = move(client, three[1], "up")

    assert response.status_code == 302
    expected = ["Second Link", "First Link", "Third Link"]
    assert own_order(client) == expected
    assert public_order(client) == expected
    assert home_order(client) == expected


def test_moving_a_link_down_swaps_it_with_the_one_below(client, login, order_staff, three):
    login(order_staff)

    response = move(client, three[1], "down")

    assert response.status_code == 302
    expected = ["First Link", "Third Link", "Second Link"]
    assert own_order(client) == expected
    assert public_order(client) == expected
    assert home_order(client) == expected


def test_moving_the_first_link_up_changes_nothing(client, login, db, order_clinic,
                                                  order_staff, three):
    login(order_staff)

    response = move(client, three[0], "up")

    assert response.status_code == 302
    assert positions(db, order_clinic) == TITLES
    assert own_order(client) == TITLES


def test_moving_the_last_link_down_changes_nothing(client, login, db, order_clinic,
                                                   order_staff, three):
    login(order_staff)

    response = move(client, three[2], "down")

    assert response.status_code == 302
    assert positions(db, order_clinic) == TITLES


def test_a_bad_direction_is_refused_and_changes_nothing(client, login, db, order_clinic,
                                                   order_staff, three):
    login(order_staff)

    response = move(client, three[1], "sideways")

    assert response.status_code == 422
    assert positions(db, order_clinic) == TITLES


def test_moving_skips_over_unpinned_links(client, login, db, order_clinic, order_staff, three):
    services.unpin_link(order_staff, three[1])
    login(order_staff)

    move(client, three[2], "up")

    assert own_order(client) == ["Third Link", "First Link"]


def test_moving_only_reorders_within_the_clinic(client, login, db, make, order_clinic,
                                                order_staff, three):
    rival = make.clinic("Other Vein Clinic")
    rival_link = pin(make.staff("rival_staff", rival), "Rival Link")
    login(order_staff)

    move(client, three[2], "down")

    assert positions(db, order_clinic) == TITLES
    assert positions(db, rival) == [rival_link.title]
