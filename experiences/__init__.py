"""experiences package."""

__version__ = "0.1.0"  # the engine version manifests' `engine` specifiers are checked against
