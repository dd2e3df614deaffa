"""Writing an export's ZIP: the JSON, a readable HTML copy and a README, each streamed
into its entry one record at a time, so that memory stays flat however much was written."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, TextIO

from flask import current_app

from forum.accounts import export_records
from forum.auth.models import User

FORMAT = "outflow-export"
VERSION = 1
JSON_NAME = "outflow-export.json"
HTML_NAME = "outflow-export.html"
README_NAME = "README.txt"
HTML_TEMPLATE = "accounts/export_copy.html"
README_TEMPLATE = "accounts/export_readme.txt"


def timestamp(moment: datetime | None) -> str | None:
    """Stored times are naive UTC; the file says so with a Z."""
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "Z"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # A string, as the registry's own revisions keep it: a float would print 4.5 as 4.5
        # today and 4.499999 in another reader.
        return str(value)
    raise TypeError(f"{type(value).__name__} has no place in an export")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_plain)


def write_json(out: TextIO, member: User, generated_at: datetime) -> None:
    """The JSON document, written as it is read: a section's records are never all in a list."""
    out.write("{\n")
    head = {"format": FORMAT, "version": VERSION, "generated_at": generated_at,
            "member": export_records.member_record(member),
            "profile": export_records.profile_record(member)}
    out.write(",\n".join(f"{_dump(key)}: {_dump(value)}" for key, value in head.items()))
    for name, records in export_records.SECTIONS:
        out.write(f",\n{_dump(name)}: [")
        _write_records(out, records(member))
        out.write("]")
    out.write("\n}\n")


def _write_records(out: TextIO, records: Iterable[dict]) -> None:
    separator = "\n  "
    for record in records:
        out.write(separator)
        out.write(_dump(record))
        separator = ",\n  "


def write_html(out: TextIO, member: User, generated_at: datetime) -> None:
    """The readable copy, rendered by Jinja chunk by chunk from the same generators.

    Autoescaped like every .html template; no user text is marked safe, so members' posts
    show as the text they typed.
    """
    template = current_app.jinja_env.get_template(HTML_TEMPLATE)
    sections = {name: records(member) for name, records in export_records.SECTIONS}
    for chunk in template.generate(member=export_records.member_record(member),
                                   profile=export_records.profile_record(member),
                                   generated_at=timestamp(generated_at), **sections):
        out.write(chunk)


def write_zip(path: Path, member: User, generated_at: datetime) -> None:
    """Write the whole export to `path` (the caller renames it into place)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _entry(archive, README_NAME, lambda out: out.write(
            current_app.jinja_env.get_template(README_TEMPLATE).render(
                generated_at=timestamp(generated_at), version=VERSION)))
        _entry(archive, JSON_NAME, lambda out: write_json(out, member, generated_at))
        _entry(archive, HTML_NAME, lambda out: write_html(out, member, generated_at))


def _entry(archive: zipfile.ZipFile, name: str, write) -> None:
    # force_zip64: a streamed entry's size is not known before it is written, and without
    # it an entry that passes 2 GiB would fail at its end.
    with archive.open(name, "w", force_zip64=True) as raw:
        with io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as out:
            write(out)
