"""experiences package."""
