"""The idiom-lanterns runner: the 2D game, or the 3D/VR courtyard when the kiosk asks for it.

A VR corner's kiosk passes `services={"mode": "vr"}` in the RunContext; everything else gets the 2D game.
"""
from __future__ import annotations


def create(package, ctx):
    if ctx.services.get("mode") == "vr":
        from games.lanterns.vr.experience import LanternsVRExperience
        return LanternsVRExperience(package, ctx)
    from games.lanterns.experience import LanternsExperience
    return LanternsExperience(package, ctx)
