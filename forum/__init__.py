"""Outflow: a discussion forum for people living with MS and CCSVI."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from forum import config as settings
from forum.extensions import csrf, db, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=settings.instance_path().as_posix(),
    )
    app.config.update(settings.from_environment())
    if overrides:
        app.config.update(overrides)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    _init_login(app)

    from forum import caching, cli, models, templating, unit_of_work, web  # noqa: F401
    from forum.accounts.views import bp as accounts_bp
    from forum.admin.views import bp as admin_bp
    from forum.auth.views import bp as auth_bp
    from forum.boards.views import bp as boards_bp
    from forum.moderation.views import bp as moderation_bp
    from forum.moderation.views import reports_bp
    from forum.notify.views import bp as notify_bp
    from forum.outcomes.admin_views import bp as treatments_bp
    from forum.outcomes.dashboard import bp as figures_bp
    from forum.outcomes.reminders_views import bp as reminders_bp
    from forum.outcomes.views import bp as outcomes_bp
    from forum.resources.views import bp as resources_bp
    from forum.search.views import bp as search_bp

    web.init_app(app)
    caching.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    for blueprint in (auth_bp, boards_bp, moderation_bp, reports_bp, notify_bp, admin_bp,
                      resources_bp, reminders_bp, outcomes_bp, treatments_bp, figures_bp,
                      accounts_bp, search_bp):
        app.register_blueprint(blueprint)
    unit_of_work.init_app(app)
    return app


def _init_login(app: Flask) -> None:
    from forum.auth.services import load_session_user

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to do that."
    login_manager.login_message_category = "info"
    # Sessions live on the server (LoginSession), so Flask-Login's IP/agent hashing adds nothing.
    login_manager.session_protection = None
    login_manager.user_loader(load_session_user)
