"""Telling watchers costs a fixed number of statements, however many there are; the pages
that show watch controls and the header's count too."""
from __future__ import annotations

import pytest

from forum.accounts.models import MailPreference
from forum.auth import services as auth
from forum.auth.models import User
from forum.notify.models import GroupedNotification, ThreadWatch
from forum.timeutil import utcnow
from support import csrf_from


def add_watchers(db, thread, how_many: int, prefix: str) -> None:
    """Members watching `thread` who want replies by mail right away, written in bulk."""
    now = utcnow()
    password = auth.hash_password("correct horse battery staple")
    users = [User(username=f"{prefix}{number}", username_key=f"{prefix}{number}",
                  email=f"{prefix}{number}@example.org", password_hash=password,
                  email_verified_at=now) for number in range(how_many)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(ThreadWatch(user_id=user.id, thread_id=thread.id, level="watching")
                       for user in users)
    db.session.add_all(MailPreference(user_id=user.id, kind="replies", choice="immediately")
                       for user in users)
    db.session.commit()


@pytest.fixture
def poster(client, login, make):
    member = make.user("poster")
    login(member)
    return member


def reply_statements(client, count_queries, thread) -> int:
    token = csrf_from(client.get(f"/t/{thread.id}").get_data(as_text=True))
    with count_queries() as statements:
        response = client.post(f"/t/{thread.id}/reply",
                               data={"body": "Same here", "csrf_token": token})
    assert response.status_code == 302
    return len(statements)


def test_a_reply_costs_the_same_with_fifty_watchers_as_with_two(
        db, make, category, poster, client, count_queries, outbox):
    few_thread = make.thread(category=category, title="Few watchers")
    many_thread = make.thread(category=category, title="Many watchers")
    add_watchers(db, few_thread, 2, "few")
    add_watchers(db, many_thread, 50, "many")

    few = reply_statements(client, count_queries, few_thread)
    many = reply_statements(client, count_queries, many_thread)

    assert many == few
    assert db.session.query(GroupedNotification).filter_by(thread_id=many_thread.id).count() \
        == 51  # the fifty, and the thread's starter
    assert len([m for m in outbox() if m["To"].startswith("many")]) == 50


def page_statements(client, count_queries, url: str) -> list[str]:
    with count_queries() as statements:
        assert client.get(url).status_code == 200
    return list(statements)


def test_the_thread_page_costs_the_same_with_many_watchers(
        db, make, category, poster, client, count_queries):
    thread = make.thread(category=category)
    make.reply(thread, author=poster)
    few = page_statements(client, count_queries, f"/t/{thread.id}")
    add_watchers(db, thread, 40, "watcher")
    many = page_statements(client, count_queries, f"/t/{thread.id}")
    assert len(many) == len(few)


def test_the_header_count_is_one_statement_for_members(make, poster, client, count_queries):
    statements = page_statements(client, count_queries, "/guidelines")
    assert len([s for s in statements if "grouped_notifications" in s]) == 1


def test_visitors_pages_ask_nothing_of_notifications(make, category, client, count_queries):
    thread = make.thread(category=category)
    for url in ("/", f"/c/{category.slug}", f"/t/{thread.id}"):
        statements = page_statements(client, count_queries, url)
        assert not [s for s in statements
                    if "notifications" in s or "_watches" in s], url


def test_the_thread_page_counts_once_for_the_level_and_the_header(
        make, category, poster, client, count_queries):
    thread = make.thread(category=category)
    statements = page_statements(client, count_queries, f"/t/{thread.id}")
    reads = [s for s in statements if "grouped_notifications" in s
             and s.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1
