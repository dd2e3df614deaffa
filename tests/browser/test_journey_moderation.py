"""Keyboard journeys: a member reports a post; a moderator hides it, and its author reads
why."""
from __future__ import annotations

from sqlalchemy import select

import axe
from journeys import another_browser, flashes, reread, sign_in
from keyboard import choose, fill_field, follow


def test_a_member_reports_a_post_with_a_reason_and_a_note(page, live_server, db, make):
    from forum.moderation.models import Report

    seller = make.user("miracle_seller")
    thread = make.thread(title="Cured in a week", author=seller,
                         body="Buy my vein tonic: MS gone in seven days.")
    member = make.user("river_fern")

    sign_in(page, live_server, member, next_path=f"/t/{thread.id}")
    follow(page, "Report post by")
    axe.check(page, "report a post")
    choose(page, "reason", "Medical misinformation")
    fill_field(page, "Anything moderators should know (optional)", "Selling a cure.")
    follow(page, "Send the report")

    assert "Moderators will look at the post" in flashes(page)
    axe.check(page, "thread, after reporting")
    reread(db)
    report = db.session.scalars(select(Report)).one()
    assert (report.reporter_id, report.reason, report.note) == \
        (member.id, "misinformation", "Selling a cure.")


def test_a_moderator_hides_a_reported_post_and_its_author_reads_the_notice(
        page, live_server, db, make):
    from forum.boards.models import Post

    seller = make.user("miracle_seller")
    thread = make.thread(title="Cured in a week", author=seller,
                         body="Buy my vein tonic: MS gone in seven days.")
    post = db.session.scalars(select(Post)).one()
    make.report(post, reason="misinformation", note="Selling a cure.")
    moderator = make.user("quiet_heron", role="moderator")

    sign_in(page, live_server, moderator, next_path="/mod/reports")
    axe.check(page, "reported posts")
    follow(page, "Post", exact=True)
    axe.check(page, "thread, as a moderator")
    follow(page, "Hide post by")
    axe.check(page, "hide this post")
    fill_field(page, "Reason", "Selling a cure is against the guidelines.")
    follow(page, "Hide this post")
    assert "The post is hidden" in flashes(page)
    axe.check(page, "thread, a post just hidden")

    with another_browser(page) as author_page:
        sign_in(author_page, live_server, seller, next_path=f"/t/{thread.id}")
        banner = author_page.locator(".notice-info", has_text="New notices").inner_text()
        assert "A moderator hid your post in “Cured in a week”" in banner
        axe.check(author_page, "thread, by the author of a hidden post")
        follow(author_page, "Notices")
        axe.check(author_page, "notices")
        notices = author_page.locator(".notice-list").inner_text()
        assert "Reason: Selling a cure is against the guidelines." in notices
    reread(db)
    assert db.session.get(Post, post.id).hidden_reason == \
        "Selling a cure is against the guidelines."
