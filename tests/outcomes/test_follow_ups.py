"""Follow-ups at 1, 3, 6, 12 and 24 months: given once each, only once due, and added to a
public report's summary."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from forum.boards.models import Post, PostRevision
from forum.outcomes import services
from forum.outcomes.models import FollowUp, FollowUpComplication
from forum.outcomes.schedule import add_months, today
from forum.timeutil import utcnow
from support import TEST_PASSWORD, csrf_from, follow_up_fields, form_state, submit


def months_ago(months: int) -> str:
    return add_months(today().replace(day=1), -months).strftime("%Y-%m")


@pytest.fixture
def author(make, login):
    member = make.user("willow")
    login(member)
    return member


@pytest.fixture
def report(make, author):
    """Treated two months ago: the 1-month follow-up is due, the 3-month one is not."""
    return make.outcome_report(author, treated_on=months_ago(2))


def follow_ups(db, report) -> list[FollowUp]:
    db.session.expire_all()
    return list(db.session.scalars(select(FollowUp).where(FollowUp.report_id == report.id)))


def test_a_member_gives_a_due_follow_up(db, client, report):
    response = submit(client, f"/outcomes/{report.id}/follow-up", follow_up_fields(
        pgic="6", pdds="4", edss="5.5", relapses="1", complications=["restenosis", "thrombosis"],
        repeated="y", note="The *fatigue* came back."))

    [given] = follow_ups(db, report)
    assert response.status_code == 302
    assert response.location.endswith(f"/outcomes/{report.id}")
    assert (given.months, given.pgic, given.pdds, str(given.edss), given.relapses) == (
        1, 6, 4, "5.5", 1)
    assert given.complications == ["restenosis", "thrombosis"]
    assert (given.repeated, given.stopped) == (True, False)
    assert given.note_html == "<p>The <em>fatigue</em> came back.</p>\n"


def test_the_form_offers_only_the_follow_ups_due_and_not_given(make, client, author):
    report = make.outcome_report(author, treated_on=months_ago(7))
    make.follow_up(report, months=3)

    page = client.get(f"/outcomes/{report.id}/follow-up").get_data(as_text=True)

    offered = [value for value in ("1", "3", "6", "12", "24")
               if f'name="months" type="radio" value="{value}"' in page]
    assert offered == ["1", "6"]


def test_a_follow_up_before_its_due_date_is_refused_keeping_what_was_typed(db, client, report):
    typed = follow_up_fields(months="3", pgic="2", note="Feeling lighter already")

    response = submit(client, f"/outcomes/{report.id}/follow-up", typed)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The 3-month follow-up is due from" in page
    assert form_state(page)["note"] == ["Feeling lighter already"]
    assert form_state(page)["pgic"] == ["2"]
    assert follow_ups(db, report) == []


def test_a_follow_up_for_an_interval_already_given_is_a_conflict(db, make, client, report):
    make.follow_up(report, months=1)

    response = submit(client, f"/outcomes/{report.id}/follow-up",
                      follow_up_fields(months="1", note="Again"),
                      form_page=f"/outcomes/{report.id}")

    assert response.status_code == 409
    assert "You have already given the 1-month follow-up" in response.get_data(as_text=True)
    assert len(follow_ups(db, report)) == 1


def test_the_follow_up_page_says_when_the_next_is_due_when_none_is(make, client, author):
    report = make.outcome_report(author, treated_on=today().strftime("%Y-%m"))

    response = client.get(f"/outcomes/{report.id}/follow-up")

    assert response.status_code == 409
    assert "the 1-month one is due from" in response.get_data(as_text=True)


def test_a_follow_up_page_for_a_report_with_all_given_says_so(make, client, author):
    report = make.outcome_report(author)
    for months in (1, 3, 6, 12, 24):
        make.follow_up(report, months=months)

    response = client.get(f"/outcomes/{report.id}/follow-up")

    assert response.status_code == 409
    assert "Every follow-up of this report is given" in response.get_data(as_text=True)


REFUSALS = {
    "no complication answer": ({"complications": None}, "complications", "or “None”"),
    "none with a complication": ({"complications": ["none", "thrombosis"]}, "complications",
                                 "cannot go with a complication"),
    "an unknown complication": ({"complications": ["headache"]}, "complications",
                                "Choose from the answers shown"),
    "PGIC 8": ({"pgic": "8"}, "pgic", "Choose one of the answers shown"),
    "PGIC missing": ({"pgic": None}, "pgic", "Choose how you are overall"),
    "relapses in full-width digits": ({"relapses": "１"}, "relapses", "in the digits 0 to 9"),
    "an interval that does not exist": ({"months": "2"}, "months",
                                        "Choose one of the follow-ups shown"),
    "a note too long": ({"note": "x" * 5001}, "note", "under 5,000 characters"),
}


@pytest.mark.parametrize("overrides,field,message", REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refused_follow_up_says_why_and_saves_nothing(
        db, client, report, overrides, field, message):
    response = submit(client, f"/outcomes/{report.id}/follow-up", follow_up_fields(**overrides))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    start = page.index(f'id="{field}-error"')
    assert message in page[start:page.index("</p>", start)]
    assert follow_ups(db, report) == []


def test_a_follow_up_rewrites_the_public_reports_summary_keeping_the_old_one(
        db, client, report):
    opening = db.session.scalar(select(Post).where(Post.thread_id == report.thread_id))
    before = opening.body

    submit(client, f"/outcomes/{report.id}/follow-up",
           follow_up_fields(pgic="6", complications=["restenosis"]))

    db.session.expire_all()
    opening = db.session.get(Post, opening.id)
    assert "1 month" in opening.body_html and "Much worse" in opening.body_html
    assert "The vein narrowed again (restenosis)" in opening.body_html
    assert opening.edited_at is not None
    revision = db.session.scalars(select(PostRevision)).one()
    assert (revision.post_id, revision.body) == (opening.id, before)


def test_the_members_reports_page_lists_the_follow_ups_due(make, client, author):
    due = make.outcome_report(author, treated_on=months_ago(4))
    make.follow_up(due, months=1)
    waiting = make.outcome_report(author, treatment="dmt-natalizumab",
                                  treated_on=today().strftime("%Y-%m"))

    page = client.get("/outcomes/mine").get_data(as_text=True)

    assert "Due now: 3 months." in page
    assert f'href="/outcomes/{due.id}/follow-up"' in page
    assert f'href="/outcomes/{waiting.id}/follow-up"' not in page
    assert "Next: 1 month, due from" in page


def test_a_banner_tells_a_member_a_follow_up_is_due(client, report):
    page = client.get("/").get_data(as_text=True)

    assert "A follow-up is due" in page
    assert "CCSVI venous balloon angioplasty" in page


def test_no_banner_once_the_due_follow_up_is_given(make, client, report):
    make.follow_up(report, months=1)

    assert "A follow-up is due" not in client.get("/").get_data(as_text=True)


def test_no_banner_for_a_hidden_report(db, make, client, report):
    services.hide_report(make.user("warden", role="moderator"), report, "Spam")
    db.session.commit()

    assert "A follow-up is due" not in client.get("/").get_data(as_text=True)


def test_no_banner_for_a_suspended_member_who_cannot_give_it(db, client, author, report):
    author.suspended_at = utcnow()
    author.suspension_reason = "Advertising"
    db.session.commit()

    assert "A follow-up is due" not in client.get("/").get_data(as_text=True)


def test_a_hidden_report_takes_no_follow_up(db, make, client, report):
    services.hide_report(make.user("warden", role="moderator"), report, "Spam")
    db.session.commit()

    response = client.get(f"/outcomes/{report.id}/follow-up")

    assert response.status_code == 409
    assert "hidden" in response.get_data(as_text=True)


def test_complications_are_counted_one_row_each(db, client, report):
    submit(client, f"/outcomes/{report.id}/follow-up",
           follow_up_fields(complications=["access-bleeding", "arrhythmia", "other"]))

    kinds = db.session.scalars(select(FollowUpComplication.kind).order_by(
        FollowUpComplication.kind)).all()
    assert kinds == ["access-bleeding", "arrhythmia", "other"]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_one_interval_sent_twice_at_once_is_saved_once(db, new_client, make, report, author):
    url, browsers = f"/outcomes/{report.id}/follow-up", []
    for _ in range(2):
        browser = new_client()
        login_page = browser.get("/login").get_data(as_text=True)
        browser.post("/login", data={"login": author.username, "password": TEST_PASSWORD,
                                     "csrf_token": csrf_from(login_page)})
        token = csrf_from(browser.get(url).get_data(as_text=True))
        browsers.append((browser, token))
    start, statuses = threading.Barrier(2), []

    def send(browser, token):
        start.wait()
        statuses.append(browser.post(url, data={**follow_up_fields(), "csrf_token": token})
                        .status_code)

    threads = [threading.Thread(target=send, args=pair) for pair in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    db.session.commit()
    assert sorted(statuses) == [302, 409]
    assert db.session.scalar(select(func.count()).select_from(FollowUp)) == 1
