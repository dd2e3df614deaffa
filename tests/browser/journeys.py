"""What the keyboard journeys share: signing in through the form, following a mailed link,
reading what the page says back, and looking at the database the live server wrote to."""
from __future__ import annotations

from contextlib import contextmanager

import axe
from keyboard import fill_field, follow, settle, tab
from support import TEST_PASSWORD, link_in

MAIL_BASE_URL = "http://localhost"  # FORUM_BASE_URL in the tests' settings


def start(page, live_server, path: str, where: str | None = None, scan: bool = True) -> None:
    """Open a journey's first page in a context that scans every page it opens. (A context
    without JavaScript cannot scan: axe waits on timers that never fire there.)"""
    if scan:
        axe.prepare(page.context)
    page.goto(live_server(path))
    if scan:
        axe.check(page, where or path)


def sign_in(page, live_server, user, password: str = TEST_PASSWORD,
            next_path: str | None = None, scan: bool = True) -> None:
    """Sign in through the form, by keyboard, from the first page of a journey."""
    start(page, live_server, "/login" + (f"?next={next_path}" if next_path else ""),
          "sign in", scan)
    fill_field(page, "Username or email", user.username)
    fill_field(page, "Password", password)
    follow(page, "Sign in", exact=True)
    assert f"Signed in as {user.username}" in flashes(page)


def mailed_link(outbox, live_server, prefix: str) -> str:
    """The newest mail's link beginning with `prefix` (a path), on the live server."""
    messages = outbox()
    assert messages, "no mail was sent"
    link = link_in(messages[-1], MAIL_BASE_URL + prefix)
    return live_server.url + link[len(MAIL_BASE_URL):]


def flashes(page) -> str:
    shown = page.locator(".flashes")
    return shown.inner_text() if shown.count() else ""


def focused_in_main(page) -> bool:
    return page.evaluate("() => !!document.activeElement.closest('main')")


def use_skip_link(page) -> None:
    """The first Tab on a page reaches the skip link, and Enter moves the focus into main."""
    tab(page)
    assert page.evaluate("() => document.activeElement.innerText").strip() == \
        "Skip to main content"
    page.keyboard.press("Enter")
    settle(page)  # the browser moves the focus to the link's target as it draws the page
    assert focused_in_main(page), "the skip link left the focus outside main"


def reread(db) -> None:
    """End the test's own transaction, so what the server committed since is seen."""
    db.session.rollback()
    db.session.expire_all()


@contextmanager
def another_browser(page):
    """A second browser (its own cookies) beside the journey's, for another person."""
    context = page.context.browser.new_context(viewport=page.viewport_size)
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()
