"""Package checks of the exhibit kinds: missing and corrupt files, model limits, all problems reported at once."""
from __future__ import annotations

import json

from experiences import i18n
from experiences.exhibits import checks, kinds
from experiences.kinds import KindRegistry

from .helpers import RecordingReport, box_glb, grid_glb, png_bytes, write_package

TREASURE_CONTENT = '''[content]
model = "ding.glb"
poster = "poster.png"

[content.view]
min_distance = 1.0
max_distance = 5.0

[[content.hotspots]]
id = "ear"
position = [0.0, 0.0, 0.5]
[content.hotspots.title]
zh-CN = "鼎耳"
'''


def run_check(kind, package, check=None):
    report = RecordingReport()
    (check or kind.load_check())(package, report)
    return report


def test_a_good_treasure_passes(tmp_path):
    package = write_package(tmp_path / "t", "exhibit-treasure", TREASURE_CONTENT,
                            {"ding.glb": box_glb(), "poster.png": png_bytes()})
    report = run_check(kinds.TREASURE, package)
    assert report.errors == [] and report.warnings == []


def test_missing_model_is_named_with_its_field(tmp_path):
    package = write_package(tmp_path / "t", "exhibit-treasure", TREASURE_CONTENT, {"poster.png": png_bytes()})
    report = run_check(kinds.TREASURE, package)
    assert report.errors == [("experience.toml", "content.model", "exhibit_file_missing", {"name": "ding.glb"})]


def test_corrupt_image_and_corrupt_model_are_both_reported(tmp_path):
    truncated_png = png_bytes((256, 256))[:200]
    package = write_package(tmp_path / "t", "exhibit-treasure", TREASURE_CONTENT,
                            {"ding.glb": b"glTF\x02\x00\x00\x00garbage", "poster.png": truncated_png})
    report = run_check(kinds.TREASURE, package)
    assert sorted(report.codes()) == ["exhibit_image_corrupt", "exhibit_model_corrupt"]
    image_error = next(e for e in report.errors if e[2] == "exhibit_image_corrupt")
    assert image_error[0] == "poster.png" and image_error[1] == "content.poster"
    assert image_error[3]["detail"]  # says what the decoder found


def test_gltf_whose_bin_file_is_missing_is_said_so_not_as_an_empty_model(tmp_path):
    import struct
    glb = box_glb()
    json_len = struct.unpack_from("<I", glb, 12)[0]
    doc = json.loads(glb[20:20 + json_len])
    doc["buffers"][0]["uri"] = "ding.bin"  # the curator uploaded the .gltf without its .bin
    content = TREASURE_CONTENT.replace("ding.glb", "ding.gltf")
    package = write_package(tmp_path / "t", "exhibit-treasure", content,
                            {"ding.gltf": json.dumps(doc).encode(), "poster.png": png_bytes()})
    report = run_check(kinds.TREASURE, package)
    assert report.codes() == ["exhibit_model_corrupt"]
    assert report.errors[0][3]["detail"] == "buffers[0] names ding.bin, which is not in the package"
    del doc["buffers"][0]["uri"]  # a .gltf with no data file at all (the loader said only "0")
    package = write_package(tmp_path / "u", "exhibit-treasure", content,
                            {"ding.gltf": json.dumps(doc).encode(), "poster.png": png_bytes()})
    report = run_check(kinds.TREASURE, package)
    assert report.codes() == ["exhibit_model_corrupt"] and "has no uri" in report.errors[0][3]["detail"]


def test_text_renamed_as_png_is_a_corrupt_image(tmp_path):
    package = write_package(tmp_path / "p", "exhibit-panorama", '[content]\nimage = "hall.png"\n',
                            {"hall.png": "这不是图片".encode()})
    report = run_check(kinds.PANORAMA, package)
    assert report.codes() == ["exhibit_image_corrupt"]


def test_over_limit_model_is_rejected_with_count_and_limit(tmp_path):
    package = write_package(tmp_path / "t", "exhibit-treasure", '[content]\nmodel = "big.glb"\n',
                            {"big.glb": grid_glb(1200)})
    report = run_check(kinds.TREASURE, package, checks.treasure_check(max_triangles=1000))
    assert report.errors == [("big.glb", "content.model", "exhibit_model_too_many_triangles",
                              {"name": "big.glb", "count": 1200, "limit": 1000})]
    assert run_check(kinds.TREASURE, package, checks.treasure_check(max_triangles=1200)).errors == []


def test_default_limit_is_two_million_and_configurable_by_setting(tmp_path, monkeypatch):
    assert checks.DEFAULT_MAX_TRIANGLES == 2_000_000
    package = write_package(tmp_path / "t", "exhibit-treasure", '[content]\nmodel = "big.glb"\n',
                            {"big.glb": grid_glb(2_000_002)})
    report = run_check(kinds.TREASURE, package)
    assert report.codes() == ["exhibit_model_too_many_triangles"]
    assert report.errors[0][3]["count"] == 2_000_002
    small = write_package(tmp_path / "s", "exhibit-treasure", '[content]\nmodel = "m.glb"\n', {"m.glb": grid_glb(1200)})
    assert run_check(kinds.TREASURE, small).errors == []
    monkeypatch.setenv("YUEDU_EXHIBIT_MAX_TRIANGLES", "1000")
    assert run_check(kinds.TREASURE, small).codes() == ["exhibit_model_too_many_triangles"]


def test_view_limits_hotspot_ids_and_formats(tmp_path):
    content = '''[content]
model = "ding.obj"
[content.view]
min_pitch = 40
max_pitch = 10
[[content.hotspots]]
id = "a"
position = [0, 0, 0]
title = { zh-CN = "一" }
[[content.hotspots]]
id = "a"
position = [0, 0, 1]
title = { zh-CN = "二" }
image = "missing.png"
'''
    package = write_package(tmp_path / "t", "exhibit-treasure", content, {"ding.obj": b"v 0 0 0"})
    report = run_check(kinds.TREASURE, package)
    assert sorted(report.codes()) == ["exhibit_file_missing", "exhibit_hotspot_duplicate", "exhibit_model_format",
                                      "exhibit_range_inverted"]
    fields = {e[1] for e in report.errors}
    assert {"content.hotspots[1].id", "content.hotspots[1].image", "content.view.min_pitch"} <= fields


def test_book_checks_pages_text_and_emptiness(tmp_path):
    good_text = json.dumps({"sections": [{"title": "静夜思", "author": "李白", "lines": ["床前明月光，"]}]})
    package = write_package(tmp_path / "b1", "exhibit-book", '[content]\ntext = "poems.json"\n',
                            {"poems.json": good_text.encode()})
    assert run_check(kinds.BOOK, package).errors == []
    package = write_package(tmp_path / "b2", "exhibit-book", '[content]\ntext = "poems.json"\npages = ["p1.png", "p2.png"]\n',
                            {"poems.json": b'{"sections": [{"title": "x", "lines": []}]}', "p1.png": png_bytes()})
    report = run_check(kinds.BOOK, package)
    assert sorted(report.codes()) == ["exhibit_book_text_invalid", "exhibit_file_missing"]
    package = write_package(tmp_path / "b3", "exhibit-book", '[content]\nreading = "rtl"\n', {})
    assert run_check(kinds.BOOK, package).codes() == ["exhibit_book_empty"]


def test_panorama_that_is_not_two_to_one_gets_a_warning(tmp_path):
    package = write_package(tmp_path / "p", "exhibit-panorama", '[content]\nimage = "hall.png"\n',
                            {"hall.png": png_bytes((300, 200))})
    report = run_check(kinds.PANORAMA, package)
    assert report.errors == []
    assert [w[2] for w in report.warnings] == ["exhibit_panorama_aspect"]


def test_every_code_has_a_message_and_a_fix_in_both_languages():
    codes = ["exhibit_file_missing", "exhibit_image_corrupt", "exhibit_audio_corrupt", "exhibit_model_format",
             "exhibit_model_corrupt", "exhibit_model_too_many_triangles", "exhibit_model_empty",
             "exhibit_range_inverted", "exhibit_hotspot_duplicate", "exhibit_book_empty",
             "exhibit_book_text_invalid", "exhibit_panorama_aspect"]
    for code in codes:
        for lang in ("zh-CN", "en"):
            for part in ("message", "fix"):
                key = f"validation.{code}.{part}"
                assert i18n.t(key, lang) != key, (key, lang)
    text = i18n.t("validation.exhibit_model_too_many_triangles.message", "zh-CN", name="a.glb", count=3, limit=2)
    assert "a.glb" in text and "3" in text and "2" in text


def test_kinds_are_registered_through_entry_points():
    registry = KindRegistry.from_entry_points()
    for kind in kinds.ALL:
        assert registry.get(kind.name) == kind
        assert kind.schema["type"] == "object"
        assert callable(kind.load_check())
