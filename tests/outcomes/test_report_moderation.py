"""Moderators hide a report and restore it: logged, the member told, the page shows it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.moderation.models import ModerationAction
from forum.notify.models import Notification
from forum.outcomes import services
from forum.outcomes.models import TreatmentReport
from support import sign_in, submit


@pytest.fixture
def author(make):
    return make.user("willow")


@pytest.fixture
def report(make, author):
    return make.outcome_report(author)


@pytest.fixture
def warden(make, client):
    moderator = make.user("warden", role="moderator")
    sign_in(client, moderator)
    return moderator


def fresh(db, report) -> TreatmentReport:
    db.session.expire_all()
    return db.session.get(TreatmentReport, report.id)


def log(db) -> list[ModerationAction]:
    db.session.expire_all()
    return list(db.session.scalars(select(ModerationAction).order_by(ModerationAction.id)))


def notices(db, user) -> list[Notification]:
    return list(db.session.scalars(select(Notification).where(Notification.user_id == user.id)
                                   .order_by(Notification.id)))


def test_a_moderator_hides_a_report_with_a_reason(db, client, warden, report):
    response = submit(client, f"/outcomes/{report.id}/hide", {"reason": "Advertises a clinic"})

    hidden = fresh(db, report)
    assert response.status_code == 302
    assert hidden.hidden_at is not None
    assert (hidden.hidden_by_id, hidden.hidden_reason) == (warden.id, "Advertises a clinic")


def test_hiding_a_report_is_logged(db, client, warden, report):
    submit(client, f"/outcomes/{report.id}/hide", {"reason": "Advertises a clinic"})

    [entry] = log(db)
    assert (entry.actor_id, entry.action, entry.target_type, entry.target_id, entry.reason) == (
        warden.id, "outcome.hide", "treatment_report", report.id, "Advertises a clinic")


def test_the_member_is_told_why_their_report_was_hidden(db, client, warden, author, report,
                                                        outbox):
    submit(client, f"/outcomes/{report.id}/hide", {"reason": "Advertises a clinic"})

    [notice] = notices(db, author)
    assert notice.kind == "outcome.hidden"
    assert "Reason: Advertises a clinic" in notice.message
    assert notice.link == f"/outcomes/{report.id}"
    [mail] = outbox()
    assert mail["To"] == author.email
    assert "angioplasty" not in mail.get_body(preferencelist=("plain",)).get_content()


def test_a_report_is_not_hidden_without_a_reason(db, client, warden, report):
    response = submit(client, f"/outcomes/{report.id}/hide", {"reason": "  "})

    assert response.status_code == 422
    assert fresh(db, report).hidden_at is None and log(db) == []


def test_hiding_a_hidden_report_is_a_conflict(db, make, client, warden, report):
    services.hide_report(make.user("keeper", role="moderator"), report, "Spam")
    db.session.commit()

    response = submit(client, f"/outcomes/{report.id}/hide", {"reason": "Again"},
                      form_page=f"/outcomes/{report.id}")

    assert response.status_code == 409
    assert "That report is already hidden." in response.get_data(as_text=True)
    assert client.get(f"/outcomes/{report.id}/hide").status_code == 409
    assert len(log(db)) == 1


def test_the_author_sees_their_hidden_report_and_why(db, make, browser, author, report):
    services.hide_report(make.user("keeper", role="moderator"), report, "Advertises a clinic")
    db.session.commit()
    client = browser()
    sign_in(client, author)

    page = client.get(f"/outcomes/{report.id}").get_data(as_text=True)

    assert "A moderator hid this report" in page
    assert "Reason: Advertises a clinic" in page


def test_a_moderator_restores_a_report_logged_and_told(db, make, client, warden, author,
                                                       report):
    services.hide_report(make.user("keeper", role="moderator"), report, "Spam")
    db.session.commit()

    response = submit(client, f"/outcomes/{report.id}/restore", {},
                      form_page=f"/outcomes/{report.id}")

    assert response.status_code == 302
    assert fresh(db, report).hidden_at is None
    assert [entry.action for entry in log(db)] == ["outcome.hide", "outcome.restore"]
    assert [notice.kind for notice in notices(db, author)] == ["outcome.hidden",
                                                              "outcome.restored"]


def test_restoring_a_report_that_is_not_hidden_is_a_conflict(db, client, warden, report):
    response = submit(client, f"/outcomes/{report.id}/restore", {},
                      form_page=f"/outcomes/{report.id}")

    assert response.status_code == 409
    assert log(db) == []
