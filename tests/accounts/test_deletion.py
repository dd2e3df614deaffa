"""/settings/delete: a member deletes their account, keeping or removing their posts."""
from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from forum.accounts import held_names
from forum.accounts.deletion import REMOVED_THREAD, delete_account, delete_own_account
from forum.accounts.models import HeldName
from forum.auth import services as auth
from forum.auth.models import LoginSession, User
from forum.boards import counters
from forum.boards import services as boards
from forum.boards.models import Category, Post, PostRevision, Thread
from forum.errors import Conflict, ValidationError
from forum.moderation import services as moderation
from forum.moderation.models import ModerationAction
from forum.outcomes.models import TreatmentReport
from forum.timeutil import utcnow
from support import TEST_PASSWORD, submit

DELETED = "Your account is deleted."


def delete_mine(client, posts: str | None = "keep", password: str = TEST_PASSWORD):
    data = {"password": password}
    if posts is not None:
        data["posts"] = posts
    return submit(client, "/settings/delete", data)


def fresh(db, model, row_id):
    db.session.rollback()  # see what the requests committed
    return db.session.get(model, row_id)


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def registration(username: str, email: str) -> dict:
    return {"username": username, "email": email, "password": TEST_PASSWORD,
            "password_confirm": TEST_PASSWORD, "accept_guidelines": "y"}


@pytest.fixture
def river(make):
    return make.user("river_fern", email="river@example.org")


# The page and the form --------------------------------------------------------------------

def test_page_explains_both_choices_and_asks_for_the_password(client, login, river):
    login(river)
    page = client.get("/settings/delete")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert re.search(r'<input [^>]*name="posts" [^>]*type="radio" value="keep">', body)
    assert re.search(r'<input [^>]*name="posts" [^>]*type="radio" value="remove">', body)
    assert "checked" not in body  # nobody chooses for the member
    assert 'name="password"' in body and 'autocomplete="current-password"' in body
    assert "Removed thread" in text_of(page) and "former member" in text_of(page)


def test_page_needs_a_signed_in_member(client):
    response = client.get("/settings/delete")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_wrong_password_reshows_the_form_and_deletes_nothing(client, login, river, db):
    login(river)
    response = delete_mine(client, "remove", password="not my password at all")
    assert response.status_code == 422
    body = text_of(response)
    assert "That password is not right" in body
    assert "not my password at all" not in body  # a password is never filled in again
    assert re.search(r'<input [^>]*checked[^>]*value="remove">', response.get_data(as_text=True))
    assert fresh(db, User, river.id).deleted_at is None


def test_missing_password_is_refused(client, login, river, db):
    login(river)
    response = delete_mine(client, "keep", password="")
    assert response.status_code == 422
    assert "Type your password to confirm." in text_of(response)
    assert fresh(db, User, river.id).deleted_at is None


def test_missing_choice_gets_a_clear_message(client, login, river, db):
    login(river)
    response = delete_mine(client, None)
    assert response.status_code == 422
    # Said once beside the question, and once in the summary that links to it.
    assert text_of(response).count("Choose what happens to your posts.") == 2
    assert 'href="#posts"' in text_of(response)
    assert fresh(db, User, river.id).deleted_at is None


def test_unknown_choice_is_refused(client, login, river, db):
    login(river)
    response = delete_mine(client, "burn")
    assert response.status_code == 422
    assert "Choose what happens to your posts." in text_of(response)
    assert fresh(db, User, river.id).deleted_at is None


@pytest.mark.parametrize("config_overrides", [{"RATELIMIT_ENABLED": True}], indirect=True)
def test_sixth_attempt_in_an_hour_is_slowed_down(client, login, river):
    login(river)
    for _ in range(5):
        assert delete_mine(client, "keep", password="wrong password here").status_code == 422
    assert delete_mine(client, "keep", password="wrong password here").status_code == 429


# Leaving ----------------------------------------------------------------------------------

def test_deleting_signs_out_and_says_so_at_home(client, login, river, db):
    login(river)
    response = delete_mine(client, "keep")
    assert response.status_code == 302
    assert response.location == "/"
    assert DELETED in text_of(client.get("/"))
    assert client.get("/settings").status_code == 302  # signed out
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(LoginSession)
                             .where(LoginSession.user_id == river.id)) == 0


def test_a_copied_cookie_stops_working(client, login, river, new_client):
    login(river)
    thief = new_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    assert thief.get("/settings").status_code == 200
    delete_mine(client, "keep")
    assert thief.get("/settings").status_code == 302


def test_every_device_is_signed_out(client, login, river, browser):
    other_device = browser(river)
    login(river)
    delete_mine(client, "remove")
    assert other_device.get("/settings").status_code == 302


def test_suspended_member_can_delete(client, login, make, db):
    member = make.suspended("quiet_moss")
    login(member)
    assert delete_mine(client, "keep").status_code == 302
    former = fresh(db, User, member.id)
    assert former.is_former
    assert former.suspended_at is None and former.suspension_reason == ""


def test_the_row_stays_emptied(client, login, make, db):
    clinic = make.clinic("Vein Clinic")
    staff = make.staff("vein_anna", clinic)
    login(staff)
    delete_mine(client, "keep")
    former = fresh(db, User, staff.id)
    assert former.username == former.username_key == f"former-{staff.id}"
    assert former.email == f"former-{staff.id}@deleted.invalid"
    assert (former.role, former.clinic_id, former.email_verified_at) == ("member", None, None)
    assert former.deleted_at is not None and former.is_former
    assert not auth.verify_password(former.password_hash, TEST_PASSWORD)


def test_former_member_cannot_sign_in(client, login, river, new_client):
    login(river)
    delete_mine(client, "keep")
    for name in ("river_fern", "river@example.org", f"former-{river.id}"):
        response = submit(new_client(), "/login", {"login": name, "password": TEST_PASSWORD})
        assert response.status_code == 422
        assert "That username or email and password do not match." in text_of(response)


def test_an_unusable_password_hash_matches_nothing_and_raises_nothing(app):
    from forum.auth.passwords import UNUSABLE, needs_rehash, verify_password

    assert verify_password(UNUSABLE, "") is False
    assert verify_password(UNUSABLE, UNUSABLE) is False
    assert verify_password("not a hash at all", TEST_PASSWORD) is False
    assert needs_rehash(UNUSABLE) is False


def test_deleting_twice_is_refused(db, river):
    delete_account(river, keep_posts=True)
    db.session.commit()
    with pytest.raises(Conflict):
        delete_own_account(river, TEST_PASSWORD, "keep")
    with pytest.raises(Conflict):
        delete_account(river, keep_posts=False)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ModerationAction)
                             .where(ModerationAction.action == "account.delete")) == 1


# Names held back ----------------------------------------------------------------------------

def test_username_and_email_are_refused_at_registration_during_the_hold(client, river, db,
                                                                        new_client):
    delete_account(river, keep_posts=True)
    db.session.commit()
    response = submit(new_client(), "/register", registration("River_Fern", "new@example.org"))
    assert response.status_code == 422
    assert "That username is taken; please choose another." in text_of(response)
    # The address answers as one with an account does: "we sent a link", and no account.
    response = submit(new_client(), "/register", registration("new_name", "river@example.org"))
    assert response.status_code == 302
    db.session.rollback()
    assert db.session.scalar(select(User).where(User.email == "river@example.org")) is None
    assert db.session.scalar(select(User).where(User.username_key == "new_name")) is None


def test_create_user_refuses_held_names_as_taken_ones(db, river):
    delete_account(river, keep_posts=False)
    db.session.commit()
    with pytest.raises(ValidationError, match="That username is taken"):
        auth.create_user("river_fern", "other@example.org", TEST_PASSWORD)
    with pytest.raises(ValidationError, match="An account with that email address already"):
        auth.create_user("other_name", "River@Example.org", TEST_PASSWORD)


def test_placeholder_names_cannot_be_registered(db):
    with pytest.raises(ValidationError, match="That username is taken"):
        auth.create_user("former-999", "someone@example.org", TEST_PASSWORD)


def test_names_are_free_again_when_the_hold_ends(client, river, db, new_client):
    delete_account(river, keep_posts=True)
    db.session.commit()
    later = utcnow() + timedelta(days=held_names.HOLD_DAYS, minutes=1)
    assert not held_names.is_held("username", "river_fern", now=later)
    db.session.execute(update(HeldName).values(until=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    response = submit(new_client(), "/register",
                      registration("river_fern", "river@example.org"))
    assert response.status_code == 302
    db.session.rollback()
    again = db.session.scalar(select(User).where(User.username_key == "river_fern"))
    assert again is not None and again.id != river.id and again.email == "river@example.org"


def test_release_expired_forgets_only_ended_holds(db, river, make):
    other = make.user("lake_reed")
    delete_account(river, keep_posts=True)
    delete_account(other, keep_posts=True)
    db.session.execute(update(HeldName).where(HeldName.digest.in_(
        [held_names._digest("username", "river_fern"),
         held_names._digest("email", "river@example.org")]))
        .values(until=utcnow() - timedelta(days=1)))
    assert held_names.release_expired() == 2
    assert not held_names.is_held("username", "river_fern")
    assert held_names.is_held("username", "lake_reed")


# Posts ---------------------------------------------------------------------------------------

@pytest.fixture
def conversation(make, river):
    """River's thread with a reply from someone else, and River's reply elsewhere."""
    other = make.user("lake_reed")
    theirs = make.thread(author=river, title="Cooling vests that work",
                         body="My words about cooling vests")
    answer = make.reply(theirs, other, "Lake's answer stays")
    elsewhere = make.thread(author=other, title="Lake's own thread", body="Lake opens")
    mine = make.reply(elsewhere, river, "River's reply elsewhere")
    return theirs, answer, elsewhere, mine


def test_keep_mode_keeps_the_text_under_former_member(client, login, river, conversation, db):
    theirs, answer, elsewhere, mine = conversation
    boards.edit_post(river, mine, "River's reply, edited")
    db.session.commit()
    login(river)
    delete_mine(client, "keep")
    post = fresh(db, Post, mine.id)
    assert post.body == "River's reply, edited" and post.deleted_at is None
    assert post.author.is_former
    assert fresh(db, Thread, theirs.id).title == "Cooling vests that work"
    assert db.session.scalar(select(func.count()).select_from(PostRevision)
                             .where(PostRevision.post_id == mine.id)) == 0
    page = text_of(client.get(f"/t/{elsewhere.id}"))
    assert "River's reply, edited" in page
    assert "former member" in page and "river_fern" not in page


def test_remove_mode_empties_the_posts_and_keeps_the_threads(client, login, river,
                                                           conversation, db):
    theirs, answer, elsewhere, mine = conversation
    login(river)
    delete_mine(client, "remove")
    for post_id in (mine.id, *db.session.scalars(
            select(Post.id).where(Post.thread_id == theirs.id, Post.author_id == river.id))):
        post = fresh(db, Post, post_id)
        assert (post.body, post.body_html) == ("", "")
        assert post.deleted_at is not None and post.deleted_by_id == river.id
    thread = fresh(db, Thread, theirs.id)
    assert thread.title == REMOVED_THREAD and thread.deleted_at is None
    assert fresh(db, Post, answer.id).body == "Lake's answer stays"
    page = text_of(client.get(f"/t/{theirs.id}"))
    assert page_ok(page) and "Lake's answer stays" in page
    assert "My words about cooling vests" not in page and "Cooling vests" not in page
    assert "River's reply elsewhere" not in text_of(client.get(f"/t/{elsewhere.id}"))


def page_ok(page: str) -> bool:
    return "<main" in page


def test_remove_mode_removes_a_thread_nobody_answered(db, river, make):
    alone = make.thread(author=river, title="Nobody answered", body="Just me")
    delete_account(river, keep_posts=False)
    db.session.commit()
    assert fresh(db, Thread, alone.id).deleted_at is not None


def test_remove_mode_keeps_counters_as_a_full_recount_has_them(db, river, conversation, make):
    theirs, answer, elsewhere, mine = conversation
    make.reply(elsewhere, river, "Another one")
    make.thread(author=river, title="Nobody answered", body="Just me")
    delete_account(river, keep_posts=False)
    db.session.commit()

    def state():
        db.session.expire_all()
        return ([(t.id, t.post_count, t.last_post_id, t.last_post_at)
                 for t in db.session.scalars(select(Thread).order_by(Thread.id))],
                [(c.id, c.thread_count, c.post_count, c.last_post_id)
                 for c in db.session.scalars(select(Category).order_by(Category.id))],
                [(u.id, u.post_count) for u in db.session.scalars(select(User).order_by(User.id))])

    after = state()
    counters.recount(threads=db.session.scalars(select(Thread)).all(),
                     categories=db.session.scalars(select(Category)).all(),
                     user_ids=db.session.scalars(select(User.id)).all())
    db.session.commit()
    assert state() == after
    assert fresh(db, Thread, theirs.id).post_count == 1  # Lake's answer
    assert fresh(db, User, river.id).post_count == 0


def test_deleting_with_many_posts_takes_a_fixed_number_of_queries(db, make, count_queries):
    def statements_for(username: str, posts: int) -> int:
        member = make.user(username)
        make.thread(author=member, posts=posts)
        make.thread(author=member, posts=posts)
        with count_queries() as statements:
            delete_account(member, keep_posts=False)
            db.session.commit()
        return len(statements)

    assert statements_for("few_posts", 1) == statements_for("many_posts", 12)


# What others see and keep ---------------------------------------------------------------------

def test_reports_they_made_stay_without_their_note(db, river, conversation, make):
    theirs, answer, elsewhere, mine = conversation
    report = make.report(answer, river, "other", "My private reasons, in detail")
    delete_account(river, keep_posts=True)
    db.session.commit()
    db.session.expire_all()
    assert report.note == "" and report.reporter_id == river.id and report.status == "open"


def test_moderation_log_keeps_its_entries_without_the_name(db, river, conversation, moderator,
                                                          client, login):
    theirs, answer, elsewhere, mine = conversation
    moderation.hide_post(moderator, mine, "Off topic")
    moderation.suspend(moderator, river, 3, "Cooling down")
    db.session.commit()
    before = {entry.id: (entry.action, entry.reason, entry.actor_id)
              for entry in db.session.scalars(select(ModerationAction))}
    login(river)
    delete_mine(client, "keep")
    db.session.rollback()
    entries = {entry.id: entry for entry in db.session.scalars(select(ModerationAction))}
    assert set(before) < set(entries)
    for entry_id, (action, reason, actor_id) in before.items():
        entry = entries[entry_id]
        assert (entry.action, entry.reason, entry.actor_id) == (action, reason, actor_id)
        assert "river_fern" not in entry.target_label
    labels = {entries[i].action: entries[i].target_label for i in before}
    assert labels["user.suspend"] == "former member"
    assert labels["post.hide"] == "post by a former member"
    (deletion,) = [e for e in entries.values() if e.action == "account.delete"]
    assert (deletion.target_id, deletion.target_label, deletion.details) == (
        river.id, "former member", {"posts": "keep"})


def test_log_entries_can_still_not_be_changed_through_the_orm(db, river, moderator):
    from forum.moderation.models import LogIsAppendOnly

    moderation.suspend(moderator, river, 3, "Cooling down")
    db.session.commit()
    entry = db.session.scalar(select(ModerationAction))
    entry.target_label = "something else"
    with pytest.raises(LogIsAppendOnly):
        db.session.flush()
    db.session.rollback()


# Treatment reports --------------------------------------------------------------------------

@pytest.fixture
def six_reports(make, river):
    """Six consenting members' angioplasty reports with a 1-month follow-up; River's is one."""
    reports = []
    for index, author in enumerate([river] + [make.user(f"reporter_{n}") for n in range(5)]):
        report = make.outcome_report(author, consent_export=True, pdds=2 + index % 3)
        make.follow_up(report, 1)
        reports.append(report)
    return reports


def dashboard_count(client) -> str:
    page = client.get("/outcomes").get_data(as_text=True)
    row = re.search(r'<th scope="row"><a href="/outcomes/t/ccsvi-angioplasty">.*?</tr>', page,
                    re.S).group(0)
    return re.search(r"<td>(\d+)</td>", row).group(1)


def test_treatment_reports_leave_the_figures_and_the_open_data(client, login, river, db,
                                                               six_reports):
    river_id, river_code = six_reports[0].id, six_reports[0].code
    others = [report.code for report in six_reports[1:]]
    assert dashboard_count(client) == "6"
    assert river_code in client.get("/outcomes.csv").get_data(as_text=True)
    login(river)
    delete_mine(client, "keep")
    assert dashboard_count(client) == "5"
    csv_text = client.get("/outcomes.csv").get_data(as_text=True)
    assert river_code not in csv_text
    assert all(code in csv_text for code in others)
    db.session.rollback()
    assert db.session.get(TreatmentReport, river_id) is None


def test_report_thread_stays_without_the_summary(client, login, river, db, make, six_reports):
    river_report = six_reports[0]
    thread_id = river_report.thread_id
    answer = make.reply(db.session.get(Thread, thread_id), make.user("kind_soul"),
                        "Thanks for sharing")
    login(river)
    delete_mine(client, "keep")
    thread = fresh(db, Thread, thread_id)
    opening = db.session.scalar(select(Post).where(Post.thread_id == thread_id)
                                .order_by(Post.id).limit(1))
    assert "Treatment:" not in opening.body and "PDDS" not in opening.body_html
    assert "Treatment report:" not in thread.title
    assert fresh(db, Post, answer.id).body == "Thanks for sharing"
    assert client.get(f"/t/{thread_id}").status_code == 200
