"""The moderation log: one entry per action, filterable, paged, and append-only."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import pytest
from sqlalchemy import func, select

from forum.audit import record
from forum.boards import services as boards
from forum.boards.models import Post
from forum.moderation import services
from forum.moderation.models import LogIsAppendOnly, ModerationAction, Report
from forum.timeutil import utcnow
from support import submit


@dataclass
class World:
    """A small forum with something to moderate."""

    moderator: object
    author: object
    heron: object
    thread: object
    opening: Post
    reply: Post
    elsewhere: object


@pytest.fixture
def world(db, make, mod_category, author, moderator) -> World:
    thread = make.thread(category=mod_category, author=author, title="Balance exercises")
    heron = make.user("heron")
    reply = boards.reply(heron, thread, "Try this miracle cure")
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread.id)
                                .order_by(Post.id))
    elsewhere = make.category(slug="research", name="Research")
    return World(moderator, author, heron, thread, opening, reply, elsewhere)


def log_rows(html: str) -> list[tuple[str, str, str, str]]:
    """(who, action, target, reason) for each row of the log table, newest first."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = [re.sub(r"<[^>]+>", "", cell).strip()
                 for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        rows.append(tuple(cells[1:]))
    return rows


def entry_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(ModerationAction))


# Every action writes one entry --------------------------------------------------------

@dataclass
class Case:
    prepare: Callable[[World, object], tuple[str, dict]]
    action: str
    target: Callable[[World, object], tuple[str, int]]


def _pending_reply(w: World, make):
    make.setting("approval_posts", "2")
    return boards.reply(make.user("newbie", new=True), w.thread, "Waiting for approval")


def _prepared(run, url, data):
    run()
    return url, data


CASES = {
    "hide a post": Case(
        lambda w, make: (f"/mod/posts/{w.reply.id}/hide", {"reason": "Why: misinformation"}),
        "post.hide", lambda w, db: ("post", w.reply.id)),
    "restore a post": Case(
        lambda w, make: _prepared(lambda: services.hide_post(w.moderator, w.reply, "First"),
                                  f"/mod/posts/{w.reply.id}/restore",
                                  {"reason": "Why: appeal upheld"}),
        "post.restore", lambda w, db: ("post", w.reply.id)),
    "edit a post": Case(
        lambda w, make: (f"/p/{w.reply.id}/edit",
                         {"body": "[removed]", "reason": "Why: unproven claim"}),
        "post.edit", lambda w, db: ("post", w.reply.id)),
    "approve a post": Case(
        lambda w, make: (f"/mod/posts/{_pending_reply(w, make).id}/approve",
                         {"reason": "Why: fine"}),
        "post.approve", lambda w, db: ("post", db.session.scalar(select(func.max(Post.id))))),
    "reject a post": Case(
        lambda w, make: (f"/mod/posts/{_pending_reply(w, make).id}/reject",
                         {"reason": "Why: advertising", "confirm": "yes"}),
        "post.reject", lambda w, db: ("post", db.session.scalar(select(func.max(Post.id))))),
    "lock a thread": Case(
        lambda w, make: (f"/mod/threads/{w.thread.id}/lock", {"reason": "Why: heated"}),
        "thread.lock", lambda w, db: ("thread", w.thread.id)),
    "unlock a thread": Case(
        lambda w, make: _prepared(
            lambda: services.set_thread_flag(w.moderator, w.thread, "lock", ""),
            f"/mod/threads/{w.thread.id}/unlock", {"reason": "Why: calmer"}),
        "thread.unlock", lambda w, db: ("thread", w.thread.id)),
    "pin a thread": Case(
        lambda w, make: (f"/mod/threads/{w.thread.id}/pin", {"reason": "Why: useful"}),
        "thread.pin", lambda w, db: ("thread", w.thread.id)),
    "unpin a thread": Case(
        lambda w, make: _prepared(
            lambda: services.set_thread_flag(w.moderator, w.thread, "pin", ""),
            f"/mod/threads/{w.thread.id}/unpin", {"reason": "Why: outdated"}),
        "thread.unpin", lambda w, db: ("thread", w.thread.id)),
    "move a thread": Case(
        lambda w, make: (f"/mod/threads/{w.thread.id}/move",
                         {"category": "research", "reason": "Why: better fit"}),
        "thread.move", lambda w, db: ("thread", w.thread.id)),
    "delete a thread": Case(
        lambda w, make: (f"/mod/threads/{w.thread.id}/delete", {"reason": "Why: duplicate"}),
        "thread.delete", lambda w, db: ("thread", w.thread.id)),
    "restore a thread": Case(
        lambda w, make: _prepared(
            lambda: services.delete_thread(w.moderator, w.thread, "Duplicate"),
            f"/mod/threads/{w.thread.id}/restore", {"reason": "Why: not a duplicate"}),
        "thread.restore", lambda w, db: ("thread", w.thread.id)),
    "suspend a member": Case(
        lambda w, make: ("/mod/users/heron/suspend", {"days": "7", "reason": "Why: abuse"}),
        "user.suspend", lambda w, db: ("user", w.heron.id)),
    "lift a suspension": Case(
        lambda w, make: _prepared(
            lambda: services.suspend(w.moderator, w.heron, 7, "Abuse"),
            "/mod/users/heron/unsuspend", {"reason": "Why: appeal"}),
        "user.unsuspend", lambda w, db: ("user", w.heron.id)),
    "dismiss reports": Case(
        lambda w, make: (f"/mod/reports/"
                         f"{services.report_post(w.author, w.reply, 'spam', '').id}/dismiss",
                         {"reason": "Why: fair comment", "confirm": "yes"}),
        "report.dismiss", lambda w, db: ("report", db.session.scalar(select(Report.id)))),
}


@pytest.mark.parametrize("name", list(CASES))
def test_every_moderator_action_writes_one_log_entry(client, login, db, make, world, name):
    case = CASES[name]
    url, data = case.prepare(world, make)
    before = entry_count(db)
    login(world.moderator)
    started = utcnow()

    response = submit(client, url, data)

    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert entry_count(db) == before + 1
    entry = db.session.scalar(select(ModerationAction).order_by(ModerationAction.id.desc()))
    assert entry.actor_id == world.moderator.id
    assert entry.action == case.action
    assert (entry.target_type, entry.target_id) == case.target(world, db)
    assert data["reason"] in entry.reason
    assert entry.target_label
    assert started - timedelta(seconds=1) <= entry.created_at <= utcnow()


def test_a_refused_action_writes_no_entry(client, login, db, world):
    login(world.moderator)

    response = submit(client, f"/mod/posts/{world.reply.id}/hide", {"reason": ""})

    assert response.status_code == 422
    assert entry_count(db) == 0


def test_the_log_page_shows_actor_action_target_and_reason(client, login, world):
    services.hide_post(world.moderator, world.reply, "Unproven claim")
    login(world.moderator)

    page = client.get("/mod/log").get_data(as_text=True)

    assert log_rows(page) == [
        ("warden", "post.hide",
         f"post {world.reply.id}: post in “Balance exercises” by heron", "Unproven claim")]
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ">', page)


def test_the_log_lists_the_newest_entry_first(client, login, world):
    services.set_thread_flag(world.moderator, world.thread, "pin", "")
    services.set_thread_flag(world.moderator, world.thread, "lock", "")
    login(world.moderator)

    rows = log_rows(client.get("/mod/log").get_data(as_text=True))

    assert [row[1] for row in rows] == ["thread.lock", "thread.pin"]


# Filters -------------------------------------------------------------------------------

@pytest.fixture
def busy_log(make, world):
    keeper = make.user("keeper", role="admin")
    services.hide_post(world.moderator, world.reply, "Unproven claim")
    services.set_thread_flag(keeper, world.thread, "pin", "Useful")
    services.suspend(keeper, world.heron, 3, "Abuse")
    services.set_thread_flag(world.moderator, world.thread, "lock", "Heated")
    return world


def test_the_log_filters_by_actor(client, login, busy_log):
    login(busy_log.moderator)

    rows = log_rows(client.get("/mod/log?actor=keeper").get_data(as_text=True))

    assert [(row[0], row[1]) for row in rows] == [("keeper", "user.suspend"),
                                                  ("keeper", "thread.pin")]


def test_the_actor_filter_ignores_case(client, login, busy_log):
    login(busy_log.moderator)

    rows = log_rows(client.get("/mod/log?actor=WARDEN").get_data(as_text=True))

    assert [row[1] for row in rows] == ["thread.lock", "post.hide"]


def test_the_log_filters_by_action(client, login, busy_log):
    login(busy_log.moderator)

    page = client.get("/mod/log?action=thread.pin").get_data(as_text=True)

    assert [row[1] for row in log_rows(page)] == ["thread.pin"]
    assert '<option selected value="thread.pin">' in page or \
        '<option value="thread.pin" selected>' in page


def test_the_log_filters_by_target_type_and_id(client, login, busy_log):
    login(busy_log.moderator)

    by_thread = log_rows(client.get(
        f"/mod/log?target=thread:{busy_log.thread.id}").get_data(as_text=True))
    by_post = log_rows(client.get(
        f"/mod/log?target=post:{busy_log.reply.id}").get_data(as_text=True))

    assert [row[1] for row in by_thread] == ["thread.lock", "thread.pin"]
    assert [row[1] for row in by_post] == ["post.hide"]


def test_the_log_filters_by_text_in_the_target_label(client, login, busy_log):
    login(busy_log.moderator)

    rows = log_rows(client.get("/mod/log?target=heron").get_data(as_text=True))

    assert [row[1] for row in rows] == ["user.suspend", "post.hide"]


def test_filters_combine(client, login, busy_log):
    login(busy_log.moderator)

    rows = log_rows(client.get(
        f"/mod/log?actor=warden&target=thread:{busy_log.thread.id}").get_data(as_text=True))

    assert [row[1] for row in rows] == ["thread.lock"]


def test_a_filter_that_matches_nothing_says_so(client, login, busy_log):
    login(busy_log.moderator)

    page = client.get("/mod/log?actor=nobody").get_data(as_text=True)

    assert log_rows(page) == []
    assert "No entries match." in page


def test_a_filter_longer_than_its_field_allows_is_refused_with_its_message(
        client, login, busy_log):
    login(busy_log.moderator)

    response = client.get("/mod/log?target=" + "x" * 60_000)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert log_rows(page) == []
    assert 'href="#target"' in page  # the error summary links to the field


# Pages ---------------------------------------------------------------------------------

@pytest.fixture
def long_log(db, world):
    for number in range(55):
        record(world.moderator, "thread.pin", world.thread, f"entry {number}")
    db.session.commit()
    return world


def test_the_log_shows_fifty_entries_a_page(client, login, long_log):
    login(long_log.moderator)

    page = client.get("/mod/log").get_data(as_text=True)

    rows = log_rows(page)
    assert len(rows) == 50
    assert (rows[0][3], rows[-1][3]) == ("entry 54", "entry 5")
    assert 'rel="next" href="/mod/log?page=2"' in page
    assert 'rel="prev"' not in page


def test_the_second_page_shows_the_rest(client, login, long_log):
    login(long_log.moderator)

    page = client.get("/mod/log?page=2").get_data(as_text=True)

    assert [row[3] for row in log_rows(page)] == [f"entry {n}" for n in range(4, -1, -1)]
    assert 'rel="prev" href="/mod/log?page=1"' in page
    assert 'rel="next"' not in page


def test_the_page_links_keep_the_filters(client, login, long_log):
    login(long_log.moderator)

    page = client.get("/mod/log?actor=warden&action=thread.pin").get_data(as_text=True)

    assert re.search(r'rel="next" href="/mod/log\?[^"]*page=2', page)
    link = re.search(r'rel="next" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "actor=warden" in link and "action=thread.pin" in link


def test_a_page_number_that_is_not_a_positive_number_is_not_found(client, login, world):
    login(world.moderator)

    for page in ("0", "-1", "two"):
        assert client.get(f"/mod/log?page={page}").status_code == 404, page


def test_the_log_page_runs_as_many_statements_for_twelve_entries_as_for_two(
        client, login, db, make, world, count_queries):
    actors = [world.moderator, make.user("keeper", role="admin"),
              make.user("ranger", role="moderator")]

    def add_entries(how_many: int) -> None:
        targets = [world.thread, world.reply, world.heron]
        for index in range(how_many):
            record(actors[index % 3], f"action.{index % 4}", targets[index % 3], "why")
        db.session.commit()

    add_entries(2)
    login(world.moderator)
    with count_queries() as few:
        assert client.get("/mod/log").status_code == 200
    add_entries(10)
    with count_queries() as many:
        page = client.get("/mod/log")
    assert len(log_rows(page.get_data(as_text=True))) == 12
    assert len(many) == len(few)


# Append-only ---------------------------------------------------------------------------

def test_no_route_changes_or_removes_log_entries(app, client, login, db, world):
    services.set_thread_flag(world.moderator, world.thread, "pin", "")
    entry_id = db.session.scalar(select(ModerationAction.id))
    login(world.moderator)

    log_rules = [rule for rule in app.url_map.iter_rules() if "log" in rule.rule
                 and rule.rule.startswith("/mod")]
    assert [rule.rule for rule in log_rules] == ["/mod/log"]
    assert log_rules[0].methods <= {"GET", "HEAD", "OPTIONS"}
    assert submit(client, "/mod/log", {"actor": "x"}).status_code == 405
    for verb in ("edit", "delete"):
        assert submit(client, f"/mod/log/{entry_id}/{verb}", {}, form_page="/").status_code == 404
    assert entry_count(db) == 1


def test_updating_a_log_entry_through_the_orm_raises(db, world):
    entry = record(world.moderator, "thread.pin", world.thread, "Useful")
    db.session.commit()

    entry.reason = "Something else"
    with pytest.raises(LogIsAppendOnly):
        db.session.commit()

    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(ModerationAction, entry.id).reason == "Useful"


def test_deleting_a_log_entry_through_the_orm_raises(db, world):
    entry = record(world.moderator, "thread.pin", world.thread, "Useful")
    db.session.commit()

    db.session.delete(entry)
    with pytest.raises(LogIsAppendOnly):
        db.session.commit()

    db.session.rollback()
    assert entry_count(db) == 1


# A member's history --------------------------------------------------------------------

def section(html: str, heading: str) -> str:
    return html.split(f"<h2>{heading}</h2>", 1)[1].split("<h2>", 1)[0]


@pytest.fixture
def history(db, make, world, reporter):
    """heron wrote a reply that was reported and hidden, reported a post, and was suspended."""
    services.report_post(reporter, world.reply, "misinformation", "")
    services.hide_post(world.moderator, world.reply, "Unproven claim")
    services.report_post(world.heron, world.opening, "spam", "")
    services.suspend(world.moderator, world.heron, 3, "Repeated claims")
    return world


def test_the_member_page_lists_the_members_posts(client, login, history):
    login(history.moderator)

    page = client.get("/mod/users/heron").get_data(as_text=True)

    posts = section(page, "Latest posts")
    assert f'href="/p/{history.reply.id}"' in posts
    assert "Balance exercises" in posts and "hidden" in posts


def test_the_member_page_lists_the_reports_they_made(client, login, history):
    login(history.moderator)

    made = section(client.get("/mod/users/heron").get_data(as_text=True), "Reports they made")

    assert "Spam or advertising" in made
    assert f'href="/p/{history.opening.id}"' in made
    assert "open" in made


def test_the_member_page_lists_the_reports_about_their_posts(client, login, history):
    login(history.moderator)

    received = section(client.get("/mod/users/heron").get_data(as_text=True),
                       "Reports about their posts")

    assert 'Medical misinformation by <a href="/u/wren">wren</a>' in received
    assert "hidden" in received


def test_the_member_page_lists_earlier_actions(client, login, history):
    login(history.moderator)

    earlier = section(client.get("/mod/users/heron").get_data(as_text=True),
                      "Earlier moderation")

    assert "user.suspend" in earlier and "Repeated claims" in earlier
    assert "post.hide" in earlier and "Unproven claim" in earlier


def test_the_member_page_of_an_unknown_member_is_not_found(client, login, world):
    login(world.moderator)

    assert client.get("/mod/users/nobody").status_code == 404
