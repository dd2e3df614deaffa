"""Every HTML page of the forum, as the browser tests scan and check it: a name, who views
it, and how to find its address in the demo forum.

A new page is scanned in every theme and checked by adding one line to CATALOGUE;
test_page_scans.py fails for any GET route that is neither here nor in EXCLUDED, with the
reason it has no page of its own.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from werkzeug.exceptions import NotFound

import site_data
from site_data import NEWCOMER, PATIENT, SELLER, Demo

# Who reads a page: a visitor, or a demo account signed in through the login form.
ROLES: dict[str, str | None] = {
    "visitor": None,
    "member": "maple_walker",
    "moderator": "quiet_heron",
    "admin": "outflow_admin",
    "staff": "cvi_staff",
    "patient": PATIENT,        # a demo patient whose staged report can still be corrected
    "suspended": SELLER,       # suspended by the staging, with a reply in the queue
    "unconfirmed": NEWCOMER,   # joined by the staging, address not confirmed
}

ANGIOPLASTY = "Had venous angioplasty"
WELCOME = "Hello from a new member"
VENOUS = "Venous Angioplasty for CCSVI"


@dataclass(frozen=True)
class Page:
    name: str
    role: str
    path: str | Callable[[Demo], str]
    status: int = 200

    def __str__(self) -> str:
        return self.name


CATALOGUE = [
    # Reading, as a visitor ---------------------------------------------------------------
    Page("home", "visitor", "/"),
    Page("guidelines", "visitor", "/guidelines"),
    Page("category", "visitor", "/c/ccsvi"),
    Page("thread", "visitor", lambda d: f"/t/{d.thread(ANGIOPLASTY).id}"),
    Page("thread-of-a-treatment-report", "visitor",
         lambda d: f"/t/{d.public_report().thread_id}"),
    Page("who-reacted", "visitor", lambda d: f"/p/{d.posts(ANGIOPLASTY)[0].id}/reactions"),
    Page("profile", "visitor", "/u/maple_walker"),
    Page("not-found", "visitor", "/no-such-page", status=404),
    Page("crisis", "visitor", "/crisis"),
    Page("resources", "visitor", "/resources"),
    Page("outcomes-dashboard", "visitor", "/outcomes"),
    Page("outcomes-dashboard-bad-filter", "visitor", "/outcomes?year=1066", status=400),
    Page("treatment", "visitor", "/outcomes/t/ccsvi-angioplasty"),
    Page("treatment-report", "visitor", lambda d: f"/outcomes/{d.public_report().id}"),
    Page("search", "visitor", "/search"),
    Page("search-results", "visitor", "/search?q=angioplasty"),
    Page("display", "visitor", "/display"),
    # Accounts, and the pages mail links open ---------------------------------------------
    Page("sign-in", "visitor", "/login"),
    Page("join", "visitor", "/register"),
    Page("reset-request", "visitor", "/reset"),
    Page("reset-password", "visitor", lambda d: d.mail_link(site_data.reset_link)),
    Page("reset-link-invalid", "visitor", "/reset/not-a-token", status=404),
    Page("verify-email", "visitor", lambda d: d.mail_link(site_data.verify_link)),
    Page("email-change-confirm", "visitor", lambda d: d.mail_link(site_data.email_confirm_link)),
    Page("email-change-undo", "visitor", lambda d: d.mail_link(site_data.email_undo_link)),
    Page("unsubscribe", "visitor", lambda d: d.mail_link(site_data.unsubscribe_link)),
    Page("reminders-off", "visitor", lambda d: d.mail_link(site_data.reminders_off_link)),
    # A member ----------------------------------------------------------------------------
    Page("home-signed-in", "member", "/"),
    Page("thread-signed-in", "member", lambda d: f"/t/{d.thread(ANGIOPLASTY).id}"),
    Page("new-thread", "member", "/c/living-with-ms/new"),
    Page("edit-post", "member", lambda d: f"/p/{d.posts(WELCOME)[0].id}/edit"),
    Page("delete-post", "member",
         lambda d: f"/p/{d.post_by(ANGIOPLASTY, 'maple_walker').id}/delete"),
    Page("report-post", "member", lambda d: f"/p/{d.posts(ANGIOPLASTY)[0].id}/report"),
    Page("own-profile", "member", "/u/maple_walker"),
    Page("notifications", "member", "/notifications"),
    Page("bookmarks", "member", "/bookmarks"),
    Page("settings", "member", "/settings"),
    Page("settings-profile", "member", "/settings/profile"),
    Page("settings-privacy", "member", "/settings/privacy"),
    Page("settings-account", "member", "/settings/account"),
    Page("settings-sessions", "member", "/settings/sessions"),
    Page("settings-email-preferences", "member", "/settings/email-preferences"),
    Page("settings-display", "member", "/settings/display"),
    Page("display-signed-in", "member", "/display"),
    Page("export", "member", "/settings/export"),
    Page("delete-account", "member", "/settings/delete"),
    Page("forbidden", "member", "/mod", status=403),
    # A patient's treatment reports -------------------------------------------------------
    Page("new-treatment-report", "patient", "/outcomes/new"),
    Page("my-treatment-reports", "patient", "/outcomes/mine"),
    Page("own-treatment-report", "patient", lambda d: f"/outcomes/{d.patient_report().id}"),
    Page("correct-treatment-report", "patient",
         lambda d: f"/outcomes/{d.patient_report().id}/edit"),
    Page("follow-up", "patient", lambda d: f"/outcomes/{d.patient_report().id}/follow-up"),
    Page("correct-follow-up", "patient",
         lambda d: f"/outcomes/{d.patient_report().id}/follow-up/1/edit"),
    # A suspended member ------------------------------------------------------------------
    Page("home-suspended", "suspended", "/"),
    Page("profile-locked", "suspended", "/settings/profile", status=403),
    # A member who has not confirmed their address yet -------------------------------------
    Page("home-unconfirmed", "unconfirmed", "/"),
    # Moderators --------------------------------------------------------------------------
    Page("moderation", "moderator", "/mod"),
    Page("moderation-reports", "moderator", "/mod/reports"),
    Page("moderation-queue", "moderator", "/mod/queue"),
    Page("moderation-log", "moderator", "/mod/log"),
    Page("moderation-member", "moderator", f"/mod/users/{SELLER}"),
    Page("profile-history", "moderator", f"/mod/users/{SELLER}/profile"),
    Page("clear-profile-field", "moderator", "/mod/users/maple_walker/profile/clear?field=bio"),
    Page("thread-moderator", "moderator", lambda d: f"/t/{d.thread(ANGIOPLASTY).id}"),
    Page("hide-post", "moderator", lambda d: f"/mod/posts/{d.posts(ANGIOPLASTY)[0].id}/hide"),
    Page("approve-post", "moderator", lambda d: f"/mod/posts/{d.pending_post().id}/approve"),
    Page("reject-post", "moderator", lambda d: f"/mod/posts/{d.pending_post().id}/reject"),
    Page("move-thread", "moderator", lambda d: f"/mod/threads/{d.thread(WELCOME).id}/move"),
    Page("lock-thread", "moderator", lambda d: f"/mod/threads/{d.thread(WELCOME).id}/lock"),
    Page("suspend-member", "moderator", "/mod/users/slow_tortoise/suspend"),
    Page("unsuspend-member", "moderator", f"/mod/users/{SELLER}/unsuspend"),
    Page("dismiss-report", "moderator", lambda d: f"/mod/reports/{d.open_report().id}/dismiss"),
    Page("post-revisions", "moderator", lambda d: f"/p/{d.edited_post().id}/revisions"),
    Page("evidence-note", "moderator", lambda d: f"/resources/{d.link(VENOUS).id}/note"),
    Page("hide-resource", "moderator", lambda d: f"/resources/{d.link(VENOUS).id}/hide"),
    Page("hide-treatment-report", "moderator", lambda d: f"/outcomes/{d.public_report().id}/hide"),
    # Clinic staff ------------------------------------------------------------------------
    Page("resources-staff", "staff", "/resources"),
    Page("pin-resource", "staff", "/resources/new"),
    Page("edit-resource", "staff", lambda d: f"/resources/{d.link('Treatment Options').id}/edit"),
    Page("unpin-resource", "staff", lambda d: f"/resources/{d.link('Treatment Options').id}/unpin"),
    # Admins ------------------------------------------------------------------------------
    Page("site-settings", "admin", "/admin/settings"),
    Page("clinics", "admin", "/admin/clinics"),
    Page("member-role", "admin", "/admin/users/maple_walker/role"),
    Page("treatments", "admin", "/admin/treatments"),
    Page("edit-treatment", "admin", lambda d: f"/admin/treatments/{d.treatment('diet').id}/edit"),
]

# GET routes with no HTML page of their own to scan, and why.
EXCLUDED = {
    "static": "stylesheets, scripts and images",
    "accounts.avatar": "an SVG image",
    "boards.latest_feed": "an Atom feed",
    "boards.category_feed": "an Atom feed",
    "figures.open_data": "a CSV file",
    "accounts.download_export": "the export's ZIP file",
    "web.healthz": "a plain answer for load balancers",
    "resources.outbound": "counts the click, then redirects to the link's own site",
    "boards.permalink": "redirects to the post on its thread's page",
    "boards.first_unread": "redirects to the first unread post",
    "notify.open_notification": "marks the notice read, then redirects to what it is about",
    "boards.reply_get": "405: replies are POSTed from the thread page",
    "outcomes.thread_treatments_get": "405: the links are POSTed from the thread page",
}


def prepare(app) -> None:
    """Stage what the demo lacks and look every address up, once per demo forum."""
    _resolved(app)


@cache
def _resolved(app) -> dict[str, str]:
    site_data.stage(app)
    with app.app_context():
        demo = Demo(app)
        return {page.name: page.path(demo) if callable(page.path) else page.path
                for page in CATALOGUE}


def path_of(app, page: Page) -> str:
    """The page's address in this demo forum (looked up once per test process)."""
    return _resolved(app)[page.name]


def endpoints_covered(app) -> dict[str, str]:
    """Each endpoint the catalogue reaches, with the first page that reaches it."""
    adapter = app.url_map.bind("localhost")
    covered: dict[str, str] = {}
    for page in CATALOGUE:
        path = path_of(app, page).split("?")[0]
        try:
            endpoint, _ = adapter.match(path, method="GET")
        except NotFound:  # the not-found page, which no route serves
            continue
        covered.setdefault(endpoint, page.name)
    return covered
