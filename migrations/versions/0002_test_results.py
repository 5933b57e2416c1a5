"""test results

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lab_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("results_added", sa.Integer(), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"], ["users.id"], name=op.f("fk_lab_imports_imported_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_lab_imports_team_id_teams")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_imports")),
        sa.UniqueConstraint("team_id", "sha256", name=op.f("uq_lab_imports_team_id")),
    )
    with op.batch_alter_table("lab_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lab_imports_team_id"), ["team_id"], unique=False)

    op.create_table(
        "prescriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("medication", sa.String(length=120), nullable=False),
        sa.Column(
            "substance",
            sa.Enum(
                "alcohol",
                "cocaine",
                "cannabis",
                "amphetamine",
                "methamphetamine",
                "mdma",
                "opiates",
                "6-mam",
                "methadone",
                "buprenorphine",
                "benzodiazepines",
                name="substance",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("dose", sa.String(length=120), nullable=False),
        sa.Column("prescriber", sa.String(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_prescriptions_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["users.id"], name=op.f("fk_prescriptions_entered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["parents.id"], name=op.f("fk_prescriptions_parent_id_parents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prescriptions")),
    )
    with op.batch_alter_table("prescriptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prescriptions_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_prescriptions_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "test_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column(
            "matrix",
            sa.Enum(
                "breath",
                "oral_fluid",
                "urine",
                "peth",
                "hair",
                name="matrix",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "method",
            sa.Enum("point_of_care", "laboratory", name="method", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("collected_on", sa.Date(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "result",
                "missed",
                "refused",
                "unable_to_provide",
                name="status",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("status_reason", sa.Text(), nullable=False),
        sa.Column("observed", sa.Boolean(), nullable=True),
        sa.Column("value", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("creatinine_mg_dl", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("sample_length_cm", sa.Numeric(precision=6, scale=2), nullable=True),
        sa.Column("lab_name", sa.String(length=120), nullable=False),
        sa.Column("lab_reference", sa.String(length=80), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("confirms_id", sa.Integer(), nullable=True),
        sa.Column("amends_id", sa.Integer(), nullable=True),
        sa.Column("amendment_reason", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("import_key", sa.String(length=200), nullable=True),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("entered_by_id", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["amends_id"], ["test_results.id"], name=op.f("fk_test_results_amends_id_test_results")
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_test_results_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["confirms_id"],
            ["test_results.id"],
            name=op.f("fk_test_results_confirms_id_test_results"),
        ),
        sa.ForeignKeyConstraint(
            ["entered_by_id"], ["users.id"], name=op.f("fk_test_results_entered_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["import_id"], ["lab_imports.id"], name=op.f("fk_test_results_import_id_lab_imports")
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"], ["parents.id"], name=op.f("fk_test_results_parent_id_parents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_test_results")),
        sa.UniqueConstraint("amends_id", name=op.f("uq_test_results_amends_id")),
        sa.UniqueConstraint("import_key", name=op.f("uq_test_results_import_key")),
    )
    with op.batch_alter_table("test_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_test_results_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_test_results_confirms_id"), ["confirms_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_test_results_import_id"), ["import_id"], unique=False)
        batch_op.create_index(
            "ix_test_results_parent_collected", ["parent_id", "collected_on"], unique=False
        )

    op.create_table(
        "hair_segments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("from_cm", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column("to_cm", sa.Numeric(precision=6, scale=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["result_id"], ["test_results.id"], name=op.f("fk_hair_segments_result_id_test_results")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hair_segments")),
        sa.UniqueConstraint("result_id", "position", name=op.f("uq_hair_segments_result_id")),
    )
    with op.batch_alter_table("hair_segments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hair_segments_result_id"), ["result_id"], unique=False)

    op.create_table(
        "substance_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("result_id", sa.Integer(), nullable=False),
        sa.Column(
            "substance",
            sa.Enum(
                "alcohol",
                "cocaine",
                "cannabis",
                "amphetamine",
                "methamphetamine",
                "mdma",
                "opiates",
                "6-mam",
                "methadone",
                "buprenorphine",
                "benzodiazepines",
                name="substance",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "screen",
            sa.Enum(
                "positive", "negative", "not_tested", name="reading", native_enum=False, length=40
            ),
            nullable=True,
        ),
        sa.Column("value", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("cutoff", sa.Numeric(precision=14, scale=4), nullable=True),
        sa.Column("segment_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["result_id"],
            ["test_results.id"],
            name=op.f("fk_substance_results_result_id_test_results"),
        ),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["hair_segments.id"],
            name=op.f("fk_substance_results_segment_id_hair_segments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_substance_results")),
    )
    with op.batch_alter_table("substance_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_substance_results_result_id"), ["result_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("substance_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_substance_results_result_id"))

    op.drop_table("substance_results")
    with op.batch_alter_table("hair_segments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hair_segments_result_id"))

    op.drop_table("hair_segments")
    with op.batch_alter_table("test_results", schema=None) as batch_op:
        batch_op.drop_index("ix_test_results_parent_collected")
        batch_op.drop_index(batch_op.f("ix_test_results_import_id"))
        batch_op.drop_index(batch_op.f("ix_test_results_confirms_id"))
        batch_op.drop_index(batch_op.f("ix_test_results_case_id"))

    op.drop_table("test_results")
    with op.batch_alter_table("prescriptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prescriptions_parent_id"))
        batch_op.drop_index(batch_op.f("ix_prescriptions_case_id"))

    op.drop_table("prescriptions")
    with op.batch_alter_table("lab_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lab_imports_team_id"))

    op.drop_table("lab_imports")
