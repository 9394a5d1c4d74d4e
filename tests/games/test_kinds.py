"""The idiom kinds: registration, schemas, and the check hooks against good and broken packages."""
from __future__ import annotations

import json
import re

import jsonschema
import pytest

from experiences import i18n
from experiences.kinds import KindRegistry
from games.checks import MAX_PER_CODE
from games.kinds import KINDS


def test_kinds_register_through_entry_points():
    registry = KindRegistry.from_entry_points()
    for name in ("idiom-lanterns", "idiom-chain", "idiom-dictionary"):
        assert name in registry, f"{name} missing: re-run scripts/setup.sh after changing pyproject.toml"
    assert registry.get("idiom-lanterns").playable and registry.get("idiom-chain").playable
    assert not registry.get("idiom-dictionary").playable


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_schemas_are_valid_and_checks_load(kind):
    jsonschema.Draft202012Validator.check_schema(kind.schema)
    assert callable(kind.load_check())


def test_lanterns_schema_accepts_levels_and_rejects_bad_ones():
    schema = KINDS[0].schema
    good = {"idioms": "idioms.json", "dictionary": "org.yuedu.idioms.xinhua", "rounds": 6,
            "levels": {"3-5": {"hidden": [3], "lanterns": 4, "speed": 0.5, "pinyin": "all", "time_limit": 0}}}
    jsonschema.validate(good, schema)
    for bad in ({"levels": {"2-4": {}}}, {"levels": {"3-5": {"lanterns": 40}}}, {"levels": {"3-5": {"hidden": [4]}}},
                {"colour": "red"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(good | bad, schema)


def test_chain_schema_bounds_candidates():
    schema = KINDS[1].schema
    jsonschema.validate({"dictionary": "org.yuedu.idioms.xinhua", "preferred": "p.json", "candidates": 6}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"dictionary": "org.yuedu.idioms.xinhua", "preferred": "p.json", "candidates": 7}, schema)


def test_children_package_passes(make_lanterns_package, children, report):
    KINDS[0].load_check()(make_lanterns_package(children), report)
    assert report.errors == [] and report.warnings == []


def test_lanterns_check_reports_each_broken_record(make_lanterns_package, children, report):
    records = [dict(r) for r in children[:20]]
    records[1]["word"] = "一鸣惊人了"              # five characters
    records[2]["pinyin"] = "yī míng jīng"          # a syllable short
    del records[3]["explanation"]                  # incomplete
    records[4] = "画龙点睛"                         # not an object
    records[5] = dict(records[6])                  # duplicate
    package = make_lanterns_package(records, requires=False)
    KINDS[0].load_check()(package, report)
    found = {(e[1], e[2]) for e in report.errors}
    assert ("[1].word", "idiom-not-four-characters") in found
    assert ("[2].pinyin", "idiom-pinyin-mismatch") in found
    assert ("[3].explanation", "idiom-field-missing") in found
    assert ("[4]", "idiom-record-not-object") in found
    assert ("word", "idiom-duplicate") in found
    assert ("requires", "idiom-dictionary-not-required") in found
    assert all(e[0] in ("idioms.json", "experience.toml") for e in report.errors)


def test_missing_and_unreadable_files(make_lanterns_package, make_chain_package, tmp_path, report, new_report):
    package = make_lanterns_package([])
    (package.path / "idioms.json").unlink()
    KINDS[0].load_check()(package, report)
    assert report.codes() == ["idiom-file-missing"]
    chain = make_chain_package([], name="c2")
    (chain.path / "preferred.json").write_text("[不是 json", encoding="utf-8")
    second = new_report()
    KINDS[1].load_check()(chain, second)
    assert second.codes() == ["idiom-file-not-json"]


def test_chain_check(make_chain_package, report):
    KINDS[1].load_check()(make_chain_package(["画龙点睛", "睛", "画龙点睛", 42]), report)
    assert report.codes() == ["idiom-not-four-characters", "idiom-not-four-characters"]
    assert report.codes("warnings") == ["idiom-duplicate"]


def test_full_dictionary_warns_in_bulk_but_has_no_errors(make_dictionary_package, dictionary_records, report):
    KINDS[2].load_check()(make_dictionary_package(dictionary_records), report)
    assert report.errors == []
    mismatch = [w for w in report.warnings if w[2] == "idiom-pinyin-mismatch"]
    assert len(mismatch) == MAX_PER_CODE  # examples only ...
    summary = [w for w in report.warnings if w[2] == "idiom-more-problems"]
    assert summary and summary[0][3]["problem"] == "idiom-pinyin-mismatch" and summary[0][3]["total"] > MAX_PER_CODE


def test_every_reported_code_has_texts_in_both_languages(make_lanterns_package, children, report):
    records = [dict(r) for r in children[:3]] + [{"word": "一二三", "pinyin": "yī"}, 7]
    KINDS[0].load_check()(make_lanterns_package(records, requires=False, extra="rounds = 30\n"), report)
    for file, field, code, params in report.errors + report.warnings:
        for lang in ("zh-CN", "en"):
            for part in ("message", "fix"):
                key = f"validation.{code}.{part}"
                text = i18n.t(key, lang, **params)
                assert text != key and not re.search(r"\{[a-z_]+\}", text), (lang, key, text)


def test_dictionary_file_must_be_an_array(make_dictionary_package, report):
    package = make_dictionary_package([])
    (package.path / "idioms.json").write_text(json.dumps({"word": "x"}), encoding="utf-8")
    KINDS[2].load_check()(package, report)
    assert report.codes() == ["idiom-file-not-list"]


def test_audio_folder_is_checked(make_lanterns_package, children, report, new_report):
    package = make_lanterns_package(children[:10], extra='audio = "audio/"\n')
    KINDS[0].load_check()(package, report)
    assert report.codes() == ["idiom-file-missing"]
    (package.path / "audio").mkdir()
    (package.path / "audio" / f"{children[0]['word']}.ogg").write_bytes(b"OggS")
    (package.path / "audio" / "notes.txt").write_text("x")
    second = new_report()
    KINDS[0].load_check()(package, second)
    assert second.errors == [] and second.codes("warnings") == ["idiom-audio-unmatched"]
    assert second.warnings[0][0] == "audio/notes.txt"
