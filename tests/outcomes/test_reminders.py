"""Follow-up reminders: once per due interval, only to members who can and want to act on
one, with a signed one-click opt-out that a mail scanner cannot trigger."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from forum import jobs
from forum.accounts import mail_preferences
from forum.auth.services import verification_token
from forum.moderation.services import suspend
from forum.outcomes import reminders, services
from forum.outcomes.models import ReminderSent, TreatmentReport
from forum.timeutil import utcnow
from support import csrf_from, link_in

TODAY = "2026-06-15"
BASE = "http://localhost"


# Reports filed through the registry's factories, counted in the figures only (no thread).

@pytest.fixture(autouse=True)
def treatments(make):
    make.treatments()


@pytest.fixture
def file(make):
    def file_report(author, treated_on: date) -> TreatmentReport:
        return make.outcome_report(author, treated_on=treated_on, visibility="dashboard")

    return file_report


def run(db, today: str = TODAY) -> int:
    """One run of the job's work as its runner does it: one unit of work, committed."""
    sent = reminders.send_reminders(today)
    db.session.commit()
    return sent


def reminded(db, row: TreatmentReport) -> list[int]:
    return sorted(db.session.scalars(
        select(ReminderSent.months).where(ReminderSent.report_id == row.id)))


def wants_reminders(db, member) -> bool:
    db.session.rollback()  # see what the requests committed
    return mail_preferences.wants(member, "outcome_reminders")


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def member(make):
    return make.user("willow_reports")


# Once per due interval ----------------------------------------------------------------

def test_a_due_follow_up_is_mailed_to_its_author(db, member, outbox, file):
    row = file(member, date(2026, 5, 1))
    assert run(db) == 1
    [message] = outbox()
    assert message["To"] == member.email
    assert "1-month follow-up is due" in body(message)
    assert reminded(db, row) == [1]


def test_running_twice_mails_once(db, member, outbox, file):
    file(member, date(2026, 5, 1))
    assert run(db) == 1
    assert run(db) == 0
    assert len(outbox()) == 1


def test_each_interval_is_mailed_when_it_falls_due(db, member, outbox, file):
    row = file(member, date(2026, 5, 1))
    run(db, "2026-06-01")
    run(db, "2026-07-31")
    run(db, "2026-08-01")
    assert [body(message).split("\n")[2] for message in outbox()] == [
        "Your 1-month follow-up is due for this treatment report:",
        "Your 3-month follow-up is due for this treatment report:"]
    assert reminded(db, row) == [1, 3]


def test_nothing_is_mailed_before_the_follow_up_is_due(db, member, outbox, file):
    row = file(member, date(2026, 5, 1))
    assert run(db, "2026-05-31") == 0
    assert outbox() == []
    assert reminded(db, row) == []


def test_a_given_follow_up_is_not_reminded(db, member, outbox, file, make):
    row = file(member, date(2026, 5, 1))
    make.follow_up(row, 1)
    assert run(db) == 0
    assert outbox() == []


def test_a_hidden_report_is_not_reminded(db, member, moderator, outbox, file):
    row = file(member, date(2026, 5, 1))
    services.hide_report(moderator, row, "Advertising a clinic")
    db.session.commit()
    assert run(db) == 0
    assert reminders.SUBJECT not in [message["Subject"] for message in outbox()]


def test_several_due_intervals_make_one_mail_naming_the_latest(db, member, outbox, file, make):
    row = file(member, date(2025, 1, 1))
    make.follow_up(row, 3)
    assert run(db) == 1
    [message] = outbox()
    text = body(message)
    assert "Your 12-month follow-up is due" in text
    assert "The 1-month and 6-month follow-ups are still open too" in text
    # All of them count as reminded: the 24-month one is the next mail.
    assert reminded(db, row) == [1, 6, 12]
    assert run(db, "2026-12-31") == 0
    assert run(db, "2027-01-01") == 1


def test_each_report_gets_its_own_mail(db, member, outbox, file):
    file(member, date(2026, 5, 1))
    file(member, date(2026, 3, 1))
    assert run(db) == 2
    assert len(outbox()) == 2


# Whom it goes to ----------------------------------------------------------------------

def test_a_member_who_turned_reminders_off_is_not_mailed(db, member, outbox, file):
    mail_preferences.set_choice(member, "outcome_reminders", "off")
    file(member, date(2026, 5, 1))
    assert run(db) == 0
    assert outbox() == []


def test_a_member_who_has_not_confirmed_their_address_is_not_mailed(db, member, file):
    # Say their address changed since they filed, and the new one is not confirmed yet.
    file(member, date(2026, 5, 1))
    member.email_verified_at = None
    db.session.commit()
    assert run(db) == 0


def test_a_suspended_member_is_not_mailed_until_the_suspension_ends(db, member, moderator, file):
    row = file(member, date(2026, 5, 1))
    suspend(moderator, member, 7, "Advertising a clinic")
    db.session.commit()
    assert run(db) == 0
    member.suspended_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert run(db) == 1
    assert reminded(db, row) == [1]


def test_a_reminder_another_run_recorded_first_is_left_to_it(db, member, file):
    # Two runs at once both find (report, 1) due; the insert that comes second records
    # nothing, and so that run sends nothing.
    row = file(member, date(2026, 5, 1))
    db.session.add(ReminderSent(report_id=row.id, months=1))
    db.session.flush()
    assert reminders._claim([(row.id, 1), (row.id, 3)], utcnow()) == {(row.id, 3)}


# Batches --------------------------------------------------------------------------------

@pytest.mark.parametrize("batch", [1, 2])
def test_batches_reach_every_report_once(db, make, outbox, monkeypatch, batch, file):
    # Batches of 1 or 2 reports (5 or 10 rows): some reports' intervals straddle a cut.
    monkeypatch.setattr(reminders, "BATCH_REPORTS", batch)
    member = make.user("many_reports")
    rows = [file(member, treated_on) for treated_on in (
        date(2026, 5, 1), date(2024, 1, 1), date(2024, 2, 1), date(2026, 3, 1),
        date(2025, 6, 1), date(2026, 1, 1), date(2023, 1, 1))]
    assert run(db) == len(rows)
    assert len(outbox()) == len(rows)
    recorded = db.session.scalar(select(func.count()).select_from(ReminderSent))
    assert recorded == 1 + 5 + 5 + 2 + 4 + 2 + 5


@pytest.mark.parametrize("reports", [2, 40])
def test_statements_per_batch_do_not_grow_with_reports(db, make, count_queries, reports, file):
    member = make.user("counted")
    for index in range(reports):
        file(member, date(2025, 1 + index % 12, 1))
    with count_queries() as statements:
        reminders.send_reminders(TODAY)
    # The due reports with their authors, then the reminders recorded: one batch.
    assert len(statements) == 2


# The mail ----------------------------------------------------------------------------------

def test_the_mail_names_the_report_and_links_to_its_follow_up(db, member, outbox, file):
    row = file(member, date(2026, 3, 1))
    run(db)
    [message] = outbox()
    text = body(message)
    assert "CCSVI venous balloon angioplasty, treated in March 2026" in text
    assert "Your 3-month follow-up is due" in text
    assert link_in(message, BASE + "/outcomes/") == f"{BASE}/outcomes/{row.id}/follow-up"
    # The subject shows on lock screens: it names no treatment.
    assert "CCSVI" not in message["Subject"]


def test_the_opt_out_link_is_signed_for_the_member(db, member, outbox, file):
    file(member, date(2026, 5, 1))
    run(db)
    link = link_in(outbox()[0], BASE + "/outcomes/reminders/off/")
    token = link.rsplit("/", 1)[1]
    assert reminders.member_for_token(token) == member


# Opting out -------------------------------------------------------------------------------

@pytest.fixture
def opt_out_path(db, member, outbox, file) -> str:
    file(member, date(2026, 5, 1))
    run(db)
    return link_in(outbox()[0], BASE + "/outcomes/reminders/off/")[len(BASE):]


def test_opening_the_opt_out_link_changes_nothing(client, db, member, opt_out_path):
    page = client.get(opt_out_path)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Turn off follow-up reminders" in text
    assert "1, 3, 6, 12 and 24 months" in text  # what the reminders are
    assert wants_reminders(db, member) is True


def test_pressing_the_button_turns_reminders_off(client, db, member, opt_out_path, outbox):
    page = client.get(opt_out_path)
    token = csrf_from(page.get_data(as_text=True))
    response = client.post(opt_out_path, data={"csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200
    assert "Follow-up reminders are off" in response.get_data(as_text=True)
    assert wants_reminders(db, member) is False
    # The next interval falls due, and no mail goes.
    assert run(db, "2026-08-01") == 0
    assert len(outbox()) == 1


def test_the_confirmation_offers_to_turn_reminders_back_on(client, db, member, opt_out_path):
    page = client.get(opt_out_path)
    off = client.post(opt_out_path, data={"csrf_token": csrf_from(page.get_data(as_text=True))},
                      follow_redirects=True)
    on_path = opt_out_path.replace("/off/", "/on/")
    assert f'action="{on_path}"' in off.get_data(as_text=True)
    response = client.post(on_path, data={"csrf_token": csrf_from(off.get_data(as_text=True))},
                           follow_redirects=True)
    assert "Follow-up reminders are on again" in response.get_data(as_text=True)
    assert wants_reminders(db, member) is True


def test_turning_off_needs_the_form_token(client, db, member, opt_out_path):
    assert client.post(opt_out_path).status_code == 400
    assert wants_reminders(db, member) is True


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_opt_out_link_is_not_found(client, db, member, opt_out_path, method):
    tampered = opt_out_path[:-3] + ("aaa" if not opt_out_path.endswith("aaa") else "bbb")
    page = client.get(opt_out_path)
    response = getattr(client, method)(
        tampered, data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 404
    assert wants_reminders(db, member) is True


def test_a_token_signed_for_something_else_is_not_an_opt_out_link(client, member):
    # A verification link's token is signed with the same key but another salt.
    assert client.get(f"/outcomes/reminders/off/{verification_token(member)}").status_code == 404


# The job and the command ------------------------------------------------------------------

def test_the_job_runs_through_the_inline_runner(db, member, outbox, file):
    row = file(member, date(2026, 5, 1))
    jobs.enqueue("outcomes.send_reminders", TODAY)
    db.session.commit()
    assert len(outbox()) == 1
    assert reminded(db, row) == [1]


def test_the_command_sends_now_and_says_how_many(app, db, member, outbox, file):
    file(member, schedule_month_ago())
    result = app.test_cli_runner().invoke(args=["forum", "send-reminders", "--now"])
    assert result.exit_code == 0, result.output
    assert "Sent 1 follow-up reminder." in result.output
    assert len(outbox()) == 1


def test_the_command_queues_the_job(app, db, member, outbox, file):
    file(member, schedule_month_ago())
    result = app.test_cli_runner().invoke(args=["forum", "send-reminders"])
    assert result.exit_code == 0, result.output
    # Without JOBS_REDIS_URL the job runs inline once the command commits.
    assert len(outbox()) == 1


def schedule_month_ago() -> date:
    from forum.outcomes.schedule import add_months, today

    return add_months(today().replace(day=1), -1)
