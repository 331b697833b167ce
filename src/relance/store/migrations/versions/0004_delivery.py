"""Delivery of reminders: template and cost currency of an action, dropped items,
and the customer's phone and postal address.

- `actions.template`: the template the plan chose, so sending renders what was
  planned without reading the policy again;
- `actions.cost_currency`: the currency of `cost_minor` (the cost model's, EUR by
  default), which need not be the receivable's `currency`;
- `action_items.dropped_reason`: set when sending dropped that invoice (paid,
  credited, disputed, promised...); its `step_key` is then renamed so the invoice
  can reach that step again later;
- `customers.phone`, `customers.address`: where SMS, calls and letters go;
- `actions.channel` widened to 24 characters: "registered_letter" has 17.

Revision ID: 0004
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("actions") as batch:
        batch.alter_column(
            "channel",
            type_=sa.String(24),
            existing_type=sa.String(16),
            existing_nullable=False,
        )
        batch.add_column(sa.Column("template", sa.String(64)))
        batch.add_column(
            sa.Column(
                "cost_currency", sa.String(3), nullable=False, server_default="EUR"
            )
        )
    with op.batch_alter_table("action_items") as batch:
        batch.add_column(sa.Column("dropped_reason", sa.Text))
    with op.batch_alter_table("customers") as batch:
        batch.add_column(sa.Column("phone", sa.String(32)))
        batch.add_column(sa.Column("address", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("address")
        batch.drop_column("phone")
    with op.batch_alter_table("action_items") as batch:
        batch.drop_column("dropped_reason")
    with op.batch_alter_table("actions") as batch:
        batch.drop_column("cost_currency")
        batch.drop_column("template")
        batch.alter_column(
            "channel",
            type_=sa.String(16),
            existing_type=sa.String(24),
            existing_nullable=False,
        )
