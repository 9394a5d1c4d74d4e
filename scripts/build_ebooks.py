#!/usr/bin/env python3
"""Build the bundled e-books (kind `ebook`) in content/: 唐诗三百首, 宋词三百首 and 千家诗 from the shared data.

Each package holds the text with pinyin (book.json, one poem per line), a cover drawn in code and the licence;
the EPUB is made from book.json on demand (experiences/ebook/epub.py), so no binary book is committed.

Pinyin: the booth's poems keep their readings (content_data.poem_records: the reviewed primary-school pinyin,
the 一/不 citation-tone convention, PHRASE_READINGS); every other line is read in context by experiences.pinyin
(pypinyin + its PHRASES), then the same conventions, then the reviewed readings of ebook_pinyin_review.toml.

Deterministic: the same shared data gives the same bytes. Usage: python scripts/build_ebooks.py [--shared DIR]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tomllib
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))  # the helper modules beside this script
sys.path.insert(0, str(REPO))  # experiences.pinyin

from build_content import POETRY_CREDIT, VERSION, default_shared, load_json, toml_value  # noqa: E402
from content_data import _fix_line, alignment_problems, poem_records  # noqa: E402
from ebook_cover import ebook_cover_png  # noqa: E402

from experiences.pinyin import citation_reading, is_han, pinyin_for  # noqa: E402

FONT = REPO / "assets" / "fonts" / "StageKai-Regular-3500.subset.ttf"
REVIEW = tomllib.loads((HERE / "ebook_pinyin_review.toml").read_text(encoding="utf-8"))
MODIFIED = "2026-12-01T00:00:00Z"  # when this build's text last changed: bump with the version
NUMERALS = "零一二三四五六七八九"

RIGHTS = ("诗词原文属于公有领域。文本来自 chinese-poetry 项目（MIT 许可），由悦读（Yuedu）整理并加注拼音，"
          "拼音为自动标注并部分校对，仅供参考。")

BOOKS = {
    "ebook-tangshi": {
        "file": "tangshi300.json", "id": "org.yuedu.ebooks.tangshi", "title": "唐诗三百首",
        "en": "Three Hundred Tang Poems", "byline": "〔清〕蘅塘退士 编", "editor": "蘅塘退士编", "tone": (44, 58, 92),
        "section": "form",
        "description": "清代蘅塘退士编选的唐诗选本，按诗体分卷，每个字上面都有拼音。",
        "en_description": "The Qing anthology of Tang poems, by form, with pinyin over every character.",
        "age_bands": ["6-8", "9-12", "13+", "all"],
    },
    "ebook-songci": {
        "file": "songci300.json", "id": "org.yuedu.ebooks.songci", "title": "宋词三百首",
        "en": "Three Hundred Song Lyrics", "byline": "〔清〕上彊村民 编", "editor": "上彊村民编", "tone": (122, 54, 50),
        "section": "author",
        "description": "清末上彊村民（朱祖谋）编选的宋词选本，按词人排列，每个字上面都有拼音。",
        "en_description": "The late-Qing anthology of Song lyrics, by poet, with pinyin over every character.",
        "age_bands": ["9-12", "13+", "all"],
        # The kiosk's few: short and well known (我住长江头, 一曲新词酒一杯, 缺月挂疏桐, 咏梅, 忆王孙), so each fits
        # one screen with its pinyin down to 960×540.
        "preview": ["sc300-281a2d48f1", "sc300-7fbbed5251", "sc300-09e994d19d", "sc300-a66c62cd1a",
                    "sc300-997bf95d9f"],
    },
    "ebook-qianjiashi": {
        "file": "qianjiashi.json", "id": "org.yuedu.ebooks.qianjiashi", "title": "千家诗",
        "en": "Poems of a Thousand Poets", "byline": "〔宋〕谢枋得 〔明〕王相 编", "editor": "谢枋得王相编",
        "tone": (62, 88, 72), "section": "form",
        "description": "旧时的蒙学读本，选唐宋诗人的绝句和律诗，浅显好读，每个字上面都有拼音。",
        "en_description": "The old primer of Tang and Song quatrains and regulated verse, with pinyin over every "
                          "character.",
        "age_bands": ["6-8", "9-12", "13+", "all"],
    },
}


def chinese_number(n: int) -> str:
    """三百二十 for 320 (up to 999): the covers' count, in characters, not digits."""
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    out = (NUMERALS[hundreds] + "百") if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else NUMERALS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    return out + (NUMERALS[ones] if ones else "")


def reviewed_fix(line: str, syllables: list[str]) -> list[str]:
    """The readings of ebook_pinyin_review.toml: [characters] everywhere but in their `keep` words, then
    [phrases] wherever a phrase occurs in the line."""
    fixed = list(syllables)
    for char, rule in REVIEW.get("characters", {}).items():
        kept = set()
        for word in rule.get("keep", []):
            start = line.find(word)
            while start >= 0:
                kept.update(start + i for i, c in enumerate(word) if c == char)
                start = line.find(word, start + 1)
        for index, c in enumerate(line):
            if c == char and index not in kept:
                fixed[index] = rule["reading"]
    for phrase, reading in REVIEW["phrases"].items():
        parts = reading.split(" ")
        start = line.find(phrase)
        while start >= 0:
            for offset, syllable in enumerate(parts):
                if syllable != "_":
                    fixed[start + offset] = syllable
            start = line.find(phrase, start + 1)
    return fixed


def line_pinyin(line: str) -> list[str]:
    syllables = pinyin_for(line)
    # A Han character left without a syllable (the 儿 of an 儿化 word) takes its own reading in a poem; one
    # pypinyin does not know at all (𪭢) gets its reading from the review table.
    syllables = [s or (citation_reading(c) if is_han(c) else "") for c, s in zip(line, syllables)]
    syllables = [s if s != c else "" for c, s in zip(line, syllables)]  # pypinyin echoes unknown characters
    return reviewed_fix(line, _fix_line(line, syllables, reviewed=False))


def note_of(poem: dict) -> str:
    notes = []
    subtitle = poem.get("subtitle")
    if subtitle and subtitle != poem["title"]:
        notes.append(subtitle)
    for variant in poem.get("variant_notes") or []:
        word, _, other = variant.partition(" 一作：")
        notes.append(f"“{word}”一作“{other}”" if other else variant)
    return "；".join(notes)


def book_records(source: list[dict], spec: dict, booth: dict) -> list[dict]:
    records = []
    seen: dict[str, int] = {}
    for poem in source:
        lines = poem["paragraphs"]
        # The shared data gives both of 李商隐's 隋宫 one id (a hash of title and author): the second gets "-2".
        seen[poem["id"]] = seen.get(poem["id"], 0) + 1
        poem_id = poem["id"] if seen[poem["id"]] == 1 else f"{poem['id']}-{seen[poem['id']]}"
        known = booth.get(poem["id"]) or booth.get((poem["title"], poem["author"], tuple(lines)))
        pinyin = [list(row) for row in known["pinyin"]] if known and known["paragraphs"] == lines else \
            [line_pinyin(line) for line in lines]
        pinyin = [reviewed_fix(line, row) for line, row in zip(lines, pinyin)]
        record = {"id": poem_id, "title": poem["title"], "title_pinyin": line_pinyin(poem["title"]),
                  "author": poem["author"], "author_pinyin": line_pinyin(poem["author"]),
                  "dynasty": poem["dynasty"], "section": poem["form"] if spec["section"] == "form" else poem["author"],
                  "lines": lines, "pinyin": pinyin}
        note = note_of(poem)
        if note:
            record["note"] = note
        problems = alignment_problems({"id": poem_id, "paragraphs": lines, "pinyin": pinyin})
        if problems:
            raise SystemExit("build_ebooks: pinyin does not line up:\n  " + "\n  ".join(problems))
        records.append(record)
    return records


def book_json(spec: dict, poems: list[dict]) -> str:
    """The book as JSON: its fields first, then one poem per line (valid JSON whose diffs stay readable)."""
    head = {"title": spec["title"], "title_pinyin": line_pinyin(spec["title"]), "byline": spec["byline"],
            "description": spec["description"], "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, spec['id'])}",
            "modified": MODIFIED, "rights": RIGHTS, "language": "zh-CN"}
    lines = [f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}" for k, v in head.items()]
    poem_lines = [json.dumps(p, ensure_ascii=False, sort_keys=True) for p in poems]
    return "{\n" + ",\n".join(lines) + ',\n"poems": [\n' + ",\n".join(poem_lines) + "\n]}\n"


def manifest_text(spec: dict, count: int) -> str:
    top = {"format": 1, "id": spec["id"], "version": VERSION, "kind": "ebook", "engine": ">=0.1",
           "language": "zh-CN", "age_bands": spec["age_bands"], "cover": "cover.png"}
    lines = [f"{key} = {toml_value(value)}" for key, value in top.items()]
    lines += ["", "[title]", f"zh-CN = {toml_value(spec['title'])}", f"en = {toml_value(spec['en'])}"]
    lines += ["", "[description]", f"zh-CN = {toml_value(spec['description'])}",
              f"en = {toml_value(spec['en_description'])}"]
    lines += ["", "[[credits]]"] + [f"{key} = {toml_value(v)}" for key, v in POETRY_CREDIT.items()]
    lines += ["", "[[credits]]", 'name = "Yuedu contributors (scripts/build_ebooks.py)"',
              'role = "pinyin, cover and layout, made in code"', 'license = "MIT"',
              'source = "https://github.com/yuedu/yuedu"']
    lines += ["", "[content]", 'book = "book.json"', 'pinyin = "auto"']
    if spec.get("preview"):
        lines.append(f"preview = {toml_value(spec['preview'])}")
    return "\n".join(lines) + "\n"


def booth_readings(data: Path) -> dict:
    """The booth's poems with their reviewed pinyin, by id and by (title, author, lines)."""
    records = poem_records(load_json(data / "poems/recital_300.json"), load_json(data / "poems/xiaoxue_primary.json"))
    out: dict = {}
    for record in records:
        out[record["id"]] = record
        out[(record["title"], record["author"], tuple(record["paragraphs"]))] = record
    return out


def build(shared: Path, out: Path) -> list[Path]:
    data = shared / "data"
    if not (data / "poems/tangshi300.json").is_file():
        raise SystemExit(f"build_ebooks: no shared data at {data} (expected poems/tangshi300.json there); "
                         "pass --shared DIR, the folder that holds data/")
    booth = booth_readings(data)
    folders = []
    for name, spec in BOOKS.items():
        poems = book_records(load_json(data / "poems" / spec["file"]), spec, booth)
        folder = out / name
        if folder.exists():
            shutil.rmtree(folder)  # only this package's own folder: stale files must not survive a rebuild
        folder.mkdir(parents=True)
        (folder / "book.json").write_text(book_json(spec, poems), encoding="utf-8", newline="\n")
        (folder / "experience.toml").write_text(manifest_text(spec, len(poems)), encoding="utf-8", newline="\n")
        shutil.copyfile(data / "poems/LICENSE-chinese-poetry.txt", folder / "LICENSE-chinese-poetry.txt")
        tagline = f"{chinese_number(len(poems))}首 · 带拼音"
        (folder / "cover.png").write_bytes(ebook_cover_png(spec["title"], spec["editor"], tagline, spec["tone"], FONT))
        folders.append(folder)
    return folders


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=default_shared(),
                        help="the shared folder holding data/ (default: ../shared beside the repository)")
    parser.add_argument("--out", type=Path, default=REPO / "content", help="where the package folders go")
    args = parser.parse_args(argv)
    for folder in build(args.shared, args.out):
        print(f"built {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
