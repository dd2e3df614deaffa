"""Where clinic links are shown and what always comes with them: the clinic's name, the
disclosure, the domain, the moderators' evidence note beside it, and an outbound link
through the click counter."""
from __future__ import annotations

import re

import pytest

from forum.resources import services

DISCLOSURE = "Provided by Vein Clinic of Example, which offers the treatment described."
NOTE = ("**No benefit** of venous angioplasty in MS: see the "
        "[Brave Dreams trial](https://example.org/brave-dreams).")


@pytest.fixture
def everywhere(staff, category):
    """A link pinned site-wide and in `category`, so every place shows it."""
    return services.pin_link(staff, "Our guide to CCSVI", "https://www.example.org/guide",
                             "How venous angioplasty is done at our clinic.", True, [category])


@pytest.fixture
def other_category(make):
    return make.category(slug="living", name="Living with MS")


@pytest.fixture
def other_link(other_staff, other_category):
    return services.pin_link(other_staff, "Harbour rehabilitation",
                             "https://harbour.example.net/rehab",
                             "Physiotherapy after treatment.", False, [other_category])


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _main(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


PLACES = {
    "home panel": lambda link, category: "/",
    "category panel": lambda link, category: f"/c/{category.slug}",
    "resources list": lambda link, category: "/resources",
    "resources by clinic": lambda link, category: f"/resources?clinic={link.clinic_id}",
    "resources by category": lambda link, category: f"/resources?category={category.slug}",
}
# The three templates that show links; the filtered lists are the same page as the list.
SHOWN_IN = {key: PLACES[key] for key in ("home panel", "category panel", "resources list")}


# Where links are shown ------------------------------------------------------------------

def test_a_site_wide_link_shows_in_the_home_pages_clinic_resources_panel(
        staff, client, item_of):
    link = services.pin_link(staff, "Our guide to CCSVI", "https://example.org/guide", "",
                             True, [])
    main = _main(_page(client, "/"))
    panel = main[main.index('<section class="resources-panel"'):]
    panel = panel[:panel.index("</section>")]
    assert '<h2 id="resources-heading">Resources from clinics</h2>' in panel
    assert f'id="resource-{link.id}"' in panel


def test_a_category_link_shows_on_that_categorys_page_only(
        pinned, category, other_category, client, item_of):
    assert item_of(_page(client, f"/c/{category.slug}"), pinned) is not None
    assert item_of(_page(client, f"/c/{other_category.slug}"), pinned) is None
    assert item_of(_page(client, "/"), pinned) is None


def test_a_page_with_no_links_pinned_has_no_resources_panel(pinned, other_category, client):
    for url in ("/", f"/c/{other_category.slug}"):
        assert "Resources from clinics</h2>" not in _main(_page(client, url))


def test_the_resources_page_lists_every_clinics_links(everywhere, pinned, other_link,
                                                       client, item_of):
    page = _page(client, "/resources")
    assert all(item_of(page, link) for link in (everywhere, pinned, other_link))


def test_the_resources_page_filters_by_clinic(everywhere, pinned, other_link, other_clinic,
                                              client, item_of):
    page = _page(client, f"/resources?clinic={other_clinic.id}")
    assert item_of(page, other_link) is not None
    assert item_of(page, everywhere) is None and item_of(page, pinned) is None


def test_the_resources_page_filters_by_category(everywhere, pinned, other_link, category,
                                                client, item_of):
    page = _page(client, f"/resources?category={category.slug}")
    assert item_of(page, everywhere) is not None and item_of(page, pinned) is not None
    assert item_of(page, other_link) is None


def test_the_resources_page_filters_by_clinic_and_category_together(
        everywhere, other_link, clinic, other_category, client, item_of):
    page = _page(client, f"/resources?clinic={clinic.id}&category={other_category.slug}")
    assert item_of(page, everywhere) is None and item_of(page, other_link) is None
    assert "No resources match." in page


def test_filtering_by_a_category_that_does_not_exist_is_not_found(pinned, client):
    assert client.get("/resources?category=no-such-place").status_code == 404


# What comes with a link, everywhere ------------------------------------------------------

@pytest.mark.parametrize("place", PLACES.values(), ids=PLACES.keys())
def test_every_place_shows_the_title_description_domain_clinic_and_disclosure(
        place, everywhere, category, client, item_of):
    found = item_of(_page(client, place(everywhere, category)), everywhere)
    assert found is not None, "the link is not shown here"
    _, text = found
    assert "Our guide to CCSVI" in text
    assert "How venous angioplasty is done at our clinic." in text
    assert "(example.org)" in text
    assert DISCLOSURE in text


@pytest.mark.parametrize("place", SHOWN_IN.values(), ids=SHOWN_IN.keys())
def test_every_place_shows_the_evidence_note_beside_the_link(
        place, everywhere, category, moderator, client, item_of):
    services.set_note(moderator, everywhere, NOTE)
    html, text = item_of(_page(client, place(everywhere, category)), everywhere)
    assert "What the evidence says" in text
    assert "<strong>No benefit</strong> of venous angioplasty in MS" in html
    # Visible without a click: not folded away.
    assert "<details" not in html and "hidden" not in html.split('class="evidence-note"')[1][:200]
    # Beside the link: after the disclosure, inside the same item.
    assert html.index("which offers the treatment described") < html.index("What the evidence says")


@pytest.mark.parametrize("place", SHOWN_IN.values(), ids=SHOWN_IN.keys())
def test_every_place_links_out_through_the_click_counter_with_noopener(
        place, everywhere, category, client, item_of):
    html, _ = item_of(_page(client, place(everywhere, category)), everywhere)
    anchors = re.findall(r"<a\b[^>]*>", html)
    outbound = [a for a in anchors if f'href="/r/{everywhere.id}"' in a]
    assert outbound, "no link through /r/<id>"
    assert all('rel="noopener noreferrer"' in a for a in outbound)
    assert not any('href="https://www.example.org/guide"' in a for a in anchors)


def test_the_evidence_note_is_markdown_with_no_raw_html_surviving(
        everywhere, category, moderator, client, item_of):
    services.set_note(moderator, everywhere,
                      "*Randomized* trial: no benefit.\n\n<script>alert(1)</script>\n\n"
                      '<img src=x onerror="alert(2)"> [bad](javascript:alert(3)) '
                      "<a href=\"https://example.org/x\" onclick=\"alert(4)\">raw</a>")
    html, _ = item_of(_page(client, f"/c/{category.slug}"), everywhere)
    note = html[html.index('class="evidence-note"'):]
    assert "<em>Randomized</em>" in note
    tags = re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>", note)
    assert not {name.lower() for name, _ in tags} & {"script", "img"}
    for name, attributes in tags:
        assert not re.search(r"\son\w+\s*=", attributes), (name, attributes)
        for href in re.findall(r'href="([^"]*)"', attributes):
            assert href.startswith(("https://", "http://")), href
    # The typed tags are shown as text, not obeyed.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in note


def test_a_link_without_a_note_shows_no_note_box(pinned, category, client, item_of):
    html, _ = item_of(_page(client, f"/c/{category.slug}"), pinned)
    assert "evidence-note" not in html


def test_titles_descriptions_and_clinic_names_are_shown_as_text(make, category, db, client,
                                                                item_of):
    staff = make.staff("smith_staff", make.clinic("Smith & <b>Jones</b> Veins"))
    link = services.pin_link(staff, "<script>alert(1)</script> guide",
                             "https://example.org/g", "<img src=x onerror=alert(1)>",
                             False, [category])
    html, text = item_of(_page(client, f"/c/{category.slug}"), link)
    assert "<script>" not in html and "<img" not in html and "<b>Jones" not in html
    assert "Provided by Smith & <b>Jones</b> Veins, which offers the treatment described." \
        in text


# What is not shown ------------------------------------------------------------------------

@pytest.mark.parametrize("place", SHOWN_IN.values(), ids=SHOWN_IN.keys())
def test_a_hidden_link_is_not_shown_to_members(place, everywhere, category, moderator,
                                               member, browser, item_of):
    services.hide_link(moderator, everywhere, "Promises a cure")
    page = _page(browser(member), place(everywhere, category))
    assert item_of(page, everywhere) is None
    assert "Our guide to CCSVI" not in page


@pytest.mark.parametrize("place", SHOWN_IN.values(), ids=SHOWN_IN.keys())
def test_an_unpinned_link_is_not_shown_to_members(place, everywhere, category, staff,
                                                  member, browser, item_of):
    services.unpin_link(staff, everywhere)
    page = _page(browser(member), place(everywhere, category))
    assert item_of(page, everywhere) is None
    assert "Our guide to CCSVI" not in page


def test_moderators_still_find_a_hidden_link_with_the_reason(everywhere, moderator, browser,
                                                             item_of):
    services.hide_link(moderator, everywhere, "Promises a cure")
    page = _page(browser(moderator), "/resources")
    flagged = page[page.index('id="flagged-links"'):]
    assert f'id="resource-{everywhere.id}"' in flagged
    assert "Hidden by a moderator: Promises a cure" in flagged


def test_the_clinics_staff_see_their_hidden_link_marked_not_shown(everywhere, staff,
                                                                  moderator, browser):
    services.hide_link(moderator, everywhere, "Promises a cure")
    page = _page(browser(staff), "/resources")
    own = page[page.index('id="own-links"'):]
    assert "Our guide to CCSVI" in own and "not shown" in own


@pytest.mark.parametrize(("viewer", "marked"), [
    ("anonymous", False), ("member", False), ("other_staff", False),
    ("staff", True), ("moderator", True), ("admin", True),
])
@pytest.mark.parametrize("url", ["/resources", "/c/ccsvi"])
def test_a_dead_link_is_marked_only_for_its_clinics_staff_and_moderators(
        url, viewer, marked, everywhere, request, db, browser, item_of):
    everywhere.link_status, everywhere.check_detail = "dead", "HTTP 404"
    db.session.commit()
    user = None if viewer == "anonymous" else request.getfixturevalue(viewer)
    page = _page(browser(user), url)
    html, text = item_of(page, everywhere)  # still shown to everyone
    assert ("Link looks dead: HTTP 404" in text) is marked
    assert ("dead link" in page or "Link looks dead" in page) is marked


# The page title is the page's name, never the panel -----------------------------------------

@pytest.mark.parametrize("url", ["/", "/c/ccsvi"])
def test_the_page_title_holds_no_resource_panel(url, everywhere, client):
    title = re.search(r"<title>(.*?)</title>", _page(client, url), re.S).group(1)
    assert "Resources from clinics" not in title and "<" not in title
