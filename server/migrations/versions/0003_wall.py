"""The smart wall's rollup tables (server/wall/tables.py).

Revision ID: 0003_wall
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0003_wall"
down_revision = "0002_portal"
branch_labels = None
depends_on = None

S = sa.String(200)


def upgrade() -> None:
    op.create_table("wall_state", sa.Column("key", sa.String(32), primary_key=True),
                    sa.Column("value", sa.String(200), nullable=False))
    op.create_table("wall_sessions", sa.Column("day", sa.Date, primary_key=True), sa.Column("session", S, primary_key=True),
                    sa.Column("branch", S, primary_key=True), sa.Column("kiosk", S, primary_key=True),
                    sa.Column("age_band", sa.String(32), primary_key=True), sa.Column("n", sa.Integer, nullable=False))
    op.create_table("wall_counts", sa.Column("day", sa.Date, primary_key=True), sa.Column("branch", S, primary_key=True),
                    sa.Column("metric", sa.String(16), primary_key=True), sa.Column("key", S, primary_key=True),
                    sa.Column("n", sa.Integer, nullable=False))
    op.create_table("wall_launches", sa.Column("day", sa.Date, primary_key=True), sa.Column("branch", S, primary_key=True),
                    sa.Column("session", S, primary_key=True), sa.Column("package", S, primary_key=True),
                    sa.Column("n", sa.Integer, nullable=False))
    op.create_table("wall_readings", sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
                    sa.Column("day", sa.Date, nullable=False), sa.Column("branch", S, nullable=False),
                    sa.Column("score", sa.Float, nullable=False), sa.Column("nickname", S, nullable=False),
                    sa.Column("poem", S, nullable=False))
    op.create_index("ix_wall_readings_day_score", "wall_readings", ["day", "score"])
    op.create_table("wall_packages", sa.Column("package", S, primary_key=True), sa.Column("kind", sa.String(64), nullable=False),
                    sa.Column("title_zh", S, nullable=False), sa.Column("title_en", S, nullable=False),
                    sa.Column("first_at", sa.DateTime, nullable=False))
    op.create_table("wall_kiosks", sa.Column("kiosk", S, primary_key=True), sa.Column("branch", S, nullable=False),
                    sa.Column("last_stored", sa.DateTime, nullable=False))
    op.create_table("wall_kiosk_packages", sa.Column("kiosk", S, primary_key=True), sa.Column("package", S, primary_key=True))
    op.create_table("wall_session_items", sa.Column("session", S, primary_key=True), sa.Column("package", S, primary_key=True),
                    sa.Column("age_band", sa.String(32), nullable=False), sa.Column("n", sa.Integer, nullable=False))
    op.create_table("wall_items", sa.Column("package", S, primary_key=True), sa.Column("age_band", sa.String(32), primary_key=True),
                    sa.Column("n", sa.Integer, nullable=False))
    op.create_table("wall_pairs", sa.Column("a", S, primary_key=True), sa.Column("b", S, primary_key=True),
                    sa.Column("n", sa.Integer, nullable=False))
    op.create_table("wall_voided", sa.Column("statement_id", sa.String(36), primary_key=True))


def downgrade() -> None:
    op.drop_index("ix_wall_readings_day_score", table_name="wall_readings")
    for table in ("wall_voided", "wall_pairs", "wall_items", "wall_session_items", "wall_kiosk_packages", "wall_kiosks",
                  "wall_packages", "wall_readings", "wall_launches", "wall_counts", "wall_sessions", "wall_state"):
        op.drop_table(table)
