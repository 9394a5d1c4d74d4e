"""`launcher.py recite …`: the recitation booth's command line (score a take offline, make its video, calibrate
the mic delay)."""
from __future__ import annotations

import json
import os
import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser("recite", help="recitation booth tools (score a recorded reading)")
    recite = parser.add_subparsers(dest="recite_command", metavar="ACTION", required=True)
    score = recite.add_parser("score", help="score a recorded reading of a poem (WAV, FLAC or OGG)")
    score.add_argument("audio", help="the recording")
    score.add_argument("--text", required=True, help="the poem's text, punctuation included; newlines split paragraphs")
    score.add_argument("--json", action="store_true", help="print one JSON object (overall, sub-scores, flags, lines, feedback)")
    score.add_argument("--lang", default="zh-CN", choices=["zh-CN", "en"], help="language of the feedback sentences")
    score.add_argument("--age-band", default=None, choices=["3-5", "6-8", "9-12", "13+"],
                       help="the reader's age band: gentler character judgements for 3-5 and 6-8")
    score.add_argument("--no-content", action="store_true",
                       help="score how the reading sounds only (no check of what was said, no model loaded)")
    score.set_defaults(func=run_score)
    video = recite.add_parser("video", help="make the family's KTV-style MP4 of a recorded reading (720×1280)")
    video.add_argument("audio", help="the recording (WAV, FLAC or OGG)")
    video.add_argument("--text", required=True, help="the poem's text, punctuation included; newlines split paragraphs")
    video.add_argument("-o", "--out", required=True, help="the MP4 to write")
    video.add_argument("--nickname", default="", help="the reader's kid-safe nickname (one of the booth's list)")
    video.add_argument("--title", default="", help="the poem's title")
    video.add_argument("--author", default="", help="the poet")
    video.add_argument("--dynasty", default="", help="the poet's dynasty (唐, 宋…)")
    video.add_argument("--library", default="", help="the library's name (default: this kiosk's config)")
    video.add_argument("--branch", default="", help="the branch (default: this kiosk's config)")
    video.add_argument("--date", default="", help="the date shown (default: the recording's, else today)")
    video.add_argument("--score", type=int, default=None, help="a score badge (0–100); none by default")
    video.add_argument("--music", default="", help="background music ducked under the voice (a sound file)")
    video.add_argument("--background", default="", help="an image behind the poem (default: generated ink-wash)")
    video.add_argument("--no-reverb", action="store_true", help="no room reverb on the voice")
    video.add_argument("--no-pinyin", action="store_true", help="no pinyin above the characters")
    video.set_defaults(func=run_video)
    calibrate = recite.add_parser("calibrate", help="measure this booth's microphone delay (play a click, hear it)")
    calibrate.add_argument("--input", default="", help="part of the microphone's device name (default: system default)")
    calibrate.add_argument("--output", default="", help="part of the speaker's device name")
    calibrate.set_defaults(func=run_calibrate)


def run_score(args) -> int:
    import soundfile

    from recitation.scoring import score_take

    if not any("\u4e00" <= ch <= "\u9fff" for ch in args.text):
        print("recite score: --text 要写诗的原文（汉字） / --text must be the poem's text, in Chinese characters",
              file=sys.stderr)
        return 2
    if not os.path.isfile(args.audio):  # libsndfile would say only "System error."
        print(f"recite score: 没有这个录音文件 / no such recording: {args.audio}", file=sys.stderr)
        return 2
    try:
        samples, sr = soundfile.read(args.audio, dtype="float32", always_2d=False)
    except (RuntimeError, OSError) as exc:  # soundfile raises LibsndfileError (a RuntimeError) on bad files
        print(f"recite score: 无法读取音频 / cannot read audio {args.audio}: {exc}", file=sys.stderr)
        return 2
    if len(samples) == 0:
        print(f"recite score: 录音是空的 / the recording is empty: {args.audio}", file=sys.stderr)
        return 2
    checker = None
    if not args.no_content:
        from recitation.listen import shared_checker

        checker = shared_checker()
        if checker is None:
            print("recite score: 未安装识字模型，只评声音 / the content model is not installed (scripts/setup.sh): "
                  "scoring the sound only", file=sys.stderr)
    report = score_take(samples, sr, args.text.replace("\\n", "\n"), lang=args.lang, checker=checker,
                        age_band=args.age_band)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=_plain))
        return 0
    print(f"overall {report.overall}  " + "  ".join(f"{k} {v}" for k, v in report.scores.items()))
    if report.verdict:
        print(f"verdict: {report.verdict}")
    if report.flags:
        print("flags: " + ", ".join(report.flags))
    for k, line in enumerate(report.lines):
        marks = f"  marks {report.marks[k]}" if report.marks else ""
        print(f"  {line['text']}: {line['heard']}/{line['expected']}  pace {line['pace']}  pause after {line['pause_after']}{marks}")
    for sentence in report.feedback:
        print(sentence)
    return 0


def run_video(args) -> int:
    from recitation.video.cli import run

    return run(args)


def run_calibrate(args) -> int:
    from recitation.audio.calibration import calibrate, save_mic_delay
    from recitation.audio.devices import AudioUnavailable, PyAudioDevice

    try:
        device = PyAudioDevice(args.input, args.output)
    except AudioUnavailable as exc:
        print(f"recite calibrate: 没有可用的音频设备 / no audio device: {exc}", file=sys.stderr)
        return 2
    try:
        result = calibrate(device)
    finally:
        device.close()
    if not result.heard:
        print("recite calibrate: 没有听到提示音，请调高音量或靠近话筒 / the click was not heard: raise the volume",
              file=sys.stderr)
        return 1
    path = save_mic_delay(result.seconds)
    print(f"mic delay {result.seconds * 1000:.1f} ms (confidence {result.confidence:.0f}) → {path}")
    return 0


def _plain(value):
    """numpy scalars → plain JSON numbers."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
