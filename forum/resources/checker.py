"""Check that pinned links still answer: HEAD first, GET when HEAD is refused.

Runs as the job "resources.check_links" (queued by `flask forum check-links`); safe to repeat.
"""
from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from forum import jobs
from forum.extensions import db
from forum.resources.models import ResourceLink
from forum.timeutil import utcnow

USER_AGENT = "Outflow link checker"
# Servers that refuse HEAD say so with these; the same URL is then fetched with GET.
HEAD_REFUSED = {403, 405, 501}


@dataclass(frozen=True)
class Verdict:
    alive: bool
    detail: str


class PrivateAddress(Exception):
    """The link points into a private network, where the checker must not look."""


def _refuse_private(url: str) -> None:
    # Staff type these addresses, and the verdict is shown to them: without this, the
    # checker would let them probe what answers inside the server's own network.
    host = urlsplit(url).hostname or ""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return  # unresolvable: the request itself will say so
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global:
            raise PrivateAddress(f"{host} is a private address")


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        _refuse_private(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _request(url: str, method: str, timeout: float, allow_private: bool) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    handlers = [] if allow_private else [_CheckedRedirects()]
    if not allow_private:
        _refuse_private(url)
    try:
        with urllib.request.build_opener(*handlers).open(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check_url(url: str, timeout: float = 5.0, allow_private: bool = False) -> Verdict:
    try:
        status = _request(url, "HEAD", timeout, allow_private)
        if status in HEAD_REFUSED:
            status = _request(url, "GET", timeout, allow_private)
    except PrivateAddress as error:
        return Verdict(False, f"not checked: {error}"[:200])
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Verdict(False, f"no answer: {reason}"[:200])
    except http.client.HTTPException as error:
        # Not HTTP at all (a bad status line, a cut-off answer): dead, not a crash of the run.
        return Verdict(False, f"not an HTTP answer: {type(error).__name__}"[:200])
    if status >= 300:
        # urlopen follows redirects, so a 3xx here is one it could not: a loop, or no target.
        return Verdict(False, f"HTTP {status}")
    return Verdict(True, f"HTTP {status}")


# An hour: a few thousand links at a 5 s timeout each, `workers` at a time, fit in it.
@jobs.job("resources.check_links", timeout=60 * 60)
def check_all(timeout: float = 5.0, workers: int = 8,
              allow_private: bool | None = None) -> dict[str, int]:
    """Check every pinned link, at most `workers` at a time, and flush the verdicts.

    The caller commits: the job runner, or `flask forum check-links --now`.
    """
    if allow_private is None:
        allow_private = current_app.config["LINK_CHECK_PRIVATE_ADDRESSES"]
    links = list(db.session.scalars(
        select(ResourceLink).where(ResourceLink.unpinned_at.is_(None)).order_by(ResourceLink.id)))
    urls = sorted({link.url for link in links})
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        verdicts = dict(zip(urls, pool.map(lambda url: check_url(url, timeout, allow_private), urls)))
    now = utcnow()
    summary = {"ok": 0, "dead": 0}
    for link in links:
        verdict = verdicts[link.url]
        link.link_status = "ok" if verdict.alive else "dead"
        link.check_detail, link.checked_at = verdict.detail, now
        summary[link.link_status] += 1
    db.session.flush()
    return summary
