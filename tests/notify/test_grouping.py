"""Activity is grouped: forty replies in one thread are one line, counted up while unread."""
from __future__ import annotations

from forum.boards import services as boards
from forum.notify.wording import REPLY


def test_forty_replies_are_one_line_with_their_count(db, make, thread, starter, lines):
    repliers = [make.user(f"replier{number}") for number in range(4)]
    first = None
    for number in range(40):
        post = boards.reply(repliers[number % 4], thread, f"Reply {number}")
        first = first or post
    db.session.commit()
    [line] = lines(starter, REPLY)
    assert line.count == 40
    assert line.post_id == first.id
    assert line.text == "40 new replies in “Cooling vests in summer”, the latest by replier3"


def test_a_read_group_is_not_counted_up_again(client, login, make, thread, starter, lines):
    make.reply(thread, author=make.user("heron"))
    login(starter)
    client.get(f"/t/{thread.id}")  # reading the thread reads its line
    make.reply(thread, author=make.user("robin"))
    read, new = lines(starter, REPLY)
    assert read.read_at is not None and read.count == 1
    assert new.read_at is None and new.count == 1


def test_the_notifications_page_links_each_line_to_its_place(client, login, make, thread,
                                                             starter, lines):
    make.reply(thread, author=make.user("heron"))
    [line] = lines(starter)
    login(starter)
    page = client.get("/notifications").get_data(as_text=True)
    assert "heron replied in “Cooling vests in summer”" in page
    assert '<span class="badge">new</span>' in page
    response = client.get(f"/notifications/{line.id}")
    assert response.headers["Location"] == f"/p/{line.post_id}"
    assert lines(starter)[0].read_at is not None


def test_someone_elses_line_is_not_found(client, login, make, thread, starter, lines):
    make.reply(thread, author=make.user("heron"))
    [line] = lines(starter)
    login(make.user("robin"))
    assert client.get(f"/notifications/{line.id}").status_code == 404


def test_the_header_counts_every_unread_line(client, login, make, thread, starter):
    for number in range(7):
        other = make.thread(author=make.user(f"opener{number}"))
        make.reply(other, author=starter)
        make.reply(other, author=make.user(f"answer{number}"))
    login(starter)
    page = client.get("/").get_data(as_text=True)
    assert 'Notices <span class="count">(7<span class="visually-hidden"> unread</span>)' in page


def test_mark_all_read_clears_the_header_count(client, login, make, thread, starter):
    from support import submit

    make.reply(thread, author=make.user("heron"))
    login(starter)
    submit(client, "/notifications/read", {}, form_page="/notifications")
    assert 'class="count"' not in client.get("/").get_data(as_text=True)
