"""How each reader wants the site drawn: text size, theme, motion and a reading-friendly font.

A member's choice lives on their users row, a visitor's in a cookie. Either way it becomes
the classes on every page's <html> (`Display.classes`, the contract the stylesheet
follows), chosen on the server so that no script is needed and no page flashes the wrong
theme first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import Request, Response, current_app, has_request_context, request
from flask_login import current_user

from forum.auth.models import DISPLAY_TEXT_SIZES, DISPLAY_THEMES, User
from forum.extensions import db
from forum.permissions import require

COOKIE = "display"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
# "<size>.<theme>.<reduce motion 0|1>.<readable font 0|1>": nothing a browser quotes.
_COOKIE_VALUE = re.compile(
    r"(?P<size>" + "|".join(str(size) for size in DISPLAY_TEXT_SIZES) + r")"
    r"\.(?P<theme>" + "|".join(re.escape(theme) for theme in DISPLAY_THEMES) + r")"
    r"\.(?P<motion>[01])\.(?P<font>[01])")


@dataclass(frozen=True)
class Display:
    text_size: int = 100
    theme: str = "system"
    reduce_motion: bool = False
    readable_font: bool = False

    def __post_init__(self) -> None:
        # Every class on <html> comes from these lists, never from what a request carried.
        if self.text_size not in DISPLAY_TEXT_SIZES or self.theme not in DISPLAY_THEMES:
            raise ValueError(f"no such display: {self.text_size!r}, {self.theme!r}")

    @property
    def classes(self) -> str:
        names = [f"text-{self.text_size}", f"theme-{self.theme}"]
        if self.reduce_motion:
            names.append("reduce-motion")
        if self.readable_font:
            names.append("readable-font")
        return " ".join(names)

    @property
    def cookie_value(self) -> str:
        return (f"{self.text_size}.{self.theme}."
                f"{int(self.reduce_motion)}.{int(self.readable_font)}")

    @classmethod
    def from_cookie(cls, value: str | None) -> Display:
        """The visitor's cookie read strictly: anything but a value we wrote is the default."""
        match = _COOKIE_VALUE.fullmatch(value or "")
        if match is None:
            return DEFAULT
        return cls(int(match["size"]), match["theme"], match["motion"] == "1",
                   match["font"] == "1")

    @classmethod
    def of(cls, member: User) -> Display:
        """A member's stored choice. CHECK constraints keep the columns valid; a row not
        yet written (no defaults filled in) reads as the default rather than failing a page."""
        try:
            return cls(member.display_text_size, member.display_theme,
                       bool(member.display_reduce_motion), bool(member.display_readable_font))
        except ValueError:
            return DEFAULT

    def record(self) -> dict[str, Any]:
        """As the export and the form carry it."""
        return {"text_size": self.text_size, "theme": self.theme,
                "reduce_motion": self.reduce_motion, "readable_font": self.readable_font}


DEFAULT = Display()


def display_for(reader: Any, request_: Request | None = None) -> Display:
    """How `reader` sees the site: a member's stored choice, a visitor's cookie."""
    if reader is not None and getattr(reader, "is_authenticated", False):
        return Display.of(reader)
    if request_ is None:
        return DEFAULT
    return Display.from_cookie(request_.cookies.get(COOKIE))


def save_display(member: User, display: Display) -> None:
    """The member's choice, kept on their account so that it follows them to any device."""
    require(member, "display.change", member)
    store(member, display)
    db.session.flush()


def store(member: User, display: Display) -> None:
    """Set the columns without asking (a deletion resets them on an emptied account)."""
    member.display_text_size = display.text_size
    member.display_theme = display.theme
    member.display_reduce_motion = display.reduce_motion
    member.display_readable_font = display.readable_font


def remember_in_cookie(response: Response, display: Display) -> None:
    """A visitor's choice, for a year on this browser; the default needs no cookie, which
    keeps their pages shareable by a cache (forum/caching.py)."""
    if display == DEFAULT:
        response.delete_cookie(COOKIE, path="/", samesite="Lax", httponly=True,
                               secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
        return
    response.set_cookie(COOKIE, display.cookie_value, max_age=COOKIE_MAX_AGE, path="/",
                        samesite="Lax", httponly=True,
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", False))


def display_context() -> dict:
    """`display_classes` for every template. The member's row is already loaded and a
    visitor's cookie is in the request, so this costs no query; mail renders outside any
    request, for nobody in particular, with the default."""
    if not has_request_context():
        return {"display_classes": DEFAULT.classes}
    return {"display_classes": display_for(current_user, request).classes}
