"""Clinics come from the demo seed, the command line and the admin pages.

`flask forum seed-demo` adds a demo clinic, its staff member and the links of the
clinic page the project grew out of, with evidence notes on the CCSVI ones;
`flask forum create-user --role clinic_staff --clinic NAME` creates or reuses a
clinic; admins add clinics and make members clinic staff, who can then pin links
and whose posts carry the clinic staff badge.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from forum import demo
from forum.auth.models import User
from forum.moderation.models import ModerationAction
from forum.resources.models import Clinic, EvidenceNote, ResourceLink
from support import TEST_PASSWORD, submit

# The seed file sits beside the design document, outside the repository: its "Links:"
# list is copied here so the tests run without it, and checked against it when present.
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_6910478dcc3b2a62.txt"
SEED_TITLES = [
    "Chronic Cerebrospinal Venous Insufficiency World Site",
    "Relief for MS Patients Following Angioplasty",
    "Interventional Radiologists Advance MS Research",
    "Hubbard Foundation, Multi-Center Registry for CCSVI",
    "Treatment Options",
    "Venous Angioplasty for CCSVI",
]


def seed_file_titles() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = next(index for index, line in enumerate(lines) if line.strip() == "Links:") + 1
    titles = []
    for line in lines[start:]:
        if not line.strip():
            break
        titles.append(line.strip())
    return titles


@pytest.fixture
def flask_cli(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["forum", *args])


def count(db, model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


# seed-demo --------------------------------------------------------------------------------

@pytest.fixture
def seeded(demo_forum, db):
    """The demo clinic, once the demo is loaded on a new forum (see `demo_forum` in
    tests/conftest.py)."""
    return db.session.scalar(select(Clinic).where(Clinic.name == demo.DEMO_CLINIC))


def demo_links(db, clinic) -> list[ResourceLink]:
    return list(db.session.scalars(select(ResourceLink).where(ResourceLink.clinic_id == clinic.id)
                                   .order_by(ResourceLink.position)))


@pytest.mark.skipif(not SEED.exists(), reason="the seed file is not beside the repository")
def test_the_titles_here_are_the_seed_files_links():
    assert seed_file_titles() == SEED_TITLES


def test_seed_demo_creates_the_demo_clinic(seeded):
    assert seeded is not None


def test_seed_demo_creates_a_staff_member_of_the_demo_clinic(db, seeded):
    staff = db.session.scalars(select(User).where(User.clinic_id == seeded.id)).all()

    assert [(user.username, user.role) for user in staff] == [(demo.DEMO_STAFF, "clinic_staff")]


def test_seed_demo_pins_the_links_of_the_clinic_page_by_title(db, seeded):
    assert [link.title for link in demo_links(db, seeded)] == SEED_TITLES


def test_seed_demo_links_point_at_example_org(db, seeded):
    hosts = {urlsplit(link.url).hostname for link in demo_links(db, seeded)}

    assert hosts == {"example.org"}
    assert all(link.url.startswith("https://") for link in demo_links(db, seeded))


def test_seed_demo_pins_each_link_where_the_demo_puts_it(db, seeded):
    placed = {link.title: (link.site_wide, sorted(c.slug for c in link.categories))
              for link in demo_links(db, seeded)}

    assert placed == {title: (site_wide, sorted(slugs))
                      for title, _, _, site_wide, slugs in demo.RESOURCES}


def test_seed_demo_site_wide_links_are_on_the_home_page(client, seeded):
    html = client.get("/").get_data(as_text=True).split("<main", 1)[1]
    panel = html.split('class="resources-panel"', 1)[1]

    for title, _, _, site_wide, _ in demo.RESOURCES:
        assert (title in panel) == site_wide, title


def test_seed_demo_puts_an_evidence_note_on_every_ccsvi_link(db, seeded):
    ccsvi = [link for link in demo_links(db, seeded)
             if "ccsvi" in {c.slug for c in link.categories}]

    assert len(ccsvi) == 5
    for link in ccsvi:
        assert link.note is not None, link.title
        assert "Brave Dreams" in link.note.body
        assert "FDA" in link.note.body and "2012" in link.note.body
        assert "Brave Dreams" in link.note.body_html


def test_seed_demo_notes_are_written_by_a_moderator(db, seeded):
    authors = {note.author_id for note in db.session.scalars(select(EvidenceNote))}
    roles = {db.session.get(User, author).role for author in authors}

    assert roles <= {"moderator", "admin"}


def test_seed_demo_ccsvi_links_show_their_note_in_the_ccsvi_category(client, seeded):
    html = client.get("/c/ccsvi").get_data(as_text=True).split("<main", 1)[1]

    assert "Venous Angioplasty for CCSVI" in html
    assert "Brave Dreams" in html
    assert "Provided by <strong>Chicago Vascular &amp; Interventional (demo)</strong>" in html


def test_seed_demo_twice_adds_nothing(flask_cli, db, seeded):
    models = (Clinic, User, ResourceLink, EvidenceNote, ModerationAction)
    before = {model.__name__: count(db, model) for model in models}

    result = flask_cli("seed-demo")

    assert result.exit_code == 0, result.output
    assert {model.__name__: count(db, model) for model in models} == before
    assert "0 clinic links added" in result.output


# create-user --------------------------------------------------------------------------------

def create_staff(flask_cli, name: str, clinic: str):
    return flask_cli("create-user", name, "--email", f"{name}@clinic.example",
                     "--role", "clinic_staff", "--clinic", clinic, "--password", TEST_PASSWORD)


def staff_named(db, name: str) -> User:
    db.session.rollback()
    return db.session.scalar(select(User).where(User.username_key == name))


def test_create_user_creates_a_clinic_that_does_not_exist(flask_cli, db):
    result = create_staff(flask_cli, "first_staff", "New Clinic")

    assert result.exit_code == 0, result.output
    assert "for New Clinic" in result.output
    clinic = db.session.scalar(select(Clinic).where(Clinic.name == "New Clinic"))
    assert staff_named(db, "first_staff").clinic_id == clinic.id
    assert staff_named(db, "first_staff").role == "clinic_staff"


def test_create_user_reuses_a_clinic_that_exists(flask_cli, db):
    create_staff(flask_cli, "first_staff", "New Clinic")

    result = create_staff(flask_cli, "second_staff", "New Clinic")

    assert result.exit_code == 0, result.output
    assert count(db, Clinic) == 1
    assert staff_named(db, "second_staff").clinic_id == staff_named(db, "first_staff").clinic_id


def test_create_user_reuses_a_clinic_whatever_its_case_and_spacing(flask_cli, db):
    create_staff(flask_cli, "first_staff", "New Clinic")

    result = create_staff(flask_cli, "second_staff", "  new   CLINIC ")

    assert result.exit_code == 0, result.output
    assert "for New Clinic." in result.output
    assert count(db, Clinic) == 1


def test_create_user_refuses_an_overlong_clinic_name_cleanly(flask_cli, db):
    result = create_staff(flask_cli, "first_staff", "Clinic " * 30)

    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # click's own exit, not a crash
    assert "2 to 120 characters" in result.output
    assert count(db, Clinic) == 0
    assert staff_named(db, "first_staff") is None


# Admin pages --------------------------------------------------------------------------------

@pytest.fixture
def site_admin(make, login):
    admin = make.user("root", role="admin")
    login(admin)
    return admin


def test_an_admin_creates_a_clinic(client, db, site_admin):
    response = submit(client, "/admin/clinics", {
        "name": "Vein Care Clinic", "website": "https://vein.example",
        "description": "Offers venous angioplasty."})

    assert response.status_code == 302
    clinic = db.session.scalar(select(Clinic).where(Clinic.name == "Vein Care Clinic"))
    assert clinic.website == "https://vein.example"
    assert "Vein Care Clinic" in client.get("/admin/clinics").get_data(as_text=True)


def test_a_duplicate_clinic_name_is_422_and_keeps_what_was_typed(client, db, site_admin):
    submit(client, "/admin/clinics", {"name": "Vein Care Clinic"})

    response = submit(client, "/admin/clinics", {"name": "vein care clinic",
                                                 "description": "Second try"})

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "already exists" in html
    assert "Second try" in html
    assert count(db, Clinic) == 1


def test_members_cannot_create_clinics(client, login, make, db):
    login(make.user("river"))

    response = client.get("/admin/clinics")

    assert response.status_code == 403


@pytest.fixture
def admin_clinic(make):
    return make.clinic("Vein Care Clinic")


@pytest.fixture
def river(make):
    return make.user("river")


def set_role(client, member, data):
    return submit(client, f"/admin/users/{member.username}/role", data)


def test_an_admin_makes_a_member_clinic_staff(client, db, site_admin, admin_clinic, river):
    response = set_role(client, river, {"role": "clinic_staff", "clinic": str(admin_clinic.id),
                                        "reason": "Works for the clinic"})

    assert response.status_code == 302
    member = staff_named(db, "river")
    assert (member.role, member.clinic_id) == ("clinic_staff", admin_clinic.id)


def test_clinic_staff_without_a_clinic_is_422(client, db, site_admin, admin_clinic, river):
    response = set_role(client, river, {"role": "clinic_staff", "clinic": ""})

    assert response.status_code == 422
    assert "choose one" in response.get_data(as_text=True)
    member = staff_named(db, "river")
    assert (member.role, member.clinic_id) == ("member", None)


def test_a_role_change_is_logged(client, db, site_admin, admin_clinic, river):
    set_role(client, river, {"role": "clinic_staff", "clinic": str(admin_clinic.id)})

    db.session.rollback()
    entry = db.session.scalar(select(ModerationAction)
                              .where(ModerationAction.action == "user.role"))
    assert entry.target_label == "river"
    assert "Vein Care Clinic" in entry.reason


def test_new_clinic_staff_can_pin_a_link(client, new_client, db, make, site_admin,
                                         admin_clinic, river):
    category = make.category(slug="ccsvi", name="CCSVI")
    set_role(client, river, {"role": "clinic_staff", "clinic": str(admin_clinic.id)})
    staff_browser = new_client()
    submit(staff_browser, "/login", {"login": "river", "password": TEST_PASSWORD})

    response = submit(staff_browser, "/resources/new", {
        "title": "Treatment Options", "url": "https://vein.example/options",
        "description": "What we offer.", "categories": [category.slug]})

    assert response.status_code == 302
    db.session.rollback()
    link = db.session.scalar(select(ResourceLink))
    assert (link.title, link.clinic_id) == ("Treatment Options", admin_clinic.id)
    page = staff_browser.get("/c/ccsvi").get_data(as_text=True).split("<main", 1)[1]
    assert "Provided by <strong>Vein Care Clinic</strong>" in page


def test_new_clinic_staff_posts_carry_the_clinic_badge(client, db, make, site_admin,
                                                       admin_clinic, river):
    set_role(client, river, {"role": "clinic_staff", "clinic": str(admin_clinic.id)})
    thread = make.thread(author=staff_named(db, "river"), title="Questions welcome")
    reply_author = make.user("heron")
    from forum.boards import services as boards
    boards.reply(reply_author, thread, "Thanks")

    html = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert html.count("clinic staff — Vein Care Clinic") == 1
