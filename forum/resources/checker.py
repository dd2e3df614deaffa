"""Check that pinned links still answer: HEAD first, GET when HEAD is refused.

Runs as `flask forum check-links` (or as a job); safe to repeat.
"""
from __future__ import annotations

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import select

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


def _request(url: str, method: str, timeout: float) -> int:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def check_url(url: str, timeout: float = 5.0) -> Verdict:
    try:
        status = _request(url, "HEAD", timeout)
        if status in HEAD_REFUSED:
            status = _request(url, "GET", timeout)
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Verdict(False, f"no answer: {reason}"[:200])
    if status >= 400:
        return Verdict(False, f"HTTP {status}")
    return Verdict(True, f"HTTP {status}")


def check_all(timeout: float = 5.0, workers: int = 8) -> dict[str, int]:
    """Check every pinned link, at most `workers` at a time, and store the verdicts."""
    links = list(db.session.scalars(
        select(ResourceLink).where(ResourceLink.unpinned_at.is_(None)).order_by(ResourceLink.id)))
    urls = sorted({link.url for link in links})
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        verdicts = dict(zip(urls, pool.map(lambda url: check_url(url, timeout), urls)))
    now = utcnow()
    summary = {"ok": 0, "dead": 0}
    for link in links:
        verdict = verdicts[link.url]
        link.link_status = "ok" if verdict.alive else "dead"
        link.check_detail, link.checked_at = verdict.detail, now
        summary[link.link_status] += 1
    db.session.commit()
    return summary
