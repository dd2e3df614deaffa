"""What axe cannot judge from the markup alone, measured in the rendered page."""
from __future__ import annotations

TARGET = 44  # CSS pixels, each way: everything a member presses (WCAG 2.5.5).

# A link inside running text (other words around it in its block, and laid out inline)
# is exempt, as WCAG's "inline" exception allows; so is what a member wrote in a post.
_SMALL_TARGETS = """
target => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary,'
            + ' [role=button], [tabindex]:not([tabindex="-1"])';
  const describe = el => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim();
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
      + ' "' + text.slice(0, 40) + '"';
  };
  const inRunningText = el => {
    if (el.closest('.post-body, .profile-bio, .search-snippet, .evidence-text')) return true;
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const block = el.parentElement.closest('p, li, dd, dt, td, th, figcaption, blockquote, h1, h2, h3, h4, legend, label, nav, div');
    return block && block.innerText.trim() !== el.innerText.trim();
  };
  const box = el => {
    let r = el.getBoundingClientRect();
    let [left, top, right, bottom] = [r.left, r.top, r.right, r.bottom];
    // A checkbox or radio presses through its label too.
    if (el.labels && (el.type === 'checkbox' || el.type === 'radio')) {
      for (const label of el.labels) {
        const l = label.getBoundingClientRect();
        left = Math.min(left, l.left); top = Math.min(top, l.top);
        right = Math.max(right, l.right); bottom = Math.max(bottom, l.bottom);
      }
    }
    return {width: right - left, height: bottom - top, shown: r.width > 0 && r.height > 0 && r.right > 0};
  };
  const small = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('[hidden], .honeypot, [aria-hidden=true]') || inRunningText(el)) continue;
    const b = box(el);
    if (!b.shown) continue;
    if (b.width < target - 0.5 || b.height < target - 0.5)
      small.push(describe(el) + ' is ' + Math.round(b.width) + 'x' + Math.round(b.height));
  }
  return small;
}
"""


def small_targets(page) -> list[str]:
    return page.evaluate(_SMALL_TARGETS, TARGET)


def sideways_overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def h1_count(page) -> int:
    return page.locator("h1").count()


_FOCUS_SHOWN = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return 'nothing has the focus';
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
  const ring = style.boxShadow && style.boxShadow !== 'none';
  if (!outline && !ring) return 'no visible focus indicator on ' + el.outerHTML.slice(0, 120);
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0 || r.bottom < 0 || r.right < 0
      || r.top > window.innerHeight || r.left > window.innerWidth)
    return 'the focus is out of sight on ' + el.outerHTML.slice(0, 120);
  return '';
}
"""


def focus_problem(page) -> str:
    """Empty when the focused element shows a focus indicator and is in view."""
    return page.evaluate(_FOCUS_SHOWN)


# Where the focus is (a path of tag names and positions, '' when on no element) and what
# focus_problem says of it, in one round trip: a walk makes up to 80 of them per page.
_FOCUS_STEP = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return ['', ''];
  const path = [];
  for (let node = el; node && node !== document.body; node = node.parentElement) {
    const position = Array.prototype.indexOf.call(node.parentElement.children, node);
    path.unshift(node.tagName + ':' + position);
  }
  return [path.join('/'), (FOCUS_SHOWN)()];
}
""".replace("FOCUS_SHOWN", _FOCUS_SHOWN.strip())


def focus_walk(page, limit: int = 80) -> list[str]:
    """Tab through the page (at most `limit` times, stopping when the focus leaves the page
    or comes round again), and say where the focus could not be seen."""
    problems: list[str] = []
    seen: set[str] = set()
    for step in range(1, limit + 1):
        page.keyboard.press("Tab")
        where, problem = page.evaluate(_FOCUS_STEP)
        if not where or where in seen:
            break
        seen.add(where)
        if problem:
            problems.append(f"Tab {step}: {problem}")
    return problems


def skip_link_problem(page) -> str:
    """Empty when the first Tab shows "Skip to main content" and Enter on it puts the focus
    in <main>."""
    page.keyboard.press("Tab")
    text = page.evaluate("() => (document.activeElement.innerText || '').trim()")
    if text != "Skip to main content":
        return f"the first Tab reached {text[:60]!r}, not the skip link"
    problem = focus_problem(page)
    if problem:
        return f"the skip link: {problem}"
    page.keyboard.press("Enter")
    inside = page.evaluate(
        "() => !!document.activeElement && !!document.activeElement.closest('main')")
    return "" if inside else "Enter on the skip link left the focus outside <main>"
