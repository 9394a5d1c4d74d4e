"""`launcher.py recite video TAKE --text … -o OUT.mp4`: the family's video from any recording (curators, tests,
re-renders). Messages in 中文 and English."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path


def say_error(message_zh: str, message_en: str) -> int:
    print(f"recite video: {message_zh} / {message_en}", file=sys.stderr)
    return 2


def kiosk_place() -> tuple[str, str]:
    """This kiosk's library and branch from kiosk.toml (without creating one); the defaults when there is none."""
    from experiences.config import ConfigError, KioskSection, load_config

    try:
        kiosk = load_config(create=False).kiosk
    except (ConfigError, OSError):
        kiosk = KioskSection()
    return kiosk.library, "" if kiosk.branch == "main" else kiosk.branch


def run(args) -> int:
    from experiences.share import NICKNAMES
    from recitation.video.frames import VideoCard
    from recitation.video.make import make_video, poem_from_text

    audio = Path(args.audio)
    if not audio.is_file():
        return say_error(f"找不到录音 {audio}", f"no such recording {audio}")
    if args.nickname and args.nickname not in NICKNAMES:
        return say_error("昵称只能从朗诵亭的昵称表里选（不用真名）",
                         f"the nickname must be one of the booth's kid-safe list: {'、'.join(NICKNAMES)}")
    if args.score is not None and not 0 <= args.score <= 100:
        return say_error("分数应在 0 到 100 之间", "the score must be 0–100")
    for option, value in (("--music", args.music), ("--background", args.background)):
        if value and not Path(value).is_file():
            return say_error(f"找不到文件 {value}（{option}）", f"no such file {value} ({option})")
    poem = poem_from_text(args.text, args.title, args.author, args.dynasty)
    if not poem.expected.size:
        return say_error("诗文里没有汉字", "the text has no Chinese characters to read")
    library, branch = kiosk_place()
    date = args.date or recording_date(audio) or dt.date.today().isoformat()
    card = VideoCard(nickname=args.nickname, library=args.library or library, branch=args.branch or branch,
                     date=date, score=args.score, show_pinyin=not args.no_pinyin)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        result = make_video(audio, poem, out, card, music=args.music or None, background=args.background or None,
                            reverb=not args.no_reverb, progress=_progress if sys.stderr.isatty() else None)
    except (RuntimeError, OSError, ValueError) as exc:  # soundfile and pygame raise these on bad files
        return say_error(f"无法生成视频：{exc}", f"cannot make the video: {exc}")
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"{result.path}  {result.seconds:.1f} s  {result.bytes / 1e6:.2f} MB  "
          f"(编码用时 / encoded in {result.encode_seconds:.1f} s)")
    return 0


def recording_date(path: Path) -> str:
    """The date a booth take was recorded (its tag), e.g. 2026-12-07; "" for plain files."""
    try:
        from recitation.audio.takes import read_take

        return (read_take(path).date or "")[:10]
    except Exception:  # a WAV without tags, or an unreadable file (reported when it is read for real)
        return ""


def _progress(share: float) -> None:
    print(f"\r生成视频 / encoding {share * 100:5.1f} %", end="", file=sys.stderr, flush=True)
