"""Markdown to safe HTML: the only place user text becomes markup.

markdown-it-py parses CommonMark with raw HTML off; bleach then keeps only an
explicit allow-list. Switching to nh3 would change this file alone.
"""
from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener noreferrer"


def _image_as_link(self, tokens, idx, options, env) -> str:
    """Remote images would tell their host who reads the post, so they become links."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = self.renderInlineAsText(token.children or [], options, env) or src
    if not src:
        return escapeHtml(alt)
    return f'<a href="{escapeHtml(src)}">{escapeHtml(alt)}</a>'


def _build_parser() -> MarkdownIt:
    parser = MarkdownIt("js-default", {"html": False, "linkify": True, "typographer": False})
    parser.add_render_rule("image", _image_as_link)
    return parser


class _LinkRelFilter(Filter):
    """Every surviving link is marked as user content and opens without a referrer."""

    def __iter__(self):
        for token in super().__iter__():
            if token.get("type") in ("StartTag", "EmptyTag") and token.get("name") == "a":
                attrs = dict(token.get("data") or {})
                attrs[(None, "rel")] = LINK_REL
                token["data"] = attrs
            yield token


_parser = _build_parser()
_cleaner = bleach.sanitizer.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[_LinkRelFilter],
)


def render(text: str) -> str:
    """Markdown source to HTML that is safe to store and to show as it is."""
    return _cleaner.clean(_parser.render(text or ""))


def has_hidden_characters(url: str) -> bool:
    """Spaces, line breaks, control and invisible formatting characters inside an address.

    urlsplit quietly drops tabs and line breaks, so it would pass an address that a
    redirect's Location header cannot carry, and bidi or zero-width marks disguise a host.
    """
    return any(char.isspace() or unicodedata.category(char) in ("Cc", "Cf", "Cs")
               for char in url)


def is_safe_link(url: str) -> bool:
    """A URL a member may be sent to: absolute http(s) with a host and no credentials."""
    url = url.strip()
    if has_hidden_characters(url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and parts.username is None
        and parts.password is None
    )
