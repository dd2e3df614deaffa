"""Markdown to safe HTML: the only place user text becomes markup.

markdown-it-py parses CommonMark with raw HTML off; bleach then keeps only an
explicit allow-list. Switching to nh3 would change this file alone.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

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


# "@name" where a name may stand (forum.auth.services.USERNAME_PATTERN): not inside a word,
# an address or a path ("river@example.org", "example.org/@river").
MENTION = re.compile(r"(?<![A-Za-z0-9_@./+-])@([A-Za-z0-9_-]{3,30})(?![A-Za-z0-9_-])")


def _mention_tokens(text: str) -> list[Token]:
    tokens, start = [], 0
    for match in MENTION.finditer(text):
        if match.start() > start:
            tokens.append(_text_token(text[start:match.start()]))
        name = match.group(1)
        opening = Token("link_open", "a", 1, attrs={"href": f"/u/{name}"}, meta={"mention": name})
        tokens += [opening, _text_token(f"@{name}"), Token("link_close", "a", -1)]
        start = match.end()
    if start < len(text):
        tokens.append(_text_token(text[start:]))
    return tokens


def _text_token(content: str) -> Token:
    return Token("text", "", 0, content=content)


def _link_mentions(state) -> None:
    """@name becomes a link to the member's profile: in text only, never inside code
    (code spans and blocks are tokens of their own) nor inside a link's text."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, depth = [], 0
        for token in block.children:
            if token.type == "link_open":
                depth += 1
            elif token.type == "link_close":
                depth -= 1
            if token.type == "text" and depth == 0 and "@" in token.content:
                children += _mention_tokens(token.content)
            else:
                children.append(token)
        block.children = children


def _build_parser() -> MarkdownIt:
    parser = MarkdownIt("js-default", {"html": False, "linkify": True, "typographer": False})
    parser.add_render_rule("image", _image_as_link)
    # After linkify, so that an address it has made a link stays one.
    parser.core.ruler.push("mentions", _link_mentions)
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


@dataclass(frozen=True)
class References:
    mentions: list[str]  # usernames as written, in order, each once; none from quotes
    links: list[str]  # every link's address, in order


def references(text: str) -> References:
    """Who a post mentions and what it links to, read from the same parse as `render`.

    A mention inside a blockquote is someone else's, quoted: it tells nobody again.
    """
    mentions: list[str] = []
    links: list[str] = []
    quoting = 0
    for block in _parser.parse(text or ""):
        if block.type == "blockquote_open":
            quoting += 1
        elif block.type == "blockquote_close":
            quoting -= 1
        for token in block.children or ():
            if token.type != "link_open":
                continue
            name = (token.meta or {}).get("mention")
            if name is None:
                links.append(str(token.attrGet("href") or ""))
            elif not quoting and name.lower() not in (known.lower() for known in mentions):
                mentions.append(name)
    return References(mentions, links)


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
