"""3D exhibits (treasures, books, panoramas) rendered by panda3d offscreen into the kiosk's pygame window."""
import os
import sys
from pathlib import Path

from experiences import i18n

# libpanda exports its own FreeType symbols and becomes global once a display pipe is opened; pygame's
# FreeType, if loaded after panda3d, then calls into panda's copy and crashes on the first text render
# (gdb: FT_Set_Char_Size → libpanda). Load pygame's first, bound now and deep-bound to its own symbols.
if "pygame._freetype" not in sys.modules and hasattr(os, "RTLD_DEEPBIND"):
    _flags = sys.getdlopenflags()
    sys.setdlopenflags(os.RTLD_NOW | os.RTLD_DEEPBIND)
    try:
        import pygame.freetype  # noqa: F401
    finally:
        sys.setdlopenflags(_flags)

i18n.register_catalog_dir(Path(__file__).resolve().parent / "messages")
