"""Members watch the threads they start or reply to, and choose a level per thread and
per category."""
from __future__ import annotations

from forum.notify import watching
from forum.notify.wording import NEW_THREAD, REPLY
from support import submit


def test_starting_a_thread_watches_it(db, thread, starter):
    assert watching.thread_level(starter, thread) == "watching"


def test_replying_watches_the_thread(db, make, thread):
    heron = make.user("heron")
    make.reply(thread, author=heron)
    assert watching.thread_level(heron, thread) == "watching"


def test_the_starter_is_told_of_a_reply(make, thread, starter, lines):
    make.reply(thread, author=make.user("heron"))
    [line] = lines(starter, REPLY)
    assert line.text == "heron replied in “Cooling vests in summer”"


def test_muting_a_thread_stops_reply_notifications(client, login, make, thread, starter, lines):
    login(starter)
    response = submit(client, f"/t/{thread.id}/watch", {"level": "muted"},
                      form_page=f"/t/{thread.id}")
    assert response.status_code == 302
    make.reply(thread, author=make.user("heron"))
    assert lines(starter) == []


def test_a_muted_thread_stays_muted_after_replying_in_it(db, make, thread, starter, lines):
    watching.set_thread_level(starter, thread, "muted")
    db.session.commit()
    make.reply(thread, author=starter)
    make.reply(thread, author=make.user("heron"))
    assert watching.thread_level(starter, thread) == "muted"
    assert lines(starter) == []


def test_watching_a_category_tells_of_new_threads(client, login, make, category, lines):
    reader = make.user("reader")
    login(reader)
    submit(client, f"/c/{category.slug}/watch", {"level": "watching"},
           form_page=f"/c/{category.slug}")
    make.thread(category=category, author=make.user("heron"), title="Heat and fatigue")
    [line] = lines(reader, NEW_THREAD)
    assert line.text == "heron started a new thread in Living with MS: “Heat and fatigue”"


def test_the_thread_page_marks_the_current_level_in_text(client, login, thread, starter):
    login(starter)
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Notifications for this thread: <strong>Watching</strong>" in page
    assert "Watching (current)" in page


def test_visitors_get_no_watch_controls(client, thread):
    page = client.get(f"/t/{thread.id}").get_data(as_text=True)
    assert "Notifications for this thread" not in page


def test_an_unknown_level_is_refused(client, login, thread, starter):
    login(starter)
    response = submit(client, f"/t/{thread.id}/watch", {"level": "loud"},
                      form_page=f"/t/{thread.id}")
    assert response.status_code == 422
