"""What a search asks for, read from the query string and checked, before anything runs.

Searching writes nothing, so there is no unit of work here: only the rules on what may be
searched for and by whom.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from forum.errors import ValidationError
from forum.permissions import require
from forum.search import queries
from forum.search.parsing import Query, parse

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIELDS = ("q", "category", "author", "from", "to")


@dataclass
class Criteria:
    """The search as typed (to show the form again) and as read (to run it)."""

    typed: dict[str, str]
    everything: bool = False
    query: Query | None = None
    filters: queries.Filters | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def link_args(self) -> dict[str, str]:
        """What the links to other pages of the results carry along: the search as typed."""
        args = {name: value for name, value in self.typed.items() if value}
        return {**args, "everything": "1"} if self.everything else args


def _date(raw: str, label: str) -> date | None:
    if not raw:
        return None
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(f"{label} must be a date written as YYYY-MM-DD, "
                              f"such as 2024-03-31.") from None


def _category(slug: str):
    if not slug:
        return None
    category = queries.category_by_slug(slug)
    if category is None:
        raise ValidationError("There is no such category; choose one from the list.")
    return category


def _author(username: str):
    if not username.strip():
        return None
    author = queries.member_named(username)
    if author is None:
        raise ValidationError("No member has that username. Check the spelling, or leave "
                              "the author empty to search everyone's posts.")
    return author


def _read(criteria: Criteria, name: str, reader):
    try:
        return reader()
    except ValidationError as error:
        criteria.errors[name] = error.message
        return None


def read_criteria(args, viewer) -> Criteria:
    """Read a search from `args`; every problem is kept in `errors`, by field, so that the
    form can say all of them at once beside what was typed."""
    typed = {name: args.get(name, "") for name in FIELDS}
    everything = args.get("everything") == "1"
    if everything:
        # Members are told plainly rather than quietly given less than they asked for.
        require(viewer, "search.everything")
    criteria = Criteria(typed=typed, everything=everything)
    criteria.query = _read(criteria, "q", lambda: parse(typed["q"]))
    since = _read(criteria, "from", lambda: _date(typed["from"], "“From”"))
    until = _read(criteria, "to", lambda: _date(typed["to"], "“To”"))
    if since and until and since > until:
        criteria.errors["to"] = "“To” must be on or after “From”."
    category = _read(criteria, "category", lambda: _category(typed["category"]))
    author = _read(criteria, "author", lambda: _author(typed["author"]))
    if not criteria.errors:
        criteria.filters = queries.Filters(category=category, author=author, since=since,
                                           until=until, everything=everything)
    return criteria
