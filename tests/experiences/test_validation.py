"""validate_package on folders and zips: manifest schema, kinds' schemas and hooks, requires, assets, i18n."""
from __future__ import annotations

import json
import re
import struct
import tomllib

import pytest
from package_builders import (
    KIND_NAME, dump_toml, good_manifest, install_hook_module, make_package, png_header_only, quiz_registry,
    write_png, write_wav, zip_folder,
)

from experiences.catalog import Catalog
from experiences.package import open_package
from experiences.validation import Limits, Problem, Report, require_file, validate_package
from experiences.validation.manifest import SCHEMA_PATH


@pytest.fixture
def registry(tmp_path, monkeypatch):
    install_hook_module(tmp_path, monkeypatch)
    return quiz_registry(tmp_path)


def validate(path, registry, **kwargs):
    kwargs.setdefault("catalog", Catalog([]))
    return validate_package(path, registry=registry, **kwargs)


def write_manifest(folder, manifest: dict) -> None:
    (folder / "experience.toml").write_text(dump_toml(manifest), encoding="utf-8")


def only(report: Report, code: str) -> Problem:
    found = [p for p in report.problems if p.code == code]
    assert len(found) == 1, (code, [(p.code, p.file, p.field) for p in report.problems])
    return found[0]


def test_valid_folder_and_zip_pass_without_any_problem(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    folder_report = validate(folder, registry)
    assert folder_report.problems == []
    assert folder_report.ok
    assert folder_report.manifest["id"] == "org.example.library.quiz"
    zip_report = validate(zip_folder(folder, tmp_path / "quiz.zip"), registry)
    assert zip_report.problems == []
    # A zip made by "compress folder" has everything under one top folder: also accepted.
    nested = validate(zip_folder(folder, tmp_path / "nested.zip", top="quiz/"), registry)
    assert nested.problems == []


def test_manifest_schema_errors_are_mapped_to_fields(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    write_manifest(folder, good_manifest(
        id="Org.Example.Quiz", version="1.0", title={"en": "Quiz", "zh_CN": "测"}, age_bands=["7", "6-8"],
        credits=[{"name": "me"}], format=2, language="zh CN", cover="/etc/cover.png",
    ))
    report = validate(folder, registry)
    located = {(p.code, p.field) for p in report.problems}
    assert ("id_invalid", "id") in located
    assert ("version_invalid", "version") in located
    assert ("schema_required", "title.zh-CN") in located
    assert ("language_invalid", "title.zh_CN") in located
    assert ("schema_enum", "age_bands[0]") in located
    assert ("schema_required", "credits[0].license") in located
    assert ("format_unsupported", "format") in located
    assert ("language_invalid", "language") in located
    assert ("path_invalid", "cover") in located
    assert all(p.file == "experience.toml" for p in report.problems if p.field)
    assert not report.ok


def test_missing_required_fields_are_all_reported(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    write_manifest(folder, {"id": "org.example.quiz", "typo_field": 3})
    report = validate(folder, registry)
    missing = {p.field for p in report.problems if p.code == "schema_required"}
    assert missing == {"format", "version", "kind", "engine", "title", "age_bands", "credits"}
    assert only(report, "manifest_unknown_key").severity == "warning"


@pytest.mark.parametrize(("engine", "code"), [(">=9", "engine_unsupported"), ("banana!", "engine_invalid")])
def test_engine_range_is_checked_against_this_engine(tmp_path, registry, engine, code):
    folder = make_package(tmp_path / "quiz", manifest=good_manifest(engine=engine))
    problem = only(validate(folder, registry), code)
    assert (problem.file, problem.field) == ("experience.toml", "engine")
    assert engine in problem.message("en")


def test_unknown_kind_lists_the_installed_kinds(tmp_path, registry):
    folder = make_package(tmp_path / "quiz", manifest=good_manifest(kind="idiom-cannons"))
    problem = only(validate(folder, registry), "kind_unknown")
    assert problem.field == "kind"
    assert KIND_NAME in problem.fix("en") and KIND_NAME in problem.fix("zh-CN")


def test_content_is_checked_against_the_kind_schema_and_hook_is_skipped(tmp_path, registry):
    folder = make_package(tmp_path / "quiz", manifest=good_manifest(
        content={"sound": 3, "rounds": 0, "extra": "x"}),
        questions=[{"choices": ["a"], "answer": "b"}])
    report = validate(folder, registry)
    located = {(p.code, p.field) for p in report.problems}
    assert ("schema_required", "content.data") in located
    assert ("schema_type", "content.sound") in located
    assert ("schema_minimum", "content.rounds") in located
    assert ("schema_unknown_field", "content.extra") in located
    assert "quiz_answer_not_a_choice" not in report.codes()  # hooks only see schema-valid content


def test_kind_hook_cross_references_and_unknown_codes_render_generically(tmp_path, registry):
    folder = make_package(tmp_path / "quiz", questions=[
        {"image": "images/horse.png", "choices": ["马"], "answer": "马"},
        {"image": "images/Horse.PNG", "choices": ["马"], "answer": "马"},
        {"image": "images/cow.png", "choices": ["牛"], "answer": "羊"},
        {"image": "audio/ding.wav", "choices": ["叮"], "answer": "叮"},
    ])
    report = validate(folder, registry)
    case = only(report, "file_case_mismatch")
    assert (case.file, case.field, case.params["actual"]) == ("data/questions.json", "questions[1].image",
                                                              "images/horse.png")
    missing = only(report, "file_missing")
    assert (missing.file, missing.field) == ("data/questions.json", "questions[2].image")
    assert only(report, "file_wrong_type").field == "questions[3].image"
    custom = only(report, "quiz_answer_not_a_choice")
    assert custom.field == "questions[2].answer"
    # No catalog entry for the kind's own code: still rendered with its code and params, in both languages.
    for lang in ("zh-CN", "en"):
        assert "quiz_answer_not_a_choice" in custom.message(lang) and "羊" in custom.message(lang)
        assert "quiz_answer_not_a_choice" in custom.fix(lang)


def test_kind_hook_that_raises_is_reported_not_propagated(tmp_path, monkeypatch):
    install_hook_module(tmp_path, monkeypatch)
    registry = quiz_registry(tmp_path, check="yuedu_test_quiz:crash")
    folder = make_package(tmp_path / "quiz")
    problem = only(validate(folder, registry), "kind_check_failed")
    assert "hook exploded" in problem.message("en")


def test_broken_kind_schema_is_reported(tmp_path, monkeypatch):
    install_hook_module(tmp_path, monkeypatch)
    registry = quiz_registry(tmp_path, schema={"type": "no-such-type"})
    assert only(validate(make_package(tmp_path / "quiz"), registry), "kind_schema_invalid")


def test_playable_kind_needs_a_cover_data_kind_does_not(tmp_path, monkeypatch):
    install_hook_module(tmp_path, monkeypatch)
    folder = make_package(tmp_path / "quiz", manifest=good_manifest(cover=None))
    playable = validate(folder, quiz_registry(tmp_path))
    assert only(playable, "cover_required").field == "cover"
    data_only = validate(folder, quiz_registry(tmp_path, runner=""))
    assert data_only.ok


def test_requires_checked_against_the_catalog(tmp_path, registry):
    dictionary = make_package(tmp_path / "dict", manifest=good_manifest(id="org.example.dict", version="1.2.0"))
    catalog = Catalog([open_package(dictionary)])
    folder = make_package(tmp_path / "quiz", manifest=good_manifest(requires=[
        {"id": "org.example.dict", "version": ">=1.0,<2"},
        {"id": "org.example.dict", "version": ">=2"},
        {"id": "org.example.missing"},
        {"id": "org.example.dict", "version": "about one"},
    ]))
    report = validate_package(folder, registry=registry, catalog=catalog)
    assert {(p.code, p.field) for p in report.problems} == {
        ("requires_version_mismatch", "requires[1].version"),
        ("requires_missing", "requires[2].id"),
        ("requires_version_invalid", "requires[3].version"),
    }
    assert "1.2.0" in only(report, "requires_version_mismatch").message("en")


def test_cover_and_license_files_must_exist_and_decode(tmp_path, registry):
    folder = make_package(tmp_path / "quiz", manifest=good_manifest(
        credits=[{"name": "a", "license": "MIT", "license_file": "LICENSE-missing.txt"}]))
    (folder / "cover.png").write_bytes(b"not a png at all")
    report = validate(folder, registry)
    assert only(report, "file_missing").field == "credits[0].license_file"
    assert only(report, "image_undecodable").file == "cover.png"
    folder2 = make_package(tmp_path / "quiz2", manifest=good_manifest(cover="cover.gif"))
    write_png(folder2 / "cover.gif")  # decodes, but menu cards take PNG/JPEG/WebP only
    assert only(validate(folder2, registry), "cover_format").field == "cover"


def test_images_over_the_side_limit_and_bombs_are_rejected_before_decoding(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    write_png(folder / "images" / "wide.png", size=(9000, 1))
    # Headers claiming huge sizes over almost no pixel data: decoding them would fail (or eat the memory).
    (folder / "images" / "tall.png").write_bytes(png_header_only(10, 9000))
    (folder / "images" / "bomb.png").write_bytes(png_header_only(100_000, 100_000))
    report = validate(folder, registry)
    wide = [p for p in report.problems if p.file == "images/wide.png"]
    assert [p.code for p in wide] == ["image_too_large"]
    assert "9000" in wide[0].message("zh-CN") and "8192" in wide[0].message("en")
    assert [p.code for p in report.problems if p.file == "images/tall.png"] == ["image_too_large"]
    assert [p.code for p in report.problems if p.file == "images/bomb.png"] == ["image_bomb"]
    # Within the limits the header is believed no further: the missing pixel data is found by decoding.
    roomy = validate(folder, registry, limits=Limits(max_image_side=10_000))
    assert [p.code for p in roomy.problems if p.file == "images/tall.png"] == ["image_undecodable"]


def test_audio_must_decode_with_a_sane_duration(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    (folder / "audio" / "broken.ogg").write_bytes(b"OggS" + bytes(200))
    write_wav(folder / "audio" / "silent.wav", seconds=0)
    write_wav(folder / "audio" / "long.wav", seconds=1.0)
    (folder / "audio" / "voice.m4a").write_bytes(b"\x00\x00\x00\x20ftypM4A ")
    report = validate(folder, registry, limits=Limits(max_audio_seconds=0.5))
    by_file = {p.file: p.code for p in report.problems}
    assert by_file == {"audio/broken.ogg": "audio_undecodable", "audio/silent.wav": "audio_empty",
                       "audio/long.wav": "audio_too_long", "audio/voice.m4a": "audio_unsupported_format"}


def test_json_gltf_and_glb_are_checked(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    (folder / "data" / "extra.json").write_text('{"a": 1,\n "b": }', encoding="utf-8")
    (folder / "models").mkdir()
    (folder / "models" / "vase.gltf").write_text(json.dumps(
        {"asset": {"version": "2.0"}, "buffers": [{"uri": "vase.bin", "byteLength": 4}],
         "images": [{"uri": "data:image/png;base64,AAAA"}]}), encoding="utf-8")
    (folder / "models" / "old.gltf").write_text(json.dumps({"asset": {"version": "1.0"}}), encoding="utf-8")
    (folder / "models" / "fake.glb").write_bytes(b"glTF" + struct.pack("<II", 2, 999) + bytes(20))
    body = json.dumps({"asset": {"version": "2.0"}}).encode().ljust(28)
    glb = b"glTF" + struct.pack("<II", 2, 20 + len(body)) + struct.pack("<II", len(body), 0x4E4F534A) + body
    (folder / "models" / "good.glb").write_bytes(glb)
    (folder / "tools.py").write_text("print('hi')\n", encoding="utf-8")
    report = validate(folder, registry)
    json_problem = only(report, "json_invalid")
    assert (json_problem.file, json_problem.params["line"]) == ("data/extra.json", 2)
    missing = only(report, "gltf_missing_resource")
    assert (missing.file, missing.field, missing.params["uri"]) == ("models/vase.gltf", "buffers[0].uri", "vase.bin")
    assert {p.file for p in report.problems if p.code == "gltf_invalid"} == {"models/old.gltf", "models/fake.glb"}
    assert only(report, "executable_file").severity == "warning"
    assert not any(p.file == "models/good.glb" for p in report.problems)


@pytest.mark.parametrize(("content", "code"), [
    (None, "manifest_missing"),
    (b"", "manifest_empty"),
    ('format = 1\nid = "org.example.quiz"\n[title]\nzh-CN = "成语'.encode(), "manifest_not_toml"),
    ('format = 1\ntitle = "成语"\n'.encode("gbk"), "manifest_not_utf8"),
])
def test_missing_truncated_or_non_utf8_manifest(tmp_path, registry, content, code):
    folder = make_package(tmp_path / "quiz")
    if content is None:
        (folder / "experience.toml").unlink()
    else:
        (folder / "experience.toml").write_bytes(content)
    report = validate(folder, registry)
    problem = only(report, code)
    assert problem.file == "experience.toml"
    if code == "manifest_not_toml":
        assert problem.params["line"] == 4
    # The files are still checked: one run shows everything that can be shown.
    (folder / "images" / "bad.png").write_bytes(b"junk")
    assert validate(folder, registry).has("image_undecodable", file="images/bad.png")


def test_every_problem_at_once_and_each_renders_in_both_languages(tmp_path, registry):
    folder = make_package(tmp_path / "quiz", manifest=good_manifest(
        id="BAD", version="one", engine=">=5", age_bands=[], title={"en": "x"}, language="fr",
        credits=[{"name": "a", "license": "MIT", "license_file": "nope.txt"}],
        requires=[{"id": "org.example.other"}]),
        questions=[{"image": "images/none.png", "choices": ["a"], "answer": "b"}])
    (folder / "images" / "bad.png").write_bytes(b"junk")
    (folder / "data" / "broken.json").write_text("{", encoding="utf-8")
    report = validate(folder, registry)
    codes = set(report.codes())
    assert {"id_invalid", "version_invalid", "engine_unsupported", "schema_empty", "schema_required",
            "file_missing", "requires_missing", "image_undecodable", "json_invalid", "file_missing",
            "quiz_answer_not_a_choice", "title_language_missing"} <= codes
    for lang in ("zh-CN", "en"):
        text = report.render(lang)
        for problem in report.problems:
            message, fix = problem.message(lang), problem.fix(lang)
            assert message and fix and not message.startswith("validation.")
            assert not re.search(r"\{\w+\}", message + fix), (problem.code, message, fix)
            assert problem.location() in text and message in text and fix in text
            assert problem.file and (problem.field or problem.file != "experience.toml")
        data = report.to_dict(lang)
        assert data["valid"] is False and data["errors"] == len(report.errors)
        assert all(set(p) >= {"file", "field", "message", "fix", "code", "severity"} for p in data["problems"])
    assert "怎么改" in report.render("zh-CN") and "How to fix" in report.render("en")


def test_message_catalogs_have_the_same_codes_and_placeholders(repo_root):
    def flat(prefix, table, out):
        for key, value in table.items():
            (flat(f"{prefix}.{key}", value, out) if isinstance(value, dict) else out.__setitem__(f"{prefix}.{key}", value))
        return out

    messages = repo_root / "experiences" / "messages"
    zh = flat("", tomllib.loads((messages / "validation.zh-CN.toml").read_text(encoding="utf-8")), {})
    en = flat("", tomllib.loads((messages / "validation.en.toml").read_text(encoding="utf-8")), {})
    assert set(zh) == set(en)
    for key in zh:
        assert set(re.findall(r"\{(\w+)\}", zh[key])) == set(re.findall(r"\{(\w+)\}", en[key])), key
    codes = {k.split(".")[2] for k in zh if k.endswith(".message")}
    for code in codes:
        assert f".validation.{code}.fix" in zh, code


def test_require_file_rejects_escaping_paths_and_unknown_types(tmp_path, registry):
    package = open_package(make_package(tmp_path / "quiz"))
    report = Report()
    assert require_file(package, report, "images/horse.png", "content.x", kinds=("image",))
    assert not require_file(package, report, "../secret.png", "content.y", kinds=("image",))
    assert not require_file(package, report, 42, "content.z")
    assert [p.code for p in report.problems] == ["path_invalid", "path_invalid"]
    with pytest.raises(ValueError):
        require_file(package, report, "cover.png", "cover", kinds=("picture",))
    package.source.close()


def test_manifest_schema_file_is_valid_2020_12(repo_root):
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    # The example in docs/package-format.md is valid against it.
    doc = (repo_root / "docs" / "package-format.md").read_text(encoding="utf-8")
    example = tomllib.loads(doc.split("```toml", 1)[1].split("```", 1)[0])
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(example)) == []


def test_report_keeps_same_code_on_different_fields_and_reads_as_tuples():
    report = Report("pkg")
    report.error("idioms.json", "[3]", "idiom_incomplete")
    report.error("idioms.json", "[5]", "idiom_incomplete")
    report.error("idioms.json", "[5]", "idiom_incomplete")  # the very same problem twice is one problem
    report.warning("idioms.json", "", "idiom_rare", count=2)
    assert report.errors == [("idioms.json", "[3]", "idiom_incomplete", {}), ("idioms.json", "[5]", "idiom_incomplete", {})]
    file, field, code, params = report.warnings[0]
    assert (file, field, code, params) == ("idioms.json", "", "idiom_rare", {"count": 2})
    assert report.warnings[0][2] == "idiom_rare" and not report.ok
    with pytest.raises(ValueError):
        report.add(Problem("a", "b", "c", severity="fatal"))


def test_a_broken_data_file_named_by_the_kind_is_reported_once_with_its_field(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    (folder / "data" / "questions.json").write_text('{"questions": [', encoding="utf-8")
    problems = [p for p in validate(folder, registry).problems if p.file == "data/questions.json"]
    assert [(p.code, p.field) for p in problems] == [("json_invalid", "content.data")]


def test_kind_codes_render_from_the_kinds_own_catalogs(tmp_path, registry, monkeypatch):
    from experiences import i18n

    messages = tmp_path / "quiz_messages"
    messages.mkdir()
    (messages / "quiz.zh-CN.toml").write_text(
        '[validation.quiz_answer_not_a_choice]\nmessage = "答案“{answer}”不在选项（{choices}）里。"\n'
        'fix = "请把 {field} 改成选项之一：{choices}。"\n', encoding="utf-8")
    (messages / "quiz.en.toml").write_text(
        '[validation.quiz_answer_not_a_choice]\nmessage = "The answer \\"{answer}\\" is not one of the choices ({choices})."\n'
        'fix = "Change {field} to one of: {choices}."\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "_catalog_dirs", list(i18n._catalog_dirs))
    monkeypatch.setattr(i18n, "_catalogs", {})
    i18n.register_catalog_dir(messages)
    folder = make_package(tmp_path / "quiz", questions=[{"choices": ["马", "牛"], "answer": "羊"}])
    problem = only(validate(folder, registry), "quiz_answer_not_a_choice")
    assert problem.message("zh-CN") == "答案“羊”不在选项（马, 牛）里。"
    assert problem.fix("en") == "Change questions[0].answer to one of: 马, 牛."


def test_any_value_in_any_manifest_field_is_reported_never_raised(tmp_path, registry):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    folder = make_package(tmp_path / "quiz")
    scalars = st.one_of(st.text(max_size=8), st.integers(-3, 3), st.booleans())
    values = st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)), max_leaves=6)
    fields = st.sampled_from(sorted(good_manifest()) + ["requires", "extra"])

    @settings(max_examples=40, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(field=fields, value=values)
    def check(field, value):
        write_manifest(folder, good_manifest(**{field: value}))
        report = validate(folder, registry)
        for problem in report.problems:
            assert problem.message("en") and problem.fix("zh-CN")

    check()


def test_absurdly_nested_files_are_reported_not_raised(tmp_path, monkeypatch):
    install_hook_module(tmp_path, monkeypatch)
    deep_schema = {"type": "object", "properties": {"data": {"type": "string"}, "tree": {"$ref": "#/$defs/node"}},
                   "$defs": {"node": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}
    registry = quiz_registry(tmp_path, schema=deep_schema)
    folder = make_package(tmp_path / "quiz")
    (folder / "data" / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    manifest = dump_toml(good_manifest()).replace('[content]\n', '[content]\ntree = ' + "[" * 400 + "]" * 400 + "\n")
    (folder / "experience.toml").write_text(manifest, encoding="utf-8")
    report = validate(folder, registry)
    assert report.has("nesting_too_deep", file="data/deep.json")
    assert report.has("nesting_too_deep", file="experience.toml", field="content")  # deep for the schema walk
    (folder / "experience.toml").write_text("a = " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    assert validate(folder, registry).has("nesting_too_deep", file="experience.toml")
