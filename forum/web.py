"""What every response shares: security headers, error pages, the health check."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, current_app, flash, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from forum.arguments import BoundedInt
from forum.extensions import db, login_manager
from forum.errors import Conflict, PermissionDenied, ValidationError

bp = Blueprint("web", __name__)

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

ERROR_TEXT = {
    400: ("Something was wrong with that request",
          "The page could not make sense of what was sent. Please go back and try again."),
    403: ("You cannot do that here",
          "Your account does not have permission for this page or action."),
    404: ("Page not found",
          "There is nothing at this address. It may have been moved or removed."),
    405: ("That is not how this page works",
          "This address does not accept that kind of request."),
    409: ("That cannot be done now",
          "What you tried no longer fits: someone may have changed it a moment ago."),
    413: ("That was too large",
          "What you sent is larger than this site accepts. Please shorten it and try again."),
    422: ("Please check what you entered", "Some of what you entered could not be used."),
    429: ("Please slow down",
          "There were too many attempts in a short time. Wait a little, then try again."),
    500: ("Something went wrong on our side",
          "The error is logged. Please try again in a moment."),
    503: ("The forum is briefly unavailable", "Please try again in a moment."),
}

# Fields worth handing back when a form cannot be accepted (never passwords).
KEEPSAKE_FIELDS = ("title", "body", "note", "description", "reason")


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        db.session.rollback()
        return {"status": "unavailable"}, 503
    return {"status": "ok"}


def error_page(status: int, detail: str | None = None, keepsake: dict | None = None):
    title, text_ = ERROR_TEXT.get(status, ERROR_TEXT[500])
    return render_template("errors/error.html", status=status, title=title,
                           message=detail or text_, keepsake=keepsake or {}), status


def typed_text() -> dict:
    """What a refused form carried, to hand back so that nobody loses a long post.

    NUL characters are left out: they are what a form is refused for (see _refuse_nul).
    """
    if request.method != "POST":
        return {}
    kept = {name: request.form.get(name, "").replace(NUL, "") for name in KEEPSAKE_FIELDS}
    return {name: value for name, value in kept.items() if value}


NUL = "\x00"
NUL_REFUSED = ("What you sent contains a NUL character that cannot be stored (pasting from "
               "some programs brings one along). Nothing was saved. Below is what you typed "
               "without it: copy it, go back and send it again.")


def _carries_nul(values) -> bool:
    return any(NUL in key or NUL in value for key, value in values.items(multi=True))


def _refuse_nul():
    """PostgreSQL text cannot hold NUL, so a request carrying one is refused before anything
    reads it. Every other character it can hold, and nothing else arrives: werkzeug reads
    bytes that are not UTF-8 as U+FFFD in a path and as their %-escapes in a query or form,
    never as lone surrogates."""
    if NUL in request.path or _carries_nul(request.args) or _carries_nul(request.form):
        return error_page(400, NUL_REFUSED, typed_text())
    return None


# Headers an error must keep: where to retry, which methods work.
KEPT_ERROR_HEADERS = ("Allow", "Retry-After")


def _handle_http(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    keepsake = typed_text() if error.code == 429 else None
    body, status = error_page(error.code, keepsake=keepsake)
    headers = {name: value for name, value in error.get_headers() if name in KEPT_ERROR_HEADERS}
    return body, status, headers


def _handle_csrf(error: CSRFError):
    # The token went missing (a sign-out elsewhere, cookies cleared).
    return error_page(400, "This form had expired, so nothing was saved. Please reload the "
                      "page and send it again.", typed_text())


def unauthorized():
    """Not signed in: pages send people to sign in; a refused form keeps its text."""
    if request.method == "POST":
        back = request.referrer or ""
        back_path = urlsplit(back).path if back.startswith(request.host_url) else "/"
        return render_template("errors/signed_out.html", keepsake=typed_text(),
                               next_path=back_path), 401
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def _handle_permission(_error: PermissionDenied):
    return error_page(403)


def _handle_conflict(error: Conflict):
    # Not for now: the target changed (often under another moderator's hands).
    return error_page(409, error.message, typed_text())


def _handle_refusal(error: ValidationError):
    # A form catches its own refusals and re-shows itself; this is for the rest.
    return error_page(422, error.message, typed_text())


def _handle_crash(error: Exception):
    current_app.logger.exception("unhandled error", exc_info=error)
    db.session.rollback()
    return error_page(500)


def set_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if response.mimetype == "text/html":
        # Pages can carry private messages and health details: keep them out of shared caches.
        headers.setdefault("Cache-Control", "private, no-cache")
    return response


def init_app(app: Flask) -> None:
    # Before any blueprint adds its rules: converters are looked up as each rule is added.
    app.url_map.converters["int"] = BoundedInt
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Behind a reverse proxy the client's address (for rate limits) and scheme come
        # from its X-Forwarded-* headers; trust exactly as many hops as there are proxies.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.register_blueprint(bp)
    app.before_request(_refuse_nul)
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(PermissionDenied, _handle_permission)
    app.register_error_handler(Conflict, _handle_conflict)
    app.register_error_handler(ValidationError, _handle_refusal)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_crash)
    app.after_request(set_security_headers)
    login_manager.unauthorized_handler(unauthorized)
