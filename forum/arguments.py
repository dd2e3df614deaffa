"""Numbers read from URLs and query strings, bounded so that no input reaches the database
as something it cannot hold (an id past the integer range, a digit from another script).
"""
from __future__ import annotations

import re

from flask import abort, request
from werkzeug.routing import IntegerConverter

# The largest id an INTEGER column holds on PostgreSQL (and so on every backend here).
ID_MAX = 2**31 - 1
PAGE_MAX = 100_000
_ASCII_DIGITS = re.compile(r"[0-9]{1,10}")


class BoundedInt(IntegerConverter):
    """`<int:...>` in every route: ASCII digits, 1 to ID_MAX; anything else is a 404."""

    # Werkzeug's `\d+` also matches other scripts' digits, which int() reads: "/t/١٢"
    # would be thread 12 under a second address.
    regex = r"[0-9]+"

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's name
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


def whole_number(raw: str | None, low: int = 1, high: int = ID_MAX) -> int | None:
    """The number `raw` spells in ASCII digits, within [low, high]; else None."""
    if raw is None or not _ASCII_DIGITS.fullmatch(raw):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def page_arg() -> int:
    """?page=N: absent means 1; anything but a sensible page number is a 404."""
    raw = request.args.get("page")
    if raw is None:
        return 1
    page = whole_number(raw, 1, PAGE_MAX)
    if page is None:
        abort(404)
    return page


def id_arg(name: str) -> int | None:
    """An optional id in the query string: absent is None, nonsense is a 404."""
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    value = whole_number(raw)
    if value is None:
        abort(404)
    return value
