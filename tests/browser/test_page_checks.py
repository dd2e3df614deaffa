"""What axe cannot judge, on every page of the forum (pages.CATALOGUE): targets of 44 by 44
pixels, no sideways scrolling on a 320-pixel screen (at 100% and 175% text), one h1, a skip
link that works, and a visible focus after every Tab (default and high-contrast themes)."""
from __future__ import annotations

import pytest

import checks
import readers as reading
from pages import CATALOGUE

ids = [entry.name for entry in CATALOGUE]
every_page = pytest.mark.parametrize("entry", CATALOGUE, ids=ids)

# Tests are grouped by display variant (default first, then 175% text, then high contrast),
# so that each role's display settings change a few times per process, not once a test.


@pytest.fixture(scope="session")
def readers(demo_site, chromium):
    yield reading.readers_for(chromium, demo_site)
    reading.close_all()


@every_page
def test_page_has_exactly_one_h1(readers, entry):
    page = readers[entry.role].visit(entry)
    assert checks.h1_count(page) == 1, f"{entry.name}: {checks.h1_count(page)} h1 elements"


@every_page
def test_every_control_is_at_least_44_pixels_each_way(readers, entry):
    page = readers[entry.role].visit(entry)
    small = checks.small_targets(page)
    assert not small, f"{entry.name} ({page.url}):\n" + "\n".join(small)


@every_page
def test_first_tab_reaches_the_skip_link_and_enter_moves_into_main(readers, entry):
    page = readers[entry.role].visit(entry)
    problem = checks.skip_link_problem(page)
    assert not problem, f"{entry.name} ({page.url}): {problem}"


@every_page
def test_focus_is_visible_after_every_tab(readers, entry):
    page = readers[entry.role].visit(entry)
    problems = checks.focus_walk(page)
    assert not problems, f"{entry.name} ({page.url}):\n" + "\n".join(problems)


@every_page
def test_no_sideways_scrolling_at_320_pixels(readers, entry):
    page = readers[entry.role].visit(entry, width=reading.PHONE_WIDTH)
    assert checks.sideways_overflow(page) == 0, (
        f"{entry.name} is {checks.sideways_overflow(page)}px wider than a 320px screen")


@every_page
def test_no_sideways_scrolling_at_320_pixels_with_175_percent_text(readers, entry):
    page = readers[entry.role].visit(entry, "text-175", width=reading.PHONE_WIDTH)
    assert checks.sideways_overflow(page) == 0, (
        f"{entry.name} at 175% text is {checks.sideways_overflow(page)}px wider than a "
        "320px screen")


@every_page
def test_focus_is_visible_after_every_tab_in_high_contrast(readers, entry):
    page = readers[entry.role].visit(entry, "high-contrast")
    problems = checks.focus_walk(page)
    assert not problems, f"{entry.name} ({page.url}), high contrast:\n" + "\n".join(problems)
