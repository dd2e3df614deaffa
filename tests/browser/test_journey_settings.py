"""Keyboard journeys in a reader's own settings: text size and contrast, and downloading
a copy of everything they wrote."""
from __future__ import annotations

import json
import zipfile

import axe
from journeys import flashes, mailed_link, reread, sign_in, start
from keyboard import check_box, choose, follow, tab_to_control


def html_classes(page) -> list[str]:
    return page.evaluate("() => [...document.documentElement.classList]")


def test_a_visitor_chooses_larger_text_and_high_contrast_from_any_page(page, live_server,
                                                                        make):
    make.category(name="Living with MS")

    start(page, live_server, "/", "home")
    follow(page, "Text size and contrast")
    axe.check(page, "text size and contrast")
    choose(page, "text_size", "Larger (150%)")
    choose(page, "theme", "High contrast")
    check_box(page, "Reading-friendly text")
    follow(page, "Save display settings")

    assert page.url == live_server("/")  # back where the visitor came from
    assert "Display settings saved for this browser" in flashes(page)
    assert {"text-150", "theme-high-contrast", "readable-font"} <= set(html_classes(page))
    axe.check(page, "home, at 150% in high contrast")
    kept = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    assert kept["display"] == "150.high-contrast.0.1"  # remembered by this browser


def test_a_member_chooses_the_largest_text_and_the_dark_theme_in_settings(page, live_server,
                                                                           db, make):
    member = make.user("river_fern")

    sign_in(page, live_server, member, next_path="/settings")
    axe.check(page, "settings")
    follow(page, "Display", exact=True)
    axe.check(page, "settings: display")
    choose(page, "text_size", "Largest (175%)")
    choose(page, "theme", "Dark")
    check_box(page, "Reduce motion")
    follow(page, "Save display settings")

    assert "Display settings saved." in flashes(page)
    assert {"text-175", "theme-dark", "reduce-motion"} <= set(html_classes(page))
    assert "text-100" not in html_classes(page)
    axe.check(page, "settings: display, at 175% in the dark theme")
    reread(db)
    db.session.refresh(member)
    assert (member.display_text_size, member.display_theme, member.display_reduce_motion) \
        == (175, "dark", True)


def test_a_member_exports_their_data_and_downloads_it(page, live_server, make, outbox):
    member = make.user("river_fern")
    make.thread(author=member, title="My first year", body="Fatigue was the worst part.")

    sign_in(page, live_server, member, next_path="/settings/export")
    axe.check(page, "download your data")
    follow(page, "Prepare my export")
    assert "We are preparing your export" in flashes(page)

    # The job has run (inline, in tests): the mail says it is ready, and links to the page.
    link = mailed_link(outbox, live_server, "/settings/")
    assert link == live_server("/settings/export")
    page.goto(link)
    axe.check(page, "download your data, ready")
    tab_to_control(page, "Download the export asked for")
    with page.expect_download() as downloading:
        page.keyboard.press("Enter")
    download = downloading.value

    assert download.suggested_filename.endswith(".zip")
    with zipfile.ZipFile(download.path()) as archive:
        data = next(name for name in archive.namelist() if name.endswith(".json"))
        written = json.loads(archive.read(data))
    assert "Fatigue was the worst part." in json.dumps(written)
