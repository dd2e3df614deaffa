"""The lines shown under each search result, with the words looked for marked.

A snippet is made from the post's plain text (its stored HTML with every tag taken out),
escaped piece by piece, and only then given <mark> elements of our own: whatever markup a
post carried, or spelled out as text, reaches the page as text.
"""
from __future__ import annotations

import re
from functools import lru_cache

from markupsafe import Markup, escape

# Words before and after the first match, and the most shown without a match (a result
# found by its thread's title).
BEFORE, AFTER = 10, 30
_WORD = re.compile(r"([^\W_]+)")
# The endings English stemming takes off, so that "walk" marks "walking" and "walked" as
# the database matched them. Only for marking: the database decides what is found.
_ENDINGS = ("ingly", "edly", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s")
_DOUBLED = re.compile(r"([b-df-hj-np-tv-z])\1$")


@lru_cache(maxsize=4096)
def stem(word: str) -> str:
    word = word.lower()
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)]
            break
    return _DOUBLED.sub(r"\1", word)


def plain_text(html: str) -> str:
    """The words a reader sees in a post: tags out, entities read, spaces collapsed."""
    return Markup(html or "").striptags()


def _marked(pieces: list[str], stems: set[str]) -> Markup:
    out = []
    for piece in pieces:
        if _WORD.fullmatch(piece) and stem(piece) in stems:
            out.append(Markup("<mark>%s</mark>") % piece)
        else:
            out.append(escape(piece))
    return Markup("").join(out)


def highlight(text: str, words: list[str]) -> Markup:
    """All of `text`, escaped, with the words looked for marked (for titles)."""
    return _marked(_WORD.split(text or ""), {stem(word) for word in words})


def snippet(html: str, words: list[str]) -> Markup:
    """Some forty words of the post around the first word looked for, escaped and marked."""
    pieces = _WORD.split(plain_text(html))
    stems = {stem(word) for word in words}
    # Word pieces sit at the odd places of a split with one capturing group.
    word_places = list(range(1, len(pieces), 2))
    first = next((n for n, place in enumerate(word_places) if stem(pieces[place]) in stems), 0)
    start_word = max(first - BEFORE, 0)
    end_word = min(start_word + BEFORE + AFTER, len(word_places))
    start = word_places[start_word] if start_word else 0
    end = word_places[end_word - 1] + 1 if end_word < len(word_places) else len(pieces)
    shown = _marked(pieces[start:end], stems)
    if start:
        shown = Markup("… ") + shown
    if end < len(pieces):
        shown += Markup(" …")
    return shown
