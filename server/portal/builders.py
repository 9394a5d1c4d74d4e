"""Package folders built from the portal's forms (an idiom set, a poem for the booth): the same files a
package author would write, so the same validator judges them. No Flask here: forms call these functions."""
from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

FONT = Path(__file__).resolve().parents[2] / "assets" / "fonts" / "StageKai-Regular-3500.subset.ttf"
DICTIONARY_ID = "org.yuedu.idioms.xinhua"
AUDIO_SUFFIXES = (".ogg", ".oga", ".wav", ".flac")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass
class PackageMeta:
    """The manifest fields every form asks for."""

    package_id: str
    version: str = "1.0.0"
    title_zh: str = ""
    title_en: str = ""
    description_zh: str = ""
    description_en: str = ""
    age_bands: list[str] = field(default_factory=lambda: ["all"])
    credit_name: str = ""
    license: str = "CC-BY-4.0"
    source: str = ""


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def toml_value(value) -> str:
    """A TOML value: strings, numbers, booleans, arrays and (inline) tables with quoted keys."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(float(value)) if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_string(str(k))} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def manifest_text(meta: PackageMeta, kind: str, content: dict, requires: list[dict] | None = None) -> str:
    lines = ["format = 1", f"id = {_toml_string(meta.package_id)}", f"version = {_toml_string(meta.version)}",
             f"kind = {_toml_string(kind)}", 'engine = ">=0.1"', 'language = "zh-CN"',
             "age_bands = [" + ", ".join(_toml_string(b) for b in meta.age_bands) + "]", 'cover = "cover.png"', "",
             "[title]", f"zh-CN = {_toml_string(meta.title_zh)}"]
    if meta.title_en:
        lines.append(f"en = {_toml_string(meta.title_en)}")
    if meta.description_zh or meta.description_en:
        lines += ["", "[description]"]
        if meta.description_zh:
            lines.append(f"zh-CN = {_toml_string(meta.description_zh)}")
        if meta.description_en:
            lines.append(f"en = {_toml_string(meta.description_en)}")
    lines += ["", "[[credits]]", f"name = {_toml_string(meta.credit_name)}", f"license = {_toml_string(meta.license)}"]
    if meta.source:
        lines.append(f"source = {_toml_string(meta.source)}")
    for required in requires or []:
        lines += ["", "[[requires]]"] + [f"{k} = {_toml_string(v)}" for k, v in required.items()]
    lines += ["", "[content]"]
    for key, value in content.items():
        lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def make_cover(path: Path, title: str, size: tuple[int, int] = (640, 480)) -> None:
    """A plain cover: the title in the engine's Kai font on a warm paper colour (curators may replace it)."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", size, (246, 238, 220))
    draw = ImageDraw.Draw(image)
    draw.rectangle([16, 16, size[0] - 17, size[1] - 17], outline=(150, 40, 30), width=6)
    text = title[:12] or "悦读"
    font_size = max(32, min(96, (size[0] - 80) // max(1, len(text))))
    font = ImageFont.truetype(str(FONT), font_size)
    box = draw.textbbox((0, 0), text, font=font)
    draw.text(((size[0] - box[2]) // 2, (size[1] - box[3]) // 2), text, font=font, fill=(60, 30, 20))
    image.save(path, "PNG")


# --- idiom sets -----------------------------------------------------------------------------------------------
def parse_idioms(text: str) -> tuple[list[dict], list[tuple[int, str]]]:
    """Records from pasted CSV (word, pinyin, explanation per line; comma, tab or ，) or a JSON array.

    Returns (records, problems) where problems are (line number, raw line) of lines that are not records.
    """
    text = text.strip().lstrip("\ufeff")
    if not text:
        return [], []
    if text.startswith("["):
        from server.jsonbody import JSONBodyError, read_json

        try:
            data = read_json(text, "the JSON", max_bytes=6 * 1024 * 1024, max_depth=4)
        except JSONBodyError as exc:
            return [], [(1, str(exc))]
        records = []
        for item in data if isinstance(data, list) else []:
            if isinstance(item, str):
                records.append({"word": item.strip(), "pinyin": "", "explanation": ""})
            elif isinstance(item, dict):
                records.append({k: str(item.get(k, "") or "").strip() for k in ("word", "pinyin", "explanation")})
        return records, ([] if isinstance(data, list) else [(1, "not a JSON array")])
    records, problems = [], []
    normalised = text.replace("，", ",").replace("\t", ",")
    for number, row in enumerate(csv.reader(io.StringIO(normalised)), start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in ("word", "成语", "idiom"):
            continue  # a header row
        if not _HAN.search(cells[0]):
            problems.append((number, ",".join(cells)))
            continue
        cells += [""] * (3 - len(cells))
        records.append({"word": cells[0], "pinyin": cells[1], "explanation": ",".join(cells[2:]).strip(",")})
    return records, problems


def _han_syllables(text: str) -> list[str]:
    """One tone-marked syllable per Han character of `text`, read in context (pypinyin's phrase table picks
    多音字 readings); curators may edit the result."""
    from pypinyin import Style, pinyin

    hans = [c for c in text if _HAN.match(c)]
    items = [item[0] for item in pinyin(text, style=Style.TONE, errors="ignore")]
    if len(items) != len(hans):  # a character pypinyin does not know: fall back to one at a time
        items = [(pinyin(c, style=Style.TONE, errors="ignore") or [[""]])[0][0] for c in hans]
    return items


def pinyin_of(word: str) -> str:
    return " ".join(_han_syllables(word))


def fill_pinyin(records: list[dict]) -> list[dict]:
    """Records with empty pinyin filled in; typed pinyin is kept as the curator wrote it."""
    return [dict(r, pinyin=r.get("pinyin") or pinyin_of(r.get("word", ""))) for r in records]


def idioms_as_text(records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for record in records:
        writer.writerow([record.get("word", ""), record.get("pinyin", ""), record.get("explanation", "")])
    return out.getvalue()


def build_idiom_set(folder: Path, meta: PackageMeta, records: list[dict], rounds: int | None) -> Path:
    """An idiom-lanterns package (成语论箭) asking `records`, checked against the bundled dictionary."""
    folder.mkdir(parents=True)
    (folder / "idioms.json").write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    content = {"idioms": "idioms.json", "dictionary": DICTIONARY_ID}
    if rounds is not None:
        content["rounds"] = rounds
    (folder / "experience.toml").write_text(
        manifest_text(meta, "idiom-lanterns", content, [{"id": DICTIONARY_ID, "version": ">=1.0"}]), encoding="utf-8")
    make_cover(folder / "cover.png", meta.title_zh)
    return folder


# --- a poem for the booth ---------------------------------------------------------------------------------------
def poem_pinyin(paragraphs: list[str]) -> list[list[str]]:
    """Per character of each paragraph: its tone-marked syllable, "" under punctuation."""
    out = []
    for line in paragraphs:
        syllables = iter(_han_syllables(line))
        out.append([next(syllables, "") if _HAN.match(ch) else "" for ch in line])
    return out


def build_poem(folder: Path, meta: PackageMeta, poem: dict, files: dict[str, tuple[str, bytes]],
               scoring: bool = True) -> Path:
    """A recitation package with one poem; `files` maps "audio" / "lrc" / "music" to (uploaded name, bytes)."""
    folder.mkdir(parents=True)
    record = {"id": poem.get("id") or "poem", "title": poem.get("title", ""), "paragraphs": poem.get("paragraphs", []),
              "collection": poem.get("collection") or meta.title_zh or "馆藏"}
    for key in ("author", "dynasty"):
        if poem.get(key):
            record[key] = poem[key]
    record["pinyin"] = poem.get("pinyin") or poem_pinyin(record["paragraphs"])
    content: dict = {"poems": "poems.json", "scoring": scoring}
    for key, (name, data) in files.items():
        suffix = Path(name).suffix.lower()
        stored = {"lrc": "reading.lrc"}.get(key, f"{key}{suffix}")  # fixed names: an upload never picks a path
        (folder / stored).write_bytes(data)
        if key == "music":
            record["music"] = stored
        else:
            record[key] = stored
    (folder / "poems.json").write_text(json.dumps([record], ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "experience.toml").write_text(manifest_text(meta, "recitation", content), encoding="utf-8")
    make_cover(folder / "cover.png", record["title"] or meta.title_zh)
    return folder


# --- a panorama with hotspots ---------------------------------------------------------------------------------
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


def _parse_hotspot_lines(text: str, place) -> tuple[list[dict], list[tuple[int, str]]]:
    """Hotspot lines `id | <where> | 标题 | 说明 [| English title | English text]`, where `place(cells)` reads
    the location cells into fields (raising ValueError when they are not numbers); bad lines come back numbered."""
    hotspots, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split("|")]
        try:
            if len(cells) < 4:
                raise ValueError
            where = place(cells)
        except ValueError:
            problems.append((number, line.strip()))
            continue
        cells += [""] * (7 - len(cells))
        spot = {"id": cells[0], **where, "title": {"zh-CN": cells[3]}}
        if cells[5]:
            spot["title"]["en"] = cells[5]
        if cells[4]:
            spot["text"] = {"zh-CN": cells[4]} | ({"en": cells[6]} if cells[6] else {})
        hotspots.append(spot)
    return hotspots, problems


def parse_hotspots(text: str) -> tuple[list[dict], list[tuple[int, str]]]:
    """One hotspot per line: `id | yaw | pitch | 标题 | 说明 [| English title | English text]`."""
    return _parse_hotspot_lines(text, lambda cells: {"yaw": float(cells[1]), "pitch": float(cells[2])})


def build_panorama(folder: Path, meta: PackageMeta, image: tuple[str, bytes], hotspots: list[dict],
                   start_yaw: float = 0.0) -> Path:
    """An exhibit-panorama package: the uploaded equirectangular image (stored under a fixed name) and hotspots."""
    folder.mkdir(parents=True)
    suffix = Path(image[0]).suffix.lower()
    stored = f"panorama{suffix if suffix in IMAGE_SUFFIXES else '.bin'}"
    (folder / stored).write_bytes(image[1])
    content = {"image": stored, "start_yaw": float(start_yaw), "auto_pan": 3.0, "resume_after": 3.0,
               "hotspots": hotspots}
    (folder / "experience.toml").write_text(manifest_text(meta, "exhibit-panorama", content), encoding="utf-8")
    make_cover(folder / "cover.png", meta.title_zh)
    return folder


# --- a 3D book from page images ---------------------------------------------------------------------------------
def build_book(folder: Path, meta: PackageMeta, pages: list[tuple[str, bytes]], reading: str = "ltr") -> Path:
    """An exhibit-book package: page images in reading order, stored as page-001.<ext>, page-002.<ext>, ..."""
    folder.mkdir(parents=True)
    names = []
    for number, (name, data) in enumerate(pages, start=1):
        suffix = Path(name).suffix.lower()
        stored = f"page-{number:03d}{suffix if suffix in IMAGE_SUFFIXES else '.bin'}"
        (folder / stored).write_bytes(data)
        names.append(stored)
    content = {"pages": names, "reading": reading if reading in ("ltr", "rtl") else "ltr"}
    (folder / "experience.toml").write_text(manifest_text(meta, "exhibit-book", content), encoding="utf-8")
    make_cover(folder / "cover.png", meta.title_zh)
    return folder


# --- a 3D treasure (glTF / GLB) with hotspots -------------------------------------------------------------------
MODEL_SUFFIXES = (".glb",)  # a .gltf names other files; one self-contained .glb is what a form can take


def _vector(text: str) -> list[float]:
    values = [float(v) for v in text.replace(",", " ").split()]
    if len(values) != 3:
        raise ValueError("three numbers")
    return values


def parse_model_hotspots(text: str) -> tuple[list[dict], list[tuple[int, str]]]:
    """One hotspot per line: `id | x y z | nx ny nz | 标题 | 说明 [| English title | English text]`."""
    return _parse_hotspot_lines(text, lambda cells: {"position": _vector(cells[1]), "normal": _vector(cells[2])})


def build_treasure(folder: Path, meta: PackageMeta, model: tuple[str, bytes], hotspots: list[dict],
                   auto_rotate: float = 12.0, lighting: str = "auto") -> Path:
    """An exhibit-treasure package: the uploaded model (stored as model.glb) on a turntable, with hotspots;
    `lighting` is auto, pbr or basic (docs/exhibits.md)."""
    folder.mkdir(parents=True)
    suffix = Path(model[0]).suffix.lower()
    stored = f"model{suffix if suffix in MODEL_SUFFIXES else '.bin'}"
    (folder / stored).write_bytes(model[1])
    content = {"model": stored, "view": {"auto_rotate": float(auto_rotate), "resume_after": 3.0},
               "lighting": lighting if lighting in ("auto", "pbr", "basic") else "auto", "hotspots": hotspots}
    (folder / "experience.toml").write_text(manifest_text(meta, "exhibit-treasure", content), encoding="utf-8")
    make_cover(folder / "cover.png", meta.title_zh)
    return folder


WATERFALL_TAGS = ("exhibit", "idiom", "recitation", "3-5", "6-8", "9-12", "13+")
_PACKAGE_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)+$")


def parse_package_ids(text: str) -> tuple[list[str], list[tuple[int, str]]]:
    """One package id per line (blank lines skipped); (ids in order without repeats, [(line number, text)] bad)."""
    ids: list[str] = []
    bad: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if not _PACKAGE_ID.match(line):
            bad.append((number, line))
        elif line not in ids:
            ids.append(line)
    return ids, bad


def build_waterfall(folder: Path, meta: PackageMeta, packages: list[str] | None, tags: list[str],
                    columns: int = 5, speed: float = 2.0) -> Path:
    """An exhibit-waterfall package: `packages` None shows every installed package (narrowed by `tags`)."""
    folder.mkdir(parents=True)
    content: dict = {"packages": "all" if packages is None else packages, "columns": int(columns),
                     "speed": float(speed)}
    if tags:
        content["tags"] = [tag for tag in tags if tag in WATERFALL_TAGS]
    (folder / "experience.toml").write_text(manifest_text(meta, "exhibit-waterfall", content), encoding="utf-8")
    make_cover(folder / "cover.png", meta.title_zh)
    return folder
