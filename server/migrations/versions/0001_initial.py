"""The first schema: credentials, statements with their agent/activity indexes, attachments, documents, activities.

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
        "credentials",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("salt", sa.LargeBinary(32), nullable=False),
        sa.Column("secret_hash", sa.LargeBinary(32), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("revoked", sa.Boolean, nullable=False),
    )
    op.create_index("ix_credentials_key", "credentials", ["key"], unique=True)
    op.create_table(
        "statements",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("statement_id", sa.String(36), nullable=False, unique=True),
        sa.Column("stored", sa.DateTime, nullable=False),
        sa.Column("timestamp", sa.DateTime, nullable=False),
        sa.Column("verb_id", sa.Text, nullable=False),
        sa.Column("object_activity_id", sa.Text, nullable=True),
        sa.Column("object_statement_id", sa.String(36), nullable=True),
        sa.Column("registration", sa.String(36), nullable=True),
        sa.Column("actor_key", sa.Text, nullable=False),
        sa.Column("voided", sa.Boolean, nullable=False),
        sa.Column("credential_id", sa.Integer, sa.ForeignKey("credentials.id"), nullable=True),
        sa.Column("full", sa.Text, nullable=False),
    )
    for column in ("stored", "timestamp", "verb_id", "object_activity_id", "object_statement_id",
                   "registration", "actor_key", "voided", "credential_id"):
        op.create_index(f"ix_statements_{column}", "statements", [column])
    op.create_table(
        "statement_agents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("statement_seq", sa.Integer, sa.ForeignKey("statements.seq", ondelete="CASCADE"), nullable=False),
        sa.Column("agent_key", sa.Text, nullable=False),
        sa.Column("relation", sa.String(8), nullable=False),
    )
    op.create_index("ix_statement_agents_statement_seq", "statement_agents", ["statement_seq"])
    op.create_index("ix_statement_agents_key", "statement_agents", ["agent_key", "relation"])
    op.create_table(
        "statement_activities",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("statement_seq", sa.Integer, sa.ForeignKey("statements.seq", ondelete="CASCADE"), nullable=False),
        sa.Column("activity_id", sa.Text, nullable=False),
        sa.Column("relation", sa.String(8), nullable=False),
    )
    op.create_index("ix_statement_activities_statement_seq", "statement_activities", ["statement_seq"])
    op.create_index("ix_statement_activities_id", "statement_activities", ["activity_id", "relation"])
    op.create_table(
        "attachments",
        sa.Column("sha2", sa.String(128), primary_key=True),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("doc_id", sa.Text, nullable=False),
        sa.Column("activity_id", sa.Text, nullable=False),
        sa.Column("agent_key", sa.Text, nullable=False),
        sa.Column("registration", sa.String(36), nullable=False),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False),
        sa.Column("etag", sa.String(64), nullable=False),
        sa.Column("updated", sa.DateTime, nullable=False),
        sa.Column("credential_id", sa.Integer, sa.ForeignKey("credentials.id"), nullable=True),
        sa.UniqueConstraint("kind", "activity_id", "agent_key", "registration", "doc_id", name="uq_documents_address"),
    )
    op.create_index("ix_documents_updated", "documents", ["updated"])
    op.create_table(
        "activities",
        sa.Column("activity_id", sa.Text, primary_key=True),
        sa.Column("full", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("activities", "documents", "attachments", "statement_activities", "statement_agents",
                  "statements", "credentials"):
        op.drop_table(table)
