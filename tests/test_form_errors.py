"""A form re-shown with problems: a summary at its top linking to each field, and each field
marked invalid and tied to its own message."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from support import TEST_PASSWORD, form_state, report_fields, submit


class _Elements(HTMLParser):
    """Every element of a page: its tag, attributes, the text inside it, and what holds it."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.elements: list[dict] = []
        self._open: list[dict] = []

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "within": list(self._open)}
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index]["tag"] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        for element in self._open:
            element["text"] += data


class Page:
    def __init__(self, response):
        parser = _Elements()
        parser.feed(response.get_data(as_text=True))
        self.elements = parser.elements

    def all(self, tag: str | None = None, cls: str | None = None, **attrs) -> list[dict]:
        return [element for element in self.elements
                if (tag is None or element["tag"] == tag)
                and (cls is None or cls in element["attrs"].get("class", "").split())
                and all(element["attrs"].get(name) == value for name, value in attrs.items())]

    def one(self, tag: str | None = None, cls: str | None = None, **attrs) -> dict:
        found = self.all(tag, cls, **attrs)
        assert len(found) == 1, f"{len(found)} elements match {tag} {cls} {attrs}"
        return found[0]

    def by_id(self, element_id: str) -> dict:
        return self.one(id=element_id)

    def summary(self) -> dict:
        return self.one("div", "error-summary")

    def summary_links(self) -> list[str]:
        summary = self.summary()
        return [element["attrs"]["href"] for element in self.elements
                if element["tag"] == "a" and any(holder is summary
                                                 for holder in element["within"])]

    def descriptions(self, element: dict) -> str:
        ids = element["attrs"].get("aria-describedby", "").split()
        return " ".join(self.by_id(description)["text"] for description in ids)


def squeezed(text: str) -> str:
    return " ".join(text.split())


def registration(**overrides) -> dict:
    fields = {"username": "river_fern", "email": "river@example.org",
              "password": TEST_PASSWORD, "password_confirm": TEST_PASSWORD,
              "accept_guidelines": "y"}
    fields.update(overrides)
    return {key: value for key, value in fields.items() if value is not None}


@pytest.fixture
def refused_registration(client):
    return submit(client, "/register", registration(username="", email=""))


def test_a_refused_form_is_shown_again_with_a_summary_counting_its_problems(
        refused_registration):
    assert refused_registration.status_code == 422
    heading = Page(refused_registration).by_id("error-summary-title")
    assert heading["tag"] == "h2"
    assert squeezed(heading["text"]) == "There are 2 problems"


def test_a_single_problem_is_counted_in_the_singular(client):
    page = Page(submit(client, "/register", registration(username="")))
    assert squeezed(page.by_id("error-summary-title")["text"]) == "There is a problem"


def test_the_summary_can_take_the_focus_and_is_announced(refused_registration):
    attrs = Page(refused_registration).summary()["attrs"]
    assert attrs["tabindex"] == "-1"
    assert attrs["role"] == "alert"
    assert attrs["aria-labelledby"] == "error-summary-title"


def test_the_summary_comes_before_the_fields(refused_registration):
    page = Page(refused_registration)
    summary = page.elements.index(page.summary())
    assert summary < page.elements.index(page.by_id("username"))


def test_the_summary_links_to_each_invalid_field_by_its_id(refused_registration):
    page = Page(refused_registration)
    assert page.summary_links() == ["#username", "#email"]
    assert page.by_id("username")["tag"] == page.by_id("email")["tag"] == "input"


def test_each_link_names_the_field_and_says_what_is_wrong(refused_registration):
    text = squeezed(Page(refused_registration).summary()["text"])
    assert "Username: Choose a username." in text
    assert "Email: Enter your email address." in text


def test_each_invalid_field_is_marked_invalid_and_described_by_its_message(
        refused_registration):
    page = Page(refused_registration)
    for field, message in (("username", "Choose a username."),
                           ("email", "Enter your email address.")):
        element = page.by_id(field)
        assert element["attrs"]["aria-invalid"] == "true"
        assert message in page.descriptions(element)


def test_a_field_that_was_right_is_not_marked_invalid(refused_registration):
    assert "aria-invalid" not in Page(refused_registration).by_id("password")["attrs"]


def test_an_unticked_checkbox_is_marked_invalid_and_described_by_its_message(client):
    page = Page(submit(client, "/register", registration(accept_guidelines=None)))
    box = page.by_id("accept_guidelines")
    assert page.summary_links() == ["#accept_guidelines"]
    assert box["attrs"]["aria-invalid"] == "true"
    assert "Please accept the community guidelines to join." in page.descriptions(box)


def test_the_register_form_shown_again_keeps_what_was_typed_and_shows_the_summary(client):
    response = submit(client, "/register",
                      registration(password_confirm="something else entirely"))
    state = form_state(response.get_data(as_text=True))
    assert state["username"] == ["river_fern"]
    assert state["email"] == ["river@example.org"]
    assert Page(response).summary_links() == ["#password_confirm"]


def test_a_problem_with_the_whole_form_is_listed_without_a_link(client, member):
    page = Page(submit(client, "/login", {"login": member.username, "password": "not it"}))
    assert "That username or email and password do not match." in page.summary()["text"]
    assert page.summary_links() == []


def test_an_unanswered_radio_group_links_to_its_fieldset(client, make, login):
    post = make.reply(make.thread())
    login(make.user("fern"))
    page = Page(submit(client, f"/p/{post.id}/report", {"note": "Odd"}))
    group = page.by_id("reason")
    assert page.summary_links() == ["#reason"]
    assert group["tag"] == "fieldset"
    assert "Choose a reason" in page.descriptions(group)
    radios = page.all("input", type="radio", name="reason")
    assert radios and all(radio["attrs"].get("aria-invalid") == "true" for radio in radios)


def test_a_treatment_report_question_left_unanswered_links_to_its_question(
        client, make, login):
    make.treatments()
    login(make.user("fern"))
    page = Page(submit(client, "/outcomes/new", report_fields(ms_type=None)))
    group = page.by_id("ms_type")
    assert "#ms_type" in page.summary_links()
    assert group["tag"] == "fieldset"
    assert group["attrs"]["aria-describedby"].split()[-1] == "ms_type-error"


def test_a_search_that_cannot_run_has_the_summary_linked_to_the_date(client):
    page = Page(client.get("/search?q=fatigue&from=last+week"))
    assert page.summary_links() == ["#search-from"]
    date = page.by_id("search-from")
    assert date["attrs"]["aria-invalid"] == "true"
    assert "must be a date written as YYYY-MM-DD" in page.descriptions(date)


def test_a_form_shown_for_the_first_time_has_no_summary(client):
    assert Page(client.get("/register")).all(cls="error-summary") == []


def test_the_script_that_moves_the_focus_is_the_sites_own_and_deferred(
        client, refused_registration):
    script = Page(refused_registration).one("script", src="/static/js/forms.js")
    assert "defer" in script["attrs"]
    assert "script-src 'self'" in refused_registration.headers["Content-Security-Policy"]
    assert client.get("/static/js/forms.js").status_code == 200


def test_a_form_without_problems_does_not_load_the_focus_script(client):
    assert "forms.js" not in client.get("/register").get_data(as_text=True)
