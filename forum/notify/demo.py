"""Demo activity, so a newcomer signed in as a demo member sees what the forum tells them:
reactions, a bookmark, a reply that quotes and one that mentions, a watched category, and
the grouped lines these leave on the notifications page."""
from __future__ import annotations

from sqlalchemy import select

from forum.auth.models import User
from forum.boards import bookmarks, quoting, reactions
from forum.boards import services as boards
from forum.boards.models import Category, Post, Reaction, Thread
from forum.extensions import db
from forum.moderation import services as moderation
from forum.notify import watching

REACTIONS = [  # (who reacts, thread title start, kind) on the thread's opening post
    ("river_fern", "Had venous angioplasty", "helpful"),
    ("maple_walker", "Had venous angioplasty", "thanks"),
    ("quiet_heron", "Had venous angioplasty", "helpful"),
    ("slow_tortoise", "Hello from a new member", "hugs"),
    ("river_fern", "Hello from a new member", "metoo"),
    ("slow_tortoise", "Cooling vests", "metoo"),
]
MENTION = ("Demo: @maple_walker asked about this in the cooling-vest thread; the "
           "phase-change packs are the ones I meant.")


def _user(name: str) -> User:
    return db.session.scalar(select(User).where(User.username_key == name))


def _opening(title_start: str) -> Post:
    thread = db.session.scalar(select(Thread).where(Thread.title.like(f"{title_start}%")))
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id).order_by(Post.id))


def _posted(moderator: User, post: Post) -> None:
    # Demo members may still be new enough for the approval queue.
    if post.pending:
        moderation.approve_post(moderator, post, "Demo content")


def seed_activity(moderator: User) -> str:
    """Add the demo activity once; returns a short report."""
    if db.session.scalar(select(Reaction.post_id).limit(1)) is not None:
        return "demo activity already present"
    for name, title, kind in REACTIONS:
        reactions.toggle(_user(name), _opening(title), kind)
    angioplasty = _opening("Had venous angioplasty")
    bookmarks.toggle(_user("maple_walker"), angioplasty)
    # A quote and a mention, through the same services members use, so the notices follow.
    _posted(moderator, boards.reply(
        _user("river_fern"), angioplasty.thread,
        quoting.blockquote(angioplasty) + "Demo: the restenosis part is what I wish I had "
        "read before my own procedure."))
    _posted(moderator, boards.reply(_user("river_fern"),
                                    _opening("Two years on natalizumab").thread, MENTION))
    living = db.session.scalar(select(Category).where(Category.slug == "living-with-ms"))
    watching.set_category_level(_user("maple_walker"), living, "watching")
    return "reactions, a bookmark, a quote, a mention and a watched category"
