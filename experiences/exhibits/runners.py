"""The runners the exhibit kinds register: each makes the plain exhibit, or its VR side-by-side form when the
kiosk is a VR corner (`ctx.vr`: `[kiosk] mode = "vr"` in kiosk.toml, or `launcher.py play ID --vr`)."""
from __future__ import annotations


def _make(exhibit_class, package, ctx):
    if ctx.vr:
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
