from flask import url_for

from fdac.extensions import db
from tests import factories
from tests.conftest import error_summary

GENERIC = "Enter a correct email address and password"


def test_team_manager_signs_in_and_lands_on_the_case_list(client, team):
    manager = factories.make_user("team_manager", team=team)
    response = client.sign_in(manager.email.upper())  # email is not case-sensitive
    assert response.location == url_for("home")
    assert client.get("cases.index").h1.get_text() == "Cases"


def test_wrong_password_and_unknown_email_get_the_same_generic_error(client, team):
    user = factories.make_user("practitioner", team=team)
    wrong_password = client.post(
        "auth.sign_in", {"email": user.email, "password": "nope"}, _expected_status=200
    )
    unknown = client.post(
        "auth.sign_in", {"email": "nobody@example.org", "password": "nope"}, _expected_status=200
    )
    assert error_summary(wrong_password) == error_summary(unknown) == [GENERIC]


def test_deactivated_user_is_refused_with_the_generic_error(client, team):
    user = factories.make_user("practitioner", team=team, active=False)
    page = client.post(
        "auth.sign_in", {"email": user.email, "password": factories.PASSWORD}, _expected_status=200
    )
    assert error_summary(page) == [GENERIC]


def test_deactivation_ends_an_existing_session_at_once(signed_in):
    worker = signed_in("practitioner")
    worker.get("cases.index")
    worker.user.active = False
    db.session.commit()
    response = worker.raw.get(url_for("cases.index"))
    assert response.status_code == 302
    assert response.location.startswith(url_for("auth.sign_in"))


def test_sign_in_only_follows_next_within_the_site(client, team):
    user = factories.make_user("practitioner", team=team)
    page = client.raw.get(url_for("auth.sign_in", next="https://evil.example/x"))
    token = (
        __import__("bs4")
        .BeautifulSoup(page.data, "html.parser")
        .select_one("input[name=csrf_token]")["value"]
    )
    response = client.raw.post(
        url_for("auth.sign_in", next="https://evil.example/x"),
        data={"csrf_token": token, "email": user.email, "password": factories.PASSWORD},
    )
    assert response.location == url_for("home")


def test_anonymous_visitor_is_sent_to_sign_in_and_back_after(client, team):
    case = factories.make_case(team)
    factories.make_user("team_manager", team=team, email="m@example.org")
    response = client.raw.get(url_for("cases.show", reference=case.reference))
    assert response.location.startswith(url_for("auth.sign_in"))
    back = client.raw.post(
        response.location,
        data={
            "csrf_token": __import__("bs4")
            .BeautifulSoup(client.raw.get(response.location).data, "html.parser")
            .select_one("input[name=csrf_token]")["value"],
            "email": "m@example.org",
            "password": factories.PASSWORD,
        },
    )
    assert back.location == f"/cases/{case.reference}"


def test_post_without_csrf_token_is_refused(signed_in, team):
    manager = signed_in("team_manager")
    response = manager.raw.post(url_for("cases.new"), data={"reference": "FDAC-2026-0001"})
    assert response.status_code == 400
    assert "Nothing was saved" in response.get_data(as_text=True)


def test_forced_password_change_blocks_everything_else_until_done(signed_in, team):
    user = factories.make_user("practitioner", team=team, must_change_password=True)
    worker = signed_in(user)
    response = worker.raw.get(url_for("cases.index"))
    assert response.location == url_for("auth.change_password")
    short = worker.post(
        "auth.change_password",
        {
            "current_password": factories.PASSWORD,
            "new_password": "short",
            "confirm_password": "short",
        },
        _expected_status=200,
    )
    assert error_summary(short) == ["Password must be 12 characters or more"]
    worker.post(
        "auth.change_password",
        {
            "current_password": factories.PASSWORD,
            "new_password": "a much longer secret",
            "confirm_password": "a much longer secret",
        },
    )
    db.session.refresh(user)
    assert not user.must_change_password and user.check_password("a much longer secret")
    worker.get("cases.index")


def test_pages_carry_security_headers_and_are_not_cached(signed_in):
    response = signed_in("team_manager").raw.get(url_for("cases.index"))
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "'nonce-" in csp
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
