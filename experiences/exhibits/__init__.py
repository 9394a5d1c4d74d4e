"""3D exhibits (treasures, books, panoramas) rendered by panda3d offscreen into the kiosk's pygame window."""
from pathlib import Path

from experiences import i18n

i18n.register_catalog_dir(Path(__file__).resolve().parent / "messages")
