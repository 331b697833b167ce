"""Follow-up: actions and their invoices, disputes, promises, locks, feedback.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.add_column(
            sa.Column(
                "dunning_excluded", sa.Boolean, nullable=False, server_default=sa.false()
            )
        )
        batch.add_column(sa.Column("late_rate_percent", sa.String(16)))
        batch.add_column(sa.Column("collector", sa.String(64)))

    op.create_table(
        "actions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(160), nullable=False, unique=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("campaign", sa.String(64), nullable=False),
        sa.Column("segment", sa.String(64)),
        sa.Column("step", sa.String(64), nullable=False),
        sa.Column("step_index", sa.Integer, nullable=False, server_default="0"),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("planned_on", sa.Date, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("holdout", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("cost_minor", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("collector", sa.String(64)),
        sa.Column("recipient", sa.Text),
        sa.Column("language", sa.String(8)),
        sa.Column("message_id", sa.Text),
        sa.Column("outcome", sa.String(32)),
        sa.Column("outcome_on", sa.Date),
        sa.Column("source", sa.String(16), nullable=False, server_default="relance"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_actions_customer_id", "actions", ["customer_id"])
    op.create_index("ix_actions_planned_on", "actions", ["planned_on"])
    op.create_index("ix_actions_state", "actions", ["state"])

    op.create_table(
        "action_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "action_id",
            sa.Integer,
            sa.ForeignKey("actions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("step_key", sa.String(160), nullable=False),
        sa.Column("residual_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.UniqueConstraint("document_id", "step_key", name="uq_item_step"),
    )
    op.create_index("ix_action_items_action_id", "action_items", ["action_id"])
    op.create_index("ix_action_items_document_id", "action_items", ["document_id"])

    op.create_table(
        "disputes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("reason_code", sa.String(32), nullable=False),
        sa.Column("owner", sa.String(64)),
        sa.Column("note", sa.Text),
        sa.Column("opened_on", sa.Date, nullable=False),
        sa.Column("closed_on", sa.Date),
        sa.Column("resolution", sa.Text),
    )
    op.create_index("ix_disputes_document_id", "disputes", ["document_id"])

    op.create_table(
        "promises",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id")),
        sa.Column("recorded_on", sa.Date, nullable=False),
        sa.Column("promised_for", sa.Date, nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("resolved_on", sa.Date),
        sa.Column("collector", sa.String(64)),
        sa.Column("action_id", sa.Integer, sa.ForeignKey("actions.id")),
    )
    op.create_index("ix_promises_customer_id", "promises", ["customer_id"])

    op.create_table(
        "run_locks",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("holder", sa.Text, nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "satisfaction_scores",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("scored_on", sa.Date, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.UniqueConstraint("customer_id", "scored_on", "kind", name="uq_satisfaction"),
    )
    op.create_index("ix_satisfaction_scores_customer_id", "satisfaction_scores", ["customer_id"])

    op.create_table(
        "team_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id")),
        sa.Column("collector", sa.String(64)),
        sa.Column("noted_on", sa.Date, nullable=False),
        sa.Column("tag", sa.String(32), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "team_notes",
        "satisfaction_scores",
        "run_locks",
        "promises",
        "disputes",
        "action_items",
        "actions",
    ):
        op.drop_table(table)
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("collector")
        batch.drop_column("late_rate_percent")
        batch.drop_column("dunning_excluded")
