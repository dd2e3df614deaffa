"""The Atom feeds' routes (on the boards blueprint), shared by caches like visitors' pages."""
from __future__ import annotations

from flask import abort, after_this_request, current_app, request, session
from flask_login import current_user

from forum.boards import feeds, queries
from forum.boards.views import bp
from forum.caching import PUBLIC

ATOM_TYPE = "application/atom+xml; charset=utf-8"


def _shared(response):
    # A feed is the same for everyone; only a response that writes a cookie must not be
    # kept by a shared cache (forum.caching does the same for visitors' HTML pages).
    if current_user.is_authenticated or current_app.session_interface.should_set_cookie(
            current_app, session):
        response.headers["Cache-Control"] = "private, no-cache"
    else:
        response.headers["Cache-Control"] = PUBLIC
        response.vary.add("Cookie")
    response.add_etag()
    return response.make_conditional(request)


def _atom(body: bytes):
    after_this_request(_shared)
    return current_app.response_class(body, content_type=ATOM_TYPE)


@bp.get("/feeds/latest.atom")
def latest_feed():
    return _atom(feeds.site_feed())


@bp.get("/c/<slug>/feed.atom")
def category_feed(slug: str):
    category = queries.category_by_slug(slug) or abort(404)
    return _atom(feeds.category_feed(category))
