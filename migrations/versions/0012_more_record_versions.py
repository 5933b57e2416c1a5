"""more record versions

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-22 20:05:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

# More editable records (docs/decisions/0034-no-lost-updates.md): a hearing (move, cancel,
# outcome), a court document's draft, a team's settings. Rows already there start at version 1.
VERSIONED = ("hearings", "court_document_versions", "teams")


def upgrade():
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), server_default="1", nullable=False)
            )


def downgrade():
    for table in reversed(VERSIONED):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
