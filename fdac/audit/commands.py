"""`flask fdac audit-verify`: prove the audit trail is whole."""

import sys

import click

from fdac.audit.verify import missing_triggers, verify
from fdac.cli import fdac_cli
from fdac.extensions import db


@fdac_cli.command("audit-verify")
def audit_verify() -> None:
    """Walk the audit trail's hash chain: OK with the count, or the first broken link (exit 1)."""
    with db.engine.connect() as connection:
        verdict = verify(connection)
        unguarded = missing_triggers(connection)
    if not verdict.ok:
        click.echo(
            f"BROKEN at audit event {verdict.broken_id} (row {verdict.count} in id order): "
            f"{verdict.problem}",
            err=True,
        )
    if unguarded:
        click.echo(
            f"UNGUARDED: the database no longer refuses changes to the audit trail "
            f"(missing or disabled triggers: {', '.join(unguarded)})",
            err=True,
        )
    if not verdict.ok or unguarded:
        sys.exit(1)
    click.echo(f"OK: {verdict.count} audit events, chain intact; last hash {verdict.last_hash}")
