"""The runners the exhibit kinds register: each makes the plain exhibit, or its VR side-by-side form when the
kiosk asks for VR (`ctx.services["vr"]` true, or YUEDU_EXHIBIT_VR=1 in the environment)."""
from __future__ import annotations

import os


def vr_requested(ctx) -> bool:
    return bool(ctx.services.get("vr")) or os.environ.get("YUEDU_EXHIBIT_VR", "") in ("1", "sbs")


def _make(exhibit_class, package, ctx):
    if vr_requested(ctx):
        from experiences.exhibits.vr import VRExhibit

        return VRExhibit(package, ctx, exhibit_class)
    return exhibit_class(package, ctx)


def treasure(package, ctx):
    from experiences.exhibits.treasure import TreasureExhibit

    return _make(TreasureExhibit, package, ctx)


def book(package, ctx):
    from experiences.exhibits.book import BookExhibit

    return _make(BookExhibit, package, ctx)


def panorama(package, ctx):
    from experiences.exhibits.panorama import PanoramaExhibit

    return _make(PanoramaExhibit, package, ctx)


def waterfall(package, ctx):
    from experiences.exhibits.waterfall import WaterfallExhibit

    return _make(WaterfallExhibit, package, ctx)
