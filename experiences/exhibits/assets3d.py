"""Models and textures for the exhibits: glTF/GLB (cached as .bam), .bam/.egg, and textures from arrays.

Kept apart from the offscreen bridge (offscreen.py), which only renders; loading needs no window.
"""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from panda3d.core import NodePath, Texture

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
