"""Ledger: customers, documents, payments, applications, write-offs.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("email", sa.Text),
        sa.Column("billing_email", sa.Text),
        sa.Column("payment_terms", sa.Text),
        sa.Column("segment", sa.String(64)),
        sa.Column("country", sa.String(2)),
        sa.Column("language", sa.String(8)),
        sa.Column("customer_type", sa.String(32)),
        sa.Column("tags", sa.Text, nullable=False, server_default=""),
        sa.Column("opted_out", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column(
            "legal_procedure", sa.Boolean, nullable=False, server_default=sa.false()
        ),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(128), nullable=False, unique=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("issue_date", sa.Date, nullable=False),
        sa.Column("due_date", sa.Date, nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="posted"),
        sa.Column("disputed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("billing_email", sa.Text),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_documents_customer_id", "documents", ["customer_id"])
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ref", sa.String(128), nullable=False, unique=True),
        sa.Column("customer_id", sa.Integer, sa.ForeignKey("customers.id"), nullable=False),
        sa.Column("payment_date", sa.Date, nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("source", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_payments_customer_id", "payments", ["customer_id"])
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "payment_id",
            sa.Integer,
            sa.ForeignKey("payments.id", ondelete="CASCADE"),
        ),
        sa.Column(
            "credit_note_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
        ),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("applied_on", sa.Date, nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.UniqueConstraint("payment_id", "document_id", name="uq_app_payment_doc"),
        sa.UniqueConstraint("credit_note_id", "document_id", name="uq_app_credit_doc"),
    )
    op.create_index("ix_applications_payment_id", "applications", ["payment_id"])
    op.create_index("ix_applications_credit_note_id", "applications", ["credit_note_id"])
    op.create_index("ix_applications_document_id", "applications", ["document_id"])
    op.create_table(
        "writeoffs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("writeoff_date", sa.Date, nullable=False),
        sa.Column("amount_minor", sa.BigInteger, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.UniqueConstraint("document_id", "writeoff_date", name="uq_wo"),
    )
    op.create_index("ix_writeoffs_document_id", "writeoffs", ["document_id"])


def downgrade() -> None:
    for table in ("writeoffs", "applications", "payments", "documents", "customers"):
        op.drop_table(table)
