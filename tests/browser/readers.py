"""The people who read the demo forum in the page scans and checks: one browser context per
role for the whole test process, signed in once through the login form, and the display
variants (themes, text size) chosen through the real display form.

A member's display choice is kept on their account, so a variant is applied only when it
differs from the one last applied for that role; the tests run variant by variant, so each
role changes it a few times per process, not once per page. When the process ends, every
demo account is put back to the default display.
"""
from __future__ import annotations

import re

import pytest

import axe
from pages import ROLES, Page, path_of, prepare
from site_data import DEMO_PASSWORD

DESKTOP = {"width": 1280, "height": 900}
PHONE_WIDTH = 320

# name: (text_size, theme), as the display form takes them.
VARIANTS = {
    "default": ("100", "system"),
    "high-contrast": ("100", "high-contrast"),
    "dark": ("100", "dark"),
    "text-175": ("175", "system"),
}

_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


class Reader:
    """One role's browser context and page, reused by every test in the process."""

    def __init__(self, browser, server, role: str):
        self.server, self.role, self.username = server, role, ROLES[role]
        self.context = browser.new_context(viewport=DESKTOP)
        self.context.set_default_timeout(15_000)
        axe.prepare(self.context)
        self.page = self.context.new_page()
        self.shown: str | None = None  # the variant last applied (None: not yet known)
        if self.username is not None:
            self._sign_in()

    def _sign_in(self) -> None:
        page = self.page
        page.goto(self.server("/login"))
        form = page.locator("main form", has=page.locator("[name=password]"))
        form.locator("[name=login]").fill(self.username)
        form.locator("[name=password]").fill(DEMO_PASSWORD)
        with page.expect_navigation():
            form.get_by_role("button", name="Sign in").click()
        assert "/login" not in page.url, f"{self.username} could not sign in: {page.url}"

    def show(self, variant: str) -> None:
        """Choose the variant through /display, unless it is already the one shown."""
        if variant == self.shown:
            return
        size, theme = VARIANTS[variant]
        form_page = self.context.request.get(self.server("/display"))
        if form_page.status == 404:
            if variant != "default":
                pytest.skip("the display form (/display) is not there yet")
            self.shown = variant
            return
        match = _TOKEN.search(form_page.text())
        assert match, "the display form has no CSRF token"
        response = self.context.request.post(self.server("/display"), form={
            "csrf_token": match.group(1) or match.group(2), "text_size": size, "theme": theme})
        html = response.text()
        assert response.ok and f"text-{size} theme-{theme}" in html, (
            f"the display form did not apply {variant} for {self.role}: {response.status}")
        self.shown = variant

    def open(self, path: str, status: int = 200):
        """Go to `path` and return the page, once it has loaded with the expected status."""
        response = self.page.goto(self.server(path))
        assert response is not None and response.status == status, (
            f"{path} as {self.role}: {response.status if response else 'no response'}, "
            f"expected {status}")
        return self.page

    def visit(self, entry: Page, variant: str = "default", width: int | None = None):
        """A catalogue page, shown in `variant`, at desktop width or `width` pixels."""
        self.show(variant)
        self.page.set_viewport_size({**DESKTOP, "width": width} if width else DESKTOP)
        return self.open(path_of(self.server.app, entry), entry.status)

    def close(self) -> None:
        try:
            if self.shown not in (None, "default"):
                self.show("default")
        finally:
            self.context.close()


class Readers:
    def __init__(self, browser, server):
        self.browser, self.server = browser, server
        self._by_role: dict[str, Reader] = {}

    def __getitem__(self, role: str) -> Reader:
        if role not in self._by_role:
            self._by_role[role] = Reader(self.browser, self.server, role)
        return self._by_role[role]

    def close(self) -> None:
        readers, self._by_role = list(self._by_role.values()), {}
        for reader in readers:
            reader.close()


# One set per browser and demo forum, shared by every test module of the process.
_shared: dict[tuple[int, str], Readers] = {}


def readers_for(browser, server) -> Readers:
    key = (id(browser), server.url)
    if key not in _shared:
        prepare(server.app)
        _shared[key] = Readers(browser, server)
    return _shared[key]


def close_all() -> None:
    while _shared:
        _shared.popitem()[1].close()
