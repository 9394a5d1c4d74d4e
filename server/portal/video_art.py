"""The family video's picture and music for a recitation package, set from the portal (issue #18): a stored
version's folder gets a poem's (or the package's default) `video_background` / `video_music` set, replaced or
cleared, and a new patch version, so the same validator judges it and kiosks receive it as any other version.
No Flask here: the page (video_pages.py) calls these functions.
"""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

KEYS = ("video_background", "video_music")
FOLDER = "video"  # where uploaded files go in the package; an upload's own name never becomes a path
PACKAGE_DEFAULT = ""  # the poem choice meaning "every poem without its own"
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_CONTENT_HEADER = re.compile(r"^\s*\[content\]\s*(#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")


class EditError(Exception):
    """The package cannot be edited this way (not a recitation package, unknown poem, odd manifest)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


@dataclass(frozen=True)
class PoemChoice:
    id: str
    title: str
    author: str
    background: str  # the file set for it now ("" none)
    music: str


def next_version(version: str, taken: set[str]) -> str:
    """The next patch version not taken yet: 1.0.0 → 1.0.1 (→ 1.0.2 if 1.0.1 exists)."""
    match = _VERSION.match(version.strip())
    if not match:
        raise EditError("version_not_semver", version=version)
    major, minor, patch = (int(g) for g in match.groups())
    while True:
        patch += 1
        candidate = f"{major}.{minor}.{patch}"
        if candidate not in taken:
            return candidate


def read_manifest(folder: Path) -> dict:
    return tomllib.loads((folder / "experience.toml").read_text(encoding="utf-8"))


def poems_file(folder: Path) -> Path:
    manifest = read_manifest(folder)
    if manifest.get("kind") != "recitation":
        raise EditError("not_recitation", kind=str(manifest.get("kind", "")))
    name = manifest.get("content", {}).get("poems")
    if not isinstance(name, str):
        raise EditError("not_recitation", kind="recitation")
    return folder.joinpath(*PurePosixPath(name).parts)


def poem_choices(source) -> tuple[list[PoemChoice], dict[str, str]]:
    """The package's poems with what each has now, and the package's defaults {key: file}; `source` is an
    experiences.package.PackageSource (a stored zip is read in place, nothing unpacked)."""
    manifest = tomllib.loads(source.read_text("experience.toml"))
    content = manifest.get("content", {})
    if manifest.get("kind") != "recitation" or not isinstance(content.get("poems"), str):
        raise EditError("not_recitation", kind=str(manifest.get("kind", "")))
    poems = json.loads(source.read_text(content["poems"]))
    choices = [PoemChoice(str(p["id"]), str(p.get("title", "")), str(p.get("author", "")),
                          str(p.get("video_background") or ""), str(p.get("video_music") or "")) for p in poems]
    return choices, {key: str(content.get(key) or "") for key in KEYS}


def set_manifest_value(text: str, table: str | None, key: str, value: str | None) -> str:
    """`text` with `key` in `table` ([content]) or at the top (None) set to the string `value`, or removed
    (None); checked by parsing it again, so an unusual manifest is refused rather than damaged."""
    lines = text.splitlines()
    if table is None:
        start, end = 0, next((i for i, line in enumerate(lines) if _ANY_HEADER.match(line)), len(lines))
    else:
        header = next((i for i, line in enumerate(lines) if _CONTENT_HEADER.match(line)), None)
        if header is None:
            raise EditError("manifest_unusual")
        start = header + 1
        end = next((i for i in range(start, len(lines)) if _ANY_HEADER.match(lines[i])), len(lines))
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    found = [i for i in range(start, end) if pattern.match(lines[i])]
    new_line = f"{key} = {json.dumps(value, ensure_ascii=False)}" if value is not None else None
    if found:
        if new_line is None:
            del lines[found[0]]
        else:
            lines[found[0]] = new_line
    elif new_line is not None:
        at = end
        while at > start and not lines[at - 1].strip():  # before the blank lines that end the table
            at -= 1
        lines.insert(at, new_line)
    result = "\n".join(lines) + "\n"
    parsed = tomllib.loads(result)
    got = (parsed if table is None else parsed.get(table, {})).get(key)
    if got != value:
        raise EditError("manifest_unusual")
    return result


def _referenced(folder: Path, manifest: dict, poems: list[dict]) -> set[str]:
    names = {str(manifest.get("content", {}).get(k) or "") for k in KEYS}
    names |= {str(p.get(k) or "") for p in poems for k in KEYS}
    return names - {""}


def apply_media(folder: Path, poem_id: str, uploads: dict[str, tuple[str, bytes]], clear: set[str],
                version: str) -> list[str]:
    """Set, for `poem_id` (or the package default when PACKAGE_DEFAULT), each key of `uploads` ("video_background"
    / "video_music" → (uploaded name, bytes)) and clear those in `clear`; write `version` into the manifest.
    Files no longer referenced by any poem are removed. Returns what changed, e.g. ["video_background"]."""
    manifest_path = folder / "experience.toml"
    path = poems_file(folder)
    poems = json.loads(path.read_text(encoding="utf-8"))
    manifest_text = manifest_path.read_text(encoding="utf-8")
    manifest = tomllib.loads(manifest_text)
    if poem_id != PACKAGE_DEFAULT and not any(str(p.get("id")) == poem_id for p in poems):
        raise EditError("poem_unknown", poem=poem_id)
    before = _referenced(folder, manifest, poems)
    changed: list[str] = []
    for key in KEYS:
        if key in uploads:
            name, data = uploads[key]
            suffix = PurePosixPath(name).suffix.lower()
            owner = f"poem-{poem_id}" if poem_id != PACKAGE_DEFAULT else "package"
            stored = f"{FOLDER}/{owner}-{key.split('_')[1]}{suffix}"
            target = folder / FOLDER / stored.split("/", 1)[1]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            value: str | None = stored
        elif key in clear:
            value = None
        else:
            continue
        changed.append(key)
        if poem_id == PACKAGE_DEFAULT:
            manifest_text = set_manifest_value(manifest_text, "content", key, value)
        else:
            for poem in poems:
                if str(poem.get("id")) == poem_id:
                    if value is None:
                        poem.pop(key, None)
                    else:
                        poem[key] = value
    manifest_text = set_manifest_value(manifest_text, None, "version", version)
    manifest_path.write_text(manifest_text, encoding="utf-8")
    path.write_text(json.dumps(poems, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    after = _referenced(folder, tomllib.loads(manifest_text), poems)
    for name in before - after:  # a replaced or cleared picture leaves the package (only files under video/)
        if name.startswith(f"{FOLDER}/"):
            (folder / name).unlink(missing_ok=True)
    return changed
