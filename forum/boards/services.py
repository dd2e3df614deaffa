"""Rules for starting threads, replying, editing and deleting posts.

Each public function checks permissions, changes rows and counters, and flushes; the
request (or command, or job) that called it commits.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from sqlalchemy import func, select

from forum import events, markup
from forum.admin import services as site_settings
from forum.boards import counters
from forum.boards.models import Category, Post, PostRevision, Thread
from forum.errors import ValidationError
from forum.extensions import db
from forum.permissions import link_limit_applies, require, skips_approval
from forum.timeutil import utcnow
from forum.unit_of_work import update_if

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


NEW_MEMBER_PERIOD = timedelta(days=1)


def is_new_member(user) -> bool:
    return utcnow() - user.created_at < NEW_MEMBER_PERIOD


def needs_approval(user) -> bool:
    """A member's first few posts wait for a moderator (how many: a site setting)."""
    if skips_approval(user):
        return False
    required = site_settings.get("approval_posts")
    if required == 0:
        return False
    approved = db.session.scalar(
        select(func.count()).select_from(Post)
        .where(Post.author_id == user.id, Post.pending.is_(False), Post.hidden_at.is_(None),
               Post.deleted_at.is_(None))
    )
    return approved < required


def check_links(actor, html: str, field: str = "body", what: str = "a post") -> None:
    """The first-day link limit, for a post or any other published text (a profile's bio)."""
    if not is_new_member(actor) or not link_limit_applies(actor):
        return
    allowed = site_settings.get("new_member_links")
    links = html.count("<a ")
    if links > allowed:
        raise ValidationError(
            f"During their first day, members can include at most {allowed} "
            f"link{'' if allowed == 1 else 's'} in {what}; this one has {links}. "
            "Please remove some, or add them tomorrow.", field)


def _new_post(actor, thread: Thread, body: str) -> Post:
    html = markup.render(body)
    check_links(actor, html)
    post = Post(thread=thread, author=actor, body=body, body_html=html, created_at=utcnow(),
                pending=needs_approval(actor))
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
    thread.pending = post.pending
    db.session.flush()
    if not post.pending:
        counters.post_added(post, thread, new_thread=True)
    db.session.flush()
    if not post.pending:
        events.post_published.send(post, new_thread=True)
    return thread


def reply(actor, thread: Thread, body: str) -> Post:
    require(actor, "thread.reply", thread)
    body = check_body(body)
    post = _new_post(actor, thread, body)
    db.session.flush()
    if not post.pending:
        counters.post_added(post, thread, new_thread=False)
    db.session.flush()
    if not post.pending:
        events.post_published.send(post, new_thread=False)
    return post


def edit_post(actor, post: Post, body: str, reason: str = "") -> bool:
    """Replace a post's text, keeping the version it replaces. True when it changed."""
    require(actor, "post.edit", post)
    body = check_body(body)
    if body == post.body:
        return False
    html = markup.render(body)
    if actor.id == post.author_id:
        check_links(actor, html)
    now = utcnow()
    db.session.add(PostRevision(
        post_id=post.id, body=post.body, body_html=post.body_html, reason=reason,
        written_at=post.edited_at or post.created_at, replaced_at=now, replaced_by=actor,
    ))
    post.body, post.body_html, post.edited_at = body, html, now
    db.session.flush()
    events.post_edited.send(post)
    return True


def delete_post(actor, post: Post) -> None:
    """A member removes their own post (soft: its text stays for moderators).

    Removing the opening post of a thread nobody answered removes the thread too.
    Moderators removing someone else's post use moderation.services.remove_post.
    """
    require(actor, "post.delete", post)
    thread = post.thread
    update_if(post, Post.deleted_at.is_(None), "That post is already removed.",
              deleted_at=utcnow(), deleted_by_id=actor.id)
    counters.recount(threads=[thread])
    if thread.deleted_at is None and only_post(post):
        thread.deleted_at = post.deleted_at
    counters.recount(categories=[thread.category], user_ids=[post.author_id])
    db.session.flush()


def only_post(post: Post) -> bool:
    """No other post of its thread is left standing."""
    return not db.session.scalar(
        select(func.count()).select_from(Post)
        .where(Post.thread_id == post.thread_id, Post.id != post.id,
               Post.deleted_at.is_(None)))


# Reading -----------------------------------------------------------------------------

def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))
