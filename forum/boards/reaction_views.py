"""Reacting to posts, who reacted, and members' bookmarks (routes on the boards blueprint)."""
from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from forum.arguments import page_arg
from forum.boards import bookmarks, queries, reactions, services
from forum.boards.views import bp
from forum.extensions import limiter
from forum.navigation import safe_next
from forum.permissions import can

BOOKMARKS_PER_PAGE = 25


def _member_limit():
    return limiter.limit(lambda: current_app.config["RATELIMIT_REACT"],
                         key_func=lambda: f"user:{current_user.id}",
                         methods=["POST"])


def _readable_post_or_404(post_id: int):
    post = queries.visible_post(post_id, current_user)
    if post is None or not can(current_user, "post.read", post):
        abort(404)
    return post


def _back_to(post) -> str:
    if request.form.get("next") or request.args.get("next"):
        return safe_next()
    return url_for("boards.permalink", post_id=post.id)


@bp.post("/p/<int:post_id>/react")
@login_required
@_member_limit()
def react(post_id: int):
    post = queries.visible_post(post_id, current_user) or abort(404)
    reactions.toggle(current_user, post, request.form.get("kind", ""))
    return redirect(_back_to(post))


@bp.get("/p/<int:post_id>/reactions")
def who_reacted(post_id: int):
    post = _readable_post_or_404(post_id)
    return render_template("boards/reactions.html", post=post,
                           groups=reactions.who_reacted(post))


@bp.post("/p/<int:post_id>/bookmark")
@login_required
@_member_limit()
def bookmark(post_id: int):
    post = queries.visible_post(post_id, current_user) or abort(404)
    bookmarks.toggle(current_user, post)
    return redirect(_back_to(post))


@bp.get("/bookmarks")
@login_required
def my_bookmarks():
    page = page_arg()
    pages = services.page_count(bookmarks.count_for(current_user), BOOKMARKS_PER_PAGE)
    if page > pages:
        abort(404)
    return render_template("boards/bookmarks.html", page=page, pages=pages,
                           marks=bookmarks.page_for(current_user, page, BOOKMARKS_PER_PAGE),
                           snippet=bookmarks.snippet, per_page=BOOKMARKS_PER_PAGE)
