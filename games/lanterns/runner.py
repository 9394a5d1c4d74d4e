"""The idiom-lanterns runner: the 2D game, or the 3D/VR courtyard in a VR corner.

A VR corner (`[kiosk] mode = "vr"` in kiosk.toml, or `launcher.py play ID --vr`) sets `ctx.vr`; everything else
gets the 2D game.
"""
from __future__ import annotations


def create(package, ctx):
    if ctx.vr:
        from games.lanterns.vr.experience import LanternsVRExperience
        return LanternsVRExperience(package, ctx)
    from games.lanterns.experience import LanternsExperience
    return LanternsExperience(package, ctx)
