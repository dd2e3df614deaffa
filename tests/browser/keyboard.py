"""Moving through a page as a keyboard user does: Tab, Shift+Tab, Enter, Space, typing.

Every Tab is followed by a look at the focus: it must be visible and in view, so each
journey also proves "focus visible after each Tab" on every page it passes through.
"""
from __future__ import annotations

from checks import focus_problem

MAX_TABS = 150

_ACTIVE = """() => {
  const el = document.activeElement;
  if (!el) return '';
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return [el.innerText || '', el.value || '', el.getAttribute('aria-label') || '',
          label, el.name || '', el.id || ''].join(' | ');
}"""


def tab(page, backwards: bool = False) -> None:
    page.keyboard.press("Shift+Tab" if backwards else "Tab")
    problem = focus_problem(page)
    assert not problem, f"after Tab on {page.url}: {problem}"


def focused_text(page) -> str:
    return page.evaluate(_ACTIVE)


def tab_to(page, text: str, backwards: bool = False) -> None:
    """Tab until the focused control's text, value, label, name or id contains `text`."""
    seen = []
    for _ in range(MAX_TABS):
        tab(page, backwards)
        current = focused_text(page)
        if text.lower() in current.lower():
            return
        seen.append(current.split(" | ")[0].strip()[:30])
    raise AssertionError(f"no control {text!r} reachable by Tab on {page.url}; passed {seen}")


def activate(page, text: str) -> None:
    """Tab to a link or button and press Enter, waiting for the page it leads to."""
    tab_to(page, text)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def fill(page, label: str, value: str) -> None:
    """Tab to a field and type into it, as a keyboard user does."""
    tab_to(page, label)
    page.keyboard.press("Control+A")
    page.keyboard.type(value)


def check_box(page, label: str) -> None:
    """Tab to a checkbox or radio and press Space (arrow keys move within a radio group)."""
    tab_to(page, label)
    page.keyboard.press("Space")


def choose(page, group: str, option: str) -> None:
    """Pick a radio button: Tab into its group (by the inputs' name), then arrow keys, which
    move and select within a group, until the option's label is reached."""
    tab_to(page, group)
    for _ in range(12):
        if option.lower() in focused_text(page).lower():
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {option!r} in the radio group {group!r} on {page.url}")
