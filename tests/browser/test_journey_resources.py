"""Keyboard journey: clinic staff pin a resource link."""
from __future__ import annotations

from sqlalchemy import select

import axe
from journeys import flashes, reread, sign_in
from keyboard import check_box, fill_field, follow


def test_clinic_staff_pin_a_link_and_it_shows_with_the_clinic_disclosure(page, live_server,
                                                                         db, make):
    from forum.resources.models import ResourceLink

    make.category(slug="ccsvi", name="CCSVI")
    staff = make.staff("cvi_staff", clinic=make.clinic("Vein Care Clinic"))

    sign_in(page, live_server, staff, next_path="/resources")
    axe.check(page, "resources, as clinic staff")
    follow(page, "Pin a new link")
    axe.check(page, "pin a new link")
    fill_field(page, "Title", "What venous angioplasty involves")
    fill_field(page, "Address (URL)", "https://veincare.example.org/angioplasty")
    fill_field(page, "Short description", "The procedure, step by step.")
    check_box(page, "Pin on the home page (site-wide)")
    check_box(page, "CCSVI")
    follow(page, "Pin the link")

    assert "The link is pinned" in flashes(page)
    axe.check(page, "resources, a link just pinned")
    item = page.locator(".resource-list .resource", has_text="What venous angioplasty involves")
    assert "The procedure, step by step." in item.inner_text()
    assert "Provided by Vein Care Clinic, which offers the treatment described." in \
        item.locator(".disclosure").inner_text()
    reread(db)
    link = db.session.scalars(select(ResourceLink)).one()
    assert (link.url, link.site_wide, [c.slug for c in link.categories]) == \
        ("https://veincare.example.org/angioplasty", True, ["ccsvi"])
