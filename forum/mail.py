"""Outgoing mail: .eml files in the outbox by default, SMTP when configured."""
from __future__ import annotations

import smtplib
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from flask import current_app, render_template
from sqlalchemy import event
from sqlalchemy.orm import Session

from forum import jobs
from forum.extensions import db
from forum.timeutil import utcnow


def build_message(to: str, subject: str, body: str, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain="outflow.local")
    message.set_content(body)
    return message


def deliver(message_bytes: bytes, to: str) -> None:
    """Hand one message to the configured backend; a job, so it may run on a worker."""
    config = current_app.config
    if config["MAIL_BACKEND"] == "smtp":
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.sendmail(config["MAIL_SENDER"], [to], message_bytes)
        return
    outbox = Path(config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex[:8]}.eml"
    (outbox / name).write_bytes(message_bytes)


def send(to: str, subject: str, template: str, **context) -> None:
    """Render a plain-text mail template and send it through the job runner."""
    body = render_template(template, **context)
    message = build_message(to, subject, body, current_app.config["MAIL_SENDER"])
    jobs.enqueue(deliver, message.as_bytes(), to)


def send_after_commit(to: str, subject: str, template: str, **context) -> None:
    """Send once the current transaction commits, and never if it rolls back.

    A member must not be mailed about a change that was not saved.
    """
    body = render_template(template, **context)
    message = build_message(to, subject, body, current_app.config["MAIL_SENDER"])
    # Make sure a transaction is open, so that a rollback (which drops the mail) is seen.
    db.session.connection()
    db.session.info.setdefault(_PENDING, []).append((message.as_bytes(), to))


_PENDING = "outflow.pending_mail"


@event.listens_for(Session, "after_commit")
def _deliver_pending(session: Session) -> None:
    for message_bytes, to in session.info.pop(_PENDING, []):
        jobs.enqueue(deliver, message_bytes, to)


@event.listens_for(Session, "after_soft_rollback")
def _drop_pending(session: Session, _previous_transaction) -> None:
    session.info.pop(_PENDING, None)


def absolute(path: str) -> str:
    """A site path as a full link for mail, which has no page to be relative to."""
    return current_app.config["FORUM_BASE_URL"] + path
