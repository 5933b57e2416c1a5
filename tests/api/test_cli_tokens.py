"""flask fdac create-token / list-tokens / revoke-token."""

from sqlalchemy import select

from fdac.api.models import ApiToken
from fdac.api.tokens import digest
from fdac.cli import fdac_cli
from fdac.extensions import db
from tests import factories


def test_create_list_revoke(app):
    user = factories.make_user("practitioner", email="lab.feed@example.org")
    runner = app.test_cli_runner()
    made = runner.invoke(fdac_cli, ["create-token", "LAB.FEED@example.org", "--name", "Feed",
                                    "--days", "30"])  # fmt: skip
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.token_hash == digest(secret) and token.expires_at is not None
    listed = runner.invoke(fdac_cli, ["list-tokens", "lab.feed@example.org"])
    assert token.prefix in listed.output and "active" in listed.output
    assert secret not in listed.output
    revoked = runner.invoke(fdac_cli, ["revoke-token", token.prefix])
    assert revoked.exit_code == 0, revoked.output
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).revoked_at is not None
    again = runner.invoke(fdac_cli, ["revoke-token", str(token.id)])
    assert again.exit_code == 2
    missing = runner.invoke(fdac_cli, ["create-token", "nobody@example.org", "--name", "x"])
    assert missing.exit_code == 2
