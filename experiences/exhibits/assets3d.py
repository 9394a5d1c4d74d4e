"""Models and textures for the exhibits: glTF/GLB (cached as .bam), .bam/.egg, textures from arrays, and a
treasure's model loaded in steps (`ModelLoading`).

Kept apart from the offscreen bridge (offscreen.py), which only renders; loading needs no window.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np
from panda3d.core import NodePath, Texture

from experiences import datadir

log = logging.getLogger(__name__)


def load_model(path: str | Path, cache_dir: Path | None = None) -> NodePath:
    """A model file as a NodePath: glTF/GLB through panda3d-gltf, .bam/.egg through panda3d's loader.

    With `cache_dir`, a .glb is converted once to panda3d's .bam there (keyed by its content) and later loads
    read the .bam: bench/exhibit.py measures panda3d-gltf at tens of times the .bam load time."""
    path = Path(path)
    if path.suffix.lower() == ".glb" and cache_dir is not None:
        return _load_glb_cached(path, Path(cache_dir))
    if path.suffix.lower() in (".gltf", ".glb"):
        import gltf

        return NodePath(gltf.load_model(str(path)))
    from panda3d.core import Filename, Loader, LoaderOptions

    node = Loader.get_global_ptr().load_sync(Filename.from_os_specific(str(path)), LoaderOptions(LoaderOptions.LF_no_cache))
    if node is None:
        raise OSError(f"panda3d could not load {path}")
    return NodePath(node)


def _load_glb_cached(path: Path, cache_dir: Path) -> NodePath:
    import hashlib

    import gltf
    from gltf.version import __version__ as gltf_version

    digest = hashlib.sha256(path.read_bytes() + gltf_version.encode()).hexdigest()[:24]
    cached = cache_dir / f"{digest}.bam"
    if cached.is_file():
        try:
            return load_model(cached)
        except OSError:
            log.warning("model cache %s unreadable; converting again", cached)
    model = NodePath(gltf.load_model(str(path)))
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".part.bam")
    if model.write_bam_file(str(partial)):
        partial.replace(cached)
    return model


ANISOTROPY = 8  # texture samples along a glancing view (GL_EXT_texture_filter_anisotropic; ignored where absent)
# Software rasterisers pay dearly for it: with 8× anisotropy llvmpipe stalled ~21 s compiling the first frame of
# the treasure and drew each 1080p frame ~3× slower. There mip-maps alone (trilinear) do the filtering.
SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swrast", "tinydisplay")


def anisotropy_for(gsg) -> int:
    """The anisotropic filtering worth asking of this graphics context: ANISOTROPY on a GPU, 1 in software."""
    renderer = (gsg.get_driver_renderer() if gsg is not None else "").lower()
    return 1 if not renderer or any(name in renderer for name in SOFTWARE_RENDERERS) else ANISOTROPY


def filter_textures(model: NodePath, anisotropy: int = ANISOTROPY) -> None:
    """Trilinear, mip-mapped and anisotropic sampling for every texture of `model`: a pattern seen small or
    at a glancing angle stays smooth instead of shimmering in stair steps."""
    for texture in model.find_all_textures():
        texture.set_minfilter(Texture.FT_linear_mipmap_linear)
        texture.set_magfilter(Texture.FT_linear)
        if anisotropy > 1:
            texture.set_anisotropic_degree(anisotropy)


def texture_from_array(pixels: np.ndarray, name: str = "image", mipmap: bool = True, anisotropy: int = 1) -> Texture:
    """A texture from an RGB or RGBA uint8 array (rows top first), e.g. a page drawn with pygame or numpy."""
    height, width, channels = pixels.shape
    texture = Texture(name)
    fmt = Texture.F_rgba if channels == 4 else Texture.F_rgb
    texture.setup_2d_texture(width, height, Texture.T_unsigned_byte, fmt)
    # panda3d stores rows bottom-up in BGR(A) order.
    texture.set_ram_image_as(np.ascontiguousarray(pixels[::-1]).tobytes(), "RGBA" if channels == 4 else "RGB")
    texture.set_minfilter(Texture.FT_linear_mipmap_linear if mipmap else Texture.FT_linear)
    texture.set_magfilter(Texture.FT_linear)
    if anisotropy > 1:
        texture.set_anisotropic_degree(anisotropy)
    texture.set_wrap_u(Texture.WM_clamp)
    texture.set_wrap_v(Texture.WM_clamp)
    return texture


class ModelLoading:
    """Loads the model in steps, one per frame, so the poster and progress bar stay live meanwhile.

    With `background`, the slow step (panda3d-gltf converting a large model: ~0.8 s for 50k triangles) runs in
    a thread and the frames go on; without it every step runs on the caller's frame. The kiosk does not use the
    thread (see TreasureExhibit.build): panda3d stays on the main thread."""

    STEPS = (("locate", 0.15), ("convert", 0.75), ("prepare", 1.0))

    def __init__(self, package, name: str, background: bool = False):
        self.package, self.name = package, name
        self.background = background
        self.step_index = 0
        self.progress = 0.0
        self.path = None
        self.model = None
        self.error: str | None = None
        self.thread: threading.Thread | None = None

    @property
    def done(self) -> bool:
        return self.step_index >= len(self.STEPS) or self.error is not None

    def _convert(self) -> None:
        try:
            self.model = load_model(self.path, cache_dir=datadir.cache_dir() / "models")
        except Exception as exc:  # any loader failure becomes the load-failure screen, not a crash
            self.error = f"{self.name}: {exc}"

    def step(self, stage) -> None:
        if self.done:
            return
        step, progress = self.STEPS[self.step_index]
        try:
            if step == "locate":
                self.path = self.package.source.local_path(self.name)
            elif step == "convert":
                if not self.background:
                    self._convert()
                elif self.thread is None:
                    self.thread = threading.Thread(target=self._convert, name="treasure-model", daemon=True)
                    self.thread.start()
                    return
                elif self.thread.is_alive():
                    return  # still converting: the poster and progress bar keep drawing
                if self.error:
                    return
            else:
                filter_textures(self.model, anisotropy_for(stage.engine.buffer.get_gsg()))
                self.model.reparent_to(stage.root)
                self.model.prepare_scene(stage.engine.buffer.get_gsg())  # upload textures before the first frame
                stage.mark_dirty()
        except Exception as exc:  # any loader failure becomes the load-failure screen, not a crash
            self.error = f"{self.name}: {exc}"
            return
        self.step_index += 1
        self.progress = progress
