""""Quote": a post's text as a Markdown blockquote, with a link back to it, for the reply box."""
from __future__ import annotations

from forum.arguments import whole_number
from forum.boards import queries
from forum.boards.models import Post, Thread
from forum.permissions import can


def blockquote(post: Post) -> str:
    """Each line of the post behind "> ", then who wrote it, linked to the post (which is
    how forum.notify knows a post quotes another), then an empty line to write on."""
    lines = [f"> {line}" if line.strip() else ">" for line in post.body.splitlines()]
    author = "former member" if post.author.is_former else post.author.username
    lines.append(f"> — [{author}](/p/{post.id})")
    return "\n".join(lines) + "\n\n"


def quote_for(viewer, thread: Thread, raw_id: str | None) -> str | None:
    """The blockquote of post `raw_id` when it is a post of `thread` that `viewer` may
    read; anything else (not a number, another thread's post, a hidden one) is None, so
    a stale or doctored link just opens an empty reply box."""
    post_id = whole_number(raw_id)
    if post_id is None:
        return None
    post = queries.visible_post(post_id, viewer)
    if post is None or post.thread_id != thread.id or not post.is_live \
            or not can(viewer, "post.read", post):
        return None
    return blockquote(post)
