"""Who may do what: every moderation route, for every role, in one table.

Each row of MATRIX is one route with what each role gets from GET and POST. A refused
request, and any page load, must leave the database exactly as it was (every row of
every table); a permitted action must make its change and write exactly one moderation
log entry (filing a report writes the report instead).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

import pytest
from sqlalchemy import func, select

from support import (
    ALLOWED, REFUSED, SIGN_IN, check_status, csrf_from, database_snapshot, matrix_cases, sign_in,
)

ROLES = ("anonymous", "member", "clinic_staff", "suspended", "moderator", "admin")


# The people and posts a case needs ---------------------------------------------------

class World:
    """The targets of one case, each made on first use so that a case builds only its own.

    States are reached through the services a moderator would use, by `keeper`, a
    moderator who is not the one under test.
    """

    def __init__(self, make, db):
        self.make, self.db = make, db

    @cached_property
    def category(self):
        return self.make.category(slug="treatments", name="Treatments")

    @cached_property
    def other_category(self):
        return self.make.category(slug="living-with-ms", name="Living with MS")

    @cached_property
    def author(self):
        return self.make.user("lark")

    @cached_property
    def keeper(self):
        return self.make.user("keeper", role="moderator")

    @cached_property
    def thread(self):
        return self.make.thread(category=self.category, author=self.author,
                                title="Liberation procedure, two years on", posts=2)

    @cached_property
    def post(self):
        """The reply in `thread`: someone else's visible post."""
        from forum.boards.models import Post

        return self.db.session.scalars(select(Post).where(Post.thread_id == self.thread.id)
                                       .order_by(Post.id.desc()).limit(1)).one()

    @cached_property
    def hidden_post(self):
        from forum.moderation import services

        services.hide_post(self.keeper, self.post, "Names a member's doctor")
        return self.post

    @cached_property
    def pending_post(self):
        from forum.boards import services

        thread = self.thread
        self.make.setting("approval_posts", "2")
        newcomer = self.make.user("newcomer", new=True)
        post = services.reply(newcomer, thread, "Hello, I had the procedure last spring.")
        assert post.pending
        return post

    def thread_in(self, verb: str):
        """`thread`, locked, pinned or deleted, ready to be unlocked, unpinned or restored."""
        from forum.moderation import services

        if verb == "delete":
            services.delete_thread(self.keeper, self.thread, "Duplicate thread")
        else:
            services.set_thread_flag(self.keeper, self.thread, verb, "")
        return self.thread

    @cached_property
    def member(self):
        return self.make.user("heron")

    @cached_property
    def suspended_member(self):
        from forum.moderation import services

        services.suspend(self.keeper, self.member, 7, "Repeated advertising")
        return self.member

    @cached_property
    def other_moderator(self):
        return self.make.user("warden", role="moderator")

    @cached_property
    def suspended_moderator(self):
        from forum.timeutil import utcnow

        # Only an admin could have done it; set directly, as a record left behind.
        self.other_moderator.suspended_at = utcnow()
        self.other_moderator.suspension_reason = "Took a side in a dispute"
        self.db.session.commit()
        return self.other_moderator

    @cached_property
    def other_admin(self):
        return self.make.user("steward", role="admin")

    @cached_property
    def report(self):
        from forum.moderation import services

        reporter = self.make.user("wren")
        return services.report_post(reporter, self.post, "misinformation",
                                    "Says the stent cures MS.")


# Routes ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    url: Callable[[World], str]
    # The form a POST sends; None for a page that only shows something.
    data: Callable[[World], dict] | None = None
    # What a permitted POST must have changed; reads the rows afresh.
    done: Callable[[World, object], bool] = lambda world, db: True
    # The moderation log entry a permitted POST writes; None for no entry.
    logs: str | None = None
    # Rows a permitted POST adds to these tables, besides the log entry.
    adds: dict = field(default_factory=dict)


def _fresh(db, obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def _reason(text: str = "Spreads a claim the Brave Dreams trial refuted") -> Callable:
    return lambda world: {"reason": text}


def _confirmed(text: str) -> Callable:
    """The form of a confirm page (an action nothing undoes)."""
    return lambda world: {"reason": text, "confirm": "yes"}


ROUTES: dict[str, Route] = {
    # Pages.
    "/mod": Route(lambda w: "/mod"),
    "/mod/reports": Route(lambda w: "/mod/reports"),
    "/mod/queue": Route(lambda w: "/mod/queue"),
    "/mod/log": Route(lambda w: "/mod/log"),
    "/mod/users/<name>": Route(lambda w: f"/mod/users/{w.member.username}"),
    # Posts.
    "post hide": Route(
        lambda w: f"/mod/posts/{w.post.id}/hide", _reason(),
        lambda w, db: _fresh(db, w.post).hidden_at is not None,
        "post.hide", {"notifications": 1}),
    "post remove": Route(
        lambda w: f"/mod/posts/{w.post.id}/delete", _reason("Advertises a clinic"),
        lambda w, db: _fresh(db, w.post).deleted_at is not None,
        "post.remove", {"notifications": 1}),
    "post restore": Route(
        lambda w: f"/mod/posts/{w.hidden_post.id}/restore", _reason(""),
        lambda w, db: _fresh(db, w.hidden_post).hidden_at is None,
        "post.restore", {"notifications": 1}),
    "post approve": Route(
        lambda w: f"/mod/posts/{w.pending_post.id}/approve", _reason(""),
        lambda w, db: not _fresh(db, w.pending_post).pending,
        "post.approve", {"notifications": 1}),
    "post reject": Route(
        lambda w: f"/mod/posts/{w.pending_post.id}/reject", _confirmed("Advertises a clinic"),
        lambda w, db: _fresh(db, w.pending_post).deleted_at is not None,
        "post.reject", {"notifications": 1}),
    # Threads.
    "thread lock": Route(
        lambda w: f"/mod/threads/{w.thread.id}/lock", _reason("Going in circles"),
        lambda w, db: _fresh(db, w.thread).is_locked, "thread.lock"),
    "thread unlock": Route(
        lambda w: f"/mod/threads/{w.thread_in('lock').id}/unlock", _reason(""),
        lambda w, db: not _fresh(db, w.thread).is_locked, "thread.unlock"),
    "thread pin": Route(
        lambda w: f"/mod/threads/{w.thread.id}/pin", _reason("Useful to newcomers"),
        lambda w, db: _fresh(db, w.thread).is_pinned, "thread.pin"),
    "thread unpin": Route(
        lambda w: f"/mod/threads/{w.thread_in('pin').id}/unpin", _reason(""),
        lambda w, db: not _fresh(db, w.thread).is_pinned, "thread.unpin"),
    "thread move": Route(
        lambda w: f"/mod/threads/{w.thread.id}/move",
        lambda w: {"category": w.other_category.slug, "reason": "Not about treatment"},
        lambda w, db: _fresh(db, w.thread).category_id == w.other_category.id, "thread.move"),
    "thread delete": Route(
        lambda w: f"/mod/threads/{w.thread.id}/delete", _reason("Spam thread"),
        lambda w, db: _fresh(db, w.thread).deleted_at is not None,
        "thread.delete", {"notifications": 1}),
    "thread restore": Route(
        lambda w: f"/mod/threads/{w.thread_in('delete').id}/restore", _reason(""),
        lambda w, db: _fresh(db, w.thread).deleted_at is None,
        "thread.restore", {"notifications": 1}),
    # Members.
    "suspend member": Route(
        lambda w: f"/mod/users/{w.member.username}/suspend",
        lambda w: {"days": "7", "reason": "Repeated advertising"},
        lambda w, db: _fresh(db, w.member).suspended_at is not None,
        "user.suspend", {"notifications": 1}),
    "unsuspend member": Route(
        lambda w: f"/mod/users/{w.suspended_member.username}/unsuspend", _reason(""),
        lambda w, db: _fresh(db, w.member).suspended_at is None,
        "user.unsuspend", {"notifications": 1}),
    "suspend moderator": Route(
        lambda w: f"/mod/users/{w.other_moderator.username}/suspend",
        lambda w: {"days": "0", "reason": "Took a side in a dispute"},
        lambda w, db: _fresh(db, w.other_moderator).suspended_at is not None,
        "user.suspend", {"notifications": 1}),
    "unsuspend moderator": Route(
        lambda w: f"/mod/users/{w.suspended_moderator.username}/unsuspend", _reason(""),
        lambda w, db: _fresh(db, w.other_moderator).suspended_at is None,
        "user.unsuspend", {"notifications": 1}),
    "suspend admin": Route(
        lambda w: f"/mod/users/{w.other_admin.username}/suspend",
        lambda w: {"days": "0", "reason": "Disagreement"}),
    # Reports.
    "dismiss report": Route(
        lambda w: f"/mod/reports/{w.report.id}/dismiss", _confirmed("The claim is sourced"),
        lambda w, db: _fresh(db, w.report).status == "dismissed", "report.dismiss"),
    "report post": Route(
        lambda w: f"/p/{w.post.id}/report",
        lambda w: {"reason": "misinformation", "note": "Claims the stent cures MS."},
        adds={"reports": 1}),
    "moderator edit": Route(
        lambda w: f"/p/{w.post.id}/edit",
        lambda w: {"body": "[Removed: an unsupported cure claim.]",
                   "reason": "Removed an unsupported cure claim"},
        lambda w, db: _fresh(db, w.post).body == "[Removed: an unsupported cure claim.]",
        "post.edit", {"notifications": 1, "post_revisions": 1}),
    "admin settings": Route(
        lambda w: "/admin/settings",
        lambda w: {"approval_posts": "3", "new_member_links": "1",
                   "crisis_text": "Call 112 in Europe, 911 in North America."},
        lambda w, db: _setting(db, "approval_posts") == "3",
        "site.settings"),
}


def _setting(db, key: str) -> str | None:
    from forum.admin.models import SiteSetting

    return db.session.scalar(select(SiteSetting.value).where(SiteSetting.key == key))


# The matrix --------------------------------------------------------------------------

# Each cell is (status of GET, status of POST). A case loads the page first, as a
# browser would, then sends the form; pages that only show something have no POST.

MATRIX = {
    # route                 anonymous member   clinic_staff suspended moderator admin
    "/mod":                (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "/mod/reports":        (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "/mod/queue":          (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "/mod/log":            (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "/mod/users/<name>":   (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "post hide":           (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "post remove":          (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "post restore":        (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "post approve":        (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "post reject":         (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "thread lock":         (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "thread unlock":       (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "thread pin":          (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "thread unpin":        (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "thread move":         (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "thread delete":       (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "thread restore":      (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "suspend member":      (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "unsuspend member":    (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    # A moderator cannot silence another moderator or an admin; an admin can
    # suspend a moderator, never another admin.
    "suspend moderator":   (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  REFUSED,  ALLOWED),
    "unsuspend moderator": (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  REFUSED,  ALLOWED),
    "suspend admin":       (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  REFUSED,  REFUSED),
    "dismiss report":      (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    # Reporting is for members in good standing, moderators included.
    "report post":         (SIGN_IN,  ALLOWED, ALLOWED,     REFUSED,  ALLOWED,  ALLOWED),
    # Editing someone else's post, with a reason, is a moderator's edit.
    "moderator edit":      (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  ALLOWED,  ALLOWED),
    "admin settings":      (SIGN_IN,  REFUSED, REFUSED,     REFUSED,  REFUSED,  ALLOWED),
}

CASES = matrix_cases(MATRIX, ROLES)


def test_matrix_covers_every_route_and_role():
    assert set(MATRIX) == set(ROUTES)


# Running a case ----------------------------------------------------------------------

def _counts(db) -> dict:
    from forum.boards.models import PostRevision
    from forum.moderation.models import ModerationAction, Report
    from forum.notify.models import Notification

    return {name: db.session.scalar(select(func.count()).select_from(model))
            for name, model in (("moderation_actions", ModerationAction), ("reports", Report),
                                ("notifications", Notification),
                                ("post_revisions", PostRevision))}


@pytest.fixture
def actor(make, db):
    """Make the person in `role`; None for an anonymous visitor."""
    def become(role: str):
        if role == "anonymous":
            return None
        if role == "clinic_staff":
            from forum.resources.models import Clinic

            clinic = Clinic(name="Vein Clinic of Example", website="https://clinic.example")
            db.session.add(clinic)
            return make.user("vein_staff", role="clinic_staff", clinic=clinic)
        if role == "suspended":
            from forum.timeutil import utcnow

            user = make.user("quiet_one")
            user.suspended_at = utcnow()
            user.suspension_reason = "Repeated advertising"
            db.session.commit()
            assert user.is_suspended
            return user
        return make.user(f"the_{role}", role=role)

    return become


@pytest.mark.parametrize(("role", "route", "expected"), CASES)
def test_role_matrix(role, route, expected, actor, make, db, client):
    spec, world = ROUTES[route], World(make, db)
    user = actor(role)
    # Both built now, so that every row they need exists before the "before" picture.
    url, form = spec.url(world), spec.data(world) if spec.data else None
    if user is not None:
        sign_in(client, user)
    db.session.commit()
    before, counts_before = database_snapshot(db), _counts(db)
    get_status, post_status = expected

    page = client.get(url)
    check_status(page, get_status)
    assert database_snapshot(db) == before, "loading the page changed the database"
    if form is None:
        return

    # The page's own token, as a browser sends it (an error page has one in its layout);
    # a refusal must come from the rules, never from a missing token.
    token_page = page if page.status_code != 302 else client.get("/login")
    data = {**form, "csrf_token": csrf_from(token_page.get_data(as_text=True))}
    response = client.post(url, data=data)
    check_status(response, post_status)
    if post_status != 302:
        assert database_snapshot(db) == before, "a refused request changed the database"
        return

    # A permitted action: the change, one log entry by this actor, and nothing more.
    assert spec.done(world, db), "the action reported success but changed nothing"
    expected_counts = dict(counts_before)
    expected_counts["moderation_actions"] += 1 if spec.logs else 0
    for table, added in spec.adds.items():
        expected_counts[table] += added
    assert _counts(db) == expected_counts
    if spec.logs:
        from forum.moderation.models import ModerationAction

        entry = db.session.scalars(
            select(ModerationAction).order_by(ModerationAction.id.desc()).limit(1)).one()
        assert (entry.action, entry.actor_id) == (spec.logs, user.id)
