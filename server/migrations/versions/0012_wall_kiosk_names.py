"""The smart wall names kiosks as staff named them: each kiosk's [kiosk] name, from its statements' kiosk-name
extension (a kiosk's id is a UUID nobody at the library recognises).

Revision ID: 0012_wall_kiosk_names
Revises: 0011_ebook_opens
"""
import sqlalchemy as sa
from alembic import op

revision = "0012_wall_kiosk_names"
down_revision = "0011_ebook_opens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Empty until the kiosk's next statement (the id is shown until then)
    with op.batch_alter_table("wall_kiosks") as batch:
        batch.add_column(sa.Column("name", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("wall_kiosks") as batch:
        batch.drop_column("name")
