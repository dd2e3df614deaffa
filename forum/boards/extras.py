"""What other features add to the board pages: a thread's reactions, read marks and
watch state; a listing's unread counts. Each provider adds names to the template's
context and must cost a fixed number of queries, whatever the number of posts or threads.

A feature registers its provider at import with one of the decorators; the board views
call `thread_page`, `category_page` and `home_page` once per request.
"""
from __future__ import annotations

from typing import Any, Callable

Provider = Callable[..., dict[str, Any]]
_THREAD: list[Provider] = []
_CATEGORY: list[Provider] = []
_HOME: list[Provider] = []


def on_thread_page(provider: Provider) -> Provider:
    """`provider(viewer, thread, posts)` for the posts of one page of a thread."""
    _THREAD.append(provider)
    return provider


def on_category_page(provider: Provider) -> Provider:
    """`provider(viewer, category, threads)` for one page of a category's threads."""
    _CATEGORY.append(provider)
    return provider


def on_home_page(provider: Provider) -> Provider:
    """`provider(viewer, categories)` for the home page's categories."""
    _HOME.append(provider)
    return provider


def _gather(providers: list[Provider], *args) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for provider in providers:
        context.update(provider(*args))
    return context


def thread_page(viewer, thread, posts) -> dict[str, Any]:
    return _gather(_THREAD, viewer, thread, posts)


def category_page(viewer, category, threads) -> dict[str, Any]:
    return _gather(_CATEGORY, viewer, category, threads)


def home_page(viewer, categories) -> dict[str, Any]:
    return _gather(_HOME, viewer, categories)
