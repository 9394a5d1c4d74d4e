"""The kiosk shell: attract mode, the experience menu, idle reset, crash recovery and the supervisor."""
import os
from pathlib import Path

from experiences.i18n import register_catalog_dir

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # no banner in kiosk logs
register_catalog_dir(Path(__file__).resolve().parent / "messages")
