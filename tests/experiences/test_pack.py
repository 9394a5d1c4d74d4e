"""pack_package and the curator commands (validate, pack, schemas) through launcher.main."""
from __future__ import annotations

import hashlib
import json
import os
import zipfile

import pytest
from package_builders import (
    KIND_NAME, QUIZ_SCHEMA, good_manifest, install_hook_module, make_package, quiz_registry, write_wav, zip_folder,
)

import experiences.kinds
import launcher
from experiences.catalog import Catalog
from experiences.validation import Limits, pack_package, validate_package


@pytest.fixture
def registry(tmp_path, monkeypatch):
    """The test kind, also as the default registry the commands use."""
    install_hook_module(tmp_path, monkeypatch)
    registry = quiz_registry(tmp_path)
    monkeypatch.setattr(experiences.kinds, "_default", registry)
    return registry


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pack_output_validates_and_holds_only_the_package_files(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    (folder / ".DS_Store").write_bytes(b"\x00Bud1")
    (folder / ".git").mkdir()
    (folder / ".git" / "config").write_text("[core]\n")
    (folder / "notes.txt~").write_text("backup")
    out = tmp_path / "out" / "quiz.zip"
    report = pack_package(folder, out, registry=registry, catalog=Catalog([]))
    assert report.ok and out.is_file()
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) and i.external_attr >> 16 == 0o100644 for i in zf.infolist())
    assert names == sorted(["experience.toml", "cover.png", "images/horse.png", "audio/ding.wav", "LICENSE.txt",
                            "data/questions.json"])
    assert validate_package(out, registry=registry, catalog=Catalog([])).problems == []


def test_pack_is_deterministic(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    first = tmp_path / "a.zip"
    second = tmp_path / "b.zip"
    assert pack_package(folder, first, registry=registry, catalog=Catalog([])).ok
    for path in folder.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))  # other times, same content
    os.chmod(folder / "cover.png", 0o600)
    assert pack_package(folder, second, registry=registry, catalog=Catalog([])).ok
    assert sha256(first) == sha256(second)


def test_pack_stores_files_that_would_look_like_a_zip_bomb(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    write_wav(folder / "audio" / "silence.wav", seconds=3.0)
    with open(folder / "audio" / "silence.wav", "r+b") as f:  # digital silence deflates far beyond 100:1
        f.seek(44)
        f.write(bytes(3 * 16000 * 2))
    out = tmp_path / "quiz.zip"
    assert pack_package(folder, out, registry=registry, catalog=Catalog([])).ok
    with zipfile.ZipFile(out) as zf:
        assert zf.getinfo("audio/silence.wav").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("data/questions.json").compress_type == zipfile.ZIP_DEFLATED
    assert validate_package(out, registry=registry, catalog=Catalog([])).ok


def test_pack_refuses_a_folder_that_does_not_validate(tmp_path, registry):
    folder = make_package(tmp_path / "quiz", manifest=good_manifest(version="v1"))
    out = tmp_path / "quiz.zip"
    report = pack_package(folder, out, registry=registry, catalog=Catalog([]))
    assert report.has("version_invalid") and not out.exists()
    assert list(tmp_path.glob("*.partial")) == []


def test_pack_leaves_its_own_output_out_when_written_inside_the_folder(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    out = folder / "quiz.zip"
    assert pack_package(folder, out, registry=registry, catalog=Catalog([])).ok
    assert pack_package(folder, out, registry=registry, catalog=Catalog([])).ok
    with zipfile.ZipFile(out) as zf:
        assert "quiz.zip" not in zf.namelist()


def test_pack_output_failing_the_archive_check_is_not_written(tmp_path, registry, monkeypatch):
    import experiences.validation.pack as pack_module

    folder = make_package(tmp_path / "quiz")
    real_validate = pack_module.validate_package

    def validate_then_file_grows(*args, **kwargs):
        # A curator's editor saving a file while the zip is being written: the folder was fine a moment ago.
        report = real_validate(*args, **kwargs)
        (folder / "LICENSE.txt").write_text("MIT\n" * 50_000)
        return report

    monkeypatch.setattr(pack_module, "validate_package", validate_then_file_grows)
    out = tmp_path / "quiz.zip"
    report = pack_module.pack_package(folder, out, registry=registry, catalog=Catalog([]),
                                      limits=Limits(max_file_bytes=100_000))
    assert not out.exists() and list(tmp_path.glob("*.partial")) == []
    assert report.has("pack_output_invalid") and report.has("file_too_large", file="LICENSE.txt")


def test_validate_command_exit_codes_and_human_output(tmp_path, registry, capsys):
    good = make_package(tmp_path / "good")
    assert launcher.main(["validate", str(good)]) == 0
    assert "可以使用" in capsys.readouterr().out
    bad = make_package(tmp_path / "bad", manifest=good_manifest(title={"en": "Quiz"}, kind="nope"))
    assert launcher.main(["validate", str(bad), "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "experience.toml › title.zh-CN" in out and "experience.toml › kind" in out
    assert "How to fix: " in out and KIND_NAME in out
    assert launcher.main(["validate", str(bad), "--lang", "zh"]) == 1
    assert "怎么改：" in capsys.readouterr().out


def test_validate_command_warnings_do_not_fail_and_zips_validate(tmp_path, registry, capsys):
    folder = make_package(tmp_path / "quiz")
    (folder / "helper.py").write_text("pass\n")
    assert launcher.main(["validate", str(folder), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is True and data["warnings"] == 1
    assert data["problems"][0]["code"] == "executable_file" and data["problems"][0]["file"] == "helper.py"
    zipped = zip_folder(make_package(tmp_path / "z"), tmp_path / "z.zip")
    assert launcher.main(["validate", str(zipped), "--json", "--lang", "en"]) == 0
    assert launcher.main(["validate", str(tmp_path / "missing.zip")]) == 1
    assert "missing.zip" in capsys.readouterr().out


def test_pack_command_writes_or_refuses_and_says_why(tmp_path, registry, capsys):
    folder = make_package(tmp_path / "quiz")
    out = tmp_path / "quiz.zip"
    assert launcher.main(["pack", str(folder), "-o", str(out), "--lang", "en"]) == 0
    assert out.is_file() and str(out) in capsys.readouterr().out
    assert launcher.main(["validate", str(out)]) == 0
    capsys.readouterr()
    (folder / "data" / "questions.json").write_text("{oops", encoding="utf-8")
    refused = tmp_path / "refused.zip"
    assert launcher.main(["pack", str(folder), "-o", str(refused), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "data/questions.json" in err and "not valid JSON" in err and not refused.exists()


def test_schemas_command_exports_manifest_and_kind_schemas(tmp_path, registry, capsys):
    out = tmp_path / "schemas"
    assert launcher.main(["schemas", "-o", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["manifest.schema.json", f"{KIND_NAME}.schema.json"]
    assert json.loads((out / f"{KIND_NAME}.schema.json").read_text()) == QUIZ_SCHEMA
    assert json.loads((out / "manifest.schema.json").read_text())["required"][:2] == ["format", "id"]

def test_pack_command_to_a_place_that_cannot_hold_a_zip_blames_the_output_not_the_package(tmp_path, registry, capsys):
    folder = make_package(tmp_path / "quiz")
    a_file = tmp_path / "not-a-folder.txt"
    a_file.write_text("x")
    for lang, fine in (("en", "the package itself is valid"), ("zh", "内容包本身没有问题")):
        assert launcher.main(["pack", str(folder), "-o", str(a_file / "quiz.zip"), "--lang", lang]) == 1
        err = capsys.readouterr().err
        assert "quiz.zip" in err and fine in err
        assert "NOT valid" not in err and "不能使用" not in err
    assert a_file.read_text() == "x" and not list(tmp_path.glob("*.zip*"))
