"""`flask forum create-user` and `flask forum seed-demo`."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.auth.models import User
from forum.boards.models import Category, Post, Thread
from forum.demo import DEMO_PASSWORD
from forum.resources.models import Clinic
from support import TEST_PASSWORD, submit


@pytest.fixture
def flask_cli(app):
    runner = app.test_cli_runner()
    return lambda *args, input=None: runner.invoke(args=["forum", *args], input=input)


def create_user(flask_cli, name="river", email="river@example.org", role="member", *extra,
                input=None):
    return flask_cli("create-user", name, "--email", email, "--role", role, *extra, input=input)


def user_named(db, username: str) -> User | None:
    db.session.rollback()
    return db.session.scalar(select(User).where(User.username_key == username.lower()))


def count(db, model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def assert_clean_failure(result):
    assert result.exit_code != 0
    assert isinstance(result.exception, SystemExit)  # click's own exit, not a crash
    assert "Traceback" not in result.output


# create-user ---------------------------------------------------------------------------

def test_create_user_makes_a_verified_account(flask_cli, db):
    result = create_user(flask_cli, "river", "river@example.org", "member",
                         "--password", TEST_PASSWORD)
    assert result.exit_code == 0, result.output
    assert "Created member river <river@example.org>" in result.output
    user = user_named(db, "river")
    assert user.is_verified
    assert user.role == "member"


def test_a_user_made_on_the_command_line_can_sign_in(flask_cli, client):
    create_user(flask_cli, "river", "river@example.org", "member", "--password", TEST_PASSWORD)
    response = submit(client, "/login", {"login": "river", "password": TEST_PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_create_user_gives_the_role_asked_for(flask_cli, db, role):
    result = create_user(flask_cli, "heron", "heron@example.org", role,
                         "--password", TEST_PASSWORD)
    assert result.exit_code == 0, result.output
    assert user_named(db, "heron").role == role


def test_create_user_for_clinic_staff_creates_a_new_clinic(flask_cli, db):
    result = create_user(flask_cli, "vein_clinic", "staff@clinic.example", "clinic_staff",
                         "--clinic", "Vein Care Clinic", "--password", TEST_PASSWORD)
    assert result.exit_code == 0, result.output
    assert "for Vein Care Clinic" in result.output
    user = user_named(db, "vein_clinic")
    assert user.role == "clinic_staff"
    assert user.clinic.name == "Vein Care Clinic"


def test_create_user_for_clinic_staff_joins_an_existing_clinic(flask_cli, db):
    clinic = Clinic(name="Vein Care Clinic")
    db.session.add(clinic)
    db.session.commit()
    create_user(flask_cli, "first_staff", "one@clinic.example", "clinic_staff",
                "--clinic", "Vein Care Clinic", "--password", TEST_PASSWORD)
    create_user(flask_cli, "second_staff", "two@clinic.example", "clinic_staff",
                "--clinic", "Vein Care Clinic", "--password", TEST_PASSWORD)
    assert count(db, Clinic) == 1
    assert user_named(db, "first_staff").clinic_id == clinic.id
    assert user_named(db, "second_staff").clinic_id == clinic.id


def test_create_user_for_clinic_staff_requires_a_clinic(flask_cli, db):
    result = create_user(flask_cli, "vein_clinic", "staff@clinic.example", "clinic_staff",
                         "--password", TEST_PASSWORD)
    assert_clean_failure(result)
    assert "--clinic is required" in result.output
    assert count(db, User) == 0


def test_create_user_refuses_a_clinic_for_other_roles(flask_cli, db):
    result = create_user(flask_cli, "river", "river@example.org", "member",
                         "--clinic", "Vein Care Clinic", "--password", TEST_PASSWORD)
    assert_clean_failure(result)
    assert count(db, User) == 0
    assert count(db, Clinic) == 0


def test_create_user_refuses_a_taken_username_cleanly(flask_cli, db, make):
    make.user("River", email="first@example.org")
    result = create_user(flask_cli, "river", "second@example.org", "member",
                         "--password", TEST_PASSWORD)
    assert_clean_failure(result)
    assert "That username is taken" in result.output
    assert count(db, User) == 1


def test_create_user_refuses_a_taken_email_cleanly(flask_cli, db, make):
    make.user("first", email="river@example.org")
    result = create_user(flask_cli, "river", "River@example.org", "member",
                         "--password", TEST_PASSWORD)
    assert_clean_failure(result)
    assert "already exists" in result.output
    assert count(db, User) == 1


def test_create_user_that_fails_leaves_no_new_clinic_behind(flask_cli, db, make):
    make.user("taken")
    result = create_user(flask_cli, "taken", "staff@clinic.example", "clinic_staff",
                         "--clinic", "Vein Care Clinic", "--password", TEST_PASSWORD)
    assert_clean_failure(result)
    assert count(db, Clinic) == 0


def test_create_user_refuses_a_short_password_cleanly(flask_cli, db):
    result = create_user(flask_cli, "river", "river@example.org", "member", "--password", "short")
    assert_clean_failure(result)
    assert "at least 10 characters" in result.output
    assert count(db, User) == 0


def test_create_user_refuses_an_unknown_role(flask_cli, db):
    result = create_user(flask_cli, "river", "river@example.org", "superuser",
                         "--password", TEST_PASSWORD)
    assert_clean_failure(result)
    assert count(db, User) == 0


def test_create_user_asks_for_the_password_when_not_given(flask_cli, client, db):
    result = create_user(flask_cli, "river", "river@example.org", "member",
                         input=f"{TEST_PASSWORD}\n{TEST_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Password" in result.output
    assert TEST_PASSWORD not in result.output  # typed, never shown
    response = submit(client, "/login", {"login": "river", "password": TEST_PASSWORD})
    assert response.status_code == 302


def test_create_user_asks_again_when_the_two_passwords_differ(flask_cli, db):
    result = create_user(flask_cli, "river", "river@example.org", "member",
                         input=f"{TEST_PASSWORD}\nsomething else entirely\n"
                               f"{TEST_PASSWORD}\n{TEST_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert user_named(db, "river") is not None


# seed-demo -----------------------------------------------------------------------------

def demo_counts(db) -> dict[str, int]:
    return {model.__name__: count(db, model) for model in (Category, User, Thread, Post)}


def test_seed_demo_loads_categories_members_and_threads(flask_cli, db):
    result = flask_cli("seed-demo")
    assert result.exit_code == 0, result.output
    counts = demo_counts(db)
    assert all(number > 0 for number in counts.values()), counts


def test_seed_demo_is_safe_to_run_twice(demo_forum, flask_cli, db):
    first = demo_counts(db)
    result = flask_cli("seed-demo")
    assert result.exit_code == 0, result.output
    assert demo_counts(db) == first
    assert "0 categories, 0 threads and 0 clinic links added" in result.output


def test_seed_demo_first_start_loads_an_empty_forum(flask_cli, db):
    result = flask_cli("seed-demo", "--first-start")
    assert result.exit_code == 0, result.output
    assert count(db, Category) > 0


def test_seed_demo_first_start_does_nothing_when_categories_exist(flask_cli, db, make):
    make.category(slug="our-own")
    result = flask_cli("seed-demo", "--first-start")
    assert result.exit_code == 0, result.output
    assert "already has categories" in result.output
    assert demo_counts(db) == {"Category": 1, "User": 0, "Thread": 0, "Post": 0}


def test_demo_members_can_sign_in(demo_forum, client):
    response = submit(client, "/login", {"login": "maple_walker", "password": DEMO_PASSWORD})
    assert response.status_code == 302
