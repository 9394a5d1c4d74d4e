"""The recitation kind: registration, content schema, the check hook's problems, poems and the picker search."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from experiences.i18n import catalog
from experiences.kinds import KindRegistry
from experiences.package import open_package
from recitation.checks import check_package
from recitation.kinds import RECITATION
from recitation.poems import Poem, PoemFilter, collections, grades, load_poems, search

POEMS_300 = Path(__file__).resolve().parents[2] / "content" / "poems-recital" / "poems.json"
MANIFEST = """format = 1
id = "org.example.poems.test"
version = "1.0.0"
kind = "recitation"
engine = ">=0.1"
language = "zh-CN"
age_bands = ["6-8"]
cover = "cover.png"

[title]
zh-CN = "测试诗集"

[[credits]]
name = "test"
license = "MIT"

[content]
poems = "poems.json"
music = "guzheng.ogg"
"""


class RecordingReport:
    """A test double of the validator's report: records (severity, file, field, code, params)."""

    def __init__(self):
        self.problems = []

    def error(self, file, field, code, **params):
        self.problems.append(("error", file, field, code, params))

    def warning(self, file, field, code, **params):
        self.problems.append(("warning", file, field, code, params))

    def codes(self):
        return [p[3] for p in self.problems]

    def find(self, code):
        return [p for p in self.problems if p[3] == code]


def tone(path: Path, seconds: float = 1.0) -> Path:
    subprocess.run(["sox", "-n", "-r", "16000", "-c", "1", str(path), "synth", str(seconds), "sine", "440"],
                   check=True, capture_output=True)
    return path


@pytest.fixture
def package_dir(tmp_path) -> Path:
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "experience.toml").write_text(MANIFEST, encoding="utf-8")
    poems = json.loads(POEMS_300.read_text(encoding="utf-8"))[:3]
    poems[0]["lrc"] = "gulangyuexing.lrc"
    poems[0]["audio"] = "gulangyuexing.ogg"
    (folder / "gulangyuexing.lrc").write_text(
        "[ti:古朗月行]\n[00:01.00]小时不识月，呼作白玉盘。\n[00:06.00]<00:06.00>又<00:06.40>疑<00:06.80>瑶台镜，"
        "<00:08.00>飞在青云端。<00:10.00>\n", encoding="utf-8")
    tone(folder / "gulangyuexing.ogg")
    tone(folder / "guzheng.ogg", 2.0)
    (folder / "poems.json").write_text(json.dumps(poems, ensure_ascii=False), encoding="utf-8")
    return folder


def run_check(folder: Path) -> RecordingReport:
    report = RecordingReport()
    package = open_package(folder)
    try:
        RECITATION.load_check()(package, report)
    finally:
        package.source.close()
    return report


def edit_poems(folder: Path, change) -> None:
    poems = json.loads((folder / "poems.json").read_text(encoding="utf-8"))
    change(poems)
    (folder / "poems.json").write_text(json.dumps(poems, ensure_ascii=False), encoding="utf-8")


def test_kind_is_registered_through_the_entry_point():
    kind = KindRegistry.from_entry_points().get("recitation")
    assert kind is not None and kind.playable
    assert kind.load_check() is check_package


def test_schema_is_valid_and_accepts_the_bundled_manifest(repo_root):
    schema = RECITATION.schema
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors({"poems": "poems.json"}))
    assert list(validator.iter_errors({"poems": "poems.json", "lyrics": "x"}))  # typos are caught
    assert list(validator.iter_errors({}))


def test_the_300_poems_pass_the_check(tmp_path):
    folder = tmp_path / "all"
    folder.mkdir()
    (folder / "experience.toml").write_text(MANIFEST.replace('music = "guzheng.ogg"\n', ""), encoding="utf-8")
    shutil.copy(POEMS_300, folder / "poems.json")
    report = run_check(folder)
    assert [p for p in report.problems if p[0] == "error"] == []


def test_a_good_package_with_lrc_and_audio_has_no_problems(package_dir):
    assert run_check(package_dir).problems == []


def test_missing_and_broken_files_are_named(package_dir):
    (package_dir / "guzheng.ogg").unlink()
    (package_dir / "gulangyuexing.ogg").write_bytes(b"OggS not really")
    report = run_check(package_dir)
    assert ("error", "experience.toml", "content.music", "recitation_file_missing", {"name": "guzheng.ogg"}) \
        in report.problems
    [bad_audio] = report.find("recitation_audio_undecodable")
    assert bad_audio[1] == "gulangyuexing.ogg"


def test_poem_schema_errors_point_at_the_entry(package_dir):
    edit_poems(package_dir, lambda poems: poems[1].update(grade=7, lyric="x"))
    report = run_check(package_dir)
    fields = {p[2] for p in report.find("recitation_poem_schema")}
    assert fields == {"[1]", "[1].grade"}


def test_duplicate_ids_and_misaligned_pinyin(package_dir):
    def change(poems):
        poems[2]["id"] = poems[0]["id"]
        poems[1]["pinyin"][0] = poems[1]["pinyin"][0][:-2]
        poems[2]["pinyin"][1][0] = ""

    edit_poems(package_dir, change)
    report = run_check(package_dir)
    assert report.find("recitation_duplicate_id")[0][2:] == ("[2].id", "recitation_duplicate_id",
                                                            {"id": "xx-gulangyuexing", "first": 0})
    [misaligned] = report.find("recitation_pinyin_misaligned")
    assert misaligned[2] == "[1].pinyin[0]"
    [blank] = report.find("recitation_pinyin_blank")
    assert blank[0] == "warning" and blank[2] == "[2].pinyin[1]"


@pytest.mark.parametrize("lrc, code, severity", [
    ("just words", "recitation_lrc_no_times", "error"),
    ("[00:02.00]<00:03.00>小<00:01.00>时", "recitation_lrc_time_order", "error"),
    ("[00:01.00]小时不识月\n[00:03.00]飞在青云端", "recitation_lrc_text_mismatch", "warning"),
])
def test_lrc_problems(package_dir, lrc, code, severity):
    (package_dir / "gulangyuexing.lrc").write_text(lrc, encoding="utf-8")
    report = run_check(package_dir)
    [problem] = report.find(code)
    assert problem[0] == severity and problem[1] == "gulangyuexing.lrc"


def test_poems_file_not_json(package_dir):
    (package_dir / "poems.json").write_text("[{", encoding="utf-8")
    assert run_check(package_dir).codes() == ["recitation_poems_not_json"]


def test_every_code_has_messages_in_both_languages():
    import recitation  # noqa: F401  (registers the catalog)

    source = Path(__file__).resolve().parents[2] / "recitation" / "checks.py"
    codes = set(re.findall(r'"(recitation_[a-z_]+)"', source.read_text(encoding="utf-8")))
    codes |= {f"recitation_{c}" for c in ("lrc_no_times", "lrc_bad_offset", "lrc_time_order")}
    for lang in ("zh-CN", "en"):
        messages = catalog(lang)
        for code in codes:
            assert f"validation.{code}.message" in messages and f"validation.{code}.fix" in messages, (lang, code)


def test_poems_load_and_the_picker_searches(package_dir):
    package = open_package(package_dir)
    poems = load_poems(package)
    assert [p.id for p in poems][:1] == ["xx-gulangyuexing"] and poems[0].lrc == "gulangyuexing.lrc"
    all_poems = [Poem.from_dict(raw) for raw in json.loads(POEMS_300.read_text(encoding="utf-8"))]
    assert grades(all_poems) == [1, 2, 3, 4, 5, 6]
    assert collections(all_poems) == ["小学古诗", "唐诗三百首", "宋词三百首"]
    assert {p.grade for p in search(all_poems, PoemFilter(grade=2))} == {2}
    jys = search(all_poems, PoemFilter(query="jys"))
    assert "静夜思" in [p.title for p in jys]
    assert all(p.author == "李白" for p in search(all_poems, PoemFilter(author="李白")))
    assert any(p.author == "李白" for p in search(all_poems, PoemFilter(query="lb")))
    assert len(search(all_poems, PoemFilter(collection="宋词三百首"))) == 40
    assert poems[0].expected.size == 20
