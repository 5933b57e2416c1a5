"""`flask fdac backup` and `flask fdac restore` (fdac.backup does the work).

Errors a person can fix print one line on stderr and exit with status 2, as fdac.cli's do.
"""

import sys
from pathlib import Path

import click
from flask import current_app

from fdac import backup as backups
from fdac.cli import fdac_cli
from fdac.dates import utc_now


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(2)


@fdac_cli.command("backup")
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="The folder to write to; default: backups/ in the instance folder.")  # fmt: skip
def backup_command(out_dir: str | None) -> None:
    """Back up the database (consistent while the app runs): a timestamped copy and its
    manifest (checksum, migration revision, rows and checksum of every table)."""
    folder = Path(out_dir) if out_dir else Path(current_app.instance_path) / "backups"
    try:
        made = backups.backup(folder, now=utc_now())
    except backups.BackupError as error:
        _fail(str(error))
    rows = sum(table["rows"] for table in made.manifest["tables"].values())
    click.echo(f"Wrote {made.path} ({rows} rows in {len(made.manifest['tables'])} tables).")
    click.echo(f"Manifest: {made.manifest_path} (SHA-256 {made.manifest['sha256']}).")


@fdac_cli.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
def restore_command(file: str) -> None:
    """Restore the backup FILE into this app's database, which must be empty. The file is
    checked against its manifest first, and every table against it afterwards."""
    try:
        manifest = backups.restore(Path(file))
    except backups.BackupError as error:
        _fail(str(error))
    rows = sum(table["rows"] for table in manifest["tables"].values())
    click.echo(
        f"Restored {Path(file).name} (made {manifest['created_at']}, migration "
        f"{manifest['revision']}): {rows} rows in {len(manifest['tables'])} tables, "
        "every table as in the backup."
    )
