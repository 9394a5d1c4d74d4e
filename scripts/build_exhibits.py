#!/usr/bin/env python3
"""Build the bundled exhibit packages into content/: a procedural bronze ding (exhibit-treasure), a thread-bound
book of Tang quatrains (exhibit-book) and a panorama of a generated hall (exhibit-panorama); then the e-book
waterfall over them (exhibit-waterfall, scripts/build_waterfall.py).

Run: .venv/bin/python scripts/build_exhibits.py   (needs ../shared/data beside the repo or --data DIR; about 20 s)
Every binary written is checked to stay at or under 300 KB.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import pygame  # noqa: E402
import pygame.freetype  # noqa: E402
from PIL import Image  # noqa: E402

from experiences.exhibits import glb  # noqa: E402
from experiences.exhibits.authoring import ding, hall  # noqa: E402

MAX_BINARY = 300 * 1024
MIT_TEXT = """MIT License

Copyright (c) 2026 Yuedu contributors

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files (the "Software"), to deal in the Software without restriction, including without limitation the
rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the Software, and to permit
persons to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial portions of the
Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE
WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR
COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""
OWN_CREDIT = {"name": "Yuedu contributors (scripts/build_exhibits.py)", "license": "MIT", "license_file": "LICENSE.txt",
              "source": "https://github.com/yuedu/yuedu"}


def toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def toml_value(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return toml_string(value)


def toml_key(key: str) -> str:
    return key if key.replace("_", "").replace("-", "").isalnum() and key.isascii() else toml_string(key)


def manifest(package_id: str, kind: str, titles: dict, descriptions: dict, credits: list[dict], content: dict,
             tables: list[tuple[str, list[dict]]] = ()) -> str:
    lines = ["format = 1", f"id = {toml_string(package_id)}", 'version = "1.0.0"', f"kind = {toml_string(kind)}",
             'engine = ">=0.1"', 'language = "zh-CN"', 'age_bands = ["all"]', 'cover = "cover.png"', "", "[title]"]
    lines += [f"{toml_key(k)} = {toml_string(v)}" for k, v in titles.items()]
    lines += ["", "[description]"] + [f"{toml_key(k)} = {toml_string(v)}" for k, v in descriptions.items()]
    for credit in credits:
        lines += ["", "[[credits]]"] + [f"{k} = {toml_string(v)}" for k, v in credit.items()]
    lines += ["", "[content]"]
    subtables = {k: v for k, v in content.items() if isinstance(v, dict)}
    lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in content.items() if k not in subtables]
    for name, table in subtables.items():
        lines += ["", f"[content.{name}]"] + [f"{toml_key(k)} = {toml_value(v)}" for k, v in table.items()]
    for name, rows in tables:
        for row in rows:
            lines += ["", f"[[content.{name}]]"] + [f"{toml_key(k)} = {toml_value(v)}" for k, v in row.items()]
    return "\n".join(lines) + "\n"


def png(pixels: np.ndarray, size: tuple[int, int] | None = None) -> bytes:
    image = Image.fromarray(pixels)
    if size:
        image = image.resize(size, Image.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def jpeg(pixels: np.ndarray, quality: int = 80) -> bytes:
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def write(folder: Path, name: str, data: bytes | str) -> None:
    path = folder / name
    data = data.encode("utf-8") if isinstance(data, str) else data
    if len(data) > MAX_BINARY and not name.endswith((".toml", ".json", ".txt", ".md")):
        raise SystemExit(f"{path}: {len(data)} bytes is over the {MAX_BINARY} byte budget for a bundled binary")
    path.write_bytes(data)
    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    print(f"  {shown}  {len(data) / 1024:.0f} KB")


def fresh(folder: Path) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def screenshot(package_dir: Path, runner_name: str, frames: int = 3, size=(1280, 720), setup=None) -> np.ndarray:
    """Run a package's exhibit offscreen for a few frames and return the screen as RGB pixels."""
    from experiences.config import KioskConfig
    from experiences.engagement import ListSink, Place, SessionReporter
    from experiences.kinds import _load_dotted
    from experiences.package import open_package
    from experiences.runtime import ManualClock, RunContext

    package = open_package(package_dir)
    clock = ManualClock()
    reporter = SessionReporter(ListSink(), Place()).experience(package.id, package.kind, package.version, monotonic=clock.now)
    ctx = RunContext(config=KioskConfig(), reporter=reporter, size=size, data_dir=REPO / ".cache" / "build", clock=clock,
                     headless=True)
    exhibit = _load_dotted(runner_name)(package, ctx)
    exhibit.start()
    surface = pygame.Surface(size)
    try:
        if setup:
            setup(exhibit)
        for _ in range(frames):
            clock.advance(1 / 30)
            exhibit.update(1 / 30)
            exhibit.draw(surface)
        exhibit.buttons = []  # covers and posters show the exhibit, not the controls
        exhibit.stage.antialias_always = exhibit.stage.antialias  # smooth edges on the cover
        exhibit.stage.mark_dirty()
        exhibit.stage.render_into(surface)
    finally:
        exhibit.stop("quit")
    return pygame.surfarray.array3d(surface).transpose(1, 0, 2).copy()


# ---- the three packages -------------------------------------------------------------------------------------

def build_treasure(out: Path) -> bytes:
    folder = fresh(out / "exhibit-treasure")
    model = glb.write_glb(ding.ding_parts(), extras={"title": "bronze ding, procedural"})
    write(folder, "ding.glb", model)
    write(folder, "LICENSE.txt", MIT_TEXT)
    content = {"model": "ding.glb", "poster": "poster.png", "background": [0.16, 0.15, 0.14],
               "view": {"target": [0.0, 0.0, 0.52], "distance": 2.4, "min_distance": 1.2, "max_distance": 4.5,
                        "pitch": 18.0, "min_pitch": -10.0, "max_pitch": 75.0, "max_pan": 0.3,
                        "auto_rotate": 12.0, "resume_after": 3.0}}
    text = manifest(
        "org.yuedu.exhibits.ding", "exhibit-treasure",
        {"zh-CN": "青铜鼎", "en": "Bronze Ding"},
        {"zh-CN": "转一转、放大看：三足两耳的青铜鼎，点红点听它的故事。",
         "en": "Turn and zoom a bronze ding with three legs and two ears; tap the red dots for its stories."},
        [dict(OWN_CREDIT, role="3D model and textures, generated in code")], content,
        tables=[("hotspots", ding.HOTSPOTS)])
    write(folder, "experience.toml", text)
    # The poster is a first placeholder so the loading screen has something; then the real render replaces it.
    write(folder, "poster.png", png(np.full((360, 640, 3), (40, 36, 32), np.uint8)))
    shot = screenshot(folder, "experiences.exhibits.treasure:TreasureExhibit", frames=4)
    write(folder, "poster.png", png(shot, (640, 360)))
    write(folder, "cover.png", png(shot, (480, 270)))
    return model


def choose_poems(data_dir: Path, forms=("五言绝句",), limit: int = 29) -> list[dict]:
    poems = json.loads((data_dir / "poems" / "tangshi300.json").read_text(encoding="utf-8"))
    chosen = [p for p in poems if p["form"] in forms][:limit]
    return [{"title": p["title"], "author": p["author"], "lines": p["paragraphs"]} for p in chosen]


def subset_font(source: Path, text: str) -> bytes:
    from fontTools import subset

    options = subset.Options()
    options.layout_features = ["vert", "vrt2"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def build_book(out: Path, data_dir: Path) -> None:
    folder = fresh(out / "exhibit-book")
    sections = choose_poems(data_dir)
    title = {"zh-CN": "唐诗三百首·五言绝句", "en": "Three Hundred Tang Poems: Five-Character Quatrains"}
    book = {"title": title, "sections": sections}
    write(folder, "poems.json", json.dumps(book, ensure_ascii=False, indent=1))
    book_title = {"zh-CN": "线装唐诗", "en": "Thread-bound Tang Poems"}
    characters = set(title["zh-CN"] + book_title["zh-CN"]) | set("〇一二三四五六七八九十")
    for section in sections:
        characters |= set(section["title"] + section["author"] + "".join(section["lines"]))
    write(folder, "kai.ttf", subset_font(data_dir / "fonts" / "StageKai-Regular-3500.subset.ttf", "".join(sorted(characters))))
    shutil.copy(data_dir / "fonts" / "COPYRIGHT-lxgw-wenkai.debian.txt", folder / "OFL-StageKai.txt")
    shutil.copy(data_dir / "poems" / "LICENSE-chinese-poetry.txt", folder / "LICENSE-chinese-poetry.txt")
    write(folder, "LICENSE.txt", MIT_TEXT)
    credits = [
        {"name": "chinese-poetry", "role": "poem texts (唐诗三百首, simplified)", "license": "MIT",
         "license_file": "LICENSE-chinese-poetry.txt", "source": "https://github.com/chinese-poetry/chinese-poetry"},
        {"name": "StageKai (subset of LXGW WenKai by lxgw)", "role": "Kai font", "license": "OFL-1.1",
         "license_file": "OFL-StageKai.txt", "source": "https://github.com/lxgw/LxgwWenKai"},
        dict(OWN_CREDIT, role="book layout, paper and cover, generated in code"),
    ]
    content = {"text": "poems.json", "font": "kai.ttf", "reading": "rtl"}
    text = manifest("org.yuedu.exhibits.tangshi-book", "exhibit-book", book_title,
                    {"zh-CN": "翻开一本线装书，读二十九首五言绝句。点书页或拖动翻页。",
                     "en": "Open a thread-bound book of 29 Tang quatrains; tap or drag to turn the pages."},
                    credits, content)
    write(folder, "experience.toml", text)
    write(folder, "cover.png", png(np.full((270, 480, 3), (52, 64, 92), np.uint8)))
    shot = screenshot(folder, "experiences.exhibits.book:BookExhibit", frames=2)
    write(folder, "cover.png", png(shot, (480, 270)))


def build_panorama(out: Path, model: bytes, data_dir: Path) -> None:
    folder = fresh(out / "exhibit-panorama")
    font = data_dir / "fonts" / "StageKai-Regular-3500.subset.ttf"
    pixels = hall.render_panorama(model, str(font))
    quality = 82
    data = jpeg(pixels, quality)
    while len(data) > MAX_BINARY and quality > 40:
        quality -= 6
        data = jpeg(pixels, quality)
    write(folder, "hall.jpg", data)
    write(folder, "LICENSE.txt", MIT_TEXT)
    spots = [
        {"id": "ding", "title": {"zh-CN": "青铜鼎", "en": "Bronze ding"},
         "text": {"zh-CN": "展台上是一口三足两耳的青铜鼎。点“去看看”，可以把它拿在手里转一转。",
                  "en": "A bronze ding on its pedestal. Tap 'Go there' to turn it in your hands."},
         "opens": "org.yuedu.exhibits.ding"},
        {"id": "book", "title": {"zh-CN": "线装书", "en": "Thread-bound book"},
         "text": {"zh-CN": "书桌上摊开一本线装书，里面是唐诗。", "en": "An open thread-bound book of Tang poems."},
         "opens": "org.yuedu.exhibits.tangshi-book"},
        {"id": "scroll", "title": {"zh-CN": "静夜思", "en": "Quiet Night Thoughts"},
         "text": {"zh-CN": "李白《静夜思》：床前明月光，疑是地上霜。举头望明月，低头思故乡。",
                  "en": "Li Bai's 'Quiet Night Thoughts', written as a hanging scroll."}},
        {"id": "window", "title": {"zh-CN": "花窗", "en": "Lattice window"},
         "text": {"zh-CN": "木格花窗糊着窗纸，阳光透进来，屋里就亮堂了。",
                  "en": "A wooden lattice window covered with paper lets the daylight in."}},
    ]
    for spot in spots:
        yaw, pitch = hall.HOTSPOT_DIRECTIONS[spot["id"]]
        spot.update({"yaw": yaw, "pitch": pitch})
    ordered = [{k: s[k] for k in ("id", "yaw", "pitch", "title", "text", "opens") if k in s} for s in spots]
    text = manifest("org.yuedu.exhibits.hall", "exhibit-panorama", {"zh-CN": "古韵展厅", "en": "Heritage Hall"},
                    {"zh-CN": "拖动环顾展厅，点红点看展品。", "en": "Drag to look around the hall; tap the red dots."},
                    [dict(OWN_CREDIT, role="hall scene and panorama, rendered in code")],
                    {"image": "hall.jpg", "start_yaw": 0.0, "fov": 70.0, "auto_pan": 3.0, "resume_after": 3.0},
                    tables=[("hotspots", ordered), ("texts", hall.scroll_texts())])
    write(folder, "experience.toml", text)
    write(folder, "cover.png", png(np.full((270, 480, 3), (80, 60, 50), np.uint8)))
    shot = screenshot(folder, "experiences.exhibits.panorama:PanoramaExhibit", frames=1)
    write(folder, "cover.png", png(shot, (480, 270)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data", help="shared data folder")
    parser.add_argument("--out", type=Path, default=REPO / "content", help="where the package folders go")
    args = parser.parse_args(argv)
    pygame.freetype.init()
    print("exhibit-treasure:")
    model = build_treasure(args.out)
    print("exhibit-book:")
    build_book(args.out, args.data)
    print("exhibit-panorama:")
    build_panorama(args.out, model, args.data)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from build_waterfall import build_waterfall

    print("exhibit-waterfall:")
    build_waterfall(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
