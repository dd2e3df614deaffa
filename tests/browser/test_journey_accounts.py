"""Keyboard journeys: joining, confirming the address, signing in and out."""
from __future__ import annotations

from sqlalchemy import select

import axe
from journeys import flashes, mailed_link, reread, sign_in, start, use_skip_link
from keyboard import check_box, fill_field, follow
from support import TEST_PASSWORD


def test_a_visitor_joins_and_confirms_the_address_from_the_mail(page, live_server, db, outbox):
    from forum.auth.models import User

    start(page, live_server, "/register", "join")
    use_skip_link(page)
    fill_field(page, "Username", "new_fern")
    fill_field(page, "Email", "new_fern@example.org")
    fill_field(page, "Password", TEST_PASSWORD)
    fill_field(page, "Password again", TEST_PASSWORD)
    check_box(page, "accept the community guidelines")
    follow(page, "Create my account")
    assert "We have sent a link to your email address" in flashes(page)
    axe.check(page, "sign in, after joining")

    page.goto(mailed_link(outbox, live_server, "/verify/"))
    axe.check(page, "confirm your email")
    follow(page, "Confirm my email address")

    assert "your email address is confirmed" in flashes(page)
    fill_field(page, "Username or email", "new_fern")
    fill_field(page, "Password", TEST_PASSWORD)
    follow(page, "Sign in", exact=True)
    assert "Signed in as new_fern" in flashes(page)
    assert "Please confirm your email address" not in page.locator("body").inner_text()
    reread(db)
    user = db.session.scalars(select(User).where(User.username == "new_fern")).one()
    assert user.is_verified


def test_a_member_signs_in_and_out(page, live_server, make):
    member = make.user("river_fern")

    sign_in(page, live_server, member)
    axe.check(page, "home, signed in")
    assert "Signed in as river_fern" in page.locator("header").inner_text()
    follow(page, "Sign out")

    assert "You have signed out" in flashes(page)
    assert "Sign in" in page.locator("header").inner_text()
