#!/usr/bin/env python3
"""Build the bundled content packages in content/ (and the Kai font in assets/fonts/) from the shared data.

Deterministic: the same shared data gives the same bytes. Usage: python scripts/build_content.py [--shared DIR]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the helper modules beside this script

from content_cover import draw_cover, png_bytes  # noqa: E402
from content_data import (  # noqa: E402
    CITATION_TONES, IDIOM_PINYIN, PHRASE_READINGS, PINYIN_LOOKALIKES, PINYIN_REVIEW, alignment_problems,
    children_records, dictionary_records, is_han, poem_records,
)
from content_readme import READMES  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
FONT = "fonts/StageKai-Regular-3500.subset.ttf"
VERSION = "1.0.0"
DICTIONARY_ID = "org.yuedu.idioms.xinhua"

XINHUA_CREDIT = {
    "name": "chinese-xinhua (pwxcoo)", "role": "idiom data", "license": "MIT",
    "license_file": "LICENSE-chinese-xinhua.txt", "source": "https://github.com/pwxcoo/chinese-xinhua",
}
POETRY_CREDIT = {
    "name": "chinese-poetry", "role": "poem texts", "license": "MIT",
    "license_file": "LICENSE-chinese-poetry.txt", "source": "https://github.com/chinese-poetry/chinese-poetry",
}
K12_CREDIT = {
    "name": "来源：k12-chinese-poetry / 丢词大作战", "role": "primary-school grade lists", "license": "CC-BY-4.0",
    "license_file": "LICENSE-k12-chinese-poetry.txt", "source": "https://github.com/diuci/k12-chinese-poetry",
}
K12_NOTICE = """\
小学古诗年级表 / Primary-school grade lists

来源：k12-chinese-poetry / 丢词大作战
Source: k12-chinese-poetry / 丢词大作战 (Diuci Games) and contributors, https://github.com/diuci/k12-chinese-poetry

Licensed under the Creative Commons Attribution 4.0 International licence (CC BY 4.0):
https://creativecommons.org/licenses/by/4.0/legalcode

Used here: which primary-school grade (1-6) each of the 108 primary-school poems belongs to, as the `grade` field
of poems.json. The `grade` field of this package is shared under CC BY 4.0 as well. The poem texts themselves are
in the public domain.
"""

PACKAGES = {
    "idioms-xinhua": {
        "id": DICTIONARY_ID, "kind": "idiom-dictionary", "age_bands": ["all"], "readme": "xinhua",
        "title": {"zh-CN": "新华成语词典", "en": "Xinhua Idiom Dictionary"},
        "description": {"zh-CN": "三万多条成语的拼音、释义、出处和例句，供成语游戏查用。",
                        "en": "Over 30,000 idioms with pinyin, meaning, source and example, for the idiom games."},
        "cover": ("成语词典", "查读音，看意思", "{idioms:,} 条成语", "book"),
        "credits": [XINHUA_CREDIT], "requires": [], "content": {"idioms": "idioms.json"},
    },
    "idioms-children": {
        "id": "org.yuedu.idioms.children", "kind": "idiom-lanterns", "age_bands": ["6-8", "9-12"],
        "readme": "children",
        "title": {"zh-CN": "成语论箭", "en": "Idiom Archery"},
        "description": {"zh-CN": "看成语，射灯笼，找出缺的那个字。",
                        "en": "Shoot the lantern with the missing character."},
        "cover": ("成语论箭", "射灯笼，找出缺的字", "{children} 个儿童成语", "lanterns"),
        "credits": [XINHUA_CREDIT], "requires": [{"id": DICTIONARY_ID, "version": ">=1.0"}],
        "content": {"idioms": "idioms.json", "dictionary": DICTIONARY_ID},
    },
    "idiom-chain": {
        "id": "org.yuedu.idioms.chain", "kind": "idiom-chain", "age_bands": ["6-8", "9-12", "13+"],
        "readme": "chain",
        "title": {"zh-CN": "成语接龙", "en": "Idiom Chain"},
        "description": {"zh-CN": "和展台轮流接成语：首字接尾字，看谁接得长。",
                        "en": "Take turns with the kiosk: each idiom starts with the last character of the one "
                              "before."},
        "cover": ("成语接龙", "首尾相接，看谁接得长", "你接一个，我接一个", "chain"),
        "credits": [XINHUA_CREDIT], "requires": [{"id": DICTIONARY_ID, "version": ">=1.0"}],
        "content": {"dictionary": DICTIONARY_ID, "preferred": "preferred.json"},
    },
    "poems-recital": {
        "id": "org.yuedu.poems.recital", "kind": "recitation", "age_bands": ["3-5", "6-8", "9-12", "all"],
        "readme": "poems",
        "title": {"zh-CN": "朗诵亭", "en": "Recitation Booth"},
        "description": {"zh-CN": "和家人一起朗诵古诗词：小学古诗按年级，唐诗宋词作拓展。",
                        "en": "Read classical poems aloud together: primary-school poems by grade, Tang and Song "
                              "poems to go further."},
        "cover": ("朗诵亭", "和家人一起大声读古诗", "{poems} 首古诗词", "moon"),
        "credits": [POETRY_CREDIT, K12_CREDIT], "requires": [], "content": {"poems": "poems.json"},
    },
}


def json_records(records: list) -> str:
    """A JSON array with one record per line: valid JSON whose diffs stay readable."""
    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records]
    return "[\n" + ",\n".join(lines) + "\n]\n"


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    # A JSON string of non-control characters is a valid TOML basic string.
    return json.dumps(str(value), ensure_ascii=False)


def manifest_text(spec: dict) -> str:
    top = {"format": 1, "id": spec["id"], "version": VERSION, "kind": spec["kind"], "engine": ">=0.1",
           "language": "zh-CN", "age_bands": spec["age_bands"], "cover": "cover.png"}
    lines = [f"{key} = {toml_value(value)}" for key, value in top.items()]
    for table in ("title", "description"):
        lines += ["", f"[{table}]"] + [f"{key} = {toml_value(v)}" for key, v in spec[table].items()]
    for array, entries in (("credits", spec["credits"]), ("requires", spec["requires"])):
        for entry in entries:
            lines += ["", f"[[{array}]]"] + [f"{key} = {toml_value(v)}" for key, v in entry.items()]
    lines += ["", "[content]"] + [f"{key} = {toml_value(v)}" for key, v in spec["content"].items()]
    return "\n".join(lines) + "\n"


def load_json(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def pinyin_changes(source: list[dict], records: list[dict], primary_ids: set[str]) -> Counter:
    """Count the syllables this build changed, by reason, for the README."""
    counts = Counter()
    for before, after in zip(source, records):
        for line, old, new in zip(after["paragraphs"], before["pinyin"], after["pinyin"]):
            for char, a, b in zip(line, old, new):
                if a != b and char in CITATION_TONES:
                    counts["sandhi_primary" if after["id"] in primary_ids else "sandhi_other"] += 1
                elif a != b and a:
                    counts["phrase_fixes"] += 1
    return counts


TONE_MARKS = set("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ")


def toneless(syllable: str) -> bool:
    """A syllable without a tone mark (letters only: punctuation glued to it does not count)."""
    letters = "".join(c for c in syllable if c.isalpha())
    return bool(letters) and not set(letters) & TONE_MARKS


def pinyin_lines_up(entry: dict) -> bool:
    return len(entry["pinyin"].split(" ")) == sum(is_han(c) for c in entry["word"])


def build_data(data: Path) -> tuple[dict, dict]:
    """Every package's data files (name -> text) and the figures the READMEs and covers quote."""
    upstream = load_json(data / "idioms/idiom.json")
    subset = load_json(data / "idioms/idioms_children_500.json")
    recital = load_json(data / "poems/recital_300.json")
    primary = load_json(data / "poems/xiaoxue_primary.json")

    dictionary = dictionary_records(upstream, {e["word"]: e["pinyin"] for e in subset})
    children = children_records(subset)
    poems = poem_records(recital, primary)
    problems = [p for poem in poems for p in alignment_problems(poem)]
    if problems:
        raise SystemExit("build_content: pinyin does not line up:\n  " + "\n  ".join(problems))

    toneless_words = {e["word"] for e in upstream if any(toneless(s) for s in e["pinyin"].replace("，", " ").split())}
    stats = {
        "idioms": len(dictionary), "four_char": sum(len(e["word"]) == 4 for e in dictionary),
        "with_comma": sum("，" in e["word"] for e in dictionary),
        "misaligned": sum(not pinyin_lines_up(e) for e in dictionary if "，" not in e["word"]),
        "lookalikes": sum(e["pinyin"] != e["pinyin"].translate(PINYIN_LOOKALIKES) for e in upstream),
        "children": len(children), "classic": sum(e["classic"] for e in children),
        "corrected": sum(e["pinyin"] != e["pinyin_xinhua"] for e in subset),
        "poems": len(poems), "primary": len(primary), "manual": sum(p["text_check"] == "manual" for p in poems),
        "collections": sorted(Counter(p["collection"] for p in poems).items(), key=lambda kv: (-kv[1], kv[0])),
        "sandhi_primary": 0, "sandhi_other": 0, "phrase_fixes": 0, "phrase_rules": len(PHRASE_READINGS),
        "toneless_records": len(toneless_words),
        "pinyin_fixed": len(toneless_words & IDIOM_PINYIN.keys()),
        "pinyin_neutral": len(toneless_words & PINYIN_REVIEW["neutral"].keys()),
    }
    stats.update(pinyin_changes(recital, poems, {p["id"] for p in primary}))
    files = {
        "idioms-xinhua": {"idioms.json": json_records(dictionary)},
        "idioms-children": {"idioms.json": json_records(children)},
        "idiom-chain": {"preferred.json": json_records([e["word"] for e in children])},
        "poems-recital": {"poems.json": json_records(poems), "LICENSE-k12-chinese-poetry.txt": K12_NOTICE},
    }
    return files, stats


def licence_sources(data: Path) -> dict[str, Path]:
    return {
        "LICENSE-chinese-xinhua.txt": data / "idioms/LICENSE-chinese-xinhua.txt",
        "LICENSE-chinese-poetry.txt": data / "poems/LICENSE-chinese-poetry.txt",
    }


def write_package(folder: Path, spec: dict, files: dict[str, str], stats: dict, data: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)  # only this package's own folder: stale files must not survive a rebuild
    folder.mkdir(parents=True)
    written = dict(files)
    written["experience.toml"] = manifest_text(spec)
    written["README.md"] = READMES[spec["readme"]](stats)
    for name, text in sorted(written.items()):
        (folder / name).write_text(text, encoding="utf-8", newline="\n")
    copies = licence_sources(data)
    for credit in spec["credits"]:
        name = credit["license_file"]
        if name in copies:
            shutil.copyfile(copies[name], folder / name)
    title, subtitle, tagline, motif = spec["cover"]
    image = draw_cover(title, subtitle, tagline.format(**stats), motif, data / FONT)
    (folder / "cover.png").write_bytes(png_bytes(image))


def write_font(data: Path, assets: Path) -> None:
    fonts = assets / "fonts"
    fonts.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(data / FONT, fonts / "StageKai-Regular-3500.subset.ttf")
    shutil.copyfile(data / "fonts/COPYRIGHT-lxgw-wenkai.debian.txt", fonts / "OFL-StageKai.txt")


def build(shared: Path, out: Path, assets: Path) -> list[Path]:
    data = shared / "data"
    if not (data / "idioms/idiom.json").is_file():
        raise SystemExit(f"build_content: no shared data at {data} (expected idioms/idiom.json there); "
                         "pass --shared DIR, the folder that holds data/")
    files, stats = build_data(data)
    folders = []
    for name, spec in PACKAGES.items():
        write_package(out / name, spec, files[name], stats, data)
        folders.append(out / name)
    write_font(data, assets)
    return folders


def default_shared() -> Path:
    """../shared beside the repository (a clone), else beside its parent (a worktree under wt/)."""
    candidates = [REPO.parent / "shared", REPO.parent.parent / "shared"]
    return next((c for c in candidates if (c / "data").is_dir()), candidates[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared(),
                        help="the shared folder holding data/ (default: ../shared beside the repository, "
                             "or beside its parent folder)")
    parser.add_argument("--out", type=Path, default=REPO / "content", help="where the package folders go")
    parser.add_argument("--assets", type=Path, default=REPO / "assets",
                        help="where assets/fonts goes (the Kai font and its licence)")
    args = parser.parse_args(argv)
    for folder in build(args.shared, args.out, args.assets):
        print(f"built {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
