"""Avatars drawn from the username: no uploads to moderate, nothing fetched from elsewhere.

The same name always gives the same picture, so it can be cached for a day; a name that
is unknown, or belonged to a deleted account, gets one generic picture, so the avatar
tells nothing more than the profile page does.
"""
from __future__ import annotations

import hashlib
from xml.sax.saxutils import escape

# Dark enough for white text to keep a contrast of at least 4.5:1 (WCAG AA) on each.
PALETTE = (
    "#0b4f8a", "#8a1c1c", "#1d6b3a", "#6a3d9a", "#7a4a00", "#00636e", "#9b2c5a",
    "#3f4f5f", "#5b4a8b", "#2e5e1e", "#a33b00", "#1f5f8b", "#74306e", "#4a5d23",
)
TEXT_COLOUR = "#ffffff"
GENERIC_COLOUR = "#555555"
# Usernames have at least three characters, so this one never belongs to anybody: the
# templates point former members' avatars at it.
GENERIC_NAME = "_"
SIZE = 64

_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
    'viewBox="0 0 {size} {size}">'
    '<rect width="{size}" height="{size}" rx="{radius}" fill="{background}"/>'
    '<text x="50%" y="50%" dy=".35em" text-anchor="middle" fill="{text}" '
    'font-family="Verdana, Arial, sans-serif" font-size="{font}" font-weight="bold">'
    '{letter}</text></svg>'
)


def colour_for(username: str) -> str:
    # sha256, not hash(): Python salts str hashes per process, and the colour must not
    # change between server processes or restarts.
    digest = hashlib.sha256(username.lower().encode("utf-8")).digest()
    return PALETTE[int.from_bytes(digest[:4], "big") % len(PALETTE)]


def _svg(letter: str, background: str) -> str:
    return _SVG.format(size=SIZE, radius=SIZE // 8, background=background, text=TEXT_COLOUR,
                       font=SIZE // 2, letter=escape(letter))


def avatar_svg(username: str) -> str:
    """The picture of a member named `username` (their initial on their colour)."""
    return _svg(username[:1].upper(), colour_for(username))


def generic_svg() -> str:
    """The picture for anyone who is not (or no longer) a member."""
    return _svg("?", GENERIC_COLOUR)
