"""The app on a migrated database (SQLite by default, PostgreSQL when FDAC_TEST_DATABASE_URL
says so), emptied after every test, and clients signed in as each role."""

import contextvars
import os
import tempfile
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import url_for
from flask_migrate import upgrade
from sqlalchemy import text
from werkzeug.serving import make_server

from fdac import create_app
from fdac.extensions import db, limiter
from tests import factories
from tests.auth import second_step

_TMP = Path(tempfile.mkdtemp(prefix="fdac-tests-"))


def _database_url() -> str:
    return os.environ.get("FDAC_TEST_DATABASE_URL") or f"sqlite:///{_TMP / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app():
    url = _database_url()
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": url,
            "FDAC_CASES_PER_PAGE": 5,
        }
    )
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:  # start from nothing, as a fresh deployment does
                conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()  # the migrations, not create_all: what production runs
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # close pooled connections before the interpreter does, noisily


@pytest.fixture(scope="session")
def live_server(app):
    """The test app (this database) on a free loopback port, as a browser or curl sees it:
    yields its base URL, e.g. http://127.0.0.1:40123."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(autouse=True)
def _app_context(app):
    # A request context, so url_for() in tests gives the same paths as the app's redirects.
    with app.test_request_context():
        yield
        db.session.remove()
        _empty_database()
        # The sign-in limits count per address in memory: each test starts with none spent.
        limiter.reset()


def _empty_database() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Table names come from our own metadata, not from input. TRUNCATE fires no row
            # trigger, so the audit trail's refusal of DELETE does not stop it.
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))  # noqa: S608
        else:
            # The audit trail refuses DELETE (a trigger, migration 0007): lift it for the
            # emptying only, and put back exactly what the migration created, in one
            # transaction, so no test ever runs without it.
            triggers = conn.execute(
                text(
                    "SELECT name, sql FROM sqlite_master "
                    "WHERE type = 'trigger' AND tbl_name = 'audit_events'"
                )
            ).all()
            for name, _ in triggers:
                conn.execute(text(f'DROP TRIGGER "{name}"'))
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608
            for _, sql in triggers:
                conn.execute(text(sql))


class IsolatedClient:
    """A Flask test client whose requests run as they do in production: each in its own app
    context (own `g`, own database session), not inside the test's context.

    The test's session commits before each request and starts afresh after it, so the
    test sees exactly what the request committed.
    """

    def __init__(self, flask_client):
        self._client = flask_client

    def _run(self, method, *args, **kwargs):
        db.session.commit()
        response = contextvars.Context().run(getattr(self._client, method), *args, **kwargs)
        db.session.commit()
        return response

    def get(self, *args, **kwargs):
        return self._run("get", *args, **kwargs)

    def post(self, *args, **kwargs):
        return self._run("post", *args, **kwargs)


class PageClient:
    """Requests by endpoint name, checks the status, returns the page parsed (notify-style)."""

    def __init__(self, flask_client):
        self.raw = IsolatedClient(flask_client)

    def get(self, endpoint, _expected_status=200, **values):
        response = self.raw.get(url_for(endpoint, **values))
        assert response.status_code == _expected_status, response.location or response.text[:500]
        return BeautifulSoup(response.data, "html.parser")

    def post(self, endpoint, data=None, _expected_status=302, _follow=False, **values):
        """Submit a form as a browser does: read its CSRF token from the page first."""
        url = url_for(endpoint, **values)
        page = BeautifulSoup(self.raw.get(url).data, "html.parser")
        token = page.select_one("input[name=csrf_token]")
        form = {"csrf_token": token["value"] if token else ""}
        form.update(data or {})
        response = self.raw.post(url, data=form, follow_redirects=_follow)
        assert response.status_code == _expected_status, response.location or error_summary(
            BeautifulSoup(response.data, "html.parser")
        )
        return (
            response
            if response.status_code in (301, 302, 303)
            else BeautifulSoup(response.data, "html.parser")
        )

    def sign_in(self, email, password=factories.PASSWORD):
        """Sign in as a person does, two-factor sign-in included: the password, then the code
        their app shows (tests/auth/second_step.py). Returns the last redirect."""
        second_step.ready(email)
        response = self.post("auth.sign_in", {"email": email, "password": password})
        if response.location != url_for("auth.two_factor_code"):
            return response  # two-factor sign-in switched off
        return self.post("auth.two_factor_code", {"code": second_step.next_code(email)})


@pytest.fixture
def client(app):
    return PageClient(app.test_client())


@pytest.fixture
def team():
    return factories.make_team()


@pytest.fixture
def signed_in(app, team):
    """signed_in(role_or_user) -> a PageClient with that person signed in."""

    def sign_in(who, **kwargs):
        user = factories.make_user(who, team=team, **kwargs) if isinstance(who, str) else who
        page_client = PageClient(app.test_client())
        page_client.sign_in(user.email)
        page_client.user = user
        return page_client

    return sign_in


def error_summary(page) -> list[str]:
    summary = page.select_one(".govuk-error-summary")
    return [a.get_text(strip=True) for a in summary.select("a")] if summary else []
