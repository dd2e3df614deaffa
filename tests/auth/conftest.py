"""Account tests send every request through its own application context, as a server does.

The shared `app` fixture keeps one application context pushed for the whole test, and
Flask reuses a pushed context for each test request. `g`, where Flask-Login caches the
signed-in user, and the database session would then carry over from one request, and one
client, to the next: a fresh client holding a dead cookie would still look signed in (or
signed out) because of the request before it, and the session tests would prove nothing.
Here each request (redirects included) gets a fresh context, so only the cookies decide
who is signed in.
"""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient


class OwnContextClient(FlaskClient):
    def run_wsgi_app(self, environ, buffered=False):
        with self.application.app_context():
            return super().run_wsgi_app(environ, buffered=buffered)


@pytest.fixture
def client(app):
    return OwnContextClient(app, app.response_class)


@pytest.fixture
def new_client(app):
    """Another browser: no cookies shared with `client`."""
    return lambda: OwnContextClient(app, app.response_class)
