"""The recitation booth (朗诵亭): karaoke display, live meter, fair offline scoring and crash-safe recording."""
from pathlib import Path

from experiences.i18n import register_catalog_dir

register_catalog_dir(Path(__file__).with_name("messages"))
