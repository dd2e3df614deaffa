"""Who may do what to treatment reports, thread links and the treatment list: every route,
every role, one table. A refused request (and any page load) leaves every row as it was;
a permitted one makes its change and writes the log entry it should."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import pytest
from sqlalchemy import func, select

from forum.moderation.models import ModerationAction
from forum.outcomes import services
from forum.outcomes.models import FollowUp, Treatment, TreatmentReport, thread_treatments
from forum.timeutil import utcnow
from support import (
    ALLOWED, REFUSED, SIGN_IN, check_status, csrf_from, database_snapshot, follow_up_fields,
    matrix_cases, report_fields, sign_in,
)

ROLES = ("anonymous", "member", "author", "moderator", "admin")
NOT_FOUND = (404, 404)


class World:
    """What a case needs, each made on first use so that a case builds only its own."""

    def __init__(self, make, db):
        self.make, self.db = make, db
        make.treatments()

    @cached_property
    def author(self):
        return self.make.user("willow")

    @cached_property
    def report(self):
        """Public, filed just now, treated 30 months ago: every interval due."""
        return self.make.outcome_report(self.author, consent_export=True)

    @cached_property
    def follow_up(self):
        return self.make.follow_up(self.report, months=1)

    @cached_property
    def hidden_report(self):
        services.hide_report(self.make.user("keeper", role="moderator"), self.report, "Spam")
        self.db.session.commit()
        return self.report

    @cached_property
    def thread(self):
        return self.make.thread(author=self.author, title="Natalizumab or a stent?")

    def treatment(self, slug: str = "ccsvi-stent") -> Treatment:
        return self.db.session.scalar(select(Treatment).where(Treatment.slug == slug))

    @cached_property
    def inactive(self) -> Treatment:
        treatment = self.treatment("diet")
        treatment.active = False
        self.db.session.commit()
        return treatment

    def actor(self, role: str):
        if role == "anonymous":
            return None
        if role == "author":
            return self.author
        return self.make.user(f"the_{role}", role=role)


def _fresh(db, model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def _reports_by(db, user) -> int:
    return db.session.scalar(select(func.count()).select_from(TreatmentReport)
                             .where(TreatmentReport.author_id == user.id))


@dataclass(frozen=True)
class Route:
    url: Callable[[World], str]
    data: Callable[[World], dict]
    # What a permitted POST must have changed (given the world and the acting user).
    done: Callable[[World, object, object], bool]
    # The log entry a permitted POST writes, by role (None: none), and its target type.
    logs: Callable[[str], str | None] = lambda role: None
    target_type: str = "treatment_report"
    page: bool = True


def _linked(world, db) -> list[int]:
    db.session.expire_all()
    return list(db.session.scalars(select(thread_treatments.c.treatment_id)
                                   .where(thread_treatments.c.thread_id == world.thread.id)))


ROUTES: dict[str, Route] = {
    "file": Route(
        lambda w: "/outcomes/new", lambda w: report_fields(),
        lambda w, db, user: _reports_by(db, user) == 1),
    "correct": Route(
        lambda w: f"/outcomes/{w.report.id}/edit", lambda w: report_fields(pdds="6"),
        lambda w, db, user: _fresh(db, TreatmentReport, w.report.id).pdds == 6),
    "follow up": Route(
        lambda w: f"/outcomes/{w.report.id}/follow-up", lambda w: follow_up_fields(months="3"),
        lambda w, db, user: db.session.scalar(select(FollowUp.months)) == 3),
    "correct follow-up": Route(
        lambda w: f"/outcomes/{w.follow_up.report_id}/follow-up/1/edit",
        lambda w: follow_up_fields(pgic="1"),
        lambda w, db, user: _fresh(db, FollowUp, w.follow_up.id).pgic == 1),
    "withdraw consent": Route(
        lambda w: f"/outcomes/{w.report.id}/consent-off", lambda w: {},
        lambda w, db, user: not _fresh(db, TreatmentReport, w.report.id).consent_export,
        page=False),
    "hide": Route(
        lambda w: f"/outcomes/{w.report.id}/hide", lambda w: {"reason": "Advertising"},
        lambda w, db, user: _fresh(db, TreatmentReport, w.report.id).hidden_at is not None,
        lambda role: "outcome.hide"),
    "restore": Route(
        lambda w: f"/outcomes/{w.hidden_report.id}/restore", lambda w: {"reason": ""},
        lambda w, db, user: _fresh(db, TreatmentReport, w.report.id).hidden_at is None,
        lambda role: "outcome.restore", page=False),
    "link thread": Route(
        lambda w: f"/t/{w.thread.id}/treatments",
        lambda w: {"treatments": ["dmt-natalizumab"]},
        lambda w, db, user: _linked(w, db) == [w.treatment("dmt-natalizumab").id],
        lambda role: None if role == "author" else "thread.treatments", "thread", page=False),
    "treatment list": Route(
        lambda w: "/admin/treatments",
        lambda w: {"slug": "hbot", "name": "Hyperbaric oxygen", "kind": "other"},
        lambda w, db, user: db.session.scalar(
            select(Treatment).where(Treatment.slug == "hbot")) is not None,
        lambda role: "treatment.add", "treatment"),
    "rename treatment": Route(
        lambda w: f"/admin/treatments/{w.treatment().id}/edit",
        lambda w: {"name": "Venous stenting", "description": ""},
        lambda w, db, user: w.treatment().name == "Venous stenting",
        lambda role: "treatment.edit", "treatment"),
    "take treatment off": Route(
        lambda w: f"/admin/treatments/{w.treatment().id}/deactivate", lambda w: {},
        lambda w, db, user: not _fresh(db, Treatment, w.treatment().id).active,
        lambda role: "treatment.deactivate", "treatment", page=False),
    "put treatment back": Route(
        lambda w: f"/admin/treatments/{w.inactive.id}/reactivate", lambda w: {},
        lambda w, db, user: _fresh(db, Treatment, w.inactive.id).active,
        lambda role: "treatment.reactivate", "treatment", page=False),
    "move treatment": Route(
        lambda w: f"/admin/treatments/{w.treatment().id}/move", lambda w: {"direction": "up"},
        lambda w, db, user: _fresh(db, Treatment, w.treatment().id).position == 0,
        lambda role: "treatment.move", "treatment", page=False),
}

# Routes with no page of their own are only POSTed: the first status is unused.
MATRIX = {
    # route               anonymous member   author   moderator admin
    "file":               (SIGN_IN, ALLOWED, ALLOWED, ALLOWED,  ALLOWED),
    # Only the author changes a report and gives its follow-ups.
    "correct":            (SIGN_IN, REFUSED, ALLOWED, REFUSED,  REFUSED),
    "follow up":          (SIGN_IN, REFUSED, ALLOWED, REFUSED,  REFUSED),
    "correct follow-up":  (SIGN_IN, REFUSED, ALLOWED, REFUSED,  REFUSED),
    "withdraw consent":   (SIGN_IN, REFUSED, ALLOWED, REFUSED,  REFUSED),
    # Moderators hide and restore; a hidden report is not there for other members.
    "hide":               (SIGN_IN, REFUSED, REFUSED, ALLOWED,  ALLOWED),
    "restore":            (SIGN_IN, NOT_FOUND, REFUSED, ALLOWED, ALLOWED),
    "link thread":        (SIGN_IN, REFUSED, ALLOWED, ALLOWED,  ALLOWED),
    "treatment list":     (SIGN_IN, REFUSED, REFUSED, REFUSED,  ALLOWED),
    "rename treatment":   (SIGN_IN, REFUSED, REFUSED, REFUSED,  ALLOWED),
    "take treatment off": (SIGN_IN, REFUSED, REFUSED, REFUSED,  ALLOWED),
    "put treatment back": (SIGN_IN, REFUSED, REFUSED, REFUSED,  ALLOWED),
    "move treatment":     (SIGN_IN, REFUSED, REFUSED, REFUSED,  ALLOWED),
}


def _log_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(ModerationAction))


def test_matrix_covers_every_route():
    assert set(MATRIX) == set(ROUTES)


@pytest.mark.parametrize(("role", "route", "expected"), matrix_cases(MATRIX, ROLES))
def test_outcome_role_matrix(role, route, expected, make, db, client):
    spec, world = ROUTES[route], World(make, db)
    user = world.actor(role)
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
    token_page = client.get("/outcomes/mine" if user is not None else "/login")
    # A refusal must come from the rules, never from a missing token.
    response = client.post(url, data={**form,
                                      "csrf_token": csrf_from(token_page.get_data(as_text=True))})
    check_status(response, post_status)
    if post_status != 302:
        assert database_snapshot(db) == before, "a refused request changed the database"
        return

    assert spec.done(world, db, user), "the action reported success but changed nothing"
    logged = spec.logs(role)
    assert _log_count(db) == log_before + (1 if logged else 0)
    if logged:
        entry = db.session.scalars(
            select(ModerationAction).order_by(ModerationAction.id.desc()).limit(1)).one()
        assert (entry.action, entry.actor_id, entry.target_type) == (
            logged, user.id, spec.target_type)


# Beyond the table ----------------------------------------------------------------------

@pytest.mark.parametrize(("viewer", "status"), [
    ("anonymous", 404), ("member", 404), ("author", 200), ("moderator", 200), ("admin", 200)])
def test_a_figures_only_report_page_by_role(make, db, browser, viewer, status):
    world = World(make, db)
    report = make.outcome_report(world.author, visibility="dashboard")
    client = browser()
    if viewer != "anonymous":
        sign_in(client, world.actor(viewer))

    assert client.get(f"/outcomes/{report.id}").status_code == status


@pytest.mark.parametrize("account", ["suspended", "unverified"])
def test_a_member_who_may_not_write_cannot_file_a_report(make, db, client, account):
    make.treatments()
    member = (make.suspended("benched") if account == "suspended"
              else make.user("newcomer", verified=False))
    sign_in(client, member)

    assert client.get("/outcomes/new").status_code == 403


def test_a_suspended_author_cannot_follow_up_but_can_withdraw_consent(make, db, client):
    world = World(make, db)
    report = world.report
    world.author.suspended_at = utcnow()
    world.author.suspension_reason = "Advertising"
    db.session.commit()
    sign_in(client, world.author)

    assert client.get(f"/outcomes/{report.id}/follow-up").status_code == 403
    token = csrf_from(client.get(f"/outcomes/{report.id}").get_data(as_text=True))
    response = client.post(f"/outcomes/{report.id}/consent-off", data={"csrf_token": token})
    assert response.status_code == 302


@pytest.mark.parametrize(("viewer", "offered"), [
    ("anonymous", set()),
    ("member", set()),
    ("author", {"Correct the report", "Give the 1-month follow-up",
                "Leave it out of the open data file"}),
    ("moderator", {"Hide the report"}),
])
def test_the_report_page_offers_each_role_only_its_own_actions(make, db, browser, viewer,
                                                                offered):
    world = World(make, db)
    report = world.report
    client = browser()
    if viewer != "anonymous":
        sign_in(client, world.actor(viewer))
    labels = ("Correct the report", "Give the 1-month follow-up",
              "Leave it out of the open data file", "Hide the report", "Restore the report")

    page = client.get(f"/outcomes/{report.id}").get_data(as_text=True)

    assert {label for label in labels if label in page} == offered
