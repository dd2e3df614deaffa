"""Every pin, edit, unpin, hide, restore and note, every new clinic and role change, goes
into the moderation log with who did it; and the issue's closing story end to end."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest
from markupsafe import escape
from sqlalchemy import select

from forum.moderation.models import ModerationAction
from forum.resources import services
from forum.resources.models import Clinic, ResourceLink
from support import submit

LABEL = "Understanding CCSVI (Vein Clinic of Example)"


@dataclass(frozen=True)
class Action:
    actor: str                          # the fixture of the person doing it
    url: Callable[[dict], str]
    data: Callable[[dict], dict]
    target: Callable[[dict, object], tuple]  # (target_type, target_id, target_label)
    form_page: Callable[[dict], str] | None = None


def _link_target(ctx, db):
    return "resource", ctx["pinned"].id, LABEL


def _new_link_target(ctx, db):
    link = db.session.scalar(
        select(ResourceLink).where(ResourceLink.title == "Brave Dreams explained"))
    return "resource", link.id, "Brave Dreams explained (Vein Clinic of Example)"


ACTIONS = {
    "resource.pin": Action(
        "staff", lambda c: "/resources/new",
        lambda c: {"title": "Brave Dreams explained", "url": "https://example.org/brave",
                   "categories": c["category"].slug},
        _new_link_target),
    "resource.edit": Action(
        "staff", lambda c: f"/resources/{c['pinned'].id}/edit",
        lambda c: {"title": "Understanding CCSVI", "url": "https://example.org/ccsvi-2",
                   "description": "Updated.", "site_wide": "y",
                   "categories": c["category"].slug},
        _link_target),
    "resource.unpin": Action(
        "staff", lambda c: f"/resources/{c['pinned'].id}/unpin",
        lambda c: {"reason": "Out of date", "confirm": "yes"}, _link_target,
        lambda c: f"/resources/{c['pinned'].id}/edit"),
    "resource.hide": Action(
        "moderator", lambda c: f"/resources/{c['pinned'].id}/hide",
        lambda c: {"reason": "Promises a cure"}, _link_target),
    "resource.restore": Action(
        "moderator", lambda c: f"/resources/{c['hidden'].id}/restore",
        lambda c: {"reason": ""}, _link_target, lambda c: "/resources"),
    "resource.note": Action(
        "moderator", lambda c: f"/resources/{c['pinned'].id}/note",
        lambda c: {"note": "The Brave Dreams trial found no benefit."}, _link_target),
    "clinic.create": Action(
        "admin", lambda c: "/admin/clinics",
        lambda c: {"name": "Northern MS Centre", "website": "", "description": ""},
        lambda c, db: ("clinic", db.session.scalar(
            select(Clinic.id).where(Clinic.name == "Northern MS Centre")),
            "Northern MS Centre")),
    "user.role": Action(
        "admin", lambda c: f"/admin/users/{c['member'].username}/role",
        lambda c: {"role": "clinic_staff", "clinic": str(c["pinned"].clinic_id),
                   "reason": "Works at the clinic"},
        lambda c, db: ("user", c["member"].id, c["member"].username)),
}


@pytest.fixture
def ctx(pinned, category, member, moderator, request):
    context = {"pinned": pinned, "category": category, "member": member}
    if "restore" in request.node.name:
        services.hide_link(moderator, pinned, "Promises a cure")
        context["hidden"] = pinned
    return context


def _entries(db) -> list:
    db.session.expire_all()
    return list(db.session.scalars(select(ModerationAction).order_by(ModerationAction.id)))


@pytest.mark.parametrize("action", ACTIONS, ids=ACTIONS.keys())
def test_each_action_writes_one_log_entry_with_its_actor(action, ctx, request, db, login,
                                                         client):
    spec = ACTIONS[action]
    actor = request.getfixturevalue(spec.actor)
    login(actor)
    before = _entries(db)
    form_page = spec.form_page(ctx) if spec.form_page else None
    response = submit(client, spec.url(ctx), spec.data(ctx), form_page=form_page)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    added = _entries(db)[len(before):]
    assert [(e.action, e.actor_id) for e in added] == [(action, actor.id)]
    (entry,) = added
    assert (entry.target_type, entry.target_id, entry.target_label) == spec.target(ctx, db)


@pytest.mark.parametrize("action", ACTIONS, ids=ACTIONS.keys())
def test_each_action_is_visible_in_the_moderation_log(action, ctx, request, db, browser):
    spec = ACTIONS[action]
    actor = request.getfixturevalue(spec.actor)
    form_page = spec.form_page(ctx) if spec.form_page else None
    response = submit(browser(actor), spec.url(ctx), spec.data(ctx), form_page=form_page)
    assert response.status_code == 302
    target_type, target_id, label = spec.target(ctx, db)

    moderator = request.getfixturevalue("moderator")
    log = browser(moderator).get(f"/mod/log?action={action}")
    assert log.status_code == 200
    rows = [row for row in log.get_data(as_text=True).split("<tr>")
            if f"<td>{action}</td>" in row
            and f"{target_type} {target_id}: {escape(label)}" in row]
    assert len(rows) == 1, rows
    assert f'<td><a href="/u/{actor.username}">{actor.username}</a></td>' in rows[0]


def test_a_hide_is_logged_with_its_reason(pinned, moderator, browser, db):
    submit(browser(moderator), f"/resources/{pinned.id}/hide", {"reason": "Promises a cure"})
    (entry,) = [e for e in _entries(db) if e.action == "resource.hide"]
    assert entry.reason == "Promises a cure"


def test_each_version_of_a_note_is_kept_in_the_log(pinned, moderator, admin, browser, db):
    submit(browser(moderator), f"/resources/{pinned.id}/note",
           {"note": "The Brave Dreams trial found no benefit."})
    submit(browser(admin), f"/resources/{pinned.id}/note",
           {"note": "Brave Dreams: no benefit. FDA warning, 2012."})
    notes = [(e.actor_id, e.reason) for e in _entries(db) if e.action == "resource.note"]
    assert notes == [(moderator.id, "The Brave Dreams trial found no benefit."),
                     (admin.id, "Brave Dreams: no benefit. FDA warning, 2012.")]


def test_a_role_change_names_the_new_role_and_clinic_in_the_log(member, clinic, admin,
                                                                browser, db):
    submit(browser(admin), f"/admin/users/{member.username}/role",
           {"role": "clinic_staff", "clinic": str(clinic.id), "reason": "Works there"})
    (entry,) = [e for e in _entries(db) if e.action == "user.role"]
    assert "clinic_staff — Vein Clinic of Example" in entry.reason
    assert "Works there" in entry.reason


def test_a_refused_or_invalid_action_writes_no_log_entry(pinned, staff, other_staff, category,
                                                         browser, db):
    before = _entries(db)
    submit(browser(staff), "/resources/new",
           {"title": "Bad", "url": "javascript:alert(1)", "categories": category.slug})
    as_other = browser(other_staff)
    response = submit(as_other, f"/resources/{pinned.id}/unpin", {}, form_page="/resources")
    assert response.status_code == 403
    assert _entries(db) == before


# The closing story ---------------------------------------------------------------

def test_story_staff_pin_a_link_members_see_the_disclosure_and_note_and_the_log_shows_both(
        staff, member, moderator, category, browser, item_of, db):
    # A clinic staff member pins a link to a category, through the form.
    as_staff = browser(staff)
    form = as_staff.get("/resources/new").get_data(as_text=True)
    assert "Provided by Vein Clinic of Example, which offers the treatment described." in form
    response = submit(as_staff, "/resources/new", {
        "title": "Liberation procedure: what to expect",
        "url": "https://www.example.org/liberation",
        "description": "Our clinic's guide to venous angioplasty.",
        "categories": category.slug})
    assert response.status_code == 302
    link = db.session.scalar(select(ResourceLink))

    # A member sees it in the category, with the clinic's name and the disclosure.
    as_member = browser(member)
    found = item_of(as_member.get(f"/c/{category.slug}").get_data(as_text=True), link)
    assert found is not None
    html, text = found
    assert "Liberation procedure: what to expect (example.org)" in text
    assert "Provided by Vein Clinic of Example, which offers the treatment described." in text
    assert f'href="/r/{link.id}" rel="noopener noreferrer"' in html
    assert "What the evidence says" not in text

    # A moderator adds an evidence note from the resources page.
    as_moderator = browser(moderator)
    resources = as_moderator.get("/resources").get_data(as_text=True)
    assert f'href="/resources/{link.id}/note"' in resources
    response = submit(as_moderator, f"/resources/{link.id}/note", {
        "note": "The randomized **Brave Dreams** trial found no benefit of venous "
                "angioplasty in MS; the FDA warned in 2012 of serious complications."})
    assert response.status_code == 302

    # The member now sees the note right beside the link.
    html, text = item_of(as_member.get(f"/c/{category.slug}").get_data(as_text=True), link)
    assert "What the evidence says" in text
    assert "<strong>Brave Dreams</strong> trial found no benefit" in html
    assert text.index("which offers the treatment described") < text.index("Brave Dreams")

    # The log shows both: the pin by the staff member, the note by the moderator.
    log = as_moderator.get("/mod/log").get_data(as_text=True)
    rows = log.split("<tr>")
    pin = [r for r in rows if "<td>resource.pin</td>" in r]
    note = [r for r in rows if "<td>resource.note</td>" in r]
    assert len(pin) == 1 and f'<a href="/u/{staff.username}">' in pin[0]
    assert len(note) == 1 and f'<a href="/u/{moderator.username}">' in note[0]
    assert "Brave Dreams" in note[0]
