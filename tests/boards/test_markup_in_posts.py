"""What members write is Markdown, stored as safe HTML when written and shown as stored.

The XSS checks go through the routes and look at the thread page a reader gets,
not only at forum.markup.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from forum.boards.models import Post
from support import submit

LINK_REL = "nofollow ugc noopener noreferrer"
DANGEROUS_TAGS = {"script", "img", "svg", "math", "iframe", "object", "embed", "style",
                  "link", "meta", "base", "form", "input", "textarea", "noscript", "template"}


class PostBodies(HTMLParser):
    """The elements (tag, attributes) inside every <div class="post-body"> of a page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._depth = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self._depth:
            self.elements.append((tag, attributes))
            if tag == "div":
                self._depth += 1
        elif tag == "div" and attributes.get("class") == "post-body":
            self._depth = 1

    def handle_startendtag(self, tag, attrs):
        if self._depth:
            self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if self._depth and tag == "div":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            self.text.append(data)

    def links(self) -> list[dict]:
        return [attrs for tag, attrs in self.elements if tag == "a"]


def scheme_of(url: str) -> str:
    # Browsers drop tabs, newlines and leading control characters before reading a scheme.
    cleaned = re.sub(r"[\x00-\x20]", "", url)
    return urlsplit(cleaned).scheme.lower()


def reply(client, thread, body: str):
    return submit(client, f"/t/{thread.id}/reply", {"body": body}, form_page=f"/t/{thread.id}")


@pytest.fixture
def thread(make, category, other_member):
    return make.thread(category=category, author=other_member, title="Markdown tests")


@pytest.fixture
def posting(client, login, member, thread):
    """Reply as a member through the route, then read the thread page as a reader."""
    login(member)

    def post_and_read(body: str) -> PostBodies:
        response = reply(client, thread, body)
        assert response.status_code == 302, response.get_data(as_text=True)
        page = client.get(f"/t/{thread.id}")
        return PostBodies(page.get_data(as_text=True))

    return post_and_read


def test_markdown_is_stored_as_html_when_posted(db, posting):
    posting("Some **strength**, some *emphasis*.\n\n- one\n- two")

    post = db.session.scalar(select(Post).order_by(Post.id.desc()))
    assert post.body == "Some **strength**, some *emphasis*.\n\n- one\n- two"
    assert "<strong>strength</strong>" in post.body_html
    assert "<em>emphasis</em>" in post.body_html
    assert "<li>one</li>" in post.body_html


def test_thread_page_shows_the_stored_html_without_rendering_again(client, db, thread):
    post = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    post.body_html = "<p>Stored at write time</p>"
    db.session.commit()

    html = client.get(f"/t/{thread.id}").get_data(as_text=True)

    assert '<div class="post-body"><p>Stored at write time</p></div>' in html
    assert "Opening post" not in html


XSS_ATTEMPTS = {
    "script-tag": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "event-handler": '<a href="https://example.org" onclick="alert(1)">hi</a>',
    "mouseover": "<b onmouseover=alert(1)>hover me</b>",
    "svg-onload": "<svg onload=alert(1)></svg>",
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "javascript-link": "[click](javascript:alert(1))",
    "mixed-case-javascript": "[click](JaVaScRiPt:alert(1))",
    "entity-javascript": "[click](&#106;avascript:alert(1))",
    "tab-javascript": "[click](java&#x09;script:alert(1))",
    "javascript-autolink": "<javascript:alert(1)>",
    "data-link": "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "data-image": "![pixel](data:image/png;base64,iVBORw0KGgo=)",
    "vbscript-link": "[click](vbscript:msgbox(1))",
    "mixed-case-vbscript": "[click](VbScRiPt:msgbox(1))",
    "javascript-image": "![x](javascript:alert(1))",
    "title-breakout": '[a](https://example.org "x\\" onmouseover=\\"alert(1))',
    "reference-link": "[click][evil]\n\n[evil]: javascript:alert(1)",
}


@pytest.mark.parametrize("body", XSS_ATTEMPTS.values(), ids=XSS_ATTEMPTS.keys())
def test_markup_posted_through_the_form_cannot_run_script(posting, body):
    page = posting(body)

    tags = {tag for tag, _ in page.elements}
    assert not tags & DANGEROUS_TAGS
    for tag, attributes in page.elements:
        assert not [name for name in attributes if name.lower().startswith("on")], tag
        assert "style" not in attributes and "src" not in attributes
    for link in page.links():
        assert scheme_of(link.get("href", "")) in ("", "http", "https", "mailto"), link


def test_raw_html_is_shown_as_the_text_that_was_typed(posting):
    page = posting("<script>alert(1)</script>")

    assert "<script>alert(1)</script>" in "".join(page.text)


def test_remote_image_becomes_a_plain_link(posting):
    page = posting("![my scan](https://tracker.example/scan.png)")

    assert [tag for tag, _ in page.elements if tag == "img"] == []
    assert [link["href"] for link in page.links()] == ["https://tracker.example/scan.png"]
    assert "my scan" in "".join(page.text)


def test_links_in_posts_are_marked_as_user_content(posting):
    page = posting("[a study](https://example.org/study), <https://example.net> and "
                   "www.example.com")

    links = page.links()
    assert len(links) == 3
    assert all(link.get("rel") == LINK_REL for link in links)


def test_a_link_cannot_choose_its_own_rel(posting):
    page = posting('<a href="https://example.org" rel="opener">x</a> and '
                   "[y](https://example.org)")

    assert all(link.get("rel") == LINK_REL for link in page.links())


def test_thread_title_is_shown_as_text(client, login, member, category):
    login(member)

    response = submit(client, f"/c/{category.slug}/new",
                      {"title": "<script>alert('title')</script>", "body": "Body"},
                      follow_redirects=True)

    html = response.get_data(as_text=True)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;" in html


def test_edited_text_is_sanitised_like_new_text(client, login, db, member, category, make):
    own = make.thread(category=category, author=member)
    post = db.session.scalar(select(Post).where(Post.thread_id == own.id))
    login(member)

    submit(client, f"/p/{post.id}/edit", {"body": "[x](javascript:alert(1)) <img src=x>"})

    page = PostBodies(client.get(f"/t/{own.id}").get_data(as_text=True))
    assert "img" not in {tag for tag, _ in page.elements}
    assert page.links() == []
