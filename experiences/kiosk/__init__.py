"""The kiosk shell: attract mode, the experience menu, idle reset, crash recovery and the supervisor."""
