"""Admins keep the treatment list: add, rename, take off and back on, reorder; all logged."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.moderation.models import ModerationAction
from forum.outcomes.models import Treatment
from support import report_fields, sign_in, submit


@pytest.fixture
def steward(make, client):
    make.treatments()
    admin = make.user("steward", role="admin")
    sign_in(client, admin)
    return admin


def treatment(db, slug: str) -> Treatment | None:
    db.session.expire_all()
    return db.session.scalar(select(Treatment).where(Treatment.slug == slug))


def actions(db) -> list[tuple[str, str]]:
    db.session.expire_all()
    return [(entry.action, entry.target_label) for entry in
            db.session.scalars(select(ModerationAction).order_by(ModerationAction.id))]


def test_the_list_shows_every_treatment_by_kind(client, steward):
    page = client.get("/admin/treatments").get_data(as_text=True)

    assert page.index("CCSVI venous procedures") < page.index("CCSVI venous stenting") \
        < page.index("Disease-modifying therapies") < page.index("Ocrelizumab")


def test_an_admin_adds_a_treatment(db, client, steward):
    response = submit(client, "/admin/treatments", {
        "slug": "dmt-ublituximab", "name": "Ublituximab", "kind": "dmt",
        "description": "An anti-CD20 infusion."})

    added = treatment(db, "dmt-ublituximab")
    assert response.status_code == 302
    assert (added.name, added.kind, added.active) == ("Ublituximab", "dmt", True)
    assert actions(db) == [("treatment.add", "Ublituximab")]


def test_a_new_treatment_is_offered_on_the_report_form(db, make, client, steward):
    submit(client, "/admin/treatments", {"slug": "hbot", "name": "Hyperbaric oxygen",
                                         "kind": "other"})

    assert 'value="hbot"' in client.get("/outcomes/new").get_data(as_text=True)


@pytest.mark.parametrize("fields,message", [
    ({"slug": "Bad Slug!", "name": "Bad", "kind": "other"}, "lowercase letters"),
    ({"slug": "natalizumab-2", "name": "Natalizumab again", "kind": "dmt"}, "starts with dmt-"),
    ({"slug": "dmt-natalizumab", "name": "Natalizumab again", "kind": "dmt"},
     "already has that short name"),
    ({"slug": "tea", "name": "T", "kind": "diet"}, "name of 2 to 120"),
    ({"slug": "tea", "name": "Green tea", "kind": "potion"}, "Choose a kind from the list"),
], ids=["slug with spaces", "therapy without dmt-", "slug taken", "name too short",
        "unknown kind"])
def test_a_treatment_the_rules_refuse_is_not_added(db, client, steward, fields, message):
    before = db.session.scalars(select(Treatment.slug)).all()

    response = submit(client, "/admin/treatments", fields)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalars(select(Treatment.slug)).all() == before
    assert actions(db) == []


def test_an_admin_renames_a_treatment_keeping_its_slug(db, client, steward):
    stent = treatment(db, "ccsvi-stent")

    submit(client, f"/admin/treatments/{stent.id}/edit",
           {"name": "Venous stenting (CCSVI)", "description": "A stent in a neck vein."})

    renamed = treatment(db, "ccsvi-stent")
    assert (renamed.name, renamed.description) == ("Venous stenting (CCSVI)",
                                                    "A stent in a neck vein.")
    assert actions(db) == [("treatment.edit", "Venous stenting (CCSVI)")]


def test_a_treatment_taken_off_the_list_keeps_its_reports(db, make, client, steward):
    report = make.outcome_report(treatment="ccsvi-stent")
    stent = treatment(db, "ccsvi-stent")

    response = submit(client, f"/admin/treatments/{stent.id}/deactivate", {},
                      form_page="/admin/treatments")

    assert response.status_code == 302
    assert treatment(db, "ccsvi-stent").active is False
    assert 'value="ccsvi-stent"' not in client.get("/outcomes/new").get_data(as_text=True)
    assert client.get(f"/outcomes/{report.id}").status_code == 200
    assert actions(db)[-1] == ("treatment.deactivate", "CCSVI venous stenting")


def test_a_treatment_off_the_list_stays_valid_when_its_report_is_corrected(
        db, make, browser, steward):
    author = make.user("willow")
    report = make.outcome_report(author, treatment="ccsvi-stent", treated_on="2011-03")
    treatment(db, "ccsvi-stent").active = False
    db.session.commit()
    client = browser()
    sign_in(client, author)

    response = submit(client, f"/outcomes/{report.id}/edit",
                      report_fields(treatment="ccsvi-stent", veins=["left-ijv"], pdds="4"))

    assert response.status_code == 302


def test_an_admin_puts_a_treatment_back_on_the_list(db, client, steward):
    stent = treatment(db, "ccsvi-stent")
    submit(client, f"/admin/treatments/{stent.id}/deactivate", {}, form_page="/admin/treatments")

    submit(client, f"/admin/treatments/{stent.id}/reactivate", {}, form_page="/admin/treatments")

    assert treatment(db, "ccsvi-stent").active is True
    assert [action for action, _ in actions(db)] == ["treatment.deactivate",
                                                    "treatment.reactivate"]


def test_taking_off_a_treatment_already_off_is_a_conflict(db, client, steward):
    stent = treatment(db, "ccsvi-stent")
    submit(client, f"/admin/treatments/{stent.id}/deactivate", {}, form_page="/admin/treatments")

    response = submit(client, f"/admin/treatments/{stent.id}/deactivate", {},
                      form_page="/admin/treatments")

    assert response.status_code == 409
    assert len(actions(db)) == 1


def test_an_admin_moves_a_treatment_within_its_kind(db, client, steward):
    stent = treatment(db, "ccsvi-stent")

    submit(client, f"/admin/treatments/{stent.id}/move", {"direction": "up"},
           form_page="/admin/treatments")

    db.session.expire_all()
    order = db.session.scalars(select(Treatment.slug).where(Treatment.kind == "ccsvi")
                               .order_by(Treatment.position)).all()
    assert order == ["ccsvi-stent", "ccsvi-angioplasty"]
    assert actions(db) == [("treatment.move", "CCSVI venous stenting")]


def test_the_first_treatment_of_a_kind_moves_no_further_up(db, client, steward):
    first = treatment(db, "ccsvi-angioplasty")

    response = submit(client, f"/admin/treatments/{first.id}/move", {"direction": "up"},
                      form_page="/admin/treatments")

    assert response.status_code == 302
    assert actions(db) == []
