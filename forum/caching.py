"""Shared caching of what visitors read: public pages with an ETag, everything else private."""
from __future__ import annotations

from flask import Flask, current_app, g, request, session
from flask_login import current_user

# max-age=0 with must-revalidate: a reverse proxy or CDN keeps the page but asks again each
# time, so a new reply shows at once and an unchanged page costs a 304, not a render.
PUBLIC = "public, max-age=0, must-revalidate"


def _shared_alike(response) -> bool:
    """Whether every visitor asking for this URL would get exactly this response."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return False
    if response.mimetype != "text/html" or response.is_streamed:
        return False
    if response.cache_control.no_store or "Set-Cookie" in response.headers:
        return False
    if current_user.is_authenticated:
        return False
    # A page that hands out a CSRF token (sign in, join, reset) is bound to the session
    # holding its secret, even for a returning visitor whose session already had one.
    if current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") in g:
        return False
    # Not `session.accessed`: Flask-Login reads the session on every page to learn that
    # nobody is signed in. What matters is whether the cookie is about to be (re)written,
    # which Flask does after this hook, so a Set-Cookie header cannot tell yet; popping a
    # flashed message to show it is one such write.
    if current_app.session_interface.should_set_cookie(current_app, session):
        return False
    return "_flashes" not in session


def share_visitor_pages(response):
    if not _shared_alike(response):
        return response
    # Set, not setdefault: the security headers' private default must not win, whichever
    # of the two hooks Flask runs first.
    response.headers["Cache-Control"] = PUBLIC
    # Keyed on the cookie, a shared cache never hands this copy to a member, whose requests
    # carry one; visitors without a cookie all share one copy.
    response.vary.add("Cookie")
    response.add_etag()
    return response.make_conditional(request)


def init_app(app: Flask) -> None:
    app.after_request(share_visitor_pages)
