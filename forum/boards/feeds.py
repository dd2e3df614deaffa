"""Atom 1.0 feeds of the newest threads, site-wide and per category.

Only what any visitor may read goes in: threads neither deleted nor waiting for approval,
whose opening post is neither hidden, removed nor waiting. ElementTree writes the XML, so
every title, name and body is escaped by the one thing that knows XML's rules.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from flask import current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from forum.boards.models import Category, Post, Thread
from forum.extensions import db
from forum.permissions import can

ATOM_NS = "http://www.w3.org/2005/Atom"
FEED_SIZE = 30
SITE_NAME = "Outflow"
# XML 1.0 cannot carry these at all, escaped or not; a post may hold one pasted by accident.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Before the first thread, a feed still needs a date: the day the project started.
_EPOCH = datetime(2024, 1, 1)


class _Visitor:
    """Whom a feed is for: nobody signed in (feed readers carry no session)."""

    is_authenticated = False


def newest_threads(category: Category | None = None) -> list[tuple[Thread, Post]]:
    """The newest threads any visitor may read, each with its opening post: one query."""
    opening_id = (select(func.min(Post.id)).where(Post.thread_id == Thread.id)
                  .correlate(Thread).scalar_subquery())
    statement = (
        select(Thread, Post).join(Post, Post.id == opening_id)
        .where(Thread.deleted_at.is_(None), Thread.pending.is_(False),
               Post.deleted_at.is_(None), Post.hidden_at.is_(None), Post.pending.is_(False))
        .options(joinedload(Thread.author), joinedload(Thread.category))
        .order_by(Thread.created_at.desc(), Thread.id.desc()).limit(FEED_SIZE)
    )
    if category is not None:
        statement = statement.where(Thread.category_id == category.id)
    visitor = _Visitor()
    return [(thread, post) for thread, post in db.session.execute(statement)
            if can(visitor, "thread.view", thread) and can(visitor, "post.read", post)]


def _absolute(path: str) -> str:
    return current_app.config["FORUM_BASE_URL"] + path


def _stamp(moment: datetime) -> str:
    return moment.replace(tzinfo=timezone.utc).isoformat(timespec="seconds").replace(
        "+00:00", "Z")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: _NOT_XML.sub("", value)
                                          for key, value in attributes.items()})
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _entry(feed: ET.Element, thread: Thread, post: Post) -> None:
    link = _absolute(url_for("boards.thread", thread_id=thread.id, slug=thread.slug))
    entry = _add(feed, "entry")
    _add(entry, "id", link)
    _add(entry, "title", thread.title, type="text")
    _add(entry, "published", _stamp(thread.created_at))
    _add(entry, "updated", _stamp(post.edited_at or thread.created_at))
    _add(entry, "link", rel="alternate", type="text/html", href=link)
    author = _add(entry, "author")
    _add(author, "name", "former member" if thread.author.is_former else thread.author.username)
    _add(entry, "category", term=thread.category.slug, label=thread.category.name)
    # The stored, sanitised HTML of the opening post, carried as escaped text.
    _add(entry, "content", post.body_html, type="html")


def atom(title: str, self_path: str, page_path: str,
         threads: list[tuple[Thread, Post]]) -> bytes:
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    _add(feed, "id", _absolute(self_path))
    _add(feed, "title", title, type="text")
    updated = max((post.edited_at or thread.created_at for thread, post in threads),
                  default=_EPOCH)
    _add(feed, "updated", _stamp(updated))
    _add(feed, "link", rel="self", type="application/atom+xml", href=_absolute(self_path))
    _add(feed, "link", rel="alternate", type="text/html", href=_absolute(page_path))
    _add(feed, "generator", SITE_NAME)
    for thread, post in threads:
        _entry(feed, thread, post)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def site_feed() -> bytes:
    return atom(f"{SITE_NAME}: newest threads", url_for("boards.latest_feed"),
                url_for("boards.home"), newest_threads())


def category_feed(category: Category) -> bytes:
    return atom(f"{SITE_NAME}: newest threads in {category.name}",
                url_for("boards.category_feed", slug=category.slug),
                url_for("boards.category", slug=category.slug), newest_threads(category))
