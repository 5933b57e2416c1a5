"""The tokens pages (own tokens; an admin's view of all) and a laboratory's served teams."""

from sqlalchemy import select

from fdac.api.models import ApiToken
from fdac.api.tokens import create_token, digest
from fdac.auth.models import User
from fdac.auth.roles import Role
from fdac.cli import fdac_cli
from fdac.extensions import db
from tests import factories
from tests.conftest import error_summary


def test_a_user_creates_a_token_shown_once_and_revokes_it(signed_in):
    me = signed_in("practitioner")
    page = me.post("tokens.new", {"name": "Council feed", "days": "30"}, _expected_status=200)
    secret = page.select_one("#api-token").get_text(strip=True)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == me.user.id))
    assert token.token_hash == digest(secret) and token.name == "Council feed"
    listing = me.get("tokens.mine")
    assert token.prefix in listing.get_text() and secret not in str(listing)
    # Revoking asks first, then stops the token.
    assert "Revoke the token" in me.get("tokens.revoke", token_id=token.id).h1.get_text()
    me.post("tokens.revoke", token_id=token.id)
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None


def test_someone_elses_token_is_not_found_but_an_admin_revokes_any(signed_in, team):
    owner = factories.make_user("practitioner", team=team)
    made = create_token(owner, "Owner's")
    db.session.commit()
    signed_in("practitioner").get("tokens.revoke", _expected_status=404, token_id=made.token.id)
    admin = signed_in("admin")
    assert made.token.prefix in admin.get("tokens.all_tokens").get_text()
    admin.post("tokens.revoke", token_id=made.token.id)
    db.session.expire_all()
    revoked = db.session.get(ApiToken, made.token.id)
    assert revoked.revoked_by_id == admin.user.id


def test_token_name_is_required(signed_in):
    page = signed_in("judge").post("tokens.new", {"name": "", "days": ""}, _expected_status=200)
    assert error_summary(page) == ["Enter a name for the token"]


def test_admin_creates_a_laboratory_serving_teams(signed_in, team):
    other = factories.make_team()
    admin = signed_in("admin")
    form = {
        "name": "North Lab",
        "email": "results@northlab.example",
        "role": "lab",
        "team_id": "",
        "password": "temporary password 1",
    }
    page = admin.post("users.new", form, _expected_status=200)
    assert error_summary(page) == ["Select the teams this laboratory serves"]
    admin.post("users.new", form | {"served_team_ids": [str(team.id), str(other.id)]})
    lab = db.session.scalar(select(User).where(User.email == "results@northlab.example"))
    assert lab.role is Role.LAB and lab.team_id is None
    assert lab.served_team_ids == {team.id, other.id}
    # Editing keeps them, shown checked; a lab with a team of its own is refused.
    edit = admin.get("users.edit", user_id=lab.id)
    assert len(edit.select("input[name=served_team_ids][checked]")) == 2
    page = admin.post(
        "users.edit",
        form | {"team_id": str(team.id), "served_team_ids": [str(team.id)]},
        _expected_status=200,
        user_id=lab.id,
    )
    assert error_summary(page) == ["A laboratory does not belong to a team: select No team"]


def test_cli_creates_a_laboratory(app, team):
    runner = app.test_cli_runner()
    result = runner.invoke(
        fdac_cli,
        ["create-user", "lab@example.org", "--name", "Lab", "--role", "lab",
         "--serves", team.name, "--password", "long enough password"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lab = db.session.scalar(select(User).where(User.email == "lab@example.org"))
    assert lab.served_team_ids == {team.id}
