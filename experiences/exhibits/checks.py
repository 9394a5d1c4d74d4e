"""Package checks of the exhibit kinds, beyond their JSON Schemas: files exist, images decode, models load and
stay under the triangle limit. Called by the validator as `check(package, report)`; every problem is reported.

The triangle limit defaults to 2,000,000; operators change it with YUEDU_EXHIBIT_MAX_TRIANGLES or by building a
check with `treasure_check(max_triangles=...)`.
"""
from __future__ import annotations

import io
import os
import urllib.parse
from pathlib import PurePosixPath

from experiences.exhibits import glb

DEFAULT_MAX_TRIANGLES = 2_000_000
MODEL_SUFFIXES = (".glb", ".gltf", ".bam")
MANIFEST = "experience.toml"


def max_triangles_setting() -> int:
    value = os.environ.get("YUEDU_EXHIBIT_MAX_TRIANGLES", "")
    return int(value) if value.strip().isdigit() else DEFAULT_MAX_TRIANGLES


# ---- shared pieces -------------------------------------------------------------------------------------------

def _exists(package, report, field: str, name: str) -> bool:
    if not isinstance(name, str) or not name:
        return False
    try:
        found = package.source.exists(name)
    except Exception:  # a path escaping the package: the validator reports that itself
        found = False
    if not found:
        report.error(MANIFEST, field, "exhibit_file_missing", name=name)
    return found


def check_image(package, report, field: str, name: str) -> bool:
    """The image exists and decodes completely (a truncated or renamed file is caught here)."""
    if not _exists(package, report, field, name):
        return False
    from PIL import Image, UnidentifiedImageError

    try:
        data = package.source.read_bytes(name)
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
        with Image.open(io.BytesIO(data)) as image:  # verify() misses truncated pixel data; load() does not
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        report.error(name, field, "exhibit_image_corrupt", name=name, detail=str(exc) or type(exc).__name__)
        return False
    return True


def image_size(package, name: str) -> tuple[int, int]:
    from PIL import Image

    with Image.open(io.BytesIO(package.source.read_bytes(name))) as image:
        return image.size


def check_audio(package, report, field: str, name: str) -> bool:
    if not _exists(package, report, field, name):
        return False
    import soundfile

    try:
        info = soundfile.info(io.BytesIO(package.source.read_bytes(name)))
        if info.frames <= 0:
            raise ValueError("no audio frames")
    except Exception as exc:  # soundfile raises its own error types per format
        report.error(name, field, "exhibit_audio_corrupt", name=name, detail=str(exc) or type(exc).__name__)
        return False
    return True


def _check_hotspot_ids(report, hotspots, field: str) -> None:
    seen = set()
    for index, spot in enumerate(hotspots):
        spot_id = spot.get("id") if isinstance(spot, dict) else None
        if spot_id in seen:
            report.error(MANIFEST, f"{field}[{index}].id", "exhibit_hotspot_duplicate", id=spot_id)
        seen.add(spot_id)


def _check_hotspot_media(package, report, hotspots, field: str) -> None:
    for index, spot in enumerate(hotspots):
        if not isinstance(spot, dict):
            continue
        if spot.get("image"):
            check_image(package, report, f"{field}[{index}].image", spot["image"])
        if spot.get("audio"):
            check_audio(package, report, f"{field}[{index}].audio", spot["audio"])


def _check_range(report, view: dict, low: str, high: str, field: str) -> None:
    if isinstance(view.get(low), (int, float)) and isinstance(view.get(high), (int, float)) and view[low] > view[high]:
        report.error(MANIFEST, f"{field}.{low}", "exhibit_range_inverted", low=low, high=high,
                     low_value=view[low], high_value=view[high])


# ---- models --------------------------------------------------------------------------------------------------

def count_model_triangles(package, name: str) -> int:
    """Triangles of a .glb/.gltf (read from its JSON, nothing loaded) or a .bam (loaded with panda3d)."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in (".glb", ".gltf"):
        return glb.count_triangles(glb.read_document(package.source.read_bytes(name)))
    from experiences.exhibits.assets3d import load_model

    return panda_triangles(load_model(package.source.local_path(name)))


def _missing_gltf_parts(package, name: str) -> str:
    """What a .gltf names but the package lacks (a .bin or texture left out of the upload), said plainly; the
    loader would only say `0` or fail an assertion. Empty when nothing is missing (or the file is a .glb/.bam)."""
    if PurePosixPath(name).suffix.lower() != ".gltf":
        return ""
    document = glb.read_document(package.source.read_bytes(name))
    folder = PurePosixPath(name).parent
    for what in ("buffers", "images"):
        for index, entry in enumerate(document.get(what) or []):
            uri = entry.get("uri") if isinstance(entry, dict) else None
            if what == "buffers" and not uri:
                return f"buffers[{index}] has no uri: a .gltf keeps its data in a .bin file beside it"
            if uri and not uri.startswith("data:"):
                part = str(folder / urllib.parse.unquote(uri)) if str(folder) != "." else urllib.parse.unquote(uri)
                if not package.source.exists(part):
                    return f"{what}[{index}] names {uri}, which is not in the package"
    return ""


def panda_triangles(nodepath) -> int:
    total = 0
    for geom_np in nodepath.find_all_matches("**/+GeomNode"):
        node = geom_np.node()
        for i in range(node.get_num_geoms()):
            for prim in node.get_geom(i).get_primitives():
                if prim.get_primitive_type() == prim.PT_polygons:
                    total += prim.decompose().get_num_primitives()
    return total


def check_model(package, report, field: str, name: str, max_triangles: int) -> bool:
    if not _exists(package, report, field, name):
        return False
    if PurePosixPath(name).suffix.lower() not in MODEL_SUFFIXES:
        report.error(MANIFEST, field, "exhibit_model_format", name=name, allowed=", ".join(MODEL_SUFFIXES))
        return False
    try:
        triangles = count_model_triangles(package, name)
    except (glb.GltfError, OSError, ValueError) as exc:
        report.error(name, field, "exhibit_model_corrupt", name=name, detail=str(exc))
        return False
    if triangles > max_triangles:
        report.error(name, field, "exhibit_model_too_many_triangles", name=name, count=triangles, limit=max_triangles)
        return False
    missing = _missing_gltf_parts(package, name)
    if missing:
        report.error(name, field, "exhibit_model_corrupt", name=name, detail=missing)
        return False
    if PurePosixPath(name).suffix.lower() in (".glb", ".gltf"):
        try:  # the real loader: catches broken buffers, missing external .bin files and textures
            import gltf

            gltf.load_model(str(package.source.local_path(name)))
        except Exception as exc:  # panda3d-gltf raises many types for malformed files
            report.error(name, field, "exhibit_model_corrupt", name=name, detail=str(exc) or type(exc).__name__)
            return False
    if triangles == 0:  # after the loader: a missing .bin is said as such, not as "no triangles"
        report.error(name, field, "exhibit_model_empty", name=name)
        return False
    return True


# ---- the kinds' checks ---------------------------------------------------------------------------------------

def treasure_check(max_triangles: int | None = None):
    """A check for exhibit-treasure with its own triangle limit (None: the setting or 2,000,000)."""

    def check(package, report) -> None:
        content = package.manifest.content
        limit = max_triangles if max_triangles is not None else max_triangles_setting()
        check_model(package, report, "content.model", content.get("model", ""), limit)
        if content.get("poster"):
            check_image(package, report, "content.poster", content["poster"])
        view = content.get("view", {}) if isinstance(content.get("view"), dict) else {}
        _check_range(report, view, "min_distance", "max_distance", "content.view")
        _check_range(report, view, "min_pitch", "max_pitch", "content.view")
        hotspots = content.get("hotspots", []) if isinstance(content.get("hotspots"), list) else []
        _check_hotspot_ids(report, hotspots, "content.hotspots")
        _check_hotspot_media(package, report, hotspots, "content.hotspots")

    return check


check_treasure = treasure_check()


def check_book(package, report) -> None:
    content = package.manifest.content
    if content.get("cover"):
        check_image(package, report, "content.cover", content["cover"])
    pages = content.get("pages", []) if isinstance(content.get("pages"), list) else []
    for index, page in enumerate(pages):
        check_image(package, report, f"content.pages[{index}]", page)
    if content.get("text"):
        name = content["text"]
        if _exists(package, report, "content.text", name):
            from experiences.exhibits.book_text import BookTextError, parse_book_text

            try:
                parse_book_text(package.source.read_bytes(name))
            except BookTextError as exc:
                report.error(name, "content.text", "exhibit_book_text_invalid", name=name, detail=str(exc))
    if not pages and not content.get("text"):
        report.error(MANIFEST, "content", "exhibit_book_empty")
    if content.get("font"):
        _exists(package, report, "content.font", content["font"])
    if content.get("page_sound"):
        check_audio(package, report, "content.page_sound", content["page_sound"])
    narration = content.get("narration", []) if isinstance(content.get("narration"), list) else []
    for index, clip in enumerate(narration):
        if clip:
            check_audio(package, report, f"content.narration[{index}]", clip)


def check_panorama(package, report) -> None:
    content = package.manifest.content
    name = content.get("image", "")
    if check_image(package, report, "content.image", name):
        width, height = image_size(package, name)
        if abs(width - 2 * height) > max(2, height // 100):
            report.warning(name, "content.image", "exhibit_panorama_aspect", name=name, width=width, height=height)
    hotspots = content.get("hotspots", []) if isinstance(content.get("hotspots"), list) else []
    _check_hotspot_ids(report, hotspots, "content.hotspots")
    _check_hotspot_media(package, report, hotspots, "content.hotspots")
