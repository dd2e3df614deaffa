"""Where to send someone after a form: only ever back into this site."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request, url_for


def safe_next(default_endpoint: str = "boards.home") -> str:
    target = request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    # "//evil.example" and "\\evil.example" are absolute to a browser.
    if target.startswith("/") and not target.startswith(("//", "/\\")) and not parts.netloc:
        return target
    return url_for(default_endpoint)
