"""Load pygame's FreeType safely beside panda3d; import this before `pygame.freetype` or panda3d's display.

libpanda exports its own FreeType symbols and becomes global once a display pipe is opened; pygame's FreeType,
loaded after that, calls into panda's copy and crashes on the first text render (gdb: FT_Set_Char_Size →
libpanda). Loading pygame's bound now and deep-bound to its own symbols avoids it, whatever the order.
"""
import os
import sys

if "pygame._freetype" not in sys.modules and hasattr(os, "RTLD_DEEPBIND"):
    _flags = sys.getdlopenflags()
    sys.setdlopenflags(os.RTLD_NOW | os.RTLD_DEEPBIND)
    try:
        import pygame.freetype  # noqa: F401
    finally:
        sys.setdlopenflags(_flags)
