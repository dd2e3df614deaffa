"""Browser tests: Playwright for Python driving Debian's Chromium at /usr/bin/chromium.

They run when Chromium is there and are skipped when it is not, except in CI (CI=true),
where a missing browser fails the run, as a missing PostgreSQL does. `.ci/run` installs
Chromium when it is missing; nothing here downloads a browser.

Fixtures:
- `chromium`: one browser per test process.
- `page`: a fresh browser context and page per test (its own cookies), desktop width.
- `live_server`: the test's own app (on SQLite and on PostgreSQL, like every database
  test) served on a free port; `live_server("/path")` is the page's address.
- `demo_site`: a forum loaded with the demo data, one per test process, for scanning
  every page; tests must not change what others read there.
"""
from __future__ import annotations

import os

import pytest

import axe
from site_server import CHROMIUM, demo_site as build_demo_site, serve
from support import in_ci

DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config, items) -> None:
    for item in items:
        if "/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter) -> None:
    if axe.listed:
        terminalreporter.section("axe: moderate and minor findings (not failures)")
        for finding in axe.listed:
            terminalreporter.write_line(finding)


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        if in_ci():
            pytest.fail(f"Chromium is not at {CHROMIUM}, and CI requires the browser tests; "
                        "`.ci/run` installs it (apt-get install chromium)")
        pytest.skip(f"Chromium is not at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport=DESKTOP)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def live_server(app, db):
    db.session.commit()
    with serve(app) as server:
        yield server


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory, chromium):
    os.environ.pop("JOBS_REDIS_URL", None)
    with build_demo_site(tmp_path_factory.mktemp("demo-site")) as server:
        yield server
