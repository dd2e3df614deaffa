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
        # A visually hidden part of a name ("Report<span> post by …</span>") comes back from
        # innerText on a line of its own: compare the words only.
        if " ".join(text.lower().split()) in " ".join(current.lower().split()):
            return
        seen.append(current.split(" | ")[0].strip()[:30])
    raise AssertionError(f"no control {text!r} reachable by Tab on {page.url}; passed {seen}")


def activate(page, text: str) -> None:
    """Tab to a link or button and press Enter, waiting for the page it leads to."""
    tab_to(page, text)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    settle(page)


def settle(page) -> None:
    """Wait for the page's first frame to be drawn. Opening an address with a #fragment
    moves the focus's starting point (or the focus) at that frame, and a Tab pressed
    before it would be undone; a screenshot waits for a frame, with or without JavaScript."""
    page.screenshot(clip={"x": 0, "y": 0, "width": 1, "height": 1})


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


def pick(page, label: str, option: str) -> None:
    """Pick from a closed drop-down as a keyboard user does: Tab to it, then arrow keys
    (which change a closed select's choice in place) until the option is chosen."""
    tab_to(page, label)
    texts = page.evaluate("() => [...document.activeElement.options].map(o => o.text)")
    wanted = next((i for i, text in enumerate(texts) if option.lower() in text.lower()), None)
    assert wanted is not None, f"no option {option!r} in {label!r}: {texts}"
    current = page.evaluate("() => document.activeElement.selectedIndex")
    key = "ArrowDown" if wanted > current else "ArrowUp"
    for _ in range(abs(wanted - current)):
        page.keyboard.press(key)
    chosen = page.evaluate("() => document.activeElement.selectedIndex")
    assert chosen == wanted, f"the arrow keys chose {texts[chosen]!r}, not {option!r}"


_LABEL = """() => {
  const el = document.activeElement;
  return el && el.labels && el.labels.length ? el.labels[0].innerText : '';
}"""
_CONTROL_TEXT = """() => {
  const el = document.activeElement;
  return el && el.matches('a[href], button, summary') ? el.innerText : '';
}"""


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def _tab_until(page, script: str, matches, wanted: str) -> None:
    seen = []
    for _ in range(MAX_TABS):
        tab(page)
        current = _words(page.evaluate(script))
        if matches(current):
            return
        seen.append(current[:30])
    raise AssertionError(f"no {wanted} reachable by Tab on {page.url}; passed {seen}")


def tab_to_field(page, label: str) -> None:
    """Tab until the focused field's label is exactly `label` (a link that mentions the
    same words, such as "Quote … in your reply", is passed by)."""
    _tab_until(page, _LABEL, lambda current: current == _words(label),
               f"field labelled {label!r}")


def fill_field(page, label: str, value: str) -> None:
    """Tab to the field labelled exactly `label` and type into it."""
    tab_to_field(page, label)
    page.keyboard.press("Control+A")
    page.keyboard.type(value)


def tab_to_control(page, text: str, exact: bool = False) -> None:
    """Tab until a link or button whose text holds `text` (is `text`, when exact) has the
    focus: a scrolling region or a field whose text mentions the same words is passed by."""
    wanted = _words(text)
    _tab_until(page, _CONTROL_TEXT,
               lambda current: current == wanted if exact else wanted in current,
               f"link or button {text!r}")


def follow(page, text: str, exact: bool = False) -> None:
    """Tab to the link or button whose text holds `text` (or is `text`), press Enter and
    wait for the page it leads to; unlike `activate`, passing by any other element that
    mentions the same words (a scrolling region holding the link, a field's label)."""
    tab_to_control(page, text, exact)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    settle(page)
