""""Quote": a GET of the thread with ?quote=<post id> starts the reply with the post as a
Markdown blockquote linked back to it; a little JavaScript does the same in place."""
from __future__ import annotations

import pytest

from forum.moderation import services as moderation
from support import form_state


def test_quote_fills_the_reply_box_with_the_post_and_a_link_back(
        client, login, make, thread, opening):
    login(make.user("heron"))

    response = client.get(f"/t/{thread.id}/{thread.slug}?quote={opening.id}")

    assert response.status_code == 200
    assert form_state(response.get_data(as_text=True))["body"] == [
        "> The vest helped me walk further.\n>\n> Try one in June.\n"
        f"> — [river](/p/{opening.id})\n\n"]


def test_each_post_a_member_may_reply_to_has_a_quote_link(client, login, make, thread, opening):
    login(make.user("heron"))

    html = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert f'href="/t/{thread.id}/{thread.slug}?quote={opening.id}#reply-heading"' in html


def test_a_visitor_gets_no_quote_link(client, thread, opening):
    html = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert "quote=" not in html and "quote.js" not in html


@pytest.mark.parametrize("quote", ["abc", "0", "99999", "١", "2147483648", "other-thread",
                                   "hidden"])
def test_a_quote_that_is_not_a_readable_post_of_the_thread_is_ignored(
        client, login, make, db, category, author, thread, opening, moderator, quote):
    if quote == "other-thread":
        quote = str(make.reply(make.thread(category=category, author=author), author).id)
    elif quote == "hidden":
        hidden = make.reply(thread, author, "Something regrettable")
        moderation.hide_post(moderator, hidden, "Unkind")
        db.session.commit()
        quote = str(hidden.id)
    login(make.user("heron"))

    response = client.get(f"/t/{thread.id}", query_string={"quote": quote})

    assert response.status_code == 200
    assert form_state(response.get_data(as_text=True))["body"] == [""]


def test_the_quote_script_is_referenced_and_served(client, login, make, thread):
    login(make.user("heron"))
    html = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert html.count('<script src="/static/js/quote.js" defer></script>') == 1
    script = client.get("/static/js/quote.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["Content-Type"]
    assert "quote-link" in script.get_data(as_text=True)
