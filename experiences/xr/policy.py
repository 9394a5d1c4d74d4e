"""Who plays in a headset, and which VR path a VR corner takes. Pure: no OpenXR, no pygame."""
from __future__ import annotations

from experiences.kiosk.ageband import BANDS


def headset_allowed(age_band: str | None, min_age_band: str) -> bool:
    """Headset makers set minimum ages: a visitor who answered a band below `[vr] min_age_band` plays on the
    screen instead. A skipped question (None) does not keep anyone out: the question decides, staff watch."""
    if age_band is None or age_band not in BANDS:
        return True
    return BANDS.index(age_band) >= BANDS.index(min_age_band)


def vr_path(config, manifest) -> str:
    """One line for staff: how a VR corner draws (OpenXR with the runtime's name, or side-by-side stereo)."""
    if not config.vr.openxr:
        return "side-by-side stereo ([vr] openxr = false) / 左右分屏立体（已关闭 OpenXR）"
    if manifest is None:
        return "side-by-side stereo (no OpenXR runtime installed) / 左右分屏立体（未安装 OpenXR 运行时）"
    return f"OpenXR: {manifest.name} ({manifest.path})"
