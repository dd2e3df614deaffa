"""`make screenshots`: the main pages of the demo forum, as a phone and a desktop show them,
in the default and the high-contrast theme, into docs/screenshots/.

    .venv/bin/python tests/browser/screenshots.py [folder]

It builds its own demo forum in a temporary folder (the development database is left
alone) and drives Debian's Chromium at /usr/bin/chromium. The theme is chosen through the
real "Text size and contrast" page, as a visitor would.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parent))
from site_server import CHROMIUM, build_demo_app, serve  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
THEMES = {"default": "system", "high-contrast": "high-contrast"}


def main_pages(app) -> dict[str, str]:
    """Name -> path of the pages a newcomer sees first, looked up in the demo data."""
    from forum.boards.models import Category, Thread

    with app.app_context():
        from forum.extensions import db

        ccsvi = db.session.scalar(select(Category).where(Category.slug == "ccsvi"))
        thread = db.session.scalars(
            select(Thread).where(Thread.category_id == ccsvi.id).order_by(Thread.id)).first()
        return {
            "home": "/",
            "category": f"/c/{ccsvi.slug}",
            "thread": f"/t/{thread.id}/{thread.slug}",
            "treatment": "/outcomes/t/ccsvi-angioplasty",
            "resources": "/resources",
            "display": "/display",
        }


def choose_theme(page, server, theme: str) -> None:
    page.goto(server("/display"))
    page.locator(f"input[name=theme][value='{theme}']").check()
    page.locator("form.display-form button[type=submit], main form button[type=submit]").first.click()
    page.wait_for_load_state()


def take(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    taken = []
    with tempfile.TemporaryDirectory() as scratch:
        app = build_demo_app(Path(scratch))
        pages = main_pages(app)
        with serve(app) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
            for theme_name, theme in THEMES.items():
                for width_name, viewport in WIDTHS.items():
                    context = browser.new_context(viewport=viewport)
                    page = context.new_page()
                    choose_theme(page, server, theme)
                    for name, path in pages.items():
                        page.goto(server(path))
                        target = folder / f"{name}-{width_name}-{theme_name}.png"
                        page.screenshot(path=str(target))
                        taken.append(target)
                    context.close()
            browser.close()
    return taken


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    for path in take(out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
