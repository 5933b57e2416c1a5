"""record versions

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 19:20:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The editable records: each UPDATE is made at the version it was based on
# (docs/decisions/0034-no-lost-updates.md). Rows already there start at version 1.
VERSIONED = ("cases", "parents", "children", "contacts")


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
