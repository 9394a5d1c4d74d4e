"""The bundled packages in content/: rebuilt from the shared data byte for byte, complete, aligned and credited.

The checks of the committed files run everywhere. The two that compare them with the full raw data need
../shared/data beside the repository (CI clones it there) and skip without it; test_build_sample.py builds from a
small sample of that data instead.
"""
from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
import tomllib
import unicodedata
from pathlib import Path

import pytest
from PIL import Image

from experiences.package import AGE_BANDS, open_package
from tests.rawdata import build_content, full_shared_data, reviewed_pinyin_changes

REPO = Path(__file__).resolve().parents[2]
PACKAGES = {
    "idioms-xinhua": ("org.yuedu.idioms.xinhua", "idiom-dictionary"),
    "idioms-children": ("org.yuedu.idioms.children", "idiom-lanterns"),
    "idiom-chain": ("org.yuedu.idioms.chain", "idiom-chain"),
    "poems-recital": ("org.yuedu.poems.recital", "recitation"),
}
DICTIONARY_ID = "org.yuedu.idioms.xinhua"
SHARED_DATA = full_shared_data()  # ../shared/data, or None


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory) -> Path:
    """A fresh build of every package (and assets/) from the full raw data into a temporary folder, by the real
    script."""
    shared = SHARED_DATA.parent
    return build_content(shared, tmp_path_factory.mktemp("rebuilt"))


def load(name: str, file: str):
    return json.loads((REPO / "content" / name / file).read_text(encoding="utf-8"))


def is_han(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.skipif(SHARED_DATA is None, reason="no ../shared/data: rebuilds the committed packages from the full raw "
                                                   "data and compares them byte for byte (CI has it)")
@pytest.mark.parametrize("folder", [f"content/{name}" for name in PACKAGES] + ["assets/fonts"])
def test_rebuild_reproduces_the_committed_files_byte_for_byte(rebuilt, folder):
    committed, fresh = files_under(REPO / folder), files_under(rebuilt / folder)
    assert sorted(fresh) == sorted(committed), f"{folder}: file lists differ; run scripts/build_content.py"
    changed = [name for name in committed if committed[name] != fresh[name]
               and not (name.endswith(".png") and same_picture(committed[name], fresh[name]))]
    assert not changed, f"{folder}: {changed} differ from a fresh build; run scripts/build_content.py and commit"


def same_picture(a: bytes, b: bytes) -> bool:
    """Covers are drawn with Pillow and FreeType: another version may move a few anti-aliased pixels."""
    import io

    import numpy as np
    from PIL import Image

    first, second = (np.asarray(Image.open(io.BytesIO(x)).convert("RGB"), dtype=np.int16) for x in (a, b))
    return first.shape == second.shape and float(np.abs(first - second).mean()) < 2.0


def test_the_script_fails_clearly_without_shared_data(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_content.py"), "--shared", str(tmp_path / "nowhere"),
         "--out", str(tmp_path / "content"), "--assets", str(tmp_path / "assets")],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0
    assert "no shared data" in result.stderr
    assert not (tmp_path / "content").exists()


def test_counts_match_the_shared_data():
    dictionary = load("idioms-xinhua", "idioms.json")
    children = load("idioms-children", "idioms.json")
    preferred = load("idiom-chain", "preferred.json")
    poems = load("poems-recital", "poems.json")
    assert len(dictionary) == len({e["word"] for e in dictionary}) == 30_895
    assert len(children) == 500 and sum(e["classic"] for e in children) == 95
    assert preferred == [e["word"] for e in children]
    assert len(poems) == len({p["id"] for p in poems}) == 300
    assert sum(p["grade"] is not None for p in poems) == 108
    assert {p["grade"] for p in poems} == {1, 2, 3, 4, 5, 6, None}


def test_every_childrens_and_preferred_idiom_is_in_the_dictionary():
    words = {e["word"] for e in load("idioms-xinhua", "idioms.json")}
    assert set(load("idiom-chain", "preferred.json")) <= words
    assert {e["word"] for e in load("idioms-children", "idioms.json")} <= words


def test_records_have_exactly_the_documented_fields():
    expected = {
        ("idioms-xinhua", "idioms.json"): {"word", "pinyin", "explanation", "derivation", "example"},
        ("idioms-children", "idioms.json"): {"word", "pinyin", "explanation", "derivation", "example",
                                             "example_source", "freq_rank", "classic"},
        ("poems-recital", "poems.json"): {"id", "title", "author", "dynasty", "grade", "collection",
                                          "paragraphs", "pinyin", "text_check"},
    }
    for (name, file), fields in expected.items():
        for record in load(name, file):
            assert set(record) == fields, f"{name}/{file}: {record}"


def test_no_tilde_placeholder_is_left_and_it_became_the_idiom():
    for name in ("idioms-xinhua", "idioms-children"):
        for entry in load(name, "idioms.json"):
            for field in ("explanation", "derivation", "example"):
                assert "～" not in entry[field], f"{name} {entry['word']} {field}"
    by_word = {e["word"]: e for e in load("idioms-xinhua", "idioms.json")}
    assert "终至堕入阿鼻地狱。" in by_word["阿鼻地狱"]["example"]
    assert "首先需要的是独立自主地组织" in by_word["独立自主"]["derivation"]
    assert "韩子卢逐东郭逡" in by_word["韩卢逐逡"]["derivation"]  # upstream lost 韩 as ～ here


def test_dictionary_uses_the_reviewed_pinyin_of_the_childrens_set():
    by_word = {e["word"]: e for e in load("idioms-xinhua", "idioms.json")}
    for entry in load("idioms-children", "idioms.json"):
        assert by_word[entry["word"]]["pinyin"] == entry["pinyin"]
    assert by_word["名胜古迹"]["pinyin"] == "míng shèng gǔ jì"  # upstream: jī


def test_idiom_pinyin_uses_plain_letters_and_spaces():
    for entry in load("idioms-xinhua", "idioms.json"):
        assert "ɡ" not in entry["pinyin"] and "\u3000" not in entry["pinyin"], entry
    for entry in load("idioms-children", "idioms.json"):
        syllables = entry["pinyin"].split(" ")
        assert len(syllables) == len(entry["word"]) and all(s.isalpha() for s in syllables), entry


def test_every_poem_has_one_syllable_per_character():
    for poem in load("poems-recital", "poems.json"):
        assert len(poem["pinyin"]) == len(poem["paragraphs"]), poem["id"]
        for line, syllables in zip(poem["paragraphs"], poem["pinyin"]):
            assert len(syllables) == len(line), (poem["id"], line)
            for char, syllable in zip(line, syllables):
                if is_han(char):
                    assert syllable and syllable.isalpha() and syllable.islower(), (poem["id"], line, char)
                else:
                    assert syllable == "", (poem["id"], line, char)


def test_yi_and_bu_are_written_in_citation_tones_everywhere():
    for poem in load("poems-recital", "poems.json"):
        for line, syllables in zip(poem["paragraphs"], poem["pinyin"]):
            for char, syllable in zip(line, syllables):
                if char == "一":
                    assert syllable == "yī", (poem["id"], line)
                if char == "不":
                    assert syllable in ("bù", "fǒu"), (poem["id"], line)
    for name in ("idioms-xinhua", "idioms-children"):
        for entry in load(name, "idioms.json"):
            syllables = entry["pinyin"].split(" ")
            chars = [c for c in entry["word"] if is_han(c)]
            if len(syllables) != len(chars):
                continue  # a few upstream records do not line up; left as they are
            for char, syllable in zip(chars, syllables):
                assert not (char == "一" and syllable in ("yí", "yì")), entry
                assert not (char == "不" and syllable == "bú"), entry


@pytest.mark.skipif(SHARED_DATA is None, reason="no ../shared/data: compares the committed poems with all 108 "
                                                   "reviewed ones of the full raw data (CI has it)")
def test_primary_school_poems_keep_the_reviewed_pinyin_of_the_full_data():
    reviewed = json.loads((SHARED_DATA / "poems" / "xiaoxue_primary.json").read_text(encoding="utf-8"))
    poems = {p["id"]: p for p in load("poems-recital", "poems.json")}
    assert len(reviewed) == 108
    reviewed_pinyin_changes(reviewed, poems)  # asserts per character; 一/不 may differ (citation tones)


def test_primary_school_poems_keep_their_reviewed_pinyin():
    poems = {p["id"]: p for p in load("poems-recital", "poems.json")}
    lines = {line: syllables for p in poems.values() for line, syllables in zip(p["paragraphs"], p["pinyin"])}
    assert lines["两个黄鹂鸣翠柳，一行白鹭上青天。"][9] == "háng"
    assert [lines["朝辞白帝彩云间，千里江陵一日还。"][i] for i in (0, 14)] == ["zhāo", "huán"]
    assert lines["两岸猿声啼不住，轻舟已过万重山。"][13] == "chóng"


def _syllables(poems, line):
    return next(s for p in poems for text, s in zip(p["paragraphs"], p["pinyin"]) if text == line)


def test_known_context_misreadings_of_the_automatic_pinyin_are_fixed():
    poems = load("poems-recital", "poems.json")
    assert _syllables(poems, "烟笼寒水月笼沙，夜泊秦淮近酒家。")[9] == "bó"
    assert _syllables(poems, "寄书长不达，况乃未休兵。")[2] == "cháng"
    assert _syllables(poems, "还将两行泪，遥寄海西头。")[3] == "háng"
    assert _syllables(poems, "不堪盈手赠，还寝梦佳期。")[6] == "huán"
    # A phrase rule must not reach a reading it was not written for: 时难 in 相见时难别亦难 stays nán.
    assert [_syllables(poems, "相见时难别亦难，东风无力百花残。")[i] for i in (3, 6)] == ["nán", "nán"]


def test_every_phrase_reading_rule_is_used():
    spec = importlib.util.spec_from_file_location("content_data", REPO / "scripts" / "content_data.py")
    content_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(content_data)
    poems = load("poems-recital", "poems.json")
    lines = [line for p in poems if p["grade"] is None for line in p["paragraphs"]]
    for phrase, index, reading in content_data.PHRASE_READINGS:
        hits = [line for line in lines if phrase in line]
        assert hits, f"rule {phrase!r} matches no poem line"
        for line in hits:
            start = line.index(phrase)
            assert _syllables(poems, line)[start + index] == reading, (phrase, line)


@pytest.mark.parametrize("name", PACKAGES)
def test_manifest_parses_and_names_files_that_exist(name):
    folder = REPO / "content" / name
    manifest = tomllib.loads((folder / "experience.toml").read_text(encoding="utf-8"))
    package_id, kind = PACKAGES[name]
    assert (manifest["id"], manifest["kind"], manifest["version"]) == (package_id, kind, "1.0.0")
    assert manifest["format"] == 1 and manifest["engine"] == ">=0.1" and manifest["language"] == "zh-CN"
    assert set(manifest["title"]) == {"zh-CN", "en"} and set(manifest["description"]) == {"zh-CN", "en"}
    assert manifest["age_bands"] and set(manifest["age_bands"]) <= set(AGE_BANDS)
    assert (folder / manifest["cover"]).is_file()
    assert manifest["credits"]
    for credit in manifest["credits"]:
        assert credit["name"] and credit["license"] and credit["source"].startswith("https://")
        assert (folder / credit["license_file"]).is_file(), credit["license_file"]
    for requirement in manifest.get("requires", []):
        assert requirement == {"id": DICTIONARY_ID, "version": ">=1.0"}
    for key, value in manifest["content"].items():
        assert value == DICTIONARY_ID or (folder / value).is_file(), (key, value)
    assert (folder / "README.md").is_file()
    # The runtime's own reader agrees.
    package = open_package(folder)
    assert (package.id, package.kind, package.manifest.title("en")) == (package_id, kind, manifest["title"]["en"])


def test_packages_that_use_the_dictionary_require_it():
    for name in ("idioms-children", "idiom-chain"):
        manifest = tomllib.loads((REPO / "content" / name / "experience.toml").read_text(encoding="utf-8"))
        assert manifest["content"]["dictionary"] == DICTIONARY_ID
        assert manifest["requires"] == [{"id": DICTIONARY_ID, "version": ">=1.0"}]


def test_grade_lists_carry_their_cc_by_credit():
    folder = REPO / "content" / "poems-recital"
    manifest = tomllib.loads((folder / "experience.toml").read_text(encoding="utf-8"))
    credit = next(c for c in manifest["credits"] if c["license"] == "CC-BY-4.0")
    assert "来源：k12-chinese-poetry / 丢词大作战" in credit["name"]
    assert "来源：k12-chinese-poetry / 丢词大作战" in (folder / credit["license_file"]).read_text(encoding="utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "来源：k12-chinese-poetry / 丢词大作战" in readme and "yī" in readme and "bù" in readme


@pytest.mark.parametrize("name", PACKAGES)
def test_cover_is_a_small_640_by_400_png(name):
    data = (REPO / "content" / name / "cover.png").read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) <= 80_000
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (640, 400)
    colours = image.convert("RGB").getcolors(maxcolors=1 << 16)
    assert colours is not None and len(colours) > 16  # drawn, not a blank fill


def test_large_arrays_have_one_record_per_line():
    for name, file in (("idioms-xinhua", "idioms.json"), ("idioms-children", "idioms.json"),
                       ("idiom-chain", "preferred.json"), ("poems-recital", "poems.json")):
        text = (REPO / "content" / name / file).read_text(encoding="utf-8")
        lines = text.splitlines()
        assert lines[0] == "[" and lines[-1] == "]" and len(lines) == len(json.loads(text)) + 2, file
        first = json.loads(lines[1].rstrip(","))
        if isinstance(first, dict):
            assert list(first) == sorted(first), file


def test_font_asset_travels_with_its_licence():
    fonts = REPO / "assets" / "fonts"
    assert (fonts / "StageKai-Regular-3500.subset.ttf").read_bytes()[:4] in (b"\x00\x01\x00\x00", b"true")
    assert "SIL OPEN FONT LICENSE Version 1.1" in (fonts / "OFL-StageKai.txt").read_text(encoding="utf-8")
