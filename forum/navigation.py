"""Where to send someone after a form: only ever back into this site."""
from __future__ import annotations

import re

from flask import request, url_for

NEXT_MAX = 2000
# A path on this site, and nothing a browser or a header could read as more: no second
# slash or backslash after the first (both make "//evil.example"), no scheme, no
# control or line-break character (they would split the Location header), no spaces.
_LOCAL_PATH = re.compile(r"/(?![/\\])[^\\\s\x00-\x1f\x7f-\x9f]*")


def is_local(target: str) -> bool:
    return len(target) <= NEXT_MAX and bool(_LOCAL_PATH.fullmatch(target))


def safe_next(default_endpoint: str = "boards.home") -> str:
    target = request.args.get("next") or request.form.get("next") or ""
    if is_local(target):
        return target
    return url_for(default_endpoint)
