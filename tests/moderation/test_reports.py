"""Members report posts; moderators see them grouped per post and resolve them."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.boards.models import Post
from forum.moderation import services
from forum.moderation.models import REPORT_REASONS, Report
from support import submit


def opening_post(db, thread) -> Post:
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))


def reports_on(db, post) -> list[Report]:
    db.session.expire_all()
    return list(db.session.scalars(select(Report).where(Report.post_id == post.id)
                                   .order_by(Report.id)))


def group_order(html: str) -> list[int]:
    """The posts of /mod/reports, top to bottom (each group has a hide form for its post)."""
    return [int(number) for number in re.findall(r'id="hide-reason-(\d+)"', html)]


@pytest.fixture
def post(db, make, mod_category, author):
    return opening_post(db, make.thread(category=mod_category, author=author))


def test_a_member_can_report_a_post_for_each_reason_with_a_note(
        client, login, db, make, mod_category, author, reporter):
    posts = {reason: opening_post(db, make.thread(category=mod_category, author=author))
             for reason in REPORT_REASONS}
    login(reporter)

    for reason, post in posts.items():
        response = submit(client, f"/p/{post.id}/report",
                          {"reason": reason, "note": f"Please look ({reason})"})
        assert response.status_code == 302, reason

    for reason, post in posts.items():
        [report] = reports_on(db, post)
        assert (report.reporter_id, report.reason, report.note, report.status) == (
            reporter.id, reason, f"Please look ({reason})", "open")


def test_the_note_is_optional(client, login, db, post, reporter):
    login(reporter)

    response = submit(client, f"/p/{post.id}/report", {"reason": "spam"})

    assert response.status_code == 302
    [report] = reports_on(db, post)
    assert report.note == ""


def test_a_report_without_a_reason_is_refused_and_keeps_the_note(
        client, login, db, post, reporter):
    login(reporter)

    response = submit(client, f"/p/{post.id}/report", {"note": "Something odd here"})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Choose a reason." in page
    assert "Something odd here" in page
    assert reports_on(db, post) == []


def test_a_second_open_report_on_the_same_post_is_refused_with_a_clear_message(
        client, login, db, post, reporter):
    login(reporter)
    submit(client, f"/p/{post.id}/report", {"reason": "spam"})

    response = submit(client, f"/p/{post.id}/report", {"reason": "harassment"})

    assert response.status_code == 422
    assert "You have already reported this post" in response.get_data(as_text=True)
    assert len(reports_on(db, post)) == 1


def test_a_member_may_report_again_once_the_first_report_is_resolved(
        client, login, db, post, reporter, moderator):
    first = services.report_post(reporter, post, "spam", "")
    services.dismiss_reports(moderator, first, "Not spam")
    login(reporter)

    response = submit(client, f"/p/{post.id}/report", {"reason": "misinformation"})

    assert response.status_code == 302
    assert [report.status for report in reports_on(db, post)] == ["dismissed", "open"]


def test_two_members_may_each_report_the_same_post(
        client, login, db, make, post, reporter):
    services.report_post(make.user("finch"), post, "spam", "")
    login(reporter)

    response = submit(client, f"/p/{post.id}/report", {"reason": "spam"})

    assert response.status_code == 302
    assert len(reports_on(db, post)) == 2


def test_a_member_cannot_report_their_own_post(client, login, db, post, author):
    login(author)

    response = submit(client, f"/p/{post.id}/report", {"reason": "spam"}, form_page="/")

    assert response.status_code == 403
    assert client.get(f"/p/{post.id}/report").status_code == 403
    assert reports_on(db, post) == []


def test_anonymous_visitors_are_sent_to_sign_in_to_report(client, post):
    response = client.get(f"/p/{post.id}/report")

    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_a_crisis_report_shows_the_reporter_crisis_resources_at_once(
        client, login, post, reporter):
    login(reporter)

    response = submit(client, f"/p/{post.id}/report", {"reason": "crisis"})

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/crisis?reported=1")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your report is at the top of the moderators' queue." in page
    assert "<strong>988</strong>" in page  # the default crisis text, rendered


def test_the_crisis_page_shows_the_crisis_text_from_the_site_settings(client, login, make):
    login(make.user("sage", role="admin"))
    submit(client, "/admin/settings", {"approval_posts": "2", "new_member_links": "2",
                                       "crisis_text": "Call the **Helpline 0800 123**."})

    page = client.get("/crisis").get_data(as_text=True)

    assert "Call the <strong>Helpline 0800 123</strong>." in page
    assert "Your report is at the top" not in page


def test_a_report_reaches_the_moderators_queue_with_its_reason_and_note(
        client, login, post, reporter, moderator):
    services.report_post(reporter, post, "misinformation", "Claims a cure")
    login(moderator)

    page = client.get("/mod/reports").get_data(as_text=True)

    assert '1 report on a post by <a href="/u/lark">lark</a>' in page
    assert "Medical misinformation" in page
    assert 'from <a href="/u/wren">wren</a>' in page
    assert "Claims a cure" in page
    assert group_order(page) == [post.id]


def test_a_report_note_is_shown_to_moderators_as_text(
        client, login, post, reporter, moderator):
    services.report_post(reporter, post, "other", '<script>alert("x")</script>')
    login(moderator)

    page = client.get("/mod/reports").get_data(as_text=True)

    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_reports_on_one_post_are_shown_as_one_group(
        client, login, make, post, reporter, moderator):
    services.report_post(reporter, post, "spam", "")
    services.report_post(make.user("finch"), post, "harassment", "")
    login(moderator)

    page = client.get("/mod/reports").get_data(as_text=True)

    assert group_order(page) == [post.id]
    assert '2 reports on a post by <a href="/u/lark">lark</a>' in page


def test_the_crisis_group_is_listed_first(
        client, login, db, make, mod_category, author, moderator):
    busy = opening_post(db, make.thread(category=mod_category, author=author))
    worrying = opening_post(db, make.thread(category=mod_category, author=author))
    for name in ("finch", "robin", "tern"):
        services.report_post(make.user(name), busy, "spam", "")
    services.report_post(make.user("kite"), worrying, "crisis", "")
    login(moderator)

    page = client.get("/mod/reports").get_data(as_text=True)

    assert group_order(page) == [worrying.id, busy.id]


def test_groups_are_sorted_by_number_of_reports(
        client, login, db, make, mod_category, author, moderator):
    once, thrice, twice = (opening_post(db, make.thread(category=mod_category, author=author))
                           for _ in range(3))
    reporters = [make.user(name) for name in ("finch", "robin", "tern")]
    for post, count in ((once, 1), (thrice, 3), (twice, 2)):
        for reporter in reporters[:count]:
            services.report_post(reporter, post, "spam", "")
    login(moderator)

    page = client.get("/mod/reports").get_data(as_text=True)

    assert group_order(page) == [thrice.id, twice.id, once.id]


def test_hiding_the_post_resolves_all_its_open_reports_with_who_when_and_why(
        client, login, db, make, mod_category, author, post, reporter, moderator):
    services.report_post(reporter, post, "spam", "")
    services.report_post(make.user("finch"), post, "spam", "")
    other = opening_post(db, make.thread(category=mod_category, author=author))
    services.report_post(reporter, other, "spam", "")
    login(moderator)

    response = submit(client, f"/mod/posts/{post.id}/hide", {"reason": "Advertising a clinic"})

    assert response.status_code == 302
    reports = reports_on(db, post)
    assert [report.status for report in reports] == ["hidden", "hidden"]
    for report in reports:
        assert report.resolved_by_id == moderator.id
        assert report.resolved_at is not None
        assert report.resolution_reason == "Advertising a clinic"
    assert [report.status for report in reports_on(db, other)] == ["open"]
    assert group_order(client.get("/mod/reports").get_data(as_text=True)) == [other.id]


def test_a_moderators_edit_resolves_the_reports_as_edited(
        client, login, db, make, post, reporter, moderator):
    services.report_post(reporter, post, "private-info", "")
    services.report_post(make.user("finch"), post, "private-info", "")
    login(moderator)

    response = submit(client, f"/p/{post.id}/edit",
                      {"body": "Opening post (phone number removed)",
                       "reason": "Removed a phone number"})

    assert response.status_code == 302
    reports = reports_on(db, post)
    assert [report.status for report in reports] == ["edited", "edited"]
    assert {(r.resolved_by_id, r.resolution_reason) for r in reports} == {
        (moderator.id, "Removed a phone number")}
    assert all(report.resolved_at is not None for report in reports)
    assert "No open reports" in client.get("/mod/reports").get_data(as_text=True)


def test_a_moderators_edit_without_a_reason_is_refused(
        client, login, db, post, reporter, moderator):
    services.report_post(reporter, post, "spam", "")
    login(moderator)

    response = submit(client, f"/p/{post.id}/edit", {"body": "Changed text", "reason": ""})

    assert response.status_code == 422
    assert "Changed text" in response.get_data(as_text=True)
    assert [report.status for report in reports_on(db, post)] == ["open"]
    db.session.expire_all()
    assert db.session.get(Post, post.id).body == "Opening post"


def test_dismissing_marks_every_open_report_on_that_post_dismissed(
        client, login, db, make, post, reporter, moderator):
    first = services.report_post(reporter, post, "spam", "")
    services.report_post(make.user("finch"), post, "other", "")
    login(moderator)

    response = submit(client, f"/mod/reports/{first.id}/dismiss", {"reason": "Fair comment",
                                                                   "confirm": "yes"})

    assert response.status_code == 302
    reports = reports_on(db, post)
    assert [report.status for report in reports] == ["dismissed", "dismissed"]
    assert {(r.resolved_by_id, r.resolution_reason) for r in reports} == {
        (moderator.id, "Fair comment")}
    db.session.expire_all()
    assert db.session.get(Post, post.id).hidden_at is None
    assert "No open reports" in client.get("/mod/reports").get_data(as_text=True)


def test_dismissing_an_already_resolved_report_is_a_conflict(client, login, post, reporter,
                                                              moderator):
    report = services.report_post(reporter, post, "spam", "")
    services.dismiss_reports(moderator, report, "")
    login(moderator)

    response = submit(client, f"/mod/reports/{report.id}/dismiss",
                      {"reason": "again", "confirm": "yes"}, form_page="/mod/reports")

    assert response.status_code == 409
    assert "already resolved" in response.get_data(as_text=True)


def test_the_reports_page_runs_as_many_statements_for_twelve_groups_as_for_two(
        client, login, db, make, mod_category, moderator, count_queries):
    reporters = [make.user(f"reader{index}") for index in range(3)]
    authors = [make.user(f"writer{index}") for index in range(12)]

    def add_reported_posts(how_many: int) -> None:
        for index in range(how_many):
            post = opening_post(db, make.thread(category=mod_category, author=authors[index]))
            for reporter in reporters[: 1 + index % 3]:
                services.report_post(reporter, post, "crisis" if index % 5 == 0 else "spam", "")

    add_reported_posts(2)
    login(moderator)
    with count_queries() as few:
        assert client.get("/mod/reports").status_code == 200
    add_reported_posts(10)
    with count_queries() as many:
        page = client.get("/mod/reports")
    assert page.status_code == 200
    assert len(group_order(page.get_data(as_text=True))) == 12
    assert len(many) == len(few)
