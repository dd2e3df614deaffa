"""Keyboard journey: searching from the box in every page's header."""
from __future__ import annotations

import axe
from journeys import start
from keyboard import fill_field, follow, settle


def test_a_visitor_searches_from_the_header_and_opens_a_hit(page, live_server, make):
    thread = make.thread(title="Cooling vests in summer",
                         body="My vest keeps me going through the heatwave.")
    make.thread(title="Walking poles", body="Poles help my balance on trails.")

    start(page, live_server, "/", "home")
    fill_field(page, "Search the forum", "heatwave vest")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    settle(page)
    axe.check(page, "search results")
    results = page.locator(".search-results").inner_text()
    assert "1 result" in results and "Walking poles" not in results
    follow(page, "Cooling vests in summer", exact=True)

    assert page.url.startswith(live_server(f"/t/{thread.id}/"))
    assert page.locator("h1").inner_text() == "Cooling vests in summer"
    axe.check(page, "thread, from a search")
