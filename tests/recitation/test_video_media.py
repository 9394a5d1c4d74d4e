"""The family video's own picture and music in a recitation package (issue #18): the validator decodes each file
and says what is wrong in 中文 and English (missing, wrong type, too big, not a picture / not sound), the booth
picks the poem's own, else the package's, else the booth's music; the music is ducked under the voice and
nothing clips. Fixtures are generated here and last a few seconds."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PIL import Image

from experiences.package import open_package
from experiences.validation import validate_package
from recitation.poems import load_poems
from recitation.video.media import video_media

POEM = {"id": "jingyesi", "title": "静夜思", "author": "李白", "paragraphs": ["床前明月光，疑是地上霜。"]}
OTHER = {"id": "chunxiao", "title": "春晓", "author": "孟浩然", "paragraphs": ["春眠不觉晓，处处闻啼鸟。"]}


def package(folder: Path, poem_extra: dict | None = None, content_extra: str = "", files: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "experience.toml").write_text(
        'format = 1\nid = "org.example.video"\nversion = "1.0.0"\nkind = "recitation"\nengine = ">=0.1"\n'
        'age_bands = ["all"]\ncover = "cover.png"\n[title]\nzh-CN = "朗诵亭"\n[[credits]]\nname = "test"\nlicense = "CC0-1.0"\n'
        f'[content]\npoems = "poems.json"\n{content_extra}', encoding="utf-8")
    (folder / "poems.json").write_text(json.dumps([POEM | (poem_extra or {}), OTHER], ensure_ascii=False),
                                       encoding="utf-8")
    (folder / "cover.png").write_bytes(picture_bytes((640, 480)))
    for name, data in (files or {}).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def picture_bytes(size=(720, 1280), fmt="PNG") -> bytes:
    import io

    out = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(out, fmt)
    return out.getvalue()


def music_bytes(seconds=2.0, amplitude=0.3, fmt="WAV") -> bytes:
    import io

    t = np.arange(int(seconds * 22050)) / 22050
    out = io.BytesIO()
    soundfile.write(out, (amplitude * np.sin(2 * np.pi * 330 * t)).astype("float32"), 22050, format=fmt)
    return out.getvalue()


def problems(folder: Path) -> dict[str, tuple]:
    report = validate_package(folder)
    return {p.code: (p.severity, p.file, p.field, p.message("zh-CN"), p.message("en"), p.fix("zh-CN"))
            for p in report.problems}


def test_good_picture_and_music_pass(tmp_path):
    folder = package(tmp_path / "good", {"video_background": "video/moon.png", "video_music": "video/guqin.ogg"},
                     'video_background = "video/hills.jpg"\nvideo_music = "video/default.mp3"\n',
                     {"video/moon.png": picture_bytes(), "video/guqin.ogg": music_bytes(fmt="OGG"),
                      "video/hills.jpg": picture_bytes(fmt="JPEG"), "video/default.mp3": music_bytes(fmt="MP3")})
    report = validate_package(folder)
    assert report.ok and not report.warnings, [p.code for p in report.problems]


@pytest.mark.parametrize("extra, files, code, words_zh, words_en", [
    ({"video_background": "video/moon.png"}, {}, "recitation_file_missing", "找不到文件", "not in the package"),
    ({"video_background": "video/moon.gif"}, {"video/moon.gif": picture_bytes(fmt="GIF")},
     "recitation_video_background_type", "只能用 PNG、JPG、JPEG、WEBP", "only PNG、JPG、JPEG、WEBP"),
    ({"video_background": "video/moon.png"}, {"video/moon.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 200},
     "recitation_video_background_undecodable", "打不开", "cannot be opened"),
    ({"video_background": "video/moon.png"}, {"video/moon.png": picture_bytes()[:300]},  # cut off mid-pixels
     "recitation_video_background_undecodable", "打不开", "cannot be opened"),
    ({"video_background": "video/moon.png"}, {"video/moon.png": picture_bytes((9000, 10))},
     "recitation_video_background_huge", "超过了 8192 像素", "more than 8192"),
    ({"video_music": "video/song.m4a"}, {"video/song.m4a": b"\0" * 100},
     "recitation_video_music_type", "只能用 OGG、OGA、WAV、FLAC、MP3", "only OGG"),
    ({"video_music": "video/song.ogg"}, {"video/song.ogg": b"OggS" + b"\x01" * 400},
     "recitation_video_music_undecodable", "无法播放", "cannot be played"),
])
def test_bad_files_are_named_with_a_fix(tmp_path, extra, files, code, words_zh, words_en):
    found = problems(package(tmp_path / "bad", extra, files=files))
    assert code in found, found
    severity, _file, _field, zh, en, fix = found[code]
    assert severity == "error" and words_zh in zh and words_en in en and fix
    assert "{" not in zh + en  # every placeholder filled


def test_too_big_files_are_refused_before_decoding(tmp_path, monkeypatch):
    from recitation.video import media

    monkeypatch.setattr(media, "BACKGROUND_MAX_BYTES", 1000)
    monkeypatch.setattr(media, "MUSIC_MAX_BYTES", 1000)
    found = problems(package(tmp_path / "big", {"video_background": "big.png", "video_music": "big.wav"},
                             files={"big.png": picture_bytes(), "big.wav": music_bytes()}))
    assert "超过了 0.0 MB" in found["recitation_video_background_too_big"][3]
    assert "MB, more than" in found["recitation_video_music_too_big"][4]


def test_the_package_default_is_checked_too_and_small_or_silent_files_warn(tmp_path):
    found = problems(package(tmp_path / "warn", {"video_background": "small.png"},
                             'video_music = "quiet.wav"\nvideo_background = "nope.jpg"\n',
                             {"small.png": picture_bytes((200, 300)), "quiet.wav": music_bytes(amplitude=0.0)}))
    assert found["recitation_video_background_small"][0] == "warning"
    assert found["recitation_video_music_silent"][0] == "warning"
    assert found["recitation_file_missing"][1:3] == ("experience.toml", "content.video_background")


def test_the_booth_uses_the_poems_own_then_the_packages_then_its_music(tmp_path):
    folder = package(tmp_path / "pick", {"video_background": "video/moon.png", "music": "loop.wav"},
                     'music = "booth.wav"\n',
                     {"video/moon.png": picture_bytes(), "loop.wav": music_bytes(), "booth.wav": music_bytes()})
    opened = open_package(folder)
    moon, other = load_poems(opened)
    assert video_media(opened, moon) == (str(folder / "video/moon.png"), str(folder / "loop.wav"))
    assert video_media(opened, other) == (None, str(folder / "booth.wav"))
    folder = package(tmp_path / "defaults", {"video_music": "own.wav"},
                     'video_background = "hills.png"\nvideo_music = "all.wav"\nmusic = "booth.wav"\n',
                     {"hills.png": picture_bytes(), "own.wav": music_bytes(), "all.wav": music_bytes(),
                      "booth.wav": music_bytes()})
    opened = open_package(folder)
    moon, other = load_poems(opened)
    assert video_media(opened, moon) == (str(folder / "hills.png"), str(folder / "own.wav"))
    assert video_media(opened, other) == (str(folder / "hills.png"), str(folder / "all.wav"))


def test_a_phone_photo_stands_upright(tmp_path):
    """A phone stores a portrait photo as landscape pixels with an EXIF orientation: the video turns it."""
    from recitation.video.frames import cover_image

    pixels = np.zeros((720, 1280, 3), np.uint8)  # landscape pixels: left half red, right half blue
    pixels[:, :640] = (220, 30, 30)
    pixels[:, 640:] = (30, 30, 220)
    photo = Image.fromarray(pixels)
    exif = photo.getexif()
    exif[0x0112] = 6  # "rotate 90° clockwise to show"
    photo.save(tmp_path / "photo.jpg", exif=exif, quality=95)
    frame = cover_image(tmp_path / "photo.jpg")
    assert frame.shape == (1280, 720, 3)
    top, bottom = frame[:600].reshape(-1, 3).mean(axis=0), frame[680:].reshape(-1, 3).mean(axis=0)
    assert top[0] > 150 and top[2] < 80  # the red half is on top once turned
    assert bottom[2] > 150 and bottom[0] < 80


def test_music_is_ducked_under_the_voice_and_never_clips():
    """A loud 5 kHz tone as the curator's music (it would clip alone) under 2 s of voice: while someone reads it
    is well below its level in the outro, and no sample reaches full scale."""
    from recitation.video.sound import CEILING, DUCK_DB, mix

    sr = 48000
    t = np.arange(2 * sr) / sr
    voice = 0.5 * np.sin(2 * np.pi * 200 * t) * (1 + 0.3 * np.sin(2 * np.pi * 3 * t))
    music = 1.4 * np.sign(np.sin(2 * np.pi * 5000 * np.arange(5 * sr) / sr)) * 0.7
    out = mix(voice, sr, 2.5, music, reverb=False)
    assert np.abs(out).max() <= CEILING + 1e-6

    def tone_level(segment: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(segment * np.hanning(len(segment))))
        return 20 * np.log10(spectrum[round(5000 * len(segment) / sr)])

    during = tone_level(out[int(0.5 * sr):int(1.5 * sr)])
    after = tone_level(out[int(2.1 * sr):int(3.1 * sr)])  # the outro, before the fade
    assert after - during >= abs(DUCK_DB) - 3


def test_a_video_with_the_curators_music_never_clips(tmp_path):
    """Through make_video and AAC: a full-scale music track under 1.5 s of voice decodes with every sample below
    full scale, and the music is heard in the outro."""
    av = pytest.importorskip("av")
    from recitation.video.make import make_video, poem_from_text

    t = np.arange(int(1.5 * 16000)) / 16000
    soundfile.write(tmp_path / "take.wav", (0.4 * np.sin(2 * np.pi * 220 * t)).astype("float32"), 16000)
    m = np.arange(3 * 44100) / 44100
    soundfile.write(tmp_path / "loud.wav", np.sign(np.sin(2 * np.pi * 440 * m)).astype("float32") * 0.999, 44100)
    made = make_video(tmp_path / "take.wav", poem_from_text("床前明月光"), tmp_path / "out.mp4",
                      music=tmp_path / "loud.wav", char_times=[0.1, 0.4, 0.7, 1.0, 1.2])
    with av.open(str(made.path)) as container:
        audio = np.concatenate([f.to_ndarray().reshape(-1) for f in container.decode(audio=0)])
    assert np.abs(audio).max() < 1.0
    outro = audio[int(1.7 * 48000):int(2.7 * 48000)]
    assert np.sqrt(np.mean(outro ** 2)) > 0.01  # the music plays on after the voice
