"""Bodies: JSON only, parsed strictly, every bad field named with its path (a test endpoint)."""

import pytest
from flask import Blueprint
from pydantic import Field

from fdac.api import spec
from fdac.api.errors import field_path
from fdac.api.spec import ApiModel
from fdac.extensions import db


class Segment(ApiModel):
    from_cm: float = Field(ge=0, le=100)
    to_cm: float = Field(ge=0, le=100)


class Body(ApiModel):
    name: str
    segments: list[Segment]


def test_field_paths():
    assert field_path(("segments", 1, "to_cm")) == "segments[1].to_cm"
    assert field_path(()) is None


@pytest.fixture
def echo_client(app, monkeypatch):
    """A throwaway app with one POST endpoint on a fresh API blueprint."""
    from fdac import create_app

    test_bp = Blueprint("api", "fdac.api.spec", url_prefix="/api/v1")
    monkeypatch.setattr(spec, "bp", test_bp)
    monkeypatch.setattr(spec, "ENDPOINTS", [])

    @spec.api("POST", "/echo", summary="Echo", body=Body, answer=Body, status=201)
    def echo(body: Body):
        return body

    monkeypatch.setattr("fdac.api.setup.bp", test_bp)
    monkeypatch.setattr("fdac.api.setup.blueprint", lambda: test_bp)
    other = create_app(dict(app.config))
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()  # its pooled connections, closed now rather than by the collector


def test_body_rules(echo_client, api_as):
    from tests.api.conftest import ApiClient

    secret = api_as("practitioner").secret
    client = ApiClient(echo_client.test_client(), secret)
    good = {"name": "x", "segments": [{"from_cm": 0, "to_cm": 1}]}
    assert client.post("/api/v1/echo", json=good).status_code == 201
    bad = {"segments": [{"from_cm": 0, "to_cm": 1}, {"from_cm": 0, "to_cm": 500}], "x": 1}
    response = client.post("/api/v1/echo", json=bad)
    assert response.status_code == 422
    fields = sorted(e["field"] for e in response.get_json()["errors"])
    assert fields == ["name", "segments[1].to_cm", "x"]
    assert client.post("/api/v1/echo", data="name=x").status_code == 415
    response = client.post("/api/v1/echo", data="{nope", content_type="application/json")
    assert response.status_code == 400
    response = client.post("/api/v1/echo", data='{"name": NaN}', content_type="application/json")
    assert response.status_code == 400
    assert client.post("/api/v1/echo", json=[1, 2]).status_code == 422
