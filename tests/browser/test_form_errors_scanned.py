"""Every form of the forum in its error state, scanned by axe in the default, high-contrast
and dark themes and at 175% text.

The browser sends each form empty or with values the forum refuses, from the catalogue page
it sits on, as its reader; the re-shown page must be a 4xx with what was typed, and pass
the scan. Only refused submissions are made, so the demo data others read stays as it was.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

import axe
import pages
import readers as reading
from readers import VARIANTS

# A visitor's form sent to a members' page: what a member sees after being signed out in
# another tab while writing (the token is still good, the session is gone).
_SIGNED_OUT = """() => {
  const form = document.querySelector('main form');
  form.action = '/c/living-with-ms/new';
  const typed = [['title', 'Heat and fatigue'], ['body', 'What I wrote at length.']];
  for (const [name, value] of typed) {
    const input = document.createElement('input');
    input.type = 'hidden'; input.name = name; input.value = value;
    form.append(input);
  }
}"""
_EXPIRED = "() => { document.querySelector('main form [name=csrf_token]').value = 'expired'; }"


@dataclass(frozen=True)
class Refused:
    name: str
    page: str                  # the catalogue page the form is on (its reader and address)
    button: str                # the submit button's name
    typed: dict[str, str] = field(default_factory=dict)   # field name: what to type
    untick: tuple[str, ...] = ()                          # radio groups left unanswered
    script: str = ""           # run in the page before sending, for the odd cases
    status: int = 422


FORMS = [
    # Visitors
    Refused("sign-in", "sign-in", "Sign in", status=422),
    Refused("join", "join", "Create my account"),
    Refused("reset-request", "reset-request", "Send the link"),
    Refused("reset-password", "reset-password", "Save the new password",
            {"password": "short", "password_confirm": "different"}),
    Refused("display", "display", "Save display settings", untick=("text_size", "theme")),
    Refused("search-bad-date", "search", "Search", {"q": "fatigue", "from": "last spring"}),
    Refused("signed-out-while-writing", "display", "Save display settings",
            script=_SIGNED_OUT, status=401),
    Refused("expired-form", "new-thread", "Post thread",
            {"title": "Heat and fatigue", "body": "What I wrote at length."},
            script=_EXPIRED, status=400),
    # Members
    Refused("new-thread", "new-thread", "Post thread"),
    Refused("reply", "thread-signed-in", "Post reply"),
    Refused("edit-post", "edit-post", "Save changes", {"body": ""}),
    Refused("report-post", "report-post", "Send the report"),
    Refused("profile", "settings-profile", "Save your profile", {"diagnosis_year": "soon"}),
    Refused("change-email", "settings-account", "Send the confirmation link",
            {"email": "not an address"}),
    Refused("change-password", "settings-account", "Change my password"),
    Refused("email-preferences", "settings-email-preferences", "Save my email settings",
            untick=("replies",)),
    Refused("settings-display", "settings-display", "Save display settings",
            untick=("text_size", "theme")),
    Refused("delete-account", "delete-account", "Delete my account"),
    # Treatment reports
    Refused("treatment-report", "new-treatment-report", "File the report"),
    Refused("correct-treatment-report", "correct-treatment-report", "Save the corrections",
            {"diagnosis_year": "long ago"}),
    Refused("follow-up", "follow-up", "Save the follow-up"),
    Refused("correct-follow-up", "correct-follow-up", "Save the corrections",
            {"relapses": "a few"}),
    # Moderators: a reason is required, and none is given
    Refused("hide-post", "hide-post", "Hide this post"),
    Refused("reject-post", "reject-post", "Reject the post"),
    Refused("suspend-member", "suspend-member", "Suspend slow_tortoise", {"days": ""}),
    Refused("clear-profile-field", "clear-profile-field", "Clear the bio"),
    Refused("evidence-note", "evidence-note", "Save the note", {"note": ""}),
    Refused("hide-resource", "hide-resource", "Hide the link"),
    Refused("hide-treatment-report", "hide-treatment-report", "Hide the report"),
    # Clinic staff
    Refused("pin-resource", "pin-resource", "Pin the link"),
    Refused("edit-resource", "edit-resource", "Save changes",
            {"title": "", "url": "not a web address"}),
    # Admins
    Refused("site-settings", "site-settings", "Save settings", {"approval_posts": "lots"}),
    Refused("add-clinic", "clinics", "Add the clinic"),
    Refused("member-role", "member-role", "Save the role", {"role": "clinic_staff", "clinic": ""}),
    Refused("add-treatment", "treatments", "Add the treatment"),
    Refused("edit-treatment", "edit-treatment", "Save", {"name": ""}),
]
BY_NAME = {entry.name: entry for entry in pages.CATALOGUE}
CASES = [(variant, form) for variant in VARIANTS for form in FORMS]


@pytest.fixture(scope="session")
def readers(demo_site, chromium):
    yield reading.readers_for(chromium, demo_site)
    reading.close_all()


def _type(page, name: str, value: str) -> None:
    control = page.locator(f"main form [name='{name}']").first
    if control.evaluate("el => el.tagName") == "SELECT":
        control.select_option(value)
    else:
        control.fill(value)


def send_refused(page, form: Refused):
    """Fill in and send the form as its reader would; returns the response."""
    for name, value in form.typed.items():
        _type(page, name, value)
    for name in form.untick:
        page.evaluate("name => document.querySelectorAll(`main [name='${name}']`)"
                      ".forEach(input => { input.checked = false; })", name)
    if form.script:
        page.evaluate(form.script)
    with page.expect_navigation() as navigation:
        page.locator("main").get_by_role("button", name=form.button, exact=True).click()
    return navigation.value


def lost_typing(page, form: Refused) -> list[str]:
    """What the re-shown page no longer holds of what was typed (passwords are never
    shown again; a refused token hands the text back on the error page instead)."""
    if form.script:
        shown = " ".join(page.locator("main textarea").evaluate_all("all => all.map(t => t.value)"))
        return [value for value in ("Heat and fatigue", "What I wrote at length.")
                if value not in shown]
    lost = []
    for name, value in form.typed.items():
        control = page.locator(f"main form [name='{name}']").first
        if value and control.get_attribute("type") != "password" \
                and control.input_value() != value:
            lost.append(f"{name}: {value!r}")
    return lost


@pytest.mark.parametrize(("variant", "form"), CASES,
                         ids=[f"{form.name}-{variant}" for variant, form in CASES])
def test_refused_form_comes_back_with_what_was_typed_and_passes_axe(readers, variant, form):
    entry = BY_NAME[form.page]
    page = readers[entry.role].visit(entry, variant)
    response = send_refused(page, form)
    assert response.status == form.status, (
        f"{form.name}: {response.status}, expected {form.status} (a refusal)")
    assert not lost_typing(page, form), f"{form.name} lost {lost_typing(page, form)}"
    axe.check(page, f"{form.name} refused, as {entry.role}, {variant}: {page.url}")


def test_every_form_is_sent_from_a_catalogue_page():
    assert {form.page for form in FORMS} <= BY_NAME.keys()
    assert len({form.name for form in FORMS}) == len(FORMS)
