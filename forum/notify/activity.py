"""What members hear of others' posts: replies in threads they watch, new threads in
categories they watch, mentions, quotes of their posts, and reactions to them.

All of it runs in the publishing unit of work (a receiver of `forum.events.post_published`,
or the reactions service calling `reacted`) at a fixed number of statements whatever the
number of watchers; a job is scheduled only when someone wants a mail right away
(forum.notify.mailing), and it checks again that they can still see the post.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import ColumnElement, select

from forum import events, markup
from forum.auth.models import User
from forum.boards.models import Post
from forum.extensions import db
from forum.notify import mailing, wording
from forum.notify.fanout import insert_for, tell, watches_category, watches_thread
from forum.notify.models import ThreadWatch
from forum.timeutil import utcnow

MENTION_LIMIT = 10
# More links to posts than this in one post are not quotes worth telling anyone about.
QUOTE_LIMIT = 10
_POST_PATH = re.compile(r"^/p/(\d{1,18})/?$")


@events.post_published.connect
def _on_published(post: Post, new_thread: bool = False, **_extra) -> None:
    watch_own_thread(post.author_id, post.thread_id)
    keys = _tell_of_post(post, bool(new_thread))
    mailing.mail_right_away(keys, post)


def _tell_of_post(post: Post, new_thread: bool) -> list[str]:
    thread = post.thread
    author_id = post.author_id
    refs = markup.references(post.body)
    mentioned = [name.lower() for name in refs.mentions[:MENTION_LIMIT]]
    quoted = quoted_post_ids(refs.links, post.id)
    quoted_authors = select(Post.author_id).where(Post.id.in_(quoted))
    keys = []
    if mentioned:
        keys.append(f"mention:{post.id}")
        tell(wording.MENTION, keys[-1], [User.username_key.in_(mentioned)], thread, post.id,
             author_id, grouped=False)
    if quoted:
        keys.append(f"quote:{post.id}")
        tell(wording.QUOTE, keys[-1], [User.id.in_(quoted_authors)], thread, post.id,
             author_id, grouped=False)
    # Told once of a post: a mention or a quote says more than "a new reply".
    told_already: list[ColumnElement[bool]] = []
    if mentioned:
        told_already.append(~User.username_key.in_(mentioned))
    if quoted:
        told_already.append(~User.id.in_(quoted_authors))
    if new_thread:
        keys.append(f"thread:{thread.id}")
        tell(wording.NEW_THREAD, keys[-1], [watches_category(thread.category_id),
                                            *told_already], thread, post.id, author_id,
             grouped=False)
    else:
        keys.append(f"reply:{thread.id}")
        tell(wording.REPLY, keys[-1], [watches_thread(thread.id), *told_already], thread,
             post.id, author_id, grouped=True)
    return keys


def watch_own_thread(user_id: int, thread_id: int) -> None:
    """Members watch the threads they start or reply to, unless they already chose a level
    for it (muted, or back to normal): that choice stands."""
    statement = insert_for(ThreadWatch).values(user_id=user_id, thread_id=thread_id,
                                               level="watching", updated_at=utcnow())
    db.session.execute(statement.on_conflict_do_nothing(
        index_elements=[ThreadWatch.user_id, ThreadWatch.thread_id]))


def quoted_post_ids(links: list[str], own_id: int) -> list[int]:
    """The posts a post links to (/p/<id>, or the same on this site's address)."""
    base = urlsplit(current_app.config.get("FORUM_BASE_URL") or "")
    ids: list[int] = []
    for link in links:
        try:
            parts = urlsplit(link)
        except ValueError:
            continue
        if parts.scheme or parts.netloc:
            if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
                continue
        match = _POST_PATH.match(parts.path)
        if match and int(match.group(1)) not in ids and int(match.group(1)) != own_id:
            ids.append(int(match.group(1)))
    return ids[:QUOTE_LIMIT]


def reacted(post: Post, actor, kind: str) -> None:
    """`actor` just reacted to `post` with `kind` (called by the reactions service).

    Grouped per post and kind: "3 people found your post helpful" while unread.
    """
    if post.author_id == actor.id or not post.is_live:
        return
    group_key = f"reaction:{post.id}:{kind}"
    tell(wording.reaction_kind(kind), group_key, [User.id == post.author_id], post.thread,
         post.id, actor.id, grouped=True)
    mailing.mail_right_away([group_key], post)

