"""What the page catalogue needs from the demo forum: ids looked up in its database, the few
states the demo lacks, and the links its mail carries.

The demo has no open report, no post waiting for approval, no suspended member, no
unconfirmed one, no treatment report young enough to be corrected and no data export;
`stage` adds them once per demo forum, through the services members and moderators use, so
that the pages showing them can be scanned. Everything else is read, never changed.
"""
from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from email import message_from_bytes, policy
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import func, select

from forum.auth.models import User
from forum.boards.models import Post, PostRevision, Thread
from forum.demo import DEMO_PASSWORD
from forum.extensions import db
from forum.moderation.models import Report
from forum.outcomes.models import Treatment, TreatmentReport
from forum.resources.models import ResourceLink

SELLER = "miracle_seller_demo"
NEWCOMER = "new_arrival_demo"  # joined, but has not confirmed the address yet
PATIENT = "demo_patient_02"
SPAM = "Demo spam: I stopped my MS in 30 days with a protocol. Message me for the details."
SPAM_AGAIN = "Demo spam: the protocol again, for anyone who missed it. Message me today."
STAGED_NOTE = "Demo: this reads like an advertisement for a cure."
NEW_ADDRESS = "river.fern.new@example.org"


class Demo:
    """Look-ups in the demo database; call inside its app context."""

    def __init__(self, app=None):
        self.app = app

    def mail_link(self, make) -> str:
        return make(self.app)

    def user(self, username: str) -> User:
        user = db.session.scalar(select(User).where(User.username_key == username.lower()))
        assert user is not None, f"no demo member {username!r}"
        return user

    def thread(self, title_start: str) -> Thread:
        thread = db.session.scalar(select(Thread).where(Thread.title.like(f"{title_start}%")))
        assert thread is not None, f"no demo thread starting {title_start!r}"
        return thread

    def posts(self, title_start: str) -> list[Post]:
        thread = self.thread(title_start)
        return list(db.session.scalars(
            select(Post).where(Post.thread_id == thread.id).order_by(Post.id)))

    def post_by(self, title_start: str, username: str) -> Post:
        author = self.user(username)
        return next(post for post in self.posts(title_start) if post.author_id == author.id)

    def edited_post(self) -> Post:
        """The post with the most revisions (a treatment report's opening post)."""
        post_id = db.session.scalar(
            select(PostRevision.post_id).group_by(PostRevision.post_id)
            .order_by(func.count().desc(), PostRevision.post_id).limit(1))
        return db.session.get(Post, post_id)

    def link(self, title_start: str) -> ResourceLink:
        return db.session.scalar(
            select(ResourceLink).where(ResourceLink.title.like(f"{title_start}%")))

    def treatment(self, slug: str) -> Treatment:
        return db.session.scalar(select(Treatment).where(Treatment.slug == slug))

    def public_report(self) -> TreatmentReport:
        return db.session.scalar(select(TreatmentReport).where(
            TreatmentReport.visibility == "public").order_by(TreatmentReport.id))

    def open_report(self) -> Report:
        return db.session.scalar(select(Report).where(Report.status == "open").order_by(Report.id))

    def pending_post(self) -> Post:
        return db.session.scalar(select(Post).where(Post.pending.is_(True)).order_by(Post.id))

    def patient_report(self) -> TreatmentReport:
        """The staged report: filed today, so it and its follow-up can still be corrected."""
        return db.session.scalar(select(TreatmentReport).where(
            TreatmentReport.author_id == self.user(PATIENT).id).order_by(
            TreatmentReport.id.desc()))

# Staging ----------------------------------------------------------------------------------

def stage(app) -> None:
    """Add what the demo lacks, once; the demo forum is this test process's own."""
    from forum.accounts import export as exports
    from forum.auth import services as accounts

    with app.app_context():
        demo = Demo()
        if db.session.scalar(select(Report.id).limit(1)) is not None:
            return
        moderator = demo.user("quiet_heron")
        _stage_seller(demo, moderator)
        _stage_patient(demo)
        accounts.create_user(NEWCOMER, f"{NEWCOMER}@example.org", DEMO_PASSWORD,
                             verified=False)
        exports.request_export(demo.user("maple_walker"))
        # The export is built by a job run when this commits, so the export page lists it.
        db.session.commit()
        db.session.remove()


def _stage_seller(demo: Demo, moderator: User) -> None:
    """A spammer's reply, reported; a second one waiting in the queue; then a suspension."""
    from forum.boards import services as boards
    from forum.moderation import services as moderation

    seller, thread = demo.user(SELLER), demo.thread("Had venous angioplasty")
    published = boards.reply(seller, thread, SPAM)
    if published.pending:
        moderation.approve_post(moderator, published, "Demo content")
    boards.reply(seller, thread, SPAM_AGAIN)
    moderation.report_post(demo.user("river_fern"), published, "spam", STAGED_NOTE)
    moderation.suspend(moderator, seller, 7, "Selling a cure breaks the guidelines (demo).")


def _stage_patient(demo: Demo) -> None:
    """A report filed today for a rehabilitation four months ago, with its 1-month follow-up
    given: the 3-month one is due, and both can still be corrected."""
    from forum.outcomes import services
    from forum.outcomes.models import SYMPTOMS
    from forum.outcomes.schedule import add_months, today

    patient = demo.user(PATIENT)
    symptoms = {name: 2 for name in SYMPTOMS}
    report = services.file_report(patient, services.ReportValues(
        treatment="rehabilitation", treated_on=add_months(today().replace(day=1), -4),
        ms_type="rrms", diagnosis_year=2012, pdds=3, relapses_12m=0, visibility="dashboard",
        symptoms=symptoms))
    services.give_follow_up(patient, report, services.FollowUpValues(
        months=1, pgic=3, pdds=3, relapses=0, symptoms=symptoms, complications=["none"]))


# Links from mail ----------------------------------------------------------------------------

def _outbox(app) -> Path:
    return Path(app.config["MAIL_OUTBOX"])


def _last_link(app, before: set[Path], prefix: str) -> str:
    """The path of the first `prefix` link in the mail sent since `before` was listed."""
    for path in sorted(set(_outbox(app).glob("*.eml")) - before):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        body = message.get_body(preferencelist=("plain",)).get_content()
        match = re.search(r"https?://\S*" + re.escape(prefix) + r"\S+", body)
        if match:
            return urlsplit(match.group(0)).path
    raise AssertionError(f"no mail with a {prefix} link")


def _sent(app, send) -> set[Path]:
    """Run `send` with a test client; returns the outbox as it was before."""
    outbox = _outbox(app)
    before = set(outbox.glob("*.eml")) if outbox.exists() else set()

    def requests() -> None:
        with app.test_client() as client:
            send(client)

    # In a thread of its own, outside the caller's app context: requests made inside one
    # share its `g`, and the signed-in member would leak from one request to the next.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(requests).result()
    return before


def reset_link(app) -> str:
    """/reset/<token> as the password-reset mail carries it (asking sends mail only)."""
    from support import submit

    before = _sent(app, lambda client: submit(
        client, "/reset", {"email": "river_fern@example.org"}))
    return _last_link(app, before, "/reset/")


def email_confirm_link(app) -> str:
    """/settings/email/confirm/<token> from the mail to a new address; the address changes
    only when the page's button is pressed, which no scan does."""
    from support import submit

    def ask(client):
        submit(client, "/login", {"login": "river_fern", "password": DEMO_PASSWORD})
        response = submit(client, "/settings/email",
                          {"email": NEW_ADDRESS, "password": DEMO_PASSWORD},
                          form_page="/settings/account")
        assert response.status_code == 302, response.status_code

    before = _sent(app, ask)
    return _last_link(app, before, "/settings/email/confirm/")


def email_undo_link(app) -> str:
    """/settings/email/undo/<token> as the mail to the old address carries it after a change.
    Signed here (the change itself would move a demo member's address) for a change from
    an earlier address to river_fern's present one, so the page offers the undo."""
    from forum.auth.services import _serializer

    with app.app_context():
        user = Demo().user("river_fern")
        token = _serializer("email-undo").dumps(
            {"u": user.id, "o": "river.fern.old@example.org", "n": user.email})
    return f"/settings/email/undo/{token}"


def verify_link(app) -> str:
    from forum.auth.services import verification_token

    with app.app_context():
        return f"/verify/{verification_token(Demo().user('river_fern'))}"


def unsubscribe_link(app) -> str:
    from forum.notify.mailing import unsubscribe_token

    with app.app_context():
        return f"/unsubscribe/{unsubscribe_token(Demo().user('maple_walker').id, ['replies'])}"


def reminders_off_link(app) -> str:
    from forum.outcomes.reminders import opt_out_token

    with app.app_context():
        return f"/outcomes/reminders/off/{opt_out_token(Demo().user(PATIENT))}"

