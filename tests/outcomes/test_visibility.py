"""Who sees a report: a public one is everyone's; one counted in the figures only is its
author's and the moderators', and never carries the member's name."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.audit import record
from forum.moderation.models import ModerationAction
from support import sign_in


@pytest.fixture
def author(make):
    return make.user("willow_private")


@pytest.fixture
def private_report(make, author):
    return make.outcome_report(author, visibility="dashboard")


@pytest.fixture
def public_report(make, author):
    return make.outcome_report(author, visibility="public")


def page_as(browser, user, url: str):
    client = browser()
    if user is not None:
        sign_in(client, user)
    return client.get(url)


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_a_figures_only_report_is_not_found_by_anyone_else(
        make, browser, private_report, who):
    viewer = make.user("curious") if who == "member" else None

    response = page_as(browser, viewer, f"/outcomes/{private_report.id}")

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["author", "moderator"])
def test_a_figures_only_report_opens_for_its_author_and_moderators_without_the_name(
        make, browser, author, private_report, who):
    viewer = author if who == "author" else make.user("warden", role="moderator")

    response = page_as(browser, viewer, f"/outcomes/{private_report.id}")

    body = response.get_data(as_text=True)
    main = body[body.index('<main'):]
    assert response.status_code == 200
    assert "Counted in the figures only" in main
    assert author.username not in main


def test_a_figures_only_report_is_on_its_authors_own_list(browser, author, private_report):
    page = page_as(browser, author, "/outcomes/mine").get_data(as_text=True)

    assert f'href="/outcomes/{private_report.id}"' in page
    assert "Counted in the figures only" in page


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_a_public_report_shows_with_its_authors_name(make, browser, author, public_report, who):
    viewer = make.user("curious") if who == "member" else None

    response = page_as(browser, viewer, f"/outcomes/{public_report.id}")

    assert response.status_code == 200
    assert (f'Reported by <strong><a href="/u/{author.username}">{author.username}</a></strong>'
            in response.get_data(as_text=True))


def test_a_public_report_page_sets_no_cookie_for_a_visitor(browser, public_report):
    response = page_as(browser, None, f"/outcomes/{public_report.id}")

    assert "Set-Cookie" not in response.headers


def test_a_missing_report_is_not_found(browser, author):
    assert page_as(browser, author, "/outcomes/2147483647").status_code == 404


def test_the_log_names_a_report_without_its_author(db, make, author, private_report):
    record(make.user("warden", role="moderator"), "outcome.hide", private_report, "test")
    db.session.commit()

    entry = db.session.scalars(select(ModerationAction)).one()
    assert entry.target_type == "treatment_report"
    assert author.username not in entry.target_label
    assert entry.target_label == f"CCSVI venous balloon angioplasty report #{private_report.id}"


def test_a_hidden_public_report_is_not_found_by_others(db, make, browser, public_report):
    from forum.outcomes import services

    services.hide_report(make.user("warden", role="moderator"), public_report, "Spam")
    db.session.commit()

    assert page_as(browser, None, f"/outcomes/{public_report.id}").status_code == 404
    assert page_as(browser, make.user("curious"),
                   f"/outcomes/{public_report.id}").status_code == 404
