"""scripts/build_content.py run on a small sample of the raw data (tests/data/shared-sample, written into tmp_path in
the layout of ../shared/data): the upstream quirks are handled, and each built record is the committed one.

Needs no ../shared; only the check that the sample still matches the full raw data does, and skips without it.
"""
from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from experiences.kinds import KindRegistry
from experiences.package import open_package
from tests.rawdata import (REPO, SAMPLE_FILES, build_content, full_shared_data, reviewed_pinyin_changes, sample_records,
                           write_sample)
from tests.recording import RecordingReport

PACKAGES = ("idioms-xinhua", "idioms-children", "idiom-chain", "poems-recital")
SHARED_DATA = full_shared_data()  # ../shared/data, or None


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Path:
    return write_sample(tmp_path_factory.mktemp("shared"))


@pytest.fixture(scope="module")
def built(shared, tmp_path_factory) -> Path:
    """The packages (and assets/) built from the sample by the real script, in a temporary folder."""
    return build_content(shared, tmp_path_factory.mktemp("built"))


def load(root: Path, name: str, file: str):
    return json.loads((root / "content" / name / file).read_text(encoding="utf-8"))


def committed(name: str, file: str):
    return load(REPO, name, file)


def syllables_of(poems: list[dict], line: str) -> list[str]:
    return next(s for p in poems for text, s in zip(p["paragraphs"], p["pinyin"]) if text == line)


@pytest.mark.parametrize("name", PACKAGES)
def test_sample_build_makes_the_committed_packages_valid_and_complete(built, name):
    folder = built / "content" / name
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in (REPO / "content" / name).iterdir())
    manifest = (folder / "experience.toml").read_text(encoding="utf-8")
    assert manifest == (REPO / "content" / name / "experience.toml").read_text(encoding="utf-8")
    for credit in tomllib.loads(manifest)["credits"]:
        assert (folder / credit["license_file"]).read_bytes() == \
            (REPO / "content" / name / credit["license_file"]).read_bytes()
    package = open_package(folder)
    report = RecordingReport()
    KindRegistry.from_entry_points().get(package.kind).load_check()(package, report)
    assert report.errors == [], report.errors


def test_every_record_built_from_the_sample_is_the_committed_one(built):
    words = [r["word"] for r in sample_records("idioms/idiom.json")]
    dictionary = load(built, "idioms-xinhua", "idioms.json")
    assert [e["word"] for e in dictionary] == words  # upstream order, every record kept
    bundled = {e["word"]: e for e in committed("idioms-xinhua", "idioms.json")}
    assert all(entry == bundled[entry["word"]] for entry in dictionary)

    children = load(built, "idioms-children", "idioms.json")
    subset = sample_records("idioms/idioms_children_500.json")
    assert [e["word"] for e in children] == [e["word"] for e in sorted(subset, key=lambda e: e["freq_rank"])]
    bundled = {e["word"]: e for e in committed("idioms-children", "idioms.json")}
    assert all(entry == bundled[entry["word"]] for entry in children)
    assert load(built, "idiom-chain", "preferred.json") == [e["word"] for e in children]

    poems = load(built, "poems-recital", "poems.json")
    assert [p["id"] for p in poems] == [p["id"] for p in sample_records("poems/recital_300.json")]
    bundled = {p["id"]: p for p in committed("poems-recital", "poems.json")}
    assert all(poem == bundled[poem["id"]] for poem in poems)


def test_sample_build_fixes_the_upstream_idiom_quirks(built):
    upstream = {e["word"]: e for e in sample_records("idioms/idiom.json")}
    by_word = {e["word"]: e for e in load(built, "idioms-xinhua", "idioms.json")}
    assert all(set(e) == {"word", "pinyin", "explanation", "derivation", "example"} for e in by_word.values())
    for word, entry in by_word.items():
        for field in ("explanation", "derivation", "example"):
            assert "～" not in entry[field], (word, field)
    assert "终至堕入阿鼻地狱。" in by_word["阿鼻地狱"]["example"] and "～" in upstream["阿鼻地狱"]["example"]
    assert "首先需要的是独立自主地组织" in by_word["独立自主"]["derivation"]
    assert "韩子卢逐东郭逡" in by_word["韩卢逐逡"]["derivation"]  # upstream lost 韩 as ～ here
    assert "悬龟系鱼" in by_word["悬龟系鱼"]["example"]
    # The children's reviewed pinyin replaces upstream's.
    assert (upstream["名胜古迹"]["pinyin"], by_word["名胜古迹"]["pinyin"]) == ("míng shèng gǔ jī", "míng shèng gǔ jì")
    # Plain g and spaces; 一/不 in their citation tones where the syllables line up with the characters.
    assert (upstream["蔽聪塞明"]["pinyin"], by_word["蔽聪塞明"]["pinyin"]) == ("bì cōnɡ sè mínɡ", "bì cōng sè míng")
    assert (upstream["长幼有序"]["pinyin"], by_word["长幼有序"]["pinyin"]) == \
        ("zhǎng\u3000yòu\u3000yǒu\u3000xù", "zhǎng yòu yǒu xù")
    assert (upstream["听而不闻"]["pinyin"], by_word["听而不闻"]["pinyin"]) == ("tīng ér bú wén", "tīng ér bù wén")
    assert (upstream["别创一格"]["pinyin"], by_word["别创一格"]["pinyin"]) == ("bié chuàng yí gé", "bié chuàng yī gé")
    # What does not line up, or is garbled, is left as upstream wrote it.
    assert by_word["千军易得，一将难求"]["pinyin"] == upstream["千军易得，一将难求"]["pinyin"]
    assert by_word["悬龟系鱼"]["pinyin"] == upstream["悬龟系鱼"]["pinyin"] == "xuán guī@jì yú"
    readme = (built / "content" / "idioms-xinhua" / "README.md").read_text(encoding="utf-8")
    assert "15 idioms (13 of four characters)" in readme  # the README quotes the data it was built from


def test_sample_build_keeps_the_childrens_picks_and_order(built):
    subset = {e["word"]: e for e in sample_records("idioms/idioms_children_500.json")}
    children = load(built, "idioms-children", "idioms.json")
    assert [e["freq_rank"] for e in children] == sorted(e["freq_rank"] for e in subset.values())
    assert {e["word"] for e in children if e["classic"]} == {"一心一意", "卧薪尝胆"}
    assert all(e["classic"] == (subset[e["word"]]["pick"] == "classic") for e in children)
    assert all(e["pinyin"] == subset[e["word"]]["pinyin"] for e in children)  # the reviewed pinyin, not xinhua's


def test_sample_build_keeps_the_reviewed_primary_school_pinyin(built):
    reviewed = sample_records("poems/xiaoxue_primary.json")
    poems = {p["id"]: p for p in load(built, "poems-recital", "poems.json")}
    changed = reviewed_pinyin_changes(reviewed, poems)
    assert sorted(changed) == [("一", "yì", "yī"), ("不", "bú", "bù")]  # sandhi tones in citation form
    lines = {line: syllables for p in poems.values() for line, syllables in zip(p["paragraphs"], p["pinyin"])}
    assert lines["两个黄鹂鸣翠柳，一行白鹭上青天。"][9] == "háng"
    assert [lines["朝辞白帝彩云间，千里江陵一日还。"][i] for i in (0, 14)] == ["zhāo", "huán"]
    assert lines["两岸猿声啼不住，轻舟已过万重山。"][13] == "chóng"


def test_sample_build_fixes_the_automatic_poem_pinyin(built):
    source = sample_records("poems/recital_300.json")
    poems = load(built, "poems-recital", "poems.json")
    assert syllables_of(source, "烟笼寒水月笼沙，夜泊秦淮近酒家。")[9] != "bó"  # pypinyin's misreading ...
    assert syllables_of(poems, "烟笼寒水月笼沙，夜泊秦淮近酒家。")[9] == "bó"  # ... fixed by a phrase rule
    assert syllables_of(poems, "寄书长不达，况乃未休兵。")[2] == "cháng"
    assert [syllables_of(poems, "相见时难别亦难，东风无力百花残。")[i] for i in (3, 6)] == ["nán", "nán"]
    assert syllables_of(source, "夫子何为者，栖栖一代中。")[8] == "yí"
    assert [syllables_of(poems, "夫子何为者，栖栖一代中。")[i] for i in (3, 8)] == ["wéi", "yī"]
    liushaoqing = next(p for p in poems if p["id"] == "sc300-100140a924")
    readings = {c: s for line, syl in zip(liushaoqing["paragraphs"], liushaoqing["pinyin"]) for c, s in zip(line, syl)}
    assert readings["𫛸"] == "tí"  # pypinyin has no reading for it: the syllable was empty upstream


def test_sample_build_is_reproducible(shared, built, tmp_path):
    again = build_content(shared, tmp_path)
    for folder in [f"content/{name}" for name in PACKAGES] + ["assets/fonts"]:
        first = {p.relative_to(built / folder): p.read_bytes() for p in sorted((built / folder).rglob("*"))}
        second = {p.relative_to(again / folder): p.read_bytes() for p in sorted((again / folder).rglob("*"))}
        assert first == second, folder


@pytest.mark.skipif(SHARED_DATA is None, reason="no ../shared/data: checks the sample's records against the full "
                                                   "raw data they were copied from (CI has it)")
@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_sample_records_are_unchanged_upstream_records_in_upstream_order(name):
    upstream = json.loads((SHARED_DATA / name).read_text(encoding="utf-8"))
    sample = sample_records(name)
    positions = [upstream.index(record) for record in sample]  # ValueError: a record not (or no longer) upstream
    assert positions == sorted(positions)
