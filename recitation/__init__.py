"""recitation package."""
