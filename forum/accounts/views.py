"""The settings pages' home: one blueprint for /settings and /u/<username>.

Each part of the settings lives in a module of its own that adds its routes to `bp`;
`SECTIONS` is the settings page's table of contents, in the order members see it.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from forum.permissions import require

bp = Blueprint("accounts", __name__)


@dataclass(frozen=True)
class Section:
    endpoint: str
    title: str
    summary: str


SECTIONS = (
    Section("accounts.edit_profile", "Profile",
            "Your display name, a few words about you, and who sees your health details."),
    Section("accounts.privacy", "Privacy", "Who sees your health details and your posts."),
    Section("accounts.display", "Display",
            "Text size, contrast, dark theme, motion and a reading-friendly font."),
    Section("accounts.account", "Account", "Your email address and password."),
    Section("accounts.sessions", "Signed-in devices", "Where you are signed in; sign out of any."),
    Section("accounts.email_preferences", "Email", "Which mail Outflow sends you."),
    Section("accounts.export", "Download your data", "Everything you wrote, in one file."),
    Section("accounts.delete", "Delete your account", "Leave, with or without your posts."),
)


def live_sections() -> list[Section]:
    """The sections whose pages exist in this build."""
    endpoints = current_app.view_functions
    return [section for section in SECTIONS if section.endpoint in endpoints]


@bp.app_context_processor
def _settings_sections() -> dict:
    return {"settings_sections": live_sections}


@bp.get("/settings")
@login_required
def settings():
    require(current_user, "account.settings", current_user)
    return render_template("accounts/settings.html", sections=live_sections())


# The sections add their routes to bp when imported.
from forum.accounts import (  # noqa: E402,F401
    account_views, deletion_views, display_views, export_views, profile_views,
)
