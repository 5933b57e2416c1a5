"""API clients: a token for a user, and requests sent with it, each in its own context."""

import contextvars

import pytest

from fdac.api.tokens import create_token
from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.extensions import db
from tests import factories


class ApiClient:
    def __init__(self, flask_client, secret: str | None):
        self._client = flask_client
        self.secret = secret

    def request(self, method, path, *, token=True, headers=None, **kwargs):
        sent = dict(headers or {})
        if token and self.secret:
            sent.setdefault("Authorization", f"Bearer {self.secret}")
        db.session.commit()
        call = getattr(self._client, method.lower())
        response = contextvars.Context().run(call, path, headers=sent, **kwargs)
        db.session.commit()
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)


def make_lab(*teams) -> User:
    user = factories.make_user(Role.LAB, team=teams[0] if teams else None)
    user.team_id = None
    user.served_teams = list(teams)
    db.session.commit()
    return user


@pytest.fixture
def api_as(app, team):
    """api_as(role_or_user, days=None) -> an ApiClient with a fresh token of that user."""

    def make(who, days=None):
        user = factories.make_user(who, team=team) if isinstance(who, str) else who
        made = create_token(user, "Test token", days)
        db.session.commit()
        client = ApiClient(app.test_client(), made.secret)
        client.user, client.token = user, made.token
        return client

    return make


@pytest.fixture
def anonymous_api(app):
    return ApiClient(app.test_client(), None)
