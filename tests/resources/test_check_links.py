"""`flask forum check-links --now` (and the job it queues without it) against a local
HTTP server the test starts.

The server answers /ok (200 to HEAD), /no-head (405 to HEAD, 200 to GET), /gone
(404), /error (500) and /slow (slower than the timeout); one more link points at
a closed port. Dead links are marked for the clinic's staff and moderators only.
"""
from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from forum.resources import services
from forum.resources.models import ResourceLink

TIMEOUT = "1"
SLOW_SECONDS = 2.5


class Handler(BaseHTTPRequestHandler):
    seen: list  # (method, path), set per server
    release: threading.Event

    def log_message(self, format, *args):  # noqa: A002 - keep the test output quiet
        pass

    def _answer(self, status: int, body: bytes = b"") -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "GET" and body:
            self.wfile.write(body)

    def _route(self) -> None:
        self.seen.append((self.command, self.path))
        if self.path == "/ok":
            self._answer(200, b"fine")
        elif self.path == "/no-head":
            self._answer(405 if self.command == "HEAD" else 200, b"fine")
        elif self.path == "/gone":
            self._answer(404)
        elif self.path == "/error":
            self._answer(500)
        elif self.path == "/garbage":
            self.wfile.write(b"this is not HTTP\r\n\r\n")
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/slow":
            self.release.wait(SLOW_SECONDS)
            try:
                self._answer(200, b"late")
            except OSError:
                pass  # the checker gave up long ago
        else:
            self._answer(404)

    do_HEAD = _route
    do_GET = _route


@pytest.fixture
def server():
    seen: list = []
    release = threading.Event()
    handler = type("TestHandler", (Handler,), {"seen": seen, "release": release})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    httpd.seen = seen
    httpd.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """The checker talks to 127.0.0.1 directly, whatever proxy the machine has."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def check_clinic(make):
    return make.clinic("Vein Care Clinic")


@pytest.fixture
def check_staff(make, check_clinic):
    return make.staff("vein_staff", check_clinic)


def pin(staff, name: str, url: str) -> ResourceLink:
    from forum.extensions import db

    link = services.pin_link(staff, f"Link {name}", url, "", True, [])
    db.session.commit()  # a unit of work of its own, as the pinning request would be
    return link


@pytest.fixture
def links(server, check_staff) -> dict[str, ResourceLink]:
    """One link per kind of answer, keyed by name."""
    pinned = {name: pin(check_staff, name, f"{server.base}/{name}")
              for name in ("ok", "no-head", "gone", "error", "slow")}
    pinned["closed"] = pin(check_staff, "closed", f"http://127.0.0.1:{closed_port()}/")
    return pinned


@pytest.fixture
def quick_links(server, check_staff) -> dict[str, ResourceLink]:
    """The same without the slow one, for tests that need not wait for a timeout."""
    return {name: pin(check_staff, name, f"{server.base}/{name}")
            for name in ("ok", "no-head", "gone", "error")}


@pytest.fixture
def check_links(app, db):
    # The test server is on loopback, which the checker refuses unless told otherwise.
    app.config["LINK_CHECK_PRIVATE_ADDRESSES"] = True
    runner = app.test_cli_runner()

    def run(timeout: str = TIMEOUT):
        result = runner.invoke(args=["forum", "check-links", "--now", "--timeout", timeout])
        assert result.exit_code == 0, result.output
        db.session.expire_all()
        return result

    return run


def verdicts(db) -> dict[str, tuple[str, str]]:
    db.session.rollback()
    return {link.title.removeprefix("Link "): (link.link_status, link.check_detail)
            for link in db.session.scalars(select(ResourceLink))}


# The verdicts -----------------------------------------------------------------------------

def test_links_start_unchecked(db, links):
    assert {status for status, _ in verdicts(db).values()} == {"unknown"}


def test_each_link_is_marked_ok_or_dead_with_what_the_server_answered(db, links, check_links):
    check_links()

    found = verdicts(db)
    assert found["ok"] == ("ok", "HTTP 200")
    assert found["no-head"] == ("ok", "HTTP 200")
    assert found["gone"] == ("dead", "HTTP 404")
    assert found["error"] == ("dead", "HTTP 500")
    status, detail = found["slow"]
    assert status == "dead"
    assert detail.startswith("no answer") and "timed out" in detail
    status, detail = found["closed"]
    assert status == "dead"
    assert detail.startswith("no answer") and "refused" in detail.lower()


def test_a_slow_link_is_given_up_after_the_timeout(links, check_links):
    started = time.monotonic()

    check_links()

    # The links are checked side by side: one timeout, not one per link, and well
    # before the slow server would have answered.
    assert time.monotonic() - started < SLOW_SECONDS


def test_every_checked_link_gets_the_time_of_the_check(db, quick_links, check_links):
    from forum.timeutil import utcnow

    before = utcnow().replace(microsecond=0, tzinfo=None)
    check_links()

    db.session.rollback()
    times = [link.checked_at for link in db.session.scalars(select(ResourceLink))]
    assert all(when is not None for when in times)
    assert all(when.replace(tzinfo=None) >= before for when in times)


def test_the_command_prints_a_summary(links, check_links):
    result = check_links()

    assert "Checked 6 links: 2 answer, 4 look dead." in result.output


def test_a_server_refusing_head_is_asked_again_with_get(server, quick_links, check_links):
    check_links()

    assert [method for method, path in server.seen if path == "/no-head"] == ["HEAD", "GET"]


def test_a_server_answering_head_is_not_asked_with_get(server, quick_links, check_links):
    check_links()

    assert [method for method, path in server.seen if path == "/ok"] == ["HEAD"]


def test_running_twice_gives_the_same_verdicts(db, links, check_links):
    check_links()
    first = verdicts(db)

    result = check_links()

    assert verdicts(db) == first
    assert "Checked 6 links: 2 answer, 4 look dead." in result.output


def test_unpinned_links_are_not_checked(db, server, check_staff, links, check_links):
    services.unpin_link(check_staff, links["slow"])
    db.session.commit()

    result = check_links()

    assert "Checked 5 links" in result.output
    assert "/slow" not in {path for _, path in server.seen}


def test_a_dead_link_comes_back_to_ok_when_it_answers_again(db, server, check_staff,
                                                           check_links):
    link = pin(check_staff, "gone", f"{server.base}/gone")
    check_links()
    link = db.session.get(ResourceLink, link.id)
    link.url = f"{server.base}/ok"
    db.session.commit()

    check_links()

    assert verdicts(db)["gone"] == ("ok", "HTTP 200")


def test_a_server_that_does_not_speak_http_is_dead_and_the_others_still_checked(
        db, server, check_staff, quick_links, check_links):
    pin(check_staff, "garbage", f"{server.base}/garbage")

    result = check_links()

    assert "Checked 5 links: 2 answer, 3 look dead." in result.output
    status, detail = verdicts(db)["garbage"]
    assert status == "dead"
    assert detail.startswith("not an HTTP answer")


def test_a_redirect_is_followed(db, server, check_staff, check_links):
    pin(check_staff, "moved", f"{server.base}/moved")

    check_links()

    assert verdicts(db)["moved"] == ("ok", "HTTP 200")


def test_a_redirect_loop_is_dead(db, server, check_staff, check_links):
    pin(check_staff, "loop", f"{server.base}/loop")

    check_links()

    assert verdicts(db)["loop"] == ("dead", "HTTP 302")


def test_without_now_the_check_is_a_job_that_runs_after_the_command_commits(
        app, db, quick_links):
    # No JOBS_REDIS_URL here: the job runs inline as soon as the command commits.
    app.config["LINK_CHECK_PRIVATE_ADDRESSES"] = True

    result = app.test_cli_runner().invoke(args=["forum", "check-links", "--timeout", "1"])

    assert result.exit_code == 0, result.output
    assert "the link check ran here" in result.output
    found = verdicts(db)
    assert found["ok"] == ("ok", "HTTP 200")
    assert found["gone"] == ("dead", "HTTP 404")


def test_checking_links_does_not_commit_by_itself(app, db, quick_links):
    from forum.resources.checker import check_all

    app.config["LINK_CHECK_PRIVATE_ADDRESSES"] = True
    check_all(timeout=1)
    db.session.rollback()  # the caller (a job, the command) decides

    assert {status for status, _ in verdicts(db).values()} == {"unknown"}


# Who sees dead links ----------------------------------------------------------------------
# These need no slow link: the check takes milliseconds.

@pytest.fixture
def dead_and_alive(server, check_staff, check_links):
    dead = pin(check_staff, "gone", f"{server.base}/gone")
    alive = pin(check_staff, "ok", f"{server.base}/ok")
    check_links()
    return dead, alive


def resources_page(client) -> str:
    response = client.get("/resources")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def item(html: str, link: ResourceLink) -> str:
    return html.split(f'id="resource-{link.id}"', 1)[1].split("</li>", 1)[0]


def test_the_clinics_staff_see_the_dead_link_marked(client, login, check_staff,
                                                    dead_and_alive):
    dead, alive = dead_and_alive
    login(check_staff)

    html = resources_page(client)

    assert "Link looks dead: HTTP 404" in item(html, dead)
    assert "Link looks dead" not in item(html, alive)
    own = html.split('id="own-links"', 1)[1]
    assert "dead link" in own.split(dead.title, 1)[1].split("</li>", 1)[0]
    assert "dead link" not in own.split(alive.title, 1)[1].split("</li>", 1)[0]


def test_moderators_see_the_dead_link_marked(client, login, make, dead_and_alive):
    dead, alive = dead_and_alive
    login(make.user("warden", role="moderator"))

    html = resources_page(client)

    assert "Link looks dead: HTTP 404" in item(html, dead)
    assert "Link looks dead" not in item(html, alive)
    flagged = html.split('id="flagged-links"', 1)[1]
    assert dead.title in flagged
    assert alive.title not in flagged


def test_members_do_not_see_dead_link_marks(client, login, make, dead_and_alive):
    login(make.user("river"))

    html = resources_page(client)

    assert "looks dead" not in html
    assert "dead link" not in html
    assert "HTTP 404" not in html


def test_anonymous_readers_do_not_see_dead_link_marks(client, dead_and_alive):
    html = resources_page(client)

    assert "looks dead" not in html
    assert "HTTP 404" not in html


def test_staff_of_another_clinic_do_not_see_dead_link_marks(client, login, db, make,
                                                            dead_and_alive):
    login(make.staff("rival_staff", make.clinic("Other Vein Clinic")))

    html = resources_page(client)

    assert "looks dead" not in html
    assert "HTTP 404" not in html


def test_private_and_loopback_addresses_are_not_checked_by_default(app, db, server,
                                                                   check_staff):
    pin(check_staff, "internal", f"{server.base}/ok")
    result = app.test_cli_runner().invoke(args=["forum", "check-links", "--timeout", "1"])

    assert result.exit_code == 0, result.output
    assert verdicts(db)["internal"] == ("dead", "not checked: 127.0.0.1 is a private address")
    assert server.seen == []

