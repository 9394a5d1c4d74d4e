"""Small builders for exhibit tests: packages in a temporary folder, GLB models, a recording report."""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
from PIL import Image

from experiences.exhibits import geometry, glb
from experiences.package import open_package
from tests.recording import RecordingReport  # noqa: F401 (the exhibit tests import it from here)


def box_glb(scale: float = 1.0, color=(0.7, 0.5, 0.2, 1.0)) -> bytes:
    pos, nor, uv, tris = geometry.box(scale, scale, scale)
    return glb.write_glb([glb.MeshPart(pos, nor, tris, uvs=uv, base_color=color)])


def grid_glb(triangles: int) -> bytes:
    """A model with exactly `triangles` triangles (a strip of quads), for limit tests."""
    quads = (triangles + 1) // 2
    u, v, tris = geometry.grid(quads, 1)
    pos = np.stack([u, np.zeros_like(u), v], axis=1)
    nor = np.tile([0.0, -1.0, 0.0], (len(u), 1))
    return glb.write_glb([glb.MeshPart(pos, nor, tris[:triangles])])


def png_bytes(size=(64, 32), color=(200, 120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def toml_value(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def write_package(root: Path, kind: str, content_toml: str, files: dict[str, bytes], package_id="org.test.exhibit"):
    root.mkdir(parents=True, exist_ok=True)
    manifest = f'''format = 1
id = "{package_id}"
version = "1.0.0"
kind = "{kind}"
engine = ">=0.1"
language = "zh-CN"
age_bands = ["all"]
cover = "cover.png"

[title]
zh-CN = "测试展品"
en = "Test exhibit"

[[credits]]
name = "tests"
license = "CC0-1.0"

{content_toml}
'''
    (root / "experience.toml").write_text(manifest, encoding="utf-8")
    (root / "cover.png").write_bytes(png_bytes())
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return open_package(root)


def make_context(tmp_path: Path, size=(1280, 720), language="zh-CN"):
    """A RunContext with a manual clock and an in-memory statement sink (returned too)."""
    from experiences.config import KioskConfig
    from experiences.engagement import ListSink, Place, SessionReporter
    from experiences.runtime import ManualClock, RunContext

    sink = ListSink()
    clock = ManualClock(100.0)
    session = SessionReporter(sink, Place(), session_id="test-session", wall_clock=lambda: 1_700_000_000.0)
    reporter = session.experience("org.test.exhibit", "exhibit", "1.0.0", monotonic=clock.now)
    ctx = RunContext(config=KioskConfig(), reporter=reporter, size=size, data_dir=tmp_path / "run",
                     headless=True, language=language, clock=clock)
    return ctx, sink, clock


def run_frames(experience, surface, clock, frames: int = 1, dt: float = 1 / 30):
    for _ in range(frames):
        clock.advance(dt)
        experience.update(dt)
        experience.draw(surface)


def pixels_of(surface) -> np.ndarray:
    import pygame

    return pygame.surfarray.array3d(surface).transpose(1, 0, 2)


def verbs(sink) -> list[str]:
    return [s["verb"]["display"]["en-US"] for s in sink.statements]


def advance(experience, clock, seconds: float, steps: int = 4):
    """Let time pass in a few updates without drawing (animations only)."""
    for _ in range(steps):
        clock.advance(seconds / steps)
        experience.update(seconds / steps)
