"""Reports, follow-ups and corrections share one per-member budget (RATELIMIT_OUTCOMES)."""
from __future__ import annotations

import pytest

from support import follow_up_fields, report_fields, submit


@pytest.fixture
def config_overrides():
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_OUTCOMES": "3 per minute"}


def test_a_member_past_the_outcomes_limit_gets_429_keeping_their_note(make, login, client):
    member = make.user("willow")
    report = make.outcome_report(member)
    login(member)
    for _ in range(2):
        assert submit(client, "/outcomes/new", report_fields(diagnosis_year="x")
                      ).status_code == 422

    submit(client, f"/outcomes/{report.id}/follow-up", follow_up_fields(pgic="9"))
    response = submit(client, f"/outcomes/{report.id}/follow-up",
                      follow_up_fields(note="Three months on, walking further."),
                      form_page=f"/outcomes/{report.id}")

    assert response.status_code == 429
    assert "Three months on, walking further." in response.get_data(as_text=True)


def test_another_member_has_a_budget_of_their_own(make, login, client, browser):
    first = make.user("willow")
    login(first)
    for _ in range(3):
        submit(client, "/outcomes/new", report_fields(diagnosis_year="x"))

    other = browser(make.user("heron"))
    assert submit(other, "/outcomes/new", report_fields(diagnosis_year="x")).status_code == 422
