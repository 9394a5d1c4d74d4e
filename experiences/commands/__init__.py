"""Sub-commands of launcher.py, one module each, registered in launcher.COMMAND_MODULES."""
