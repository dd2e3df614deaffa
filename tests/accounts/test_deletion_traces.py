"""The proof: after a deletion, no column of any table still holds the member's name or
address (nor, with "remove", their words; nor, either way, their health details).

A member with a bit of everything (profile and its history, threads, edited posts,
reports, a treatment report with follow-ups, notices, moderators' actions about them,
an export on disk, a signed-in session) deletes their account through the page; then
every column of every table in the schema, cast to text, is searched.
"""
from __future__ import annotations

import pytest
from sqlalchemy import Text, cast, func, insert, select

from forum.accounts.export import path_of
from forum.accounts.models import DataExport, MailPreference, Profile, ProfileRevision
from forum.boards import services as boards
from forum.boards.models import Post
from forum.moderation import services as moderation
from forum.moderation.models import ModerationAction
from forum.notify.models import Notification
from forum.outcomes.models import OutcomeRevision, ReminderSent
from forum.timeutil import utcnow
from support import TEST_PASSWORD, submit

USERNAME = "ZephyrQuill"
EMAIL = "zephyr.quill@example.org"
# Searched case-insensitively; ASCII only, because JSON columns escape the rest.
IDENTITY = ("zephyrquill", "zephyr.quill@example.org", "zephyr.quill")
# Health details: the profile's location and diagnosis, the treatment report's clinic.
HEALTH = ("zephyrholm", "quillhaven vein spa", "my neurologist dr. inkwell")
WORDS = "quillfeather-words"        # in every post they wrote
TITLE = "heat and fatigue diary"    # the thread they started
EDITED_OUT = "inkpot-draft-words"   # only in a version they edited away


def traces(db, needle: str) -> dict[str, list]:
    """Every "table.column" whose text holds `needle` (any case), with the rows' keys."""
    db.session.rollback()  # see what the requests committed
    found: dict[str, list] = {}
    for table in db.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        for column in table.columns:
            as_text = func.lower(cast(column, Text))
            rows = db.session.execute(
                select(*keys).where(as_text.like(f"%{needle.lower()}%"))).all()
            if rows:
                found[f"{table.name}.{column.name}"] = [tuple(row) for row in rows]
    return found


def everywhere(db, needles) -> dict[str, dict]:
    return {needle: hits for needle in needles if (hits := traces(db, needle))}


@pytest.fixture
def zephyr(make, db, client, login, moderator, app):
    """The member, their world, and their session on `client`; returns (member, export path)."""
    member = make.user(USERNAME, email=EMAIL)
    other = make.user("lake_reed")
    db.session.add(Profile(
        user_id=member.id, display_name="Zephyr Q", bio=f"I am {USERNAME}; write to {EMAIL}",
        bio_html=f"<p>I am {USERNAME}</p>", location="Zephyrholm", ms_type="rrms",
        diagnosis_year=2009, location_visibility="members"))
    db.session.add(ProfileRevision(user_id=member.id, field="bio",
                                   old_value=f"{USERNAME} was here, see my neurologist "
                                             "Dr. Inkwell", new_value="", changed_by_id=member.id))
    db.session.add(ProfileRevision(user_id=other.id, field="location", old_value="Lakeside",
                                   new_value="", changed_by_id=member.id))
    db.session.add(MailPreference(user_id=member.id, kind="outcome_reminders", choice="off"))
    db.session.add(Notification(user_id=member.id, kind="note",
                                message=f"Hello {USERNAME}, about {EMAIL}"))

    category = make.category()
    theirs = boards.start_thread(member, category, "Heat and fatigue diary",
                                 f"Opening {WORDS}, first draft {EDITED_OUT}")
    db.session.flush()
    opening = theirs.last_post
    boards.edit_post(member, opening, f"Opening {WORDS}, edited")
    lake_answer = boards.reply(other, theirs, "Lake answers in the diary")
    lakes = boards.start_thread(other, category, "Lake's thread", "Lake opens")
    reply = boards.reply(member, lakes, f"Reply {WORDS}")
    hidden = boards.reply(member, lakes, f"Another reply {WORDS}")
    edited_by_mod = boards.reply(member, lakes, f"A third reply {WORDS}")
    db.session.commit()

    moderation.report_post(member, lakes_opening(db, lakes), "other",
                           f"{USERNAME} thinks this is wrong; mail {EMAIL}")
    report_on_them = moderation.report_post(other, reply, "spam", "Looks like spam to me")
    moderation.dismiss_reports(moderator, report_on_them, "Not spam")
    moderation.hide_post(moderator, hidden, "Off topic")
    moderation.edit_post(moderator, edited_by_mod, f"A third reply {WORDS}, trimmed",
                         "Trimmed a link")
    moderation.set_thread_flag(moderator, theirs, "lock", "Cooling down")
    # Logged as "post in “<their title>” by lake_reed".
    moderation.hide_post(moderator, lake_answer, "Rude")
    db.session.commit()

    report = make.outcome_report(member, clinic_other="Quillhaven Vein Spa",
                                 consent_export=True)
    make.follow_up(report, 1, note=f"Felt better, {WORDS}")
    db.session.add(OutcomeRevision(report_id=report.id,
                                   values={"clinic_other": "Quillhaven Vein Spa",
                                           "note": f"by {USERNAME}"}))
    db.session.execute(insert(ReminderSent).values(report_id=report.id, months=3))
    moderation.hide_post(moderator, db.session.get(Post, reply.id), "Testing a label")
    # Suspended members may still leave.
    moderation.suspend(moderator, member, 3, "Cooling down for a few days")
    db.session.commit()

    export = DataExport(user_id=member.id, status="ready", file_name="zq-export-test.zip",
                        size_bytes=10, ready_at=utcnow(), expires_at=utcnow())
    db.session.add(export)
    db.session.commit()
    path = path_of(export)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{USERNAME} {EMAIL}")

    login(member)
    return member, path


def lakes_opening(db, thread):
    return db.session.scalar(select(Post).where(Post.thread_id == thread.id)
                             .order_by(Post.id).limit(1))


def log_ids(db) -> set[int]:
    db.session.rollback()
    return set(db.session.scalars(select(ModerationAction.id)))


@pytest.mark.parametrize("posts", ["keep", "remove"])
def test_no_trace_of_name_address_or_health_details_is_left(client, db, zephyr, posts):
    member, export_file = zephyr
    # The search finds what is there: the member is in many tables before.
    before = everywhere(db, IDENTITY + HEALTH + (WORDS, EDITED_OUT, TITLE))
    assert set(before) == set(IDENTITY + HEALTH + (WORDS, EDITED_OUT, TITLE))
    assert {"users.username", "users.email", "profiles.bio", "profile_revisions.old_value",
            "notifications.message", "reports.note", "moderation_actions.target_label",
            } <= set(before["zephyrquill"]) | set(before["zephyr.quill@example.org"])
    assert {"posts.body", "post_revisions.body", "follow_ups.note"} <= set(before[WORDS])
    assert "treatment_reports.clinic_other" in before["quillhaven vein spa"]
    assert "posts.body" in before["quillhaven vein spa"]  # the report's summary post
    log_before = log_ids(db)

    response = submit(client, "/settings/delete", {"password": TEST_PASSWORD, "posts": posts})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]

    gone = IDENTITY + HEALTH + (EDITED_OUT,) + ((WORDS,) if posts == "remove" else ())
    assert everywhere(db, gone) == {}
    if posts == "keep":
        # Their words stay, in their posts only (not in their earlier versions).
        assert set(traces(db, WORDS)) == {"posts.body", "posts.body_html"}
    else:
        # The title leaves the thread and the log; a notice Lake got about Lake's own post
        # keeps the words it was sent with.
        assert set(traces(db, TITLE)) == {"notifications.message"}
    assert not export_file.exists()
    assert log_ids(db) > log_before  # every entry kept, one added
    assert db.session.get(type(member), member.id).is_former


def test_the_search_reaches_every_column_of_every_table(db, make):
    """A guard on the proof: a value put in any text column is found."""
    make.user("findme_probe", email="probe@example.org")
    hits = traces(db, "findme_probe")
    assert set(hits) == {"users.username", "users.username_key"}
