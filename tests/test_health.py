from flask import url_for


def test_health_check_answers_without_sign_in_when_the_database_is_reachable(client):
    response = client.raw.get(url_for("health.healthz"))
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
