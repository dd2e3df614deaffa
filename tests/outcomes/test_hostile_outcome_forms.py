"""Whatever any field of a report or follow-up form carries, the answer is a saved change or
a clear 4xx, never a server error: every field, a sweep of hostile values, both databases."""
from __future__ import annotations

import pytest

from support import follow_up_fields, report_fields, sign_in

HOSTILE = ["", " ", "٣", "２００５", "²", "9" * 5000, "-1", "+3", "1e3", "0x10", "nan", "inf",
           "3.", ".5", "10.0", "1.25", "2011-00", "0000-01", "9999-12", "2011-3-1",
           "<script>alert(1)</script>", "é" * 50_000, "\u202eevil", "\ufeff", "😀",
           ["1", "2"], "a\x00b"]


@pytest.fixture
def config_overrides():
    # The values must reach the forms and services, not stop at a missing token.
    return {"WTF_CSRF_ENABLED": False}


@pytest.fixture
def author(make, client):
    make.treatments()
    member = make.user("willow")
    sign_in(client, member)
    return member


def sweep(client, url: str, complete: dict, field: str) -> None:
    for value in HOSTILE:
        response = client.post(url, data={**complete, field: value})
        assert response.status_code in (302, 400, 409, 422), (field, repr(value)[:40],
                                                              response.status_code)


REPORT_FIELDS = sorted(report_fields()) + ["consent_export", "treatment_other", "clinic_other"]
FOLLOW_UP_FIELDS = sorted(follow_up_fields()) + ["repeated", "stopped"]


@pytest.mark.parametrize("field", REPORT_FIELDS)
def test_no_value_of_a_report_field_gives_a_server_error(client, author, field):
    sweep(client, "/outcomes/new", report_fields(visibility="dashboard"), field)


@pytest.mark.parametrize("field", FOLLOW_UP_FIELDS)
def test_no_value_of_a_follow_up_field_gives_a_server_error(make, client, author, field):
    report = make.outcome_report(author, visibility="dashboard")

    sweep(client, f"/outcomes/{report.id}/follow-up", follow_up_fields(months="24"), field)


@pytest.mark.parametrize("field", ["treatments"])
def test_no_value_of_the_thread_treatments_field_gives_a_server_error(make, client, author,
                                                                       field):
    thread = make.thread(author=author)

    sweep(client, f"/t/{thread.id}/treatments", {"treatments": "diet"}, field)
