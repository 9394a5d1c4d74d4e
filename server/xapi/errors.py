"""xAPI error responses: an HTTP status with a plain-language reason, never a stack trace."""
from __future__ import annotations


class XAPIError(Exception):
    """Raised anywhere while handling an xAPI request; becomes `status` with `reason` as the body."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def bad_request(reason: str) -> XAPIError:
    return XAPIError(400, reason)
