"""Item-level rollups of the wall: poems read per session, per poem and per poem pair, and poem titles.

Revision ID: 0006_wall_poems
Revises: 0005_share_wrong_codes
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_wall_poems"
down_revision = "0005_share_wrong_codes"
branch_labels = None
depends_on = None

S = sa.String(200)


def upgrade() -> None:
    op.create_table("wall_poem_session_items", sa.Column("session", S, primary_key=True),
                    sa.Column("package", S, primary_key=True), sa.Column("poem", S, primary_key=True),
                    sa.Column("n", sa.Integer, nullable=False))
    op.create_table("wall_poem_items", sa.Column("package", S, primary_key=True), sa.Column("poem", S, primary_key=True),
                    sa.Column("n", sa.Integer, nullable=False))
    op.create_table("wall_poem_pairs", sa.Column("package", S, primary_key=True), sa.Column("a", S, primary_key=True),
                    sa.Column("b", S, primary_key=True), sa.Column("n", sa.Integer, nullable=False))
    op.create_table("wall_poems", sa.Column("package", S, primary_key=True), sa.Column("poem", S, primary_key=True),
                    sa.Column("title", S, nullable=False))
    # Statements already stored are folded in again from the start, so the new tables cover them too.
    op.execute("DELETE FROM wall_state WHERE key = 'time_zone'")


def downgrade() -> None:
    for table in ("wall_poems", "wall_poem_pairs", "wall_poem_items", "wall_poem_session_items"):
        op.drop_table(table)
