"""Mentions, quotes and reactions tell the member concerned, and nobody who cannot see."""
from __future__ import annotations

from forum.boards import services as boards
from forum.moderation import services as moderation
from forum.notify import activity
from forum.notify.wording import MENTION, QUOTE, reaction_kind


def test_a_mention_is_a_link_to_the_profile(db, make, thread):
    make.user("heron")
    post = make.reply(thread, author=make.user("robin"), body="Ask @heron, not `@code`")
    assert '<a href="/u/heron" rel="nofollow ugc noopener noreferrer">@heron</a>' in post.body_html
    assert "<code>@code</code>" in post.body_html


def test_a_mention_notifies_the_member(make, thread, lines):
    heron = make.user("heron")
    make.reply(thread, author=make.user("robin"), body="What do you think, @Heron?")
    [line] = lines(heron, MENTION)
    assert line.text == "robin mentioned you in “Cooling vests in summer”"


def test_a_mention_in_a_thread_the_member_cannot_see_tells_nobody(db, make, thread, lines,
                                                                  moderator):
    heron = make.user("heron")
    make.setting("approval_posts", "2")
    waiting = boards.reply(make.user("newcomer", new=True), thread, "Hello @heron")
    db.session.commit()
    moderation.delete_thread(moderator, thread, "Off topic")
    moderation.approve_post(make.user("keeper", role="moderator"), waiting)
    db.session.commit()
    assert lines(heron) == []


def test_at_most_ten_mentions_in_a_post_notify(db, make, thread, lines):
    members = [make.user(f"member{number:02d}") for number in range(12)]
    body = " ".join(f"@{member.username}" for member in members)
    make.reply(thread, author=make.user("robin"), body=body)
    told = [member for member in members if lines(member, MENTION)]
    assert told == members[:10]


def test_a_quote_tells_the_quoted_author(make, thread, starter, lines):
    opening = thread.last_post
    make.reply(thread, author=make.user("robin"),
               body=f"> Vests help\n> — [lark](/p/{opening.id})\n\nThey do!")
    [line] = lines(starter, QUOTE)
    assert line.text == "robin quoted your post in “Cooling vests in summer”"


def test_a_quoted_author_is_not_told_twice_of_the_same_reply(make, thread, starter, lines):
    opening = thread.last_post
    make.reply(thread, author=make.user("robin"), body=f"[lark](/p/{opening.id}) said so")
    assert [line.kind for line in lines(starter)] == [QUOTE]


def test_reactions_are_grouped_per_post_and_kind(db, make, thread, starter, lines):
    from forum.boards.models import Reaction

    post = thread.last_post
    for name in ("heron", "robin", "wren"):
        reactor = make.user(name)
        db.session.add(Reaction(post_id=post.id, user_id=reactor.id, kind="helpful"))
        activity.reacted(post, reactor, "helpful")
        db.session.commit()
    [line] = lines(starter, reaction_kind("helpful"))
    assert line.text == "3 people found your post in “Cooling vests in summer” helpful"
