"""Outgoing mail: .eml files by default, SMTP when configured."""
import socketserver
import threading
from email import message_from_bytes
from types import SimpleNamespace

import pytest

from forum import mail


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept one message: a local stand-in for a mail server."""

    def handle(self):
        self.wfile.write(b"220 test ready\r\n")
        while line := self.rfile.readline():
            command = line.decode().strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 test\r\n")
            elif command.startswith(("MAIL", "RCPT")):
                self.server.envelope.append(line.decode().strip())
                self.wfile.write(b"250 ok\r\n")
            elif command == "DATA":
                self.wfile.write(b"354 go on\r\n")
                data = b""
                while (chunk := self.rfile.readline()) != b".\r\n":
                    data += chunk
                self.server.messages.append(data)
                self.wfile.write(b"250 queued\r\n")
            elif command == "QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.messages, server.envelope = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_file_backend_writes_an_eml_file_to_the_outbox(app, db, outbox):
    mail.send("river@example.org", "Hello", "mail/verify.txt",
              user=SimpleNamespace(username="river"), link="http://localhost/verify/x")
    db.session.commit()
    (message,) = outbox()
    assert message["To"] == "river@example.org"
    assert message["Subject"] == "Hello"
    assert "http://localhost/verify/x" in message.get_content()


def test_smtp_backend_hands_the_message_to_the_server(app, db, smtp_server):
    app.config.update(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1",
                      MAIL_PORT=smtp_server.server_address[1])
    mail.send("fern@example.org", "Reset", "mail/reset.txt",
              user=SimpleNamespace(username="fern"), link="http://localhost/reset/y")
    db.session.commit()
    (raw,) = smtp_server.messages
    message = message_from_bytes(raw)
    assert message["To"] == "fern@example.org"
    assert any("fern@example.org" in line for line in smtp_server.envelope)
    assert "http://localhost/reset/y" in raw.decode()


def test_mail_waits_for_the_commit(app, db, outbox):
    mail.send("lark@example.org", "Later", "mail/notice.txt",
              user=SimpleNamespace(username="lark"), message="Saved", link="")
    assert outbox() == []
    db.session.commit()
    (message,) = outbox()
    assert message["Subject"] == "Later"


def test_mail_is_dropped_when_the_transaction_rolls_back(app, db, outbox):
    mail.send("lark@example.org", "Never", "mail/notice.txt",
              user=SimpleNamespace(username="lark"), message="Not saved", link="")
    db.session.rollback()
    db.session.commit()
    assert outbox() == []


def test_the_outbox_lists_mail_in_the_order_it_was_sent(app, db, outbox):
    for subject in ("First", "Second", "Third"):
        mail.send("lark@example.org", subject, "mail/notice.txt",
                  user=SimpleNamespace(username="lark"), message=subject, link="")
    db.session.commit()
    assert [message["Subject"] for message in outbox()] == ["First", "Second", "Third"]


def test_a_message_with_accents_and_long_lines_arrives_intact(app, db, outbox):
    text = "Grüße aus Zürich, ça va? " + "très long " * 60
    mail.send("lark@example.org", "Één bericht", "mail/notice.txt",
              user=SimpleNamespace(username="lark"), message=text, link="")
    db.session.commit()
    (message,) = outbox()
    assert message["Subject"] == "Één bericht"
    assert text.strip() in " ".join(message.get_content().split())


def test_delivering_the_same_message_twice_leaves_one_file(app, outbox):
    message = mail.build_message("lark@example.org", "Once", "Body", "Outflow <a@b.c>")
    raw = message.as_bytes().decode("utf-8")

    mail.deliver(raw, "lark@example.org")
    mail.deliver(raw, "lark@example.org")  # a retry after a failure it did not see

    (written,) = outbox()
    assert written["Message-ID"] == message["Message-ID"]
