"""A real server for a real browser: the app on a free port in a thread of this process.

The browser tests and `make screenshots` share it. `serve(app)` serves any app (a test's
own, on the test's database); `demo_site(folder)` builds a forum of its own in `folder`,
migrated and loaded with the demo data, for scanning every page there is.
"""
from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")

# One line per request would bury a failing test's own output.
logging.getLogger("werkzeug").setLevel(logging.WARNING)


class LiveServer:
    def __init__(self, app: Flask):
        self.app = app
        # Threaded, as gunicorn's workers are: a page's CSS and avatars load side by side.
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def __call__(self, path: str = "/") -> str:
        return self.url + path


def serve(app: Flask) -> LiveServer:
    return LiveServer(app)


def site_config(folder: Path) -> dict:
    """A forum whose every file lives in `folder`; rate limits off, as the browser tests
    submit the same forms many times over."""
    return {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'forum.sqlite3'}",
        "SECRET_KEY": "browser-test-secret-key",
        "MAIL_BACKEND": "file",
        "MAIL_OUTBOX": str(folder / "outbox"),
        "EXPORTS_FOLDER": str(folder / "exports"),
        "RATELIMIT_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PASSWORD_TIME_COST": 1,
        "PASSWORD_MEMORY_COST": 8,
        "FORUM_BASE_URL": "http://localhost",
    }


@contextmanager
def _instance(folder: Path) -> Iterator[None]:
    # create_app reads its instance folder from the environment.
    before = os.environ.get("INSTANCE_PATH")
    os.environ["INSTANCE_PATH"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("INSTANCE_PATH", None)
        else:
            os.environ["INSTANCE_PATH"] = before


def build_demo_app(folder: Path) -> Flask:
    """A migrated SQLite forum in `folder` holding the demo data (`flask forum seed-demo`)."""
    from flask_migrate import upgrade

    from forum import create_app, demo
    from forum.extensions import db

    folder.mkdir(parents=True, exist_ok=True)
    with _instance(folder):
        app = create_app(site_config(folder))
    with app.app_context():
        upgrade()
        demo.seed()
        db.session.commit()
        db.session.remove()
    return app


@contextmanager
def demo_site(folder: Path) -> Iterator[LiveServer]:
    app = build_demo_app(folder)
    with serve(app) as server:
        yield server
    with app.app_context():
        from forum.extensions import db

        db.engine.dispose()
