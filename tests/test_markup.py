"""Markdown becomes safe HTML in forum.markup, and only there."""
import pytest

from forum.markup import LINK_REL, is_safe_link, render


def test_markdown_formatting_survives():
    html = render("Some *emphasis*, **strength** and `code`.\n\n- one\n- two")
    assert "<em>emphasis</em>" in html
    assert "<strong>strength</strong>" in html
    assert "<code>code</code>" in html
    assert "<li>one</li>" in html


def test_raw_html_is_shown_as_text_not_run():
    html = render("<script>alert(1)</script><b onclick='x()'>hi</b>")
    assert "<script" not in html
    assert "<b" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=", "file:///etc/passwd", "ftp://example.org/x",
])
def test_links_with_unsafe_schemes_lose_their_target(url):
    html = render(f"[click]({url}) <{url}>")
    scheme = url.split(":")[0].lower()
    assert f'href="{scheme}' not in html.lower()


def test_bare_urls_become_links():
    assert 'href="https://example.org/page"' in render("see https://example.org/page")


def test_every_link_is_marked_as_user_content():
    html = render("[a](https://example.org) and <https://example.net>")
    assert html.count(f'rel="{LINK_REL}"') == 2


def test_remote_images_become_links_not_embeds():
    html = render("![a scan](https://tracker.example/pixel.png)")
    assert "<img" not in html
    assert '<a href="https://tracker.example/pixel.png"' in html
    assert ">a scan</a>" in html


def test_mailto_links_are_kept():
    assert 'href="mailto:help@example.org"' in render("[mail](mailto:help@example.org)")


def test_dangerous_tags_are_never_allowed_even_via_entities():
    html = render("&lt;svg onload=alert(1)&gt; <svg><style>*{}</style></svg> <iframe src=x>")
    for tag in ("<svg", "<style", "<iframe", "<math", "<noscript", "<textarea", "<template"):
        assert tag not in html


def test_empty_input_renders_empty():
    assert render("") == ""


@pytest.mark.parametrize("url,safe", [
    ("https://example.org/a", True),
    ("http://example.org", True),
    ("javascript:alert(1)", False),
    ("data:text/html,x", False),
    ("https://user:secret@example.org", False),
    ("https://", False),
    ("/relative/path", False),
])
def test_is_safe_link_accepts_only_absolute_http_without_credentials(url, safe):
    assert is_safe_link(url) is safe
