"""axe-core on every page of the forum (pages.CATALOGUE), in the default, high-contrast and
dark themes and at 175% text: a serious or critical WCAG 2.x A/AA violation fails the test
that names the page and the variant; moderate ones are listed at the end of the run."""
from __future__ import annotations

import pytest

import axe
import pages
import readers as reading
from pages import CATALOGUE, EXCLUDED
from readers import VARIANTS

# Variant by variant, so each role's display changes a few times per process.
CASES = [(variant, entry) for variant in VARIANTS for entry in CATALOGUE]


@pytest.fixture(scope="session")
def readers(demo_site, chromium):
    yield reading.readers_for(chromium, demo_site)
    reading.close_all()


@pytest.mark.parametrize(("variant", "entry"), CASES,
                         ids=[f"{entry.name}-{variant}" for variant, entry in CASES])
def test_page_has_no_serious_accessibility_violation(readers, variant, entry):
    page = readers[entry.role].visit(entry, variant)
    axe.check(page, f"{entry.name} as {entry.role}, {variant}: {page.url}")


def test_every_page_of_the_site_is_in_the_catalogue(demo_site):
    app = demo_site.app
    pages.prepare(app)
    covered = pages.endpoints_covered(app)
    get_routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    missing = sorted(get_routes - covered.keys() - EXCLUDED.keys())
    assert not missing, ("GET routes no catalogue page reaches; add a line to "
                         f"tests/browser/pages.py (or exclude it, with the reason): {missing}")


def test_every_exclusion_names_a_route_the_catalogue_does_not_reach(demo_site):
    app = demo_site.app
    pages.prepare(app)
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert not EXCLUDED.keys() - endpoints, "excluded routes that no longer exist"
    assert not EXCLUDED.keys() & pages.endpoints_covered(app).keys(), (
        "excluded routes that have a catalogue page")


def test_catalogue_names_are_unique_and_roles_known():
    names = [entry.name for entry in CATALOGUE]
    assert len(names) == len(set(names))
    assert {entry.role for entry in CATALOGUE} <= pages.ROLES.keys()
