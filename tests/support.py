"""Helpers the tests share: form submission with CSRF, factories, mail links, query counts."""
from __future__ import annotations

import os
import re
import secrets
from contextlib import contextmanager
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, event, make_url, select, text

TEST_PASSWORD = "correct horse battery staple"
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# Apps --------------------------------------------------------------------------------


def reuse_url_builders() -> None:
    """Every test builds its own app, and Werkzeug compiles Python code for each of its URL
    rules (two functions a rule, from an AST): that was most of the time taken to build an
    app. Such a function depends only on the rule, so the next app's identical rule reuses
    the one compiled for the first."""
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    if getattr(compile_builder, "reused", False):
        return
    builders: dict = {}

    def reused(rule, append_unknown: bool = True):
        key = (rule.rule, rule.subdomain, rule.host, tuple(rule._trace), append_unknown,
               repr(sorted((rule.defaults or {}).items())),
               tuple((name, type(converter)) for name, converter in rule._converters.items()))
        if key not in builders:
            builders[key] = compile_builder(rule, append_unknown)
        return builders[key]

    reused.reused = True
    Rule._compile_builder = reused


# Databases ---------------------------------------------------------------------------


def server_url() -> str:
    """The PostgreSQL server the suite may use (any database on it it may connect to)."""
    return os.environ.get("TEST_DATABASE_URL") or DEFAULT_POSTGRES_URL


_run_database: dict[str, str] = {}


def postgres_url() -> str:
    """A database of this run's own, created on first use and dropped when the run ends,
    so that two runs on one machine (two checkouts, CI beside a developer) never meet."""
    if "url" in _run_database:
        return _run_database["url"]
    base = make_url(server_url())
    if not postgres_answers(base.render_as_string(hide_password=False)):
        return base.render_as_string(hide_password=False)  # the caller skips or fails
    name = f"outflow_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
        # A test database need not survive a crash: not waiting for each commit's WAL to
        # reach the disk takes a third off the PostgreSQL half of the suite.
        connection.execute(text(f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    admin.dispose()
    _run_database.update(name=name, url=base.set(database=name).render_as_string(
        hide_password=False))
    return _run_database["url"]


def drop_run_database() -> None:
    name = _run_database.pop("name", None)
    _run_database.pop("url", None)
    if name is None:
        return
    admin = create_engine(make_url(server_url()), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def postgres_answers(url: str) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return True
    except Exception:  # noqa: BLE001 - any failure means "not there"
        return False
    finally:
        engine.dispose()


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


# Login sessions are touched by any signed-in request; everything else must hold still.
UNWATCHED_TABLES = {"login_sessions", "alembic_version"}


def database_snapshot(db) -> dict:
    """Every row of every table, to show that a refused request changed nothing."""
    db.session.expire_all()
    return {
        table.name: db.session.execute(
            select(table).order_by(*table.primary_key.columns)).all()
        for table in db.metadata.sorted_tables if table.name not in UNWATCHED_TABLES
    }


def empty_tables(db) -> None:
    """Every table emptied and ids from 1 again, as each test expects to find them."""
    db.session.remove()
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            # DELETE, not TRUNCATE: a test leaves a few rows, and TRUNCATE's new files for
            # every table cost ten times more than deleting them. All in one message: a
            # round trip per table was most of the cost.
            statements = [f'DELETE FROM "{table.name}"' for table in tables]
            statements.append("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'")
            _run_script(connection, statements)
        return
    with db.engine.connect() as connection:
        # SQLite ignores this PRAGMA inside a transaction, so both go outside the one that
        # deletes: the connection serves the next tests, with its foreign keys on.
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            for table in tables:
                connection.execute(table.delete())
            connection.commit()
        finally:
            connection.rollback()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


def _run_script(connection, statements: list[str]) -> None:
    """Several statements in one message to PostgreSQL (no parameters, so psycopg sends
    them as one simple query)."""
    with connection.connection.driver_connection.cursor() as cursor:
        cursor.execute("; ".join(statements))


def copy_database(db):
    """What the database holds, to be put back later by `restore_database`: exactly, as
    SQLite's backup and PostgreSQL's COPY write it (search indexes included)."""
    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        return _copy_postgres(db)
    import sqlite3

    copy = sqlite3.connect(":memory:", check_same_thread=False)
    with db.engine.connect() as connection:
        connection.connection.driver_connection.backup(copy)
    return copy


def restore_database(db, copy) -> None:
    db.session.remove()
    if db.engine.dialect.name == "postgresql":
        _restore_postgres(db, copy)
        return
    with db.engine.connect() as connection:
        copy.backup(connection.connection.driver_connection)


def _circle_columns(table) -> list[str]:
    """The columns that close a circle of foreign keys (a category's latest post)."""
    return [column.name for key in table.foreign_key_constraints if key.use_alter
            for column in key.columns]


def _copy_postgres(db) -> dict:
    from sqlalchemy import or_

    tables, links = [], []
    with db.engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        for table in db.metadata.sorted_tables:
            names = [column.name for column in table.columns]
            circle = _circle_columns(table)
            # Those columns come back once every row is in (see `_restore_postgres`).
            shown = ", ".join("NULL" if name in circle else f'"{name}"' for name in names)
            with cursor.copy(f'COPY (SELECT {shown} FROM "{table.name}") TO STDOUT') as copy:
                tables.append((table.name, names, b"".join(bytes(block) for block in copy)))
            if circle:
                keys = [column.name for column in table.primary_key.columns]
                rows = connection.execute(select(*(table.c[name] for name in keys + circle))
                                          .where(or_(*(table.c[name].is_not(None)
                                                       for name in circle)))).all()
                links.append((table, keys, circle, [row._asdict() for row in rows]))
        names = connection.execute(text(
            "SELECT relname FROM pg_class WHERE relkind = 'S' "
            "AND relnamespace = current_schema()::regnamespace")).scalars().all()
        sequences = [(name, *connection.execute(text(
            f'SELECT last_value, is_called FROM "{name}"')).one()) for name in names]
    return {"tables": tables, "links": links, "sequences": sequences}


def _restore_postgres(db, copy: dict) -> None:
    from sqlalchemy import bindparam, update

    empty_tables(db)
    with db.engine.begin() as connection:
        cursor = connection.connection.driver_connection.cursor()
        for name, columns, data in copy["tables"]:
            if data:
                listed = ", ".join(f'"{column}"' for column in columns)
                with cursor.copy(f'COPY "{name}" ({listed}) FROM STDIN') as load:
                    load.write(data)
        for table, keys, circle, rows in copy["links"]:
            if rows:
                connection.execute(
                    update(table).where(*(table.c[key] == bindparam(f"p_{key}") for key in keys))
                    .values({name: bindparam(f"p_{name}") for name in circle}),
                    [{f"p_{name}": value for name, value in row.items()} for row in rows])
        _run_script(connection, [f"SELECT setval('\"{name}\"', {value}, {called})"
                                 for name, value, called in copy["sequences"]])


# Forms -------------------------------------------------------------------------------

CSRF_PATTERN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"'
                          r'|name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1) or match.group(2)


def submit(client, url: str, data: dict | None = None, form_page: str | None = None,
           follow_redirects: bool = False):
    """POST a form the way a browser does: first load the page it sits on for its token."""
    page = client.get(form_page or url)
    token = csrf_from(page.get_data(as_text=True))
    return client.post(url, data={**(data or {}), "csrf_token": token},
                       follow_redirects=follow_redirects)


# Factories ---------------------------------------------------------------------------

class Factory:
    def __init__(self, db):
        self.db = db
        self.serial = 0

    def _next(self) -> int:
        self.serial += 1
        return self.serial

    def user(self, username: str | None = None, role: str = "member", verified: bool = True,
             password: str = TEST_PASSWORD, email: str | None = None, clinic=None,
             new: bool = False):
        """A member who joined a month ago, or today with `new=True` (first-day rules)."""
        from datetime import timedelta

        from forum.auth import services
        from forum.timeutil import utcnow

        username = username or f"member{self._next()}"
        user = services.create_user(username, email or f"{username}@example.org", password,
                                    role=role, clinic=clinic, verified=verified)
        if not new:
            user.created_at = utcnow() - timedelta(days=30)
        self.db.session.commit()
        return user

    def setting(self, key: str, value: str) -> None:
        from forum.admin.models import SiteSetting

        row = self.db.session.get(SiteSetting, key)
        if row is None:
            self.db.session.add(SiteSetting(key=key, value=value))
        else:
            row.value = value
        self.db.session.commit()

    def category(self, slug: str | None = None, name: str | None = None, position: int = 0):
        from forum.boards.models import Category

        number = self._next()
        category = Category(slug=slug or f"category-{number}", name=name or f"Category {number}",
                            description="A place to talk.", position=position)
        self.db.session.add(category)
        self.db.session.commit()
        return category

    def thread(self, category=None, author=None, title: str | None = None, posts: int = 1,
               body: str = "Opening post"):
        from forum.boards import services

        category = category or self.category()
        author = author or self.user()
        thread = services.start_thread(author, category, title or f"Thread {self._next()}", body)
        for index in range(posts - 1):
            services.reply(author, thread, f"Reply number {index + 1}")
        self.db.session.commit()
        return thread


    def reply(self, thread, author=None, body: str = "A reply"):
        from forum.boards import services

        post = services.reply(author or self.user(), thread, body)
        self.db.session.commit()
        return post

    def clinic(self, name: str | None = None, website: str = "https://clinic.example.org",
               description: str = ""):
        from forum.resources.models import Clinic

        clinic = Clinic(name=name or f"Clinic {self._next()}", website=website,
                        description=description)
        self.db.session.add(clinic)
        self.db.session.commit()
        return clinic

    def staff(self, username: str | None = None, clinic=None):
        """A clinic staff member of `clinic` (a new clinic when not given)."""
        return self.user(username, role="clinic_staff", clinic=clinic or self.clinic())

    def link(self, staff=None, title: str = "Understanding CCSVI",
             url: str = "https://www.example.org/ccsvi", description: str = "",
             site_wide: bool = True, categories=(), expires_on=None):
        """A resource link pinned by `staff` through the service (and so logged)."""
        from forum.resources import services

        link = services.pin_link(staff or self.staff(), title, url, description, site_wide,
                                 list(categories), expires_on=expires_on)
        self.db.session.commit()
        return link

    def report(self, post, reporter=None, reason: str = "spam", note: str = ""):
        from forum.moderation import services

        report = services.report_post(reporter or self.user(), post, reason, note)
        self.db.session.commit()
        return report

    def treatments(self):
        """The starting treatment list (the migration seeds it; tests empty every table)."""
        from forum.outcomes.treatments import ensure_starting_treatments

        ensure_starting_treatments()
        self.db.session.commit()

    def outcome_report(self, author=None, treatment: str = "ccsvi-angioplasty", **fields):
        """A public report filed through the service, treated 30 months ago (so every
        follow-up is due); `symptom_<name>=` and any ReportValues field override, and
        `created_at=` back-dates the filing (for the 7-day correction window)."""
        from datetime import date

        from forum.outcomes import services
        from forum.outcomes.models import SYMPTOMS
        from forum.outcomes.schedule import add_months, today

        self.treatments()
        created_at = fields.pop("created_at", None)
        symptoms = {name: 2 for name in SYMPTOMS}
        symptoms.update({key[len("symptom_"):]: fields.pop(key) for key in list(fields)
                         if key.startswith("symptom_")})
        ccsvi = treatment.startswith("ccsvi")
        values = {
            "treatment": treatment, "treated_on": add_months(today().replace(day=1), -30),
            "ms_type": "rrms", "diagnosis_year": 2005, "pdds": 3, "relapses_12m": 1,
            "visibility": "public", "veins": ["left-ijv"] if ccsvi else [],
            "treatment_other": "A treatment named in a test"
            if treatment in ("other", "dmt-other") else "",
            "symptoms": symptoms, **fields,
        }
        if isinstance(values["treated_on"], str):
            year, month = values["treated_on"].split("-")
            values["treated_on"] = date(int(year), int(month), 1)
        report = services.file_report(author or self.user(), services.ReportValues(**values))
        if created_at is not None:
            report.created_at = report.updated_at = created_at
        self.db.session.commit()
        return report

    def follow_up(self, report, months: int = 1, **fields):
        """A follow-up given through the service: "no change", no complications, unless
        `fields` say otherwise (`symptom_<name>=`, `created_at=` as for reports)."""
        from forum.outcomes import services
        from forum.outcomes.models import SYMPTOMS

        created_at = fields.pop("created_at", None)
        symptoms = {name: 2 for name in SYMPTOMS}
        symptoms.update({key[len("symptom_"):]: fields.pop(key) for key in list(fields)
                         if key.startswith("symptom_")})
        values = {"months": months, "pgic": 4, "pdds": report.pdds, "relapses": 0,
                  "complications": ["none"], "symptoms": symptoms, **fields}
        follow_up = services.give_follow_up(report.author, report,
                                            services.FollowUpValues(**values))
        if created_at is not None:
            follow_up.created_at = follow_up.updated_at = created_at
        self.db.session.commit()
        return follow_up

    def suspended(self, username: str | None = None, days: int = 7, by=None,
                  reason: str = "Repeated advertising"):
        """A member a moderator suspended through the service (0 days: until lifted)."""
        from forum.moderation import services

        member = self.user(username)
        services.suspend(by or self.user(role="moderator"), member, days, reason)
        self.db.session.commit()
        return member


def report_fields(**overrides) -> dict:
    """A complete /outcomes/new form as a browser sends it: a CCSVI angioplasty in March
    2011, public; `overrides` replace fields (None leaves a field out)."""
    fields = {
        "treatment": "ccsvi-angioplasty", "treatment_other": "", "treated_on": "2011-03",
        "veins": ["left-ijv", "azygos"], "clinic": "", "clinic_other": "", "ms_type": "rrms",
        "diagnosis_year": "2005", "pdds": "3", "edss": "4.5", "relapses_12m": "1",
        "visibility": "public",
        **{f"symptom_{name}": "2" for name in ("fatigue", "thinking", "heat", "walking",
                                                "balance", "bladder", "vision", "pain",
                                                "sleep")},
    }
    fields.update(overrides)
    return {key: value for key, value in fields.items() if value is not None}


def follow_up_fields(**overrides) -> dict:
    """A complete follow-up form: the 1-month one, "no change", no complications."""
    fields = {
        "months": "1", "pgic": "4", "pdds": "3", "edss": "", "relapses": "0",
        "complications": ["none"], "note": "",
        **{f"symptom_{name}": "2" for name in ("fatigue", "thinking", "heat", "walking",
                                                "balance", "bladder", "vision", "pain",
                                                "sleep")},
    }
    fields.update(overrides)
    return {key: value for key, value in fields.items() if value is not None}


class _FormState(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.values.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and name != "csrf_token":
            if attrs.get("type") in ("radio", "checkbox"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value") or "y")
            else:
                self._add(name, attrs.get("value") or "")
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self._add(self._select, attrs.get("value") or "")
        elif tag == "textarea":
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            # A browser drops the line break that follows <textarea>.
            value = self.values[self._textarea]
            value[-1] = (value[-1] + data).removeprefix("\r").removeprefix("\n")


def form_state(html: str) -> dict[str, list[str]]:
    """What a page's form fields hold as shown: each field's typed or chosen values."""
    parser = _FormState()
    parser.feed(html)
    return parser.values


def open_browser(new_client, user=None):
    """Another browser: signed in as `user` through the login form, or a visitor."""
    other = new_client()
    if user is not None:
        response = submit(other, "/login", {"login": user.username, "password": TEST_PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)[:1000]
    return other


# Mail ---------------------------------------------------------------------------------

def link_in(message, prefix: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(re.escape(prefix) + r"\S+", body)
    assert match, f"no {prefix} link in the message"
    return match.group(0)


# Query counting ----------------------------------------------------------------------

@contextmanager
def counting_queries(engine):
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)



# Role matrices -----------------------------------------------------------------------
# Each cell is (status of GET, status of POST): a case loads the page first, as a
# browser would, then sends the form.

SIGN_IN = (302, 401)   # anonymous: GET is sent to /login, POST gets "Please sign in"
REFUSED = (403, 403)
ALLOWED = (200, 302)   # the form (or page), then the action done and a redirect


def matrix_cases(matrix: dict, roles: tuple) -> list:
    """One pytest case per route and role, named "<route> as <role>"."""
    return [
        pytest.param(role, route, expected, id=f"{route} as {role}")
        for route, row in matrix.items()
        for role, expected in zip(roles, row, strict=True)
    ]


def sign_in(client, user) -> None:
    """What a successful login leaves behind, without the form: a session row and its cookie."""
    from forum.auth.services import start_session

    login_session = start_session(user, remember=False)
    from forum.extensions import db

    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = login_session.cookie_token
        session["_fresh"] = True


def check_status(response, expected: int) -> None:
    """The status, and the page that goes with it: sign-in redirect, sign-in page, refusal."""
    body = response.get_data(as_text=True)
    assert response.status_code == expected, body[:2000]
    if expected == 302 and response.request.method == "GET":
        assert urlsplit(response.location).path == "/login"
    elif expected == 401:
        assert "Please sign in" in body
    elif expected == 403:
        assert "You cannot do that here" in body
