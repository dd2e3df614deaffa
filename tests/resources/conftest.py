"""Fixtures for the clinic resource tests: two clinics, the people involved, one pinned link."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest


@pytest.fixture
def clinic(make):
    return make.clinic("Vein Clinic of Example", "https://clinic.example.org",
                       "Venous angioplasty for people with MS.")


@pytest.fixture
def other_clinic(make):
    return make.clinic("Harbour Vascular Centre", "https://harbour.example.net")


@pytest.fixture
def staff(make, clinic):
    return make.staff("vein_anna", clinic)


@pytest.fixture
def other_staff(make, other_clinic):
    return make.staff("harbour_ben", other_clinic)


@pytest.fixture
def member(make):
    return make.user("heron")


@pytest.fixture
def category(make):
    return make.category(slug="ccsvi", name="CCSVI and venous procedures")


@pytest.fixture
def pinned(make, staff, category):
    """A link `staff` pinned in `category` (not site-wide)."""
    return make.link(staff, "Understanding CCSVI", "https://www.example.org/ccsvi",
                     "What the clinic says about venous angioplasty.",
                     site_wide=False, categories=[category])


class _Element(HTMLParser):
    """The source of the element with a given id inside <main>, and its text."""

    def __init__(self, html: str, element_id: str):
        super().__init__(convert_charrefs=True)
        self._lines = [0]
        for line in html.splitlines(keepends=True):
            self._lines.append(self._lines[-1] + len(line))
        self._id, self._tag, self._depth = element_id, None, 0
        self.start = self.end = None
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self._tag is None and self.start is None and dict(attrs).get("id") == self._id:
            self._tag, self._depth, self.start = tag, 1, self._offset()
        elif self._tag == tag:
            self._depth += 1

    def handle_endtag(self, tag):
        if self._tag == tag:
            self._depth -= 1
            if self._depth == 0:
                self.end = self._offset() + len(f"</{tag}>")
                self._tag = None

    def handle_data(self, data):
        if self._tag is not None:
            self.text.append(data)


@pytest.fixture
def item_of():
    """The <li> showing `link` in the page's <main>: (its HTML, its text with spaces
    collapsed), or None when the link is not shown there."""
    def find(html: str, link) -> tuple[str, str] | None:
        main = html[html.index("<main"):html.index("</main>") + len("</main>")]
        element = _Element(main, f"resource-{link.id}")
        if element.start is None:
            return None
        assert element.end is not None, "the link's element is never closed"
        return main[element.start:element.end], " ".join("".join(element.text).split())

    return find
