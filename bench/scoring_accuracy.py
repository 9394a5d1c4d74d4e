#!/usr/bin/env python3
"""Evaluation: the scorer on espeak-ng readings of sample poems, clean and with each fault of issue #7.

Prints one row per poem: the clean scores and the sub-score each fault should lower (and whether a skipped
line was named correctly). Run: .venv/bin/python bench/scoring_accuracy.py [--every 25] [--first 0]
With --all-lines: skip every line of each poem in turn and count how often the skipped line is named.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

POEMS = Path(__file__).resolve().parents[1] / "content" / "poems-recital" / "poems.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=25, help="take every Nth poem of the 300")
    parser.add_argument("--first", type=int, default=0, help="index of the first poem taken")
    parser.add_argument("--all-lines", action="store_true", help="only the skipped-line check, every line in turn")
    args = parser.parse_args()

    import soundfile

    from recitation.fixtures import Reading, speed_up, synthesize
    from recitation.scoring import expected_from_paragraphs, score_take

    poems = json.loads(POEMS.read_text(encoding="utf-8"))[args.first:: args.every]
    if args.all_lines:
        return every_line_skipped(poems)
    named = total = clean_ok = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for poem in poems:
            expected = expected_from_paragraphs(poem["paragraphs"], poem["pinyin"])
            middle = len(expected.lines) // 2
            variants = {"clean": Reading(), "skip": Reading(skip_line=middle), "hesitate": Reading(hesitate_line=middle),
                        "no_pauses": Reading(minor_pause_ms=0, major_pause_ms=0), "monotone": Reading(monotone=True),
                        "wrong_tones": Reading(wrong_tones=True)}
            scored = {}
            for name, reading in variants.items():
                path = synthesize(expected, folder / f"{name}.wav", reading)
                samples, sr = soundfile.read(path)
                scored[name] = score_take(samples, sr, expected)
            fast = speed_up(folder / "clean.wav", folder / "fast.wav", 2.5)
            samples, sr = soundfile.read(fast)
            scored["fast"] = score_take(samples, sr, expected)
            clean = scored["clean"]
            total += 1
            clean_ok += clean.overall >= 80
            named += scored["skip"].lines[middle]["heard"] == 0
            print(f"{poem['title'][:8]:<10} {expected.size:>3} chars  clean {clean.overall:>3} "
                  f"{list(clean.scores.values())}  skip→completeness {scored['skip'].completeness:>3} "
                  f"(line named: {'yes' if scored['skip'].lines[middle]['heard'] == 0 else 'no '})  "
                  f"hesitate→fluency {scored['hesitate'].fluency:>3}  no pauses→rhythm {scored['no_pauses'].rhythm:>3}  "
                  f"monotone→expressiveness {scored['monotone'].expressiveness:>3}  "
                  f"wrong tones→tones {scored['wrong_tones'].tones:>3}  "
                  f"fast→fluency/rhythm {scored['fast'].fluency}/{scored['fast'].rhythm}", flush=True)
    print(f"clean ≥ 80: {clean_ok}/{total}; skipped line named: {named}/{total}")
    return 0


def every_line_skipped(poems: list[dict]) -> int:
    import soundfile

    from recitation.fixtures import Reading, synthesize
    from recitation.scoring import expected_from_paragraphs, score_take

    named = total = 0
    with tempfile.TemporaryDirectory() as tmp:
        for poem in poems:
            expected = expected_from_paragraphs(poem["paragraphs"], poem["pinyin"])
            wrong = []
            for k, line in enumerate(expected.lines):
                samples, sr = soundfile.read(synthesize(expected, Path(tmp) / "skip.wav", Reading(skip_line=k)))
                report = score_take(samples, sr, expected)
                total += 1
                if report.lines[k]["heard"] == 0:
                    named += 1
                else:
                    wrong.append(f"{line.text}→{[d['text'] for d in report.lines if d['heard'] == 0]}")
            print(f"{poem['title'][:8]:<10} {len(expected.lines):>2} lines  misnamed: {', '.join(wrong) or '-'}",
                  flush=True)
    print(f"every line skipped in turn: named {named}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
