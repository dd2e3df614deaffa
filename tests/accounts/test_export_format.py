"""The export's contents: the JSON follows docs/export-format.md, holds every part of the
member's data, nothing of another member's private data nor a moderator's name, the
HTML copy escapes what members typed, and a large export is read in batches."""
from __future__ import annotations

import json
import re
import zipfile

import pytest
from sqlalchemy import insert

from forum import markup
from forum.accounts import export as exports
from forum.accounts import export_records
from forum.accounts.models import MailPreference, Profile, ProfileRevision
from forum.boards import services as boards
from forum.boards.models import Bookmark, CategoryRead, Post, Reaction, ThreadRead
from forum.moderation import services as moderation


def export_files(db, member) -> dict[str, str]:
    """Ask for an export (its job runs when the test commits) and read its three files."""
    export = exports.request_export(member)
    db.session.commit()
    db.session.refresh(export)
    assert export.status == "ready"
    with zipfile.ZipFile(exports.path_of(export)) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def exported(db, member) -> dict:
    return json.loads(export_files(db, member)["outflow-export.json"])


@pytest.fixture
def world(db, make, login, moderator):
    """A member with something in every section, and another member beside them."""
    member = make.user("willow")
    login(member)  # a session
    db.session.add(Profile(user_id=member.id, display_name="Willow W", bio="Long walks help.",
                           location="Lakeside", ms_type="spms", diagnosis_year=2004))
    db.session.add(ProfileRevision(user_id=member.id, field="location", old_value="Hillside",
                                   new_value="Lakeside", changed_by_id=member.id))
    db.session.add(MailPreference(user_id=member.id, kind="notices", choice="off"))
    thread = make.thread(author=member, title="My liberation story", body="Opening words")
    reply = make.reply(thread, member, "First version of my reply")
    boards.edit_post(member, reply, "Second version of my reply")
    hidden = make.reply(thread, member, "A reply the moderator hides")
    moderation.hide_post(moderator, hidden, "Off topic here")

    other = make.user("rowan", email="rowan-private@example.org")
    db.session.add(Profile(user_id=other.id, location="Secret Harbour", ms_type="ppms",
                           diagnosis_year=1999))
    theirs = make.thread(author=other, title="Rowan's thread", body="Rowan's own words")
    make.reply(thread, other, "Rowan answers in Willow's thread")  # activity for Willow
    make.report(theirs.last_post, reporter=member, reason="spam", note="Looks like an advert")
    make.report(reply, reporter=other, reason="other", note="Rowan's private note")

    db.session.add_all([
        Reaction(post_id=theirs.last_post_id, user_id=member.id, kind="hugs"),
        Bookmark(user_id=member.id, post_id=theirs.last_post_id),
        ThreadRead(user_id=member.id, thread_id=theirs.id, last_read_post_id=theirs.last_post_id),
        CategoryRead(user_id=member.id, category_id=theirs.category_id,
                     read_up_to_post_id=theirs.last_post_id)])

    report = make.outcome_report(member)
    follow_up = make.follow_up(report, months=1, note="Walking a little better")
    db.session.commit()
    return {"member": member, "thread": thread, "reply": reply, "hidden": hidden,
            "report": report, "follow_up": follow_up, "other": other, "theirs": theirs}


# The documented schema -------------------------------------------------------------------

TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
DATE = re.compile(r"\d{4}-\d\d-01$")
EDSS = re.compile(r"\d{1,2}\.\d$")


class Nullable:
    def __init__(self, kind):
        self.kind = kind


def matches(value, kind) -> bool:
    if isinstance(kind, Nullable):
        return value is None or matches(value, kind.kind)
    if isinstance(kind, re.Pattern):
        return isinstance(value, str) and bool(kind.match(value))
    if isinstance(kind, dict):
        return isinstance(value, dict) and set(value) == set(kind) and all(
            matches(value[key], kind[key]) for key in kind)
    if isinstance(kind, list):
        return isinstance(value, list) and all(matches(item, kind[0]) for item in value)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


SYMPTOMS = {name: Nullable(int) for name in ("fatigue", "thinking", "heat", "walking",
                                              "balance", "bladder", "vision", "pain", "sleep")}
SCHEMA = {
    "format": str, "version": int, "generated_at": TIME,
    "member": {"id": int, "username": str, "email": str, "role": str,
               "clinic": Nullable(str), "created_at": TIME,
               "email_verified_at": Nullable(TIME), "post_count": int,
               "suspended_at": Nullable(TIME), "suspended_until": Nullable(TIME),
               "suspension_reason": str,
               "display": {"text_size": int, "theme": str, "reduce_motion": bool,
                           "readable_font": bool}},
    "profile": Nullable({"display_name": str, "bio": str, "location": str,
                         "location_visibility": str, "ms_type": str,
                         "ms_type_visibility": str, "diagnosis_year": Nullable(int),
                         "diagnosis_year_visibility": str,
                         "posts_visible_to_visitors": bool, "updated_at": TIME}),
    "profile_history": [{"id": int, "field": str, "old_value": str, "new_value": str,
                         "changed_at": TIME, "changed_by": str}],
    "threads": [{"id": int, "title": str, "url": str, "category_slug": str,
                 "category_name": str, "created_at": TIME, "post_count": int,
                 "is_pinned": bool, "is_locked": bool, "pending": bool,
                 "deleted_at": Nullable(TIME)}],
    "posts": [{"id": int, "thread_id": int, "thread_title": str, "url": str, "body": str,
               "created_at": TIME, "edited_at": Nullable(TIME), "pending": bool,
               "deleted_at": Nullable(TIME), "deleted_by": Nullable(str),
               "hidden_at": Nullable(TIME), "hidden_reason": str,
               "revisions": [{"id": int, "body": str, "reason": str, "written_at": TIME,
                              "replaced_at": TIME, "replaced_by": str}]}],
    "reports_made": [{"id": int, "post_id": int, "reason": str, "note": str,
                      "created_at": TIME, "status": str, "resolved_at": Nullable(TIME)}],
    "treatment_reports": [{
        "id": int, "code": str, "url": str, "treatment": str, "treatment_name": str,
        "treatment_other": str, "treated_on": DATE, "veins": [str], "clinic": Nullable(str),
        "clinic_other": str, "ms_type": str, "diagnosis_year": int, "pdds": int,
        "edss": Nullable(EDSS), "relapses_12m": int, "symptoms": SYMPTOMS,
        "visibility": str, "consent_export": bool, "thread_id": Nullable(int),
        "created_at": TIME, "updated_at": TIME, "hidden_at": Nullable(TIME),
        "hidden_reason": str,
        "follow_ups": [{"id": int, "months": int, "pgic": int, "pdds": int,
                        "edss": Nullable(EDSS), "relapses": int, "symptoms": SYMPTOMS,
                        "complications": [str], "repeated": bool, "stopped": bool,
                        "note": str, "created_at": TIME, "updated_at": TIME}],
        "revisions": [{"id": int, "follow_up_id": Nullable(int), "values": dict,
                       "replaced_at": TIME}],
        "reminders_sent": [{"months": int, "sent_at": TIME}]}],
    "notifications": [{"id": int, "kind": str, "message": str, "link": str,
                       "created_at": TIME, "read_at": Nullable(TIME)}],
    "activity": [{"id": int, "kind": str, "thread_id": int, "post_id": int, "count": int,
                  "created_at": TIME, "updated_at": TIME, "read_at": Nullable(TIME)}],
    "sessions": [{"id": int, "created_at": TIME, "last_seen_at": TIME, "expires_at": TIME,
                  "remember": bool, "user_agent": str}],
    "mail_preferences": [{"kind": str, "choice": str}],
    "reactions": [{"post_id": int, "kind": str, "created_at": TIME}],
    "bookmarks": [{"post_id": int, "created_at": TIME}],
    "read_marks": [{"thread_id": Nullable(int), "category": Nullable(str),
                    "read_up_to_post_id": int, "read_at": TIME}],
    "watches": [{"thread_id": Nullable(int), "category": Nullable(str), "level": str,
                 "updated_at": TIME}],
    "moderation_actions_about_you": [{"id": int, "action": str, "target_type": str,
                                      "target_id": int, "target_label": str, "reason": str,
                                      "details": dict, "created_at": TIME, "by": str}],
}


def test_reactions_bookmarks_and_read_marks_are_exported(db, world):
    data = exported(db, world["member"])
    post_id = world["theirs"].last_post_id

    assert [(r["post_id"], r["kind"]) for r in data["reactions"]] == [(post_id, "hugs")]
    assert [b["post_id"] for b in data["bookmarks"]] == [post_id]
    marks = [(m["thread_id"], m["category"]) for m in data["read_marks"]]
    assert (world["theirs"].id, None) in marks
    assert marks[-1] == (None, world["theirs"].category.slug)


def test_the_zip_holds_the_json_the_html_copy_and_a_readme(db, world):
    files = export_files(db, world["member"])

    assert sorted(files) == ["README.txt", "outflow-export.html", "outflow-export.json"]
    assert "outflow-export.json" in files["README.txt"]
    assert files["outflow-export.html"].startswith("<!doctype html>")
    assert "My liberation story" in files["outflow-export.html"]


def test_the_json_is_version_1_of_the_documented_format(db, world):
    data = exported(db, world["member"])

    assert list(data) == list(SCHEMA)
    assert (data["format"], data["version"]) == ("outflow-export", 1)


@pytest.mark.parametrize("section", list(SCHEMA)[3:])
def test_each_section_has_the_documented_fields_and_types(db, world, section):
    data = exported(db, world["member"])

    assert data[section], f"the world leaves {section} empty"
    assert matches(data[section], SCHEMA[section]), json.dumps(data[section], indent=1)


def test_every_part_of_the_members_data_is_in_the_export(db, world):
    data = exported(db, world["member"])
    reply, report = world["reply"], world["report"]

    assert data["member"]["email"] == "willow@example.org"
    assert data["profile"]["bio"] == "Long walks help."
    assert [(change["old_value"], change["changed_by"])
            for change in data["profile_history"]] == [("Hillside", "you")]
    # A public treatment report opens its discussion thread in the member's name.
    assert [thread["id"] for thread in data["threads"]] == [world["thread"].id,
                                                            report.thread_id]
    posts = {post["id"]: post for post in data["posts"]}
    assert {reply.id, world["hidden"].id} <= set(posts)
    assert "Opening words" in [post["body"] for post in data["posts"]]
    assert posts[reply.id]["body"] == "Second version of my reply"
    assert [(revision["body"], revision["replaced_by"])
            for revision in posts[reply.id]["revisions"]] == [("First version of my reply",
                                                               "you")]
    assert posts[world["hidden"].id]["hidden_reason"] == "Off topic here"
    assert [made["note"] for made in data["reports_made"]] == ["Looks like an advert"]
    [treatment] = data["treatment_reports"]
    assert (treatment["id"], treatment["code"]) == (report.id, report.code)
    assert [follow_up["note"] for follow_up in treatment["follow_ups"]] == \
        ["Walking a little better"]
    assert [notice["kind"] for notice in data["notifications"]] == ["post.hidden"]
    assert len(data["sessions"]) == 1
    assert data["mail_preferences"] == [{"kind": "notices", "choice": "off"}]
    [action] = data["moderation_actions_about_you"]
    assert (action["action"], action["target_id"], action["reason"], action["by"]) == \
        ("post.hide", world["hidden"].id, "Off topic here", "a moderator")


def test_a_corrected_treatment_report_keeps_its_earlier_values_in_the_export(db, world):
    from forum.outcomes import services as outcomes
    from forum.outcomes.models import SYMPTOMS as NAMES

    report = world["report"]
    values = outcomes.ReportValues(
        treatment="ccsvi-angioplasty", treated_on=report.treated_on, ms_type="rrms",
        diagnosis_year=2005, pdds=5, relapses_12m=1, visibility="public",
        veins=["left-ijv"], symptoms={name: 2 for name in NAMES})
    outcomes.edit_report(world["member"], report, values)
    db.session.commit()

    [treatment] = exported(db, world["member"])["treatment_reports"]

    assert treatment["pdds"] == 5
    assert [revision["values"]["pdds"] for revision in treatment["revisions"]] == [3]


def test_no_private_data_of_another_member_is_in_the_export(db, world, moderator):
    files = export_files(db, world["member"])
    everything = files["outflow-export.json"] + files["outflow-export.html"]

    for secret in ("rowan-private@example.org", "Secret Harbour", "ppms", "1999",
                   "Rowan's private note", "Rowan's own words"):
        assert secret not in everything
    assert moderator.username not in everything
    assert moderator.email not in everything


def test_no_secret_of_the_members_own_account_is_in_the_export(db, world):
    from forum.auth.models import LoginSession, User

    member = db.session.get(User, world["member"].id)
    session = db.session.query(LoginSession).filter_by(user_id=member.id).one()
    files = export_files(db, member)
    everything = files["outflow-export.json"] + files["outflow-export.html"]

    assert member.password_hash not in everything
    assert session.token_hash not in everything


def test_the_html_copy_escapes_what_members_typed(db, make):
    member = make.user("willow")
    make.thread(author=member, title="<b>Bold</b> title",
                body="<script>alert('hi')</script> & <img src=x onerror=alert(1)>")

    html = export_files(db, member)["outflow-export.html"]

    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;hi&#39;)&lt;/script&gt; &amp; &lt;img" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in html


def test_a_large_export_is_read_in_batches_and_is_complete(db, make, monkeypatch,
                                                           count_queries):
    member = make.user("willow")
    thread = make.thread(author=member, title="Many posts")
    html = markup.render("A reply")
    db.session.execute(insert(Post), [
        {"thread_id": thread.id, "author_id": member.id, "body": f"Reply {number}",
         "body_html": html} for number in range(300)])
    db.session.commit()
    monkeypatch.setattr(export_records, "BATCH_SIZE", 7)

    with count_queries() as statements:
        data = exported(db, member)

    ids = [post["id"] for post in data["posts"]]
    assert len(ids) == 301 and ids == sorted(ids)
    assert [post["body"] for post in data["posts"]][1:] == [f"Reply {n}" for n in range(300)]
    post_reads = [statement for statement in statements
                  if "FROM posts JOIN threads" in statement]
    # Two passes (the JSON, then the HTML copy), each 301 // 7 full batches and one empty.
    assert len(post_reads) == 2 * (301 // 7 + 1)
