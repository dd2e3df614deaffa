"""A browser's User-Agent header in plain words for the sessions page: "Firefox on Linux".

Only the browser's family and the kind of system: enough for a member to recognise their
own devices, and nothing (versions, models) that would make one easier to tell apart.
"""
from __future__ import annotations

import re

UNKNOWN_BROWSER = "Unknown browser"

# First match wins, so the browsers that also claim to be Chrome or Safari come first.
_BROWSERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern)) for name, pattern in (
        ("Edge", r"\bEdg(e|A|iOS)?/"),
        ("Opera", r"\bOPR/|\bOpera\b"),
        ("Samsung Internet", r"\bSamsungBrowser/"),
        ("Firefox", r"\bFirefox/|\bFxiOS/"),
        ("Chrome", r"\bChrome/|\bCriOS/|\bChromium/"),
        ("Safari", r"\bVersion/[\d.]+.*\bSafari/"),
    ))

# iPhones and iPads say "like Mac OS X", and Android says "Linux": those come first.
_SYSTEMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern)) for name, pattern in (
        ("iPhone", r"\biPhone\b"),
        ("iPad", r"\biPad\b"),
        ("Android", r"\bAndroid\b"),
        ("ChromeOS", r"\bCrOS\b"),
        ("Windows", r"\bWindows\b"),
        ("macOS", r"\bMacintosh\b|\bMac OS X\b"),
        ("Linux", r"\bLinux\b|\bX11\b"),
    ))


def _first(rules: tuple[tuple[str, re.Pattern[str]], ...], text: str) -> str | None:
    return next((name for name, pattern in rules if pattern.search(text)), None)


def describe(user_agent: str | None) -> str:
    """"Firefox on Linux", "Safari on iPhone", "Unknown browser on Windows" or
    "Unknown browser"."""
    text = user_agent or ""
    browser = _first(_BROWSERS, text)
    system = _first(_SYSTEMS, text)
    if system is None:
        return browser or UNKNOWN_BROWSER
    return f"{browser or UNKNOWN_BROWSER} on {system}"
