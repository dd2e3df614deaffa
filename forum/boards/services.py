"""Rules for starting threads, replying, editing and deleting posts.

Each public function checks permissions, changes rows and counters, and commits once.
"""
from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func, select

from forum import markup
from forum.boards import counters
from forum.boards.models import Category, Post, PostRevision, Thread
from forum.errors import ValidationError
from forum.extensions import db
from forum.permissions import require
from forum.timeutil import utcnow

TITLE_MIN, TITLE_MAX = 5, 200
BODY_MAX = 20_000


def slugify(text: str, fallback: str = "thread") -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].rstrip("-") or fallback


def check_title(title: str) -> str:
    title = " ".join((title or "").split())
    if len(title) < TITLE_MIN:
        raise ValidationError(f"Give the thread a title of at least {TITLE_MIN} characters.", "title")
    if len(title) > TITLE_MAX:
        raise ValidationError(f"Keep the title under {TITLE_MAX} characters.", "title")
    return title


def check_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError("Write something before posting.", "body")
    if len(body) > BODY_MAX:
        raise ValidationError(
            f"Posts can be at most {BODY_MAX:,} characters; this one has {len(body):,}.", "body"
        )
    return body


def _new_post(actor, thread: Thread, body: str) -> Post:
    now = utcnow()
    post = Post(thread=thread, author=actor, body=body, body_html=markup.render(body),
                created_at=now)
    db.session.add(post)
    return post


def start_thread(actor, category: Category, title: str, body: str) -> Thread:
    require(actor, "thread.create", category)
    title, body = check_title(title), check_body(body)
    now = utcnow()
    thread = Thread(category=category, author=actor, title=title, slug=slugify(title),
                    created_at=now, last_post_at=now)
    db.session.add(thread)
    post = _new_post(actor, thread, body)
    db.session.flush()
    counters.post_added(post, thread, new_thread=True)
    db.session.commit()
    return thread


def reply(actor, thread: Thread, body: str) -> Post:
    require(actor, "thread.reply", thread)
    body = check_body(body)
    post = _new_post(actor, thread, body)
    db.session.flush()
    counters.post_added(post, thread, new_thread=False)
    db.session.commit()
    return post


def edit_post(actor, post: Post, body: str) -> Post:
    """Replace a post's text, keeping the version it replaces for moderators."""
    require(actor, "post.edit", post)
    body = check_body(body)
    if body == post.body:
        return post
    now = utcnow()
    db.session.add(PostRevision(
        post_id=post.id, body=post.body, body_html=post.body_html,
        written_at=post.edited_at or post.created_at, replaced_at=now, replaced_by=actor,
    ))
    post.body = body
    post.body_html = markup.render(body)
    post.edited_at = now
    db.session.commit()
    return post


def delete_post(actor, post: Post) -> None:
    """Soft delete: the post shows as removed and its text stays for moderators.

    Removing the opening post of a thread nobody answered removes the thread too.
    """
    require(actor, "post.delete", post)
    thread = post.thread
    post.deleted_at = utcnow()
    post.deleted_by_id = actor.id
    counters.post_removed(post, thread)
    if thread.post_count == 0 and thread.deleted_at is None:
        thread.deleted_at = post.deleted_at
        counters.thread_removed(thread)
    db.session.commit()


# Reading -----------------------------------------------------------------------------

def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def post_position(post: Post) -> int:
    """How many posts come before this one in its thread (removed ones included)."""
    return db.session.scalar(
        select(func.count()).select_from(Post)
        .where(Post.thread_id == post.thread_id, Post.id < post.id)
    ) or 0
