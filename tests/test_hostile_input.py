"""No input gives a 5xx: every route, fed hostile paths, queries, forms and headers."""
from __future__ import annotations

import importlib
import os
import pkgutil
import re
import tempfile
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from flask import Request
from flask_wtf import FlaskForm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.routing.converters import NumberConverter
from wtforms.fields.core import UnboundField

import forum
from support import TEST_PASSWORD, empty_tables, sign_in

FORUM_SOURCE = Path(forum.__file__).resolve().parent
# A member's paths are mostly an admin's too; clinic staff alone may pin links.
ROLES = ("anonymous", "clinic_staff", "admin")
# Examples per route and database: enough to keep the whole module near a minute; the
# draws differ each run. Raise it (HOSTILE_EXAMPLES=500) for a long hunt.
EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "10"))


# What the app is made of, read from the app itself ------------------------------------

@contextmanager
def _environment(**values):
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _routes() -> list:
    """One case per rule and method, from the URL map, so a new route is covered at once."""
    from forum import create_app

    with tempfile.TemporaryDirectory() as folder, \
            _environment(INSTANCE_PATH=folder, SECRET_KEY="only-for-listing-routes"):
        app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://",
                          "RATELIMIT_STORAGE_URI": "memory://"})
    cases = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        if rule.endpoint == "static":
            continue
        arguments = {name: "number" if isinstance(converter, NumberConverter) else "text"
                     for name, converter in rule._converters.items()}
        for method in ("GET", "POST"):
            if method in rule.methods:
                cases.append(pytest.param(rule.rule, arguments, method,
                                          id=f"{method} {rule.rule}"))
    return cases


def _form_fields() -> set[str]:
    """Every field of every form in the package, wherever it is defined: what a browser
    could post."""
    names = set()
    for module in pkgutil.walk_packages([str(FORUM_SOURCE)], "forum."):
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type) and issubclass(value, FlaskForm):
                names.update(name for name in dir(value)
                             if isinstance(getattr(value, name, None), UnboundField))
    return names


def _keys_read_by_hand() -> set[str]:
    """Query and form keys that views read without a form, found in the source."""
    pattern = re.compile(
        r"""(?:request\.(?:args|form|values)(?:\.get\(|\[)|_arg\()\s*["'](\w+)["']""")
    return {key for path in FORUM_SOURCE.rglob("*.py")
            for key in pattern.findall(path.read_text())}


FORM_FIELDS = tuple(sorted(_form_fields() | _keys_read_by_hand() | {"next"}))
# A form may be read from the query string (the log's filters), so its fields are query
# keys too, with the query arguments DESIGN.md lists.
QUERY_KEYS = tuple(sorted({*FORM_FIELDS, "page", "next", "q", "category", "clinic", "author",
                           "from", "to", "target", "actor", "action", "reported", "level",
                           "kind"}))
# Headers the app reads: the user agent is stored at login, the referrer read when a
# signed-out form is refused. (Others matter behind a proxy, which the tests have not.)
HEADERS = ("User-Agent", "Referer")


# Hostile values, by kind: each kind is as likely as any other -------------------------

HOSTILE = {
    "nul": ["\x00", "a\x00b", "\x00" * 1000, "ccsvi\x00"],
    "line breaks": ["\r\n", "x\r\nSet-Cookie: stolen=1", "/c/ccsvi\r\n", "\n", "\r", "\u2028"],
    "controls": ["\t", "\x1b[2J", "\x7f", "\x01", "\x85", "\x08"],
    "invisible": ["", " ", "\ufeff", "\u202eevil", "\u200b", "\u00a0"],
    "numbers": ["0", "-1", "2147483647", "2147483648", "9223372036854775808", "1" * 30,
                "1.5", "1e309", "0x10", " 7 ", "1_000", "-0", "nan", "inf", "+3"],
    "other digits": ["²", "١٢", "１２", "߁", "𝟙", "৩"],
    "long": ["A" * 100_000, "é" * 50_000, "word " * 300, "9" * 5000],
    "addresses": ["../", "../../etc/passwd", "%00", "%2e%2e%2f", "//evil.example",
                  "\\\\evil.example", "/\\evil.example", "https://user:pw@evil.example",
                  "http://[::1", "https://exa\nmple.org/", "https://example.org/\x01",
                  "https://example.org/a b", "javascript:alert(1)", "mailto:a@b"],
    "markup": ["<script>alert(1)</script>", "' OR 1=1 --", "%", "_", '"', "{{ 7 * 7 }}"],
    "dates": ["2024-13-45", "0000-01-01", "9999-12-31", "2024-02-30", "1970-01-01"],
    "unicode": ["\ufffd", "😀", "\U0010ffff", "é", "Ω≈ç", "ǅ"],
}
# Bytes that are not UTF-8 (overlong, a surrogate's encoding, stray continuation bytes).
BROKEN_UTF8 = ["%FF", "%C0%80", "%ED%A0%80", "%80abc", "%F4%90%80%80"]
# Path characters left as they are: "/" and "../" stay themselves; "?" and "#" never
# reach the path.
PATH_SAFE = "/.:@!$&'()*+,;=-_~"


def _quote(value: str) -> str:
    return quote(value, safe="")


_kinds = [*(st.sampled_from(values) for values in HOSTILE.values()), st.integers().map(str),
          # Lone surrogates cannot be sent as UTF-8 at all.
          st.text(st.characters(exclude_categories=("Cs",)), max_size=30)]
hostile_text = st.one_of(*_kinds)
# As sent in a query string or form body: escaped, or bytes that are not UTF-8.
hostile_value = st.one_of(*(kind.map(_quote) for kind in _kinds), st.sampled_from(BROKEN_UTF8))
hostile_segments = {
    "number": st.one_of(st.sampled_from([*HOSTILE["numbers"], *HOSTILE["other digits"]])
                        .map(quote), st.integers().map(str)),
    "text": st.one_of(st.sampled_from(BROKEN_UTF8), hostile_text.filter(bool).map(_quote),
                      hostile_text.filter(bool).map(lambda value: quote(value, safe=PATH_SAFE))),
}
# Every request carries hostile headers: none decides what a page does, so they cost no
# depth. A server hands them over as the bytes sent, read as Latin-1, never with a line
# break (that would end the header) and never longer than it allows (8 KB for most).
hostile_headers = st.fixed_dictionaries({name: hostile_text.map(
    lambda value: re.sub("[\r\n]", "", value).encode()[:8000].decode("latin-1"))
    for name in HEADERS})
# A hostile value alone, or spliced into a plausible one, which may carry it past a check
# (a path that starts with "/", a name that is stripped) to where it does harm; after it
# twice as often, since a plausible start passes the most checks.
SPLICES = ("alone", "before", "after", "after")
# Keys the app never reads, perhaps hostile themselves, perhaps without a value at all.
stray_pairs = st.lists(st.tuples(hostile_text.filter(bool).map(_quote),
                                 st.sampled_from([None, "", "x"])), max_size=2)
_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?(\w+)>")


def _encode(pairs) -> str:
    """A query string or form body as a browser (or a robot) could write it."""
    return "&".join(key if value is None else f"{key}={value}" for key, value in pairs)


# One app per database, a fresh world per route ---------------------------------------

@pytest.fixture(scope="module")
def app(database_url, tmp_path_factory):
    """One app per database for the whole module: building one for each route would be
    most of the module's time. Each route still starts from its own world (see `world`).
    The settings are the suite's (tests/conftest.py), with CSRF off so that hostile forms
    reach the views."""
    from forum import create_app
    from forum.extensions import db

    instance = tmp_path_factory.mktemp("hostile")
    with _environment(INSTANCE_PATH=str(instance)):
        app = create_app({
            "TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "test-secret-key", "MAIL_BACKEND": "file",
            "MAIL_OUTBOX": str(instance / "outbox"), "RATELIMIT_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://", "PASSWORD_TIME_COST": 1,
            "PASSWORD_MEMORY_COST": 8, "FORUM_BASE_URL": "http://localhost",
            "WTF_CSRF_ENABLED": False,
        })
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables(db)
        db.engine.dispose()


def _clear_tables(db) -> None:
    """Every row gone between routes; on PostgreSQL a DELETE is a tenth of a TRUNCATE's
    time on tables this small. The links that close a circle of foreign keys (a category's
    latest post) are cut first, so each table can go after those that point into it."""
    db.session.remove()
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        for table in tables:
            for key in table.foreign_key_constraints:
                if key.use_alter:
                    connection.execute(update(table).values(
                        {column.name: None for column in key.columns}))
        for table in tables:
            connection.execute(table.delete())


class World(SimpleNamespace):
    def __repr__(self) -> str:
        # Hypothesis prints its arguments with a failure; the seeded rows would drown it.
        return "<the seeded world>"


@pytest.fixture
def world(app, db):
    """Two categories, threads with posts, a report, a hidden post, a clinic with a pinned
    link, and someone of each role: existing ids and names take the requests deep."""
    from forum.admin.models import SiteSetting
    from forum.admin.services import create_clinic
    from forum.auth.services import create_user, reset_token, verification_token
    from forum.boards import services as boards
    from forum.boards.models import Category, Post
    from forum.moderation import services as moderation
    from forum.resources import services as resources
    from forum.timeutil import utcnow

    _clear_tables(db)
    db.session.add(SiteSetting(key="approval_posts", value="0"))
    clinic = create_clinic(None, "Vein Clinic", "https://clinic.example.org")
    accounts = {"member": ("fern", "member"), "other": ("oak", "member"),
                "clinic_staff": ("staff", "clinic_staff"), "moderator": ("warden", "moderator"),
                "admin": ("boss", "admin"), "unverified": ("newbie", "member")}
    users = {}
    for key, (name, role) in accounts.items():
        users[key] = create_user(name, f"{name}@example.org", TEST_PASSWORD, role=role,
                                 clinic=clinic if role == "clinic_staff" else None,
                                 verified=key != "unverified")
        # Past the first-day rules, like most members.
        users[key].created_at = utcnow() - timedelta(days=30)
    ccsvi = Category(slug="ccsvi", name="CCSVI", description="Liberation and after.")
    daily = Category(slug="daily-life", name="Daily life", description="Getting by.", position=1)
    db.session.add_all([ccsvi, daily])
    thread = boards.start_thread(users["member"], ccsvi, "Liberation, two years on", "It began.")
    boards.reply(users["member"], thread, "Then the fatigue came back.")
    boards.reply(users["admin"], thread, "An admin's own reply")
    other = boards.start_thread(users["other"], daily, "Heat and fatigue", "Summer is hard.")
    posts = db.session.scalars(select(Post).order_by(Post.id)).all()
    report = moderation.report_post(users["other"], posts[0], "spam", "Looks like an advert")
    moderation.hide_post(users["moderator"], posts[-1], "Off topic")
    link = resources.pin_link(users["clinic_staff"], "Our CCSVI leaflet",
                              "https://clinic.example.org/leaflet", "What we offer.", True, [ccsvi])
    db.session.flush()

    slugs = [ccsvi.slug, daily.slug]
    usernames = [user.username for user in users.values()]
    tokens = [verification_token(users["unverified"]), reset_token(users["member"])]
    verbs = ["hide", "restore", "approve", "reject", "delete", "lock", "unlock", "pin", "unpin",
             "move", "suspend", "unsuspend"]
    sentence = "A perfectly ordinary sentence about fatigue and walking."
    world = World(
        users=users,
        ids=sorted({str(row.id) for row in (thread, other, report, link, clinic, *posts,
                                            *users.values())}),
        words=[*slugs, *usernames, *tokens, *verbs],
        # Path arguments by name; another name falls back to any id or word.
        arguments={
            "thread_id": [str(thread.id), str(other.id)],
            "post_id": [str(post.id) for post in posts], "report_id": [str(report.id)],
            "link_id": [str(link.id)], "slug": [*slugs, thread.slug], "username": usernames,
            "verb": verbs, "token": tokens,
        },
        # Form and query values that pass, so that one hostile field reaches the services.
        plausible={
            "title": [sentence[:40]], "body": [sentence], "note": [sentence],
            "description": [sentence], "reason": ["spam", sentence],
            "url": ["https://example.org/a"], "website": ["https://clinic.example.org", ""],
            "name": ["Another Clinic"], "days": ["7", "0"], "category": slugs,
            "categories": slugs, "role": ["member", "clinic_staff", "moderator"],
            "clinic": [str(clinic.id)], "expires_on": [date(2031, 1, 1).isoformat(), ""],
            "site_wide": ["y"], "login": usernames, "password": [TEST_PASSWORD],
            "password_confirm": [TEST_PASSWORD], "current_password": [TEST_PASSWORD],
            "username": ["newcomer"], "email": ["newcomer@example.org"],
            "accept_guidelines": ["y"], "remember": ["y"], "direction": ["up", "down"],
            "next": ["/", f"/c/{ccsvi.slug}"], "actor": usernames, "action": ["post.hide"],
            "target": [f"post:{posts[0].id}", "Liberation"], "page": ["1", "2"],
            "level": ["watching"], "kind": ["helpful"], "approval_posts": ["0", "2"],
            "new_member_links": ["2"], "crisis_text": [sentence],
            "confirm": ["yes"], "field": ["bio", "location"],
        },
    )
    # Committed last: a commit expires every row, and reading each id again is a query.
    db.session.commit()
    return world


# Aiming: which keys a route reads, found by asking it ---------------------------------

class _Remembering(ImmutableMultiDict):
    """Query and form values that note each key the app asks for."""

    asked: set[str] = set()

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def getlist(self, key, type=None):  # noqa: A002 - werkzeug's name
        self.asked.add(key)
        return super().getlist(key, type)

    def __contains__(self, key) -> bool:
        self.asked.add(key)
        return super().__contains__(key)


class _RememberingRequest(Request):
    parameter_storage_class = _Remembering


class Inputs:
    """The strategies for one route's requests, built once (building a strategy costs
    more than drawing from it)."""

    def __init__(self, world, rule: str, arguments: dict, keys_read: tuple[str, ...] = ()):
        self.rule, self.kinds = rule, arguments
        self.plausible = {name: [_quote(value) for value in values]
                          for name, values in world.plausible.items()}
        self.words = [_quote(word) for word in world.words]
        self.argument_values = {name: world.arguments.get(name) or (
            world.ids if kind == "number" else self.words) for name, kind in arguments.items()}
        self.arguments = {name: st.sampled_from(values)
                          for name, values in self.argument_values.items()}
        # What an example attacks: one path argument, one key the route reads, or a mess
        # of everything. The rest of the request is plausible, so that the attack gets as
        # deep into the route as it can.
        self.target = st.sampled_from([*(f"path:{name}" for name in arguments),
                                       *(f"key:{key}" for key in keys_read), "mess"])
        self.variant = st.integers(0, 5)
        self.forms: dict[int, dict] = {}
        self.splice = st.sampled_from(SPLICES)
        values = {name: st.one_of(st.sampled_from(self.options(name)), hostile_value)
                  for name in QUERY_KEYS}
        self.mess = st.lists(st.sampled_from(QUERY_KEYS).flatmap(
            lambda name: st.tuples(st.just(_quote(name)), values[name])), max_size=4)

    def options(self, name: str) -> list[str]:
        return self.plausible.get(name) or self.words

    def plausible_path(self) -> str:
        return _ARGUMENT.sub(lambda match: self.argument_values[match.group(1)][0], self.rule)

    def path(self, data, attacked: set[str]) -> str:
        def fill(match) -> str:
            name = match.group(1)
            if name in attacked:
                return data.draw(hostile_segments[self.kinds[name]])
            return data.draw(self.arguments[name])

        return _ARGUMENT.sub(fill, self.rule)

    def form(self, variant: int, overrides: dict) -> str:
        """Every field any form has, plausible, but for the overrides."""
        if variant not in self.forms:
            self.forms[variant] = {
                _quote(name): self.options(name)[variant % len(self.options(name))]
                for name in FORM_FIELDS}
        return _encode({**self.forms[variant], **overrides}.items())

    def request(self, data) -> dict:
        """The parts of one request: path, query string, form body and headers."""
        target = data.draw(self.target, label="target")
        kind, _, name = target.partition(":")
        variant = data.draw(self.variant)
        attacked = {"path": {name}, "mess": set(self.kinds)}.get(kind, set())
        parts = {"path": self.path(data, attacked), "query": "",
                 "headers": data.draw(hostile_headers, label="headers")}
        overrides = {}
        if kind == "key":
            hostile = data.draw(hostile_value)
            plausible = self.options(name)[variant % len(self.options(name))]
            splice = data.draw(self.splice)
            value = {"alone": hostile, "before": hostile + plausible,
                     "after": plausible + hostile}[splice]
            # Read from the query string or the form: it is in both.
            overrides = {_quote(name): value}
            parts["query"] = _encode(overrides.items())
        elif kind == "mess":
            parts["query"] = _encode(data.draw(self.mess) + data.draw(stray_pairs))
            overrides = dict(data.draw(self.mess) + data.draw(stray_pairs))
        parts["body"] = self.form(variant, overrides)
        return parts


@pytest.fixture
def inputs(rule, arguments, method, world, app, new_client) -> Inputs:
    """The strategies for this route, aimed at the keys it reads: found by sending it one
    plausible request as each role and noting what the app asked for."""
    plain = Inputs(world, rule, arguments)
    everything = _encode((_quote(name), plain.options(name)[0]) for name in QUERY_KEYS)
    _Remembering.asked = set()
    app.request_class = _RememberingRequest
    try:
        for role in ROLES:
            client = new_client()
            if role != "anonymous":
                sign_in(client, world.users[role])
            client.open(plain.plausible_path(), method=method, query_string=everything,
                        data=everything, content_type="application/x-www-form-urlencoded")
    finally:
        app.request_class = Request
    return Inputs(world, rule, arguments, tuple(sorted(_Remembering.asked)))


@pytest.fixture
def browsers(world, new_client):
    """A browser for a role, signed in. A POST may sign it out, or in as someone else,
    so it gets a fresh one; a GET changes neither, so its browsers are kept."""
    kept = {}

    def browser(role: str, fresh: bool):
        if fresh or role not in kept:
            kept[role] = new_client()
            if role != "anonymous":
                sign_in(kept[role], world.users[role])
        return kept[role]

    return browser


@pytest.mark.parametrize("rule,arguments,method", _routes())
@settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_input_gives_a_server_error(rule, arguments, method, world, inputs, browsers, db,
                                      data):
    # Requests change the world (a thread locked, a member suspended); see it as it is.
    db.session.expire_all()
    role = data.draw(st.sampled_from(ROLES), label="role")
    client = browsers(role, fresh=method == "POST")
    parts = inputs.request(data)
    body = parts["body"] if method == "POST" else ""
    response = client.open(parts["path"], method=method, query_string=parts["query"],
                           data=body, headers=parts["headers"],
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, (
        f"{method} {parts['path']}?{parts['query'][:300]} as {role}, headers "
        f"{parts['headers']!r}, body {body[:300]!r}: {response.status_code}")
