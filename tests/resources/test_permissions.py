"""Who may do what to clinic resources, clinics and roles: every route, every role, one table.

Each row of MATRIX is one route with what each role gets from GET and from POST (routes
with no page of their own are only POSTed). A refused request, and any page load, leaves
every row of every table as it was; a permitted POST makes its change and writes its one
moderation log entry by the person who did it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import pytest
from sqlalchemy import func, select

from forum.moderation.models import ModerationAction
from forum.resources.models import Clinic, ResourceLink
from support import (
    ALLOWED, REFUSED, SIGN_IN, check_status, csrf_from, database_snapshot, matrix_cases, sign_in,
    submit,
)

ROLES = ("anonymous", "member", "staff", "other_staff", "moderator", "admin")


class World:
    """What a case needs, each made on first use so that a case builds only its own."""

    def __init__(self, make, db):
        self.make, self.db = make, db

    @cached_property
    def clinic(self):
        return self.make.clinic("Vein Clinic of Example", "https://clinic.example.org")

    @cached_property
    def other_clinic(self):
        return self.make.clinic("Harbour Vascular Centre")

    @cached_property
    def staff(self):
        return self.make.staff("vein_anna", self.clinic)

    @cached_property
    def other_staff(self):
        return self.make.staff("harbour_ben", self.other_clinic)

    @cached_property
    def keeper(self):
        """A moderator who is not the one under test, to put links into a state."""
        return self.make.user("keeper", role="moderator")

    @cached_property
    def category(self):
        return self.make.category(slug="ccsvi", name="CCSVI and venous procedures")

    @cached_property
    def link(self):
        """The clinic's first link, with a second below it (so it can move down)."""
        from forum.resources import services

        link = services.pin_link(self.staff, "Understanding CCSVI", "https://example.org/ccsvi",
                                 "What the clinic says.", False, [self.category])
        services.pin_link(self.staff, "Our procedure", "https://example.org/procedure",
                          "", True, [])
        return link

    @cached_property
    def hidden_link(self):
        from forum.resources import services

        services.hide_link(self.keeper, self.link, "Promises a cure")
        return self.link

    @cached_property
    def wren(self):
        """A member whose role an admin changes."""
        return self.make.user("wren")

    def actor(self, role: str):
        if role == "anonymous":
            return None
        if role == "staff":
            return self.staff
        if role == "other_staff":
            return self.other_staff
        return self.make.user(f"the_{role}", role=role)


def _fresh(db, model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


@dataclass(frozen=True)
class Route:
    url: Callable[[World], str]
    data: Callable[[World], dict]
    # What a permitted POST must have changed; reads the rows afresh.
    done: Callable[[World, object], bool]
    # The moderation log entry a permitted POST writes, and its target type; None: none.
    logs: str | None = None
    target_type: str = "resource"
    # False for an action with no page of its own (a button elsewhere): POST only.
    page: bool = True


def _new_link(world, db):
    db.session.expire_all()
    return db.session.scalar(
        select(ResourceLink).where(ResourceLink.title == "Brave Dreams explained"))


ROUTES: dict[str, Route] = {
    "new": Route(
        lambda w: "/resources/new",
        lambda w: {"title": "Brave Dreams explained", "url": "https://example.org/brave",
                   "description": "The trial in plain words.", "categories": w.category.slug},
        lambda w, db: _new_link(w, db) is not None, "resource.pin"),
    "edit": Route(
        lambda w: f"/resources/{w.link.id}/edit",
        lambda w: {"title": "Understanding CCSVI, revised", "url": "https://example.org/ccsvi",
                   "description": "What the clinic says.", "categories": w.category.slug},
        lambda w, db: _fresh(db, ResourceLink, w.link.id).title == "Understanding CCSVI, revised",
        "resource.edit"),
    "unpin": Route(
        lambda w: f"/resources/{w.link.id}/unpin",
        lambda w: {"reason": "", "confirm": "yes"},
        lambda w, db: _fresh(db, ResourceLink, w.link.id).unpinned_at is not None,
        "resource.unpin"),
    "move": Route(
        lambda w: f"/resources/{w.link.id}/move",
        lambda w: {"direction": "down"},
        lambda w, db: _fresh(db, ResourceLink, w.link.id).position == 2, page=False),
    "note": Route(
        lambda w: f"/resources/{w.link.id}/note",
        lambda w: {"note": "The Brave Dreams trial found no benefit."},
        lambda w, db: _fresh(db, ResourceLink, w.link.id).note is not None,
        "resource.note"),
    "hide": Route(
        lambda w: f"/resources/{w.link.id}/hide",
        lambda w: {"reason": "Promises a cure"},
        lambda w, db: _fresh(db, ResourceLink, w.link.id).hidden_at is not None,
        "resource.hide"),
    "restore": Route(
        lambda w: f"/resources/{w.hidden_link.id}/restore",
        lambda w: {"reason": ""},
        lambda w, db: _fresh(db, ResourceLink, w.link.id).hidden_at is None,
        "resource.restore", page=False),
    "admin clinics": Route(
        lambda w: "/admin/clinics",
        lambda w: {"name": "Northern MS Centre", "website": "https://north.example.org",
                   "description": "Rehabilitation."},
        lambda w, db: db.session.scalar(
            select(Clinic).where(Clinic.name == "Northern MS Centre")) is not None,
        "clinic.create", "clinic"),
    "admin role": Route(
        lambda w: f"/admin/users/{w.wren.username}/role",
        lambda w: {"role": "clinic_staff", "clinic": str(w.clinic.id), "reason": "Works there"},
        lambda w, db: _fresh(db, type(w.wren), w.wren.id).clinic_id == w.clinic.id,
        "user.role", "user"),
}

# Routes with no page (move, restore) are only POSTed: the first status is unused.

MATRIX = {
    # route          anonymous member   staff    other_staff moderator admin
    # Any clinic's staff pin links, each for their own clinic; nobody else pins.
    "new":           (SIGN_IN, REFUSED, ALLOWED, ALLOWED,    REFUSED,  REFUSED),
    "edit":          (SIGN_IN, REFUSED, ALLOWED, REFUSED,    REFUSED,  ALLOWED),
    "unpin":         (SIGN_IN, REFUSED, ALLOWED, REFUSED,    REFUSED,  ALLOWED),
    "move":          (SIGN_IN, REFUSED, ALLOWED, REFUSED,    REFUSED,  ALLOWED),
    # Notes and hiding are the moderators'; the clinic has no say over them.
    "note":          (SIGN_IN, REFUSED, REFUSED, REFUSED,    ALLOWED,  ALLOWED),
    "hide":          (SIGN_IN, REFUSED, REFUSED, REFUSED,    ALLOWED,  ALLOWED),
    "restore":       (SIGN_IN, REFUSED, REFUSED, REFUSED,    ALLOWED,  ALLOWED),
    "admin clinics": (SIGN_IN, REFUSED, REFUSED, REFUSED,    REFUSED,  ALLOWED),
    "admin role":    (SIGN_IN, REFUSED, REFUSED, REFUSED,    REFUSED,  ALLOWED),
}

CASES = matrix_cases(MATRIX, ROLES)


def _log_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(ModerationAction))


def test_matrix_covers_every_route_and_role():
    assert set(MATRIX) == set(ROUTES)


@pytest.mark.parametrize(("role", "route", "expected"), CASES)
def test_resource_role_matrix(role, route, expected, make, db, client):
    spec, world = ROUTES[route], World(make, db)
    user = world.actor(role)
    # Built now, so that every row they need exists before the "before" picture.
    url, form = spec.url(world), spec.data(world)
    if user is not None:
        sign_in(client, user)
    db.session.commit()
    before, log_before = database_snapshot(db), _log_count(db)
    get_status, post_status = expected

    if spec.page:
        page = client.get(url)
        check_status(page, get_status)
        assert database_snapshot(db) == before, "loading the page changed the database"
        token_page = page if page.status_code != 302 else client.get("/login")
    else:
        token_page = client.get("/resources" if user is not None else "/login")
    # A refusal must come from the rules, never from a missing token.
    data = {**form, "csrf_token": csrf_from(token_page.get_data(as_text=True))}
    response = client.post(url, data=data)
    check_status(response, post_status)
    if post_status != 302:
        assert database_snapshot(db) == before, "a refused request changed the database"
        return

    assert spec.done(world, db), "the action reported success but changed nothing"
    assert _log_count(db) == log_before + (1 if spec.logs else 0)
    if spec.logs:
        entry = db.session.scalars(
            select(ModerationAction).order_by(ModerationAction.id.desc()).limit(1)).one()
        assert (entry.action, entry.actor_id, entry.target_type) == (
            spec.logs, user.id, spec.target_type)


# Beyond the table ----------------------------------------------------------------------

def _reload(db, obj):
    db.session.expire_all()
    return db.session.get(type(obj), obj.id)


def test_clinic_staff_cannot_change_or_remove_the_evidence_note(
        pinned, staff, moderator, login, client, db):
    from forum.resources import services

    services.set_note(moderator, pinned, "The Brave Dreams trial found no benefit.")
    login(staff)
    assert client.get(f"/resources/{pinned.id}/note").status_code == 403
    token = csrf_from(client.get("/resources").get_data(as_text=True))
    for text in ("", "Our patients disagree."):
        response = client.post(f"/resources/{pinned.id}/note",
                               data={"note": text, "csrf_token": token})
        assert response.status_code == 403
    assert _reload(db, pinned).note.body == "The Brave Dreams trial found no benefit."


def test_editing_a_link_keeps_the_moderators_evidence_note(
        pinned, staff, moderator, category, login, client, db):
    from forum.resources import services

    services.set_note(moderator, pinned, "The Brave Dreams trial found no benefit.")
    login(staff)
    response = submit(client, f"/resources/{pinned.id}/edit",
                      {"title": "Understanding CCSVI (2025)", "url": "https://example.org/new",
                       "description": "", "categories": category.slug})
    assert response.status_code == 302
    link = _reload(db, pinned)
    assert link.title == "Understanding CCSVI (2025)"
    assert link.note.body == "The Brave Dreams trial found no benefit."


def test_a_pin_belongs_to_the_pinners_clinic_whatever_the_form_sends(
        other_staff, clinic, category, login, client, db):
    login(other_staff)
    response = submit(client, "/resources/new",
                      {"title": "Harbour's guide", "url": "https://harbour.example.net/guide",
                       "categories": category.slug, "clinic_id": str(clinic.id),
                       "clinic": str(clinic.id)})
    assert response.status_code == 302
    link = db.session.scalar(select(ResourceLink).where(ResourceLink.title == "Harbour's guide"))
    assert link.clinic_id == other_staff.clinic_id != clinic.id


def test_suspended_clinic_staff_cannot_pin(staff, category, login, client, db):
    from forum.timeutil import utcnow

    login(staff)
    staff.suspended_at = utcnow()
    staff.suspension_reason = "Advertising"
    db.session.commit()
    assert client.get("/resources/new").status_code == 403


def test_an_unpinned_link_is_gone_from_its_staffs_edit_page(pinned, staff, login, client):
    from forum.resources import services

    services.unpin_link(staff, pinned)
    login(staff)
    assert client.get(f"/resources/{pinned.id}/edit").status_code == 404


def test_an_admin_cannot_change_their_own_role(admin, login, client):
    login(admin)
    assert client.get(f"/admin/users/{admin.username}/role").status_code == 403


def test_a_member_given_the_clinic_staff_role_can_then_pin(
        admin, member, clinic, browser, login, client):
    as_member = browser(member)
    assert as_member.get("/resources/new").status_code == 403
    login(admin)
    response = submit(client, f"/admin/users/{member.username}/role",
                      {"role": "clinic_staff", "clinic": str(clinic.id), "reason": ""})
    assert response.status_code == 302
    assert as_member.get("/resources/new").status_code == 200


def test_clinic_staff_role_without_a_clinic_is_refused(admin, member, login, client, db):
    login(admin)
    response = submit(client, f"/admin/users/{member.username}/role",
                      {"role": "clinic_staff", "clinic": "", "reason": ""})
    assert response.status_code == 422
    assert "Clinic staff belong to a clinic" in response.get_data(as_text=True)
    assert _reload(db, member).role == "member"


ACTION_LABELS = ("Pin a new link", "Edit<span", "Add evidence note", "Hide<span")


@pytest.mark.parametrize(("viewer", "offered"), [
    ("anonymous", set()),
    ("member", set()),
    ("staff", {"Pin a new link", "Edit<span"}),
    ("other_staff", {"Pin a new link"}),
    ("moderator", {"Add evidence note", "Hide<span"}),
    ("admin", {"Edit<span", "Add evidence note", "Hide<span"}),
])
def test_the_resources_page_offers_each_role_only_its_own_actions(
        viewer, offered, pinned, request, browser):
    user = None if viewer == "anonymous" else request.getfixturevalue(viewer)
    page = browser(user).get("/resources").get_data(as_text=True)
    assert {label for label in ACTION_LABELS if label in page} == offered
