"""Credentials remember the xAPI version their client speaks (reported when a request names none).

Revision ID: 0004_credential_version
Revises: 0003_wall
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_credential_version"
down_revision = "0003_wall"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.add_column(sa.Column("xapi_version", sa.String(8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("credentials") as batch:
        batch.drop_column("xapi_version")
