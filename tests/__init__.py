"""Yuedu tests: one folder per top-level package."""
