"""GET /xapi/about: the versions this LRS speaks (no credentials needed)."""
from __future__ import annotations

from server.xapi.protocol import json_response
from server.xapi.routes import xapi_bp


@xapi_bp.get("/about")
def about():
    return json_response({"version": ["1.0.3", "2.0.0"],
                          "extensions": {"https://yuedu.example.org/lrs/about/name": "Yuedu LRS"}})
