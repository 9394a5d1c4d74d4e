"""/healthz for monitoring: 200 when the database answers, 503 (with the reason) when it does not."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

health_bp = Blueprint("health", __name__)


@health_bp.get("/healthz")
def healthz():
    engine = current_app.extensions["yuedu"].engine
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return jsonify(status="error", reason=f"database unreachable: {exc.__class__.__name__}"), 503
    return jsonify(status="ok", database=engine.dialect.name)
