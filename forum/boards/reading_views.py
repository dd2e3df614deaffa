"""What's new: jump to the first unread post, and mark a category or everything read."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_login import current_user, login_required

from forum.boards import reading
from forum.boards.views import _category_or_404, _thread_or_404, bp, thread_url


@bp.get("/t/<int:thread_id>/unread")
def first_unread(thread_id: int):
    thread = _thread_or_404(thread_id)
    # Visitors have no read marks: the thread from its start, and nothing written.
    post = reading.first_unread(current_user, thread) \
        if current_user.is_authenticated else None
    if post is None:
        return redirect(thread_url(thread))
    return redirect(url_for("boards.permalink", post_id=post.id))


@bp.post("/c/<slug>/read")
@login_required
def mark_category_read(slug: str):
    category = _category_or_404(slug)
    reading.mark_category_read(current_user, category)
    flash(f"Everything in {category.name} is marked as read.", "success")
    return redirect(url_for("boards.category", slug=category.slug))


@bp.post("/read")
@login_required
def mark_all_read():
    reading.mark_all_read(current_user)
    flash("Everything on the forum is marked as read.", "success")
    return redirect(url_for("boards.home"))
