"""Outgoing mail: .eml files in the outbox by default, SMTP when configured."""
from __future__ import annotations

import hashlib
import os
import re
import smtplib
import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import HeaderParser
from email.utils import format_datetime
from pathlib import Path

from flask import current_app, render_template

from forum import jobs


def build_message(to: str, subject: str, body: str, sender: str,
                  headers: dict[str, str] | None = None) -> EmailMessage:
    now = datetime.now(UTC)
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(now)
    # Starts with the time, so that the outbox, named after it, lists mail oldest first.
    message["Message-ID"] = f"<{now:%Y%m%d%H%M%S%f}.{uuid.uuid4().hex[:16]}@outflow.local>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message


@jobs.job("mail.deliver")
def deliver(message: str, to: str) -> None:
    """Hand one message to the configured backend.

    A retry writes the same outbox file again rather than a second one; over SMTP, a
    retry after a server that took the message but failed to say so sends it twice.
    """
    config = current_app.config
    data = message.encode("utf-8")
    if config["MAIL_BACKEND"] == "smtp":
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.sendmail(config["MAIL_SENDER"], [to], data)
        return
    outbox = Path(config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / outbox_name(message)
    # Written aside and renamed: a reader never sees half a message.
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def outbox_name(message: str) -> str:
    """The message's file name in the outbox: its Message-ID, so one message, one file."""
    message_id = HeaderParser().parsestr(message, headersonly=True)["Message-ID"] or ""
    stem = re.sub(r"[^A-Za-z0-9.-]", "", message_id.strip().strip("<>").split("@")[0])
    return f"{stem or hashlib.sha256(message.encode('utf-8')).hexdigest()[:32]}.eml"


def send(to: str, subject: str, template: str, headers: dict[str, str] | None = None,
         **context) -> None:
    """Render a plain-text mail now; send it once the unit of work commits, never if not.

    A member must not be mailed about a change that was not saved. `headers` adds lines
    such as List-Unsubscribe to the message.
    """
    body = render_template(template, **context)
    message = build_message(to, subject, body, current_app.config["MAIL_SENDER"], headers)
    # Text, so that the job's arguments stay plain; the bytes are UTF-8 (set from text).
    jobs.enqueue("mail.deliver", message.as_bytes().decode("utf-8"), to)


def absolute(path: str) -> str:
    """A site path as a full link for mail, which has no page to be relative to."""
    return current_app.config["FORUM_BASE_URL"] + path
