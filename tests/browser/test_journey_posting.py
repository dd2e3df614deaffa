"""Keyboard journeys: starting a thread, replying, and quoting a post with and without
JavaScript."""
from __future__ import annotations

from sqlalchemy import select

import axe
from journeys import flashes, reread, sign_in
from keyboard import fill_field, follow, tab, tab_to_control


def thread_path(thread) -> str:
    return f"/t/{thread.id}/{thread.slug}"


def test_a_member_starts_a_thread_in_a_category(page, live_server, db, make):
    from forum.boards.models import Thread

    make.category(slug="living-with-ms", name="Living with MS")
    member = make.user("river_fern")

    sign_in(page, live_server, member)
    follow(page, "Living with MS")
    axe.check(page, "category")
    follow(page, "Start a new thread")
    axe.check(page, "new thread")
    fill_field(page, "Title", "Cooling vests in summer")
    fill_field(page, "Your post", "Which vest keeps you cool longest?")
    follow(page, "Post thread")

    assert "Your thread is posted" in flashes(page)
    assert page.locator("h1").inner_text() == "Cooling vests in summer"
    assert "Which vest keeps you cool longest?" in page.locator(".post-body").inner_text()
    axe.check(page, "thread, just started")
    reread(db)
    thread = db.session.scalars(select(Thread)).one()
    assert (thread.title, thread.category.slug) == ("Cooling vests in summer", "living-with-ms")


def test_a_member_replies_to_a_thread(page, live_server, db, make):
    from forum.boards.models import Post

    thread = make.thread(title="Heat and fatigue", body="Summer knocks me flat.")
    member = make.user("river_fern")

    sign_in(page, live_server, member, next_path=thread_path(thread))
    axe.check(page, "thread, signed in")
    fill_field(page, "Your reply", "A cold shower before going out helps me.")
    follow(page, "Post reply")

    reread(db)
    reply = db.session.scalars(select(Post).where(Post.author_id == member.id)).one()
    assert page.url.endswith(f"#p{reply.id}")
    assert "A cold shower before going out helps me." in \
        page.locator(f"#p{reply.id} .post-body").inner_text()


def test_quote_fills_the_reply_box_in_place_and_moves_the_focus_there(page, live_server,
                                                                       make):
    thread = make.thread(title="Heat and fatigue", body="Summer knocks me flat.")
    member = make.user("river_fern")

    sign_in(page, live_server, member, next_path=thread_path(thread))
    url = page.url
    tab_to_control(page, "Quote")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.id === 'body'")

    assert page.url == url  # filled in place, not by loading the page again
    box = page.locator("#body")
    assert "> Summer knocks me flat." in box.input_value()
    fill_after_quote(page, "Me too, every July.")
    follow(page, "Post reply")
    assert "Summer knocks me flat." in page.locator(".post-body blockquote").inner_text()


def test_quote_without_javascript_opens_the_reply_with_the_quote(page, live_server, make):
    thread = make.thread(title="Heat and fatigue", body="Summer knocks me flat.")
    member = make.user("river_fern")
    context = page.context.browser.new_context(java_script_enabled=False,
                                               viewport=page.viewport_size)
    try:
        page = context.new_page()
        sign_in(page, live_server, member, next_path=thread_path(thread), scan=False)
        follow(page, "Quote")

        assert "quote=" in page.url
        tab(page)  # the page opened at the reply heading: the next stop is the reply box
        assert page.evaluate("() => document.activeElement.id") == "body"
        assert "> Summer knocks me flat." in page.locator("#body").input_value()
        fill_after_quote(page, "Me too, every July.")
        follow(page, "Post reply")
        assert "Summer knocks me flat." in page.locator(".post-body blockquote").inner_text()
    finally:
        context.close()


def fill_after_quote(page, text: str) -> None:
    """Type below the quote in the focused reply box, keeping the quote."""
    page.keyboard.press("Control+End")
    page.keyboard.type(text)
