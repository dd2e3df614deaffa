"""Every moderation-log entry is written by one function, whatever its target; the system
(the command line, the demo loader) is an actor too."""
from __future__ import annotations

from sqlalchemy import select

from forum.audit import SITE_SETTINGS, record
from forum.moderation.models import ModerationAction


def entries(db, action: str) -> list[ModerationAction]:
    db.session.expire_all()
    db.session.commit()
    return list(db.session.scalars(select(ModerationAction)
                                   .where(ModerationAction.action == action)))


def test_creating_a_clinic_from_the_command_line_is_logged_as_the_system(app, db):
    result = app.test_cli_runner().invoke(args=[
        "forum", "create-user", "vein_staff", "--email", "staff@example.org",
        "--role", "clinic_staff", "--clinic", "Example Vein Centre",
        "--password", "a long enough password"])
    assert result.exit_code == 0, result.output

    [entry] = entries(db, "clinic.create")
    assert entry.actor_id is None
    assert (entry.target_type, entry.target_label) == ("clinic", "Example Vein Centre")


def test_the_demo_loader_logs_the_clinic_it_creates(db, demo_forum):
    [entry] = entries(db, "clinic.create")
    assert entry.actor_id is None
    assert "(demo)" in entry.target_label


def test_the_log_page_names_the_system_as_the_actor(demo_forum, client, login, db, make):
    login(make.user("warden", role="moderator"))

    page = client.get("/mod/log?action=clinic.create").get_data(as_text=True)

    assert "system" in page


def test_an_entry_keeps_the_targets_name_as_it_was(db, make):
    moderator = make.user("warden", role="moderator")
    thread = make.thread(title="Original title")
    record(moderator, "thread.pin", thread, "Useful")
    thread.title = "A later title"
    db.session.commit()

    [entry] = entries(db, "thread.pin")
    assert entry.target_label == "Original title"


def test_an_entry_keeps_its_details(db, make):
    admin = make.user("steward", role="admin")
    record(admin, "site.settings", SITE_SETTINGS, "Changed", {"keys": ["approval_posts"]})

    [entry] = entries(db, "site.settings")
    assert (entry.target_type, entry.target_id) == ("site", 0)
    assert entry.details == {"keys": ["approval_posts"]}


def test_moving_a_thread_records_where_from_and_where_to(client, login, db, make):
    moderator = make.user("warden", role="moderator")
    source = make.category(slug="diet", name="Diet")
    target = make.category(slug="treatments", name="Treatments")
    thread = make.thread(category=source)
    login(moderator)

    from support import submit
    submit(client, f"/mod/threads/{thread.id}/move", {"category": "treatments", "reason": ""})

    [entry] = entries(db, "thread.move")
    assert entry.details == {"from": source.slug, "to": target.slug}
