"""Short, kind sentences for a child about one reading: the most useful two or three, praise first when earned."""
from __future__ import annotations

from typing import TYPE_CHECKING

from experiences.i18n import t
from recitation.scoring import content, subscores

if TYPE_CHECKING:
    from recitation.scoring.scorer import ScoreReport

MAX_SENTENCES = 4


def _seconds(value: float) -> str:
    return f"{value:.0f}" if value >= 1.5 else f"{value:.1f}"


def feedback_sentences(report: "ScoreReport", lines: list[subscores.LineFacts], lang: str = "zh-CN") -> list[str]:
    import recitation  # noqa: F401  (registers the catalog folder)

    out: list[str] = []
    for flag in report.flags:
        out.append(t(f"recite.feedback.flag_{flag}", lang))
    if report.verdict == content.OTHER and report.measures.get("syllables_heard"):
        # Another text, humming: one kind sentence and the offer to read along, no list of faults.
        return [t("recite.feedback.not_this_text", lang), t("recite.feedback.read_along_first", lang)]
    if not any(line.heard for line in lines):
        out.append(t("recite.feedback.nothing_heard", lang))
        return out[:MAX_SENTENCES]
    if report.overall >= 85 and min(report.scores.values()) >= 80:
        out.append(t("recite.feedback.great", lang))
    elif report.overall >= 70:
        out.append(t("recite.feedback.good", lang))
    # Lines never reached at the end are one sentence ("not finished yet"), not one complaint per line.
    unread_tail = 0
    while unread_tail < len(lines) and lines[len(lines) - 1 - unread_tail].heard == 0:
        unread_tail += 1
    ending = len(lines) - unread_tail if unread_tail >= 2 else len(lines)
    for line in lines[:ending]:
        if line.ratio < subscores.LINE_HEARD_ENOUGH:
            key = "skipped_line" if line.heard == 0 else "partly_missed"
            out.append(t(f"recite.feedback.{key}", lang, line=line.text))
    if ending < len(lines):
        out.append(t("recite.feedback.unfinished", lang, line=lines[ending].text))
    for line, where, seconds in subscores.hesitations(lines):
        out.append(t("recite.feedback.hesitation", lang, line=line.text, seconds=_seconds(seconds),
                     before=line.text[where] if where < len(line.text) else ""))
    pace = report.measures.get("pace")
    if pace is not None and pace > subscores.COMFORT_PACE[1]:
        out.append(t("recite.feedback.too_fast", lang))
    elif pace is not None and pace < subscores.COMFORT_PACE[0]:
        out.append(t("recite.feedback.too_slow", lang))
    if report.rhythm < 70 and not (pace and pace > subscores.COMFORT_PACE[1]):
        out.append(t("recite.feedback.pause_at_lines", lang))
    if "expressiveness" not in report.unscored and report.expressiveness < 60:
        out.append(t("recite.feedback.monotone", lang))
    if "tones" not in report.unscored and report.tones < 70:
        out.append(t("recite.feedback.tones", lang))
    if report.verdict == content.UNSURE:
        out.append(t("recite.feedback.unsure", lang))
    elif report.verdict == content.READ and report.marks:
        unclear = [ch for line, marks in zip(lines, report.marks) if line.heard
                   for ch, mark in zip(line.text, marks) if mark != "g"]
        if 0 < len(unclear) <= 6:
            out.insert(1 if out else 0, t("recite.feedback.unclear_chars", lang, chars="、".join(unclear)))
        elif len(unclear) > 6:
            out.insert(1 if out else 0, t("recite.feedback.many_unclear", lang))
    if len(out) == 0:
        out.append(t("recite.feedback.keep_going", lang))
    return out[:MAX_SENTENCES]
