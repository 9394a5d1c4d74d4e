"""The five sub-scores (0–100) and the overall score, each an explainable sum of a few measured facts.

Tolerances are kind on purpose: one missed detection is smoothed away, and pitch-based scores weigh little.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Weights of the overall score; pitch-based sub-scores are dropped from it when the take is noisy, and 准确
# (accuracy) is left out when the content check did not run (the others then weigh as before it existed).
WEIGHTS = {"accuracy": 0.3, "completeness": 0.245, "fluency": 0.14, "rhythm": 0.14, "expressiveness": 0.07,
           "tones": 0.105}
PITCH_BASED = ("expressiveness", "tones")

LINE_HEARD_ENOUGH = 0.8  # a line with ≥ 80% of its characters heard counts as read (detections miss some)
HESITATION_S = 0.7  # a stop inside a line longer than this is a hesitation
LONG_LINE_PAUSE_S = 2.5  # a stop between lines longer than this breaks the flow
COMFORT_PACE = (1.2, 4.2)  # characters per second, pauses included
MINOR_PAUSE_S, MAJOR_PAUSE_S = 0.15, 0.25
FLAT_SPREAD_ST, LIVELY_SPREAD_ST = 0.35, 1.2
TONE_FLOOR = 40.0  # F0-only tone evidence is unsure: wrong tones cost at most 60 points


@dataclass
class LineFacts:
    """What was measured for one verse line (the scorer's per-line detail)."""

    index: int
    text: str
    expected: int
    heard: int
    missing: list[str]
    start: float | None
    end: float | None
    inner_pauses: list[tuple[int, float]]  # (characters read before the stop, seconds)
    pause_after: float | None
    end_break: str
    pace: float | None  # characters per second inside the line
    tone_fits: list[float] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.heard / self.expected if self.expected else 1.0


def clip01(x: float) -> float:
    return float(min(1.0, max(0.0, x)))


def completeness(lines: list[LineFacts], per_character: bool = False) -> float:
    """Share of the text read. From syllable counts alone a line with LINE_HEARD_ENOUGH of its characters heard
    counts whole (the segmenter misses some); per_character (the content check found this text read, and which
    characters were skipped): every skipped character costs its share."""
    total = sum(line.expected for line in lines)
    if not total:
        return 0.0
    enough = 1.01 if per_character else LINE_HEARD_ENOUGH
    credit = sum(line.expected * (1.0 if line.ratio >= enough else line.ratio) for line in lines)
    return 100.0 * credit / total


def hesitations(lines: list[LineFacts]) -> list[tuple[LineFacts, int, float]]:
    return [(line, where, seconds) for line in lines for where, seconds in line.inner_pauses if seconds >= HESITATION_S]


def fluency(lines: list[LineFacts], pace: float | None, extras: int) -> float:
    penalty = 0.0
    for _, _, seconds in hesitations(lines):
        penalty += min(30.0, 12.0 + 6.0 * (seconds - HESITATION_S))
    for line in lines:
        if line.pause_after is not None and line.pause_after > LONG_LINE_PAUSE_S:
            penalty += min(15.0, 5.0 * (line.pause_after - LONG_LINE_PAUSE_S) + 3.0)
    penalty += min(15.0, 3.0 * extras)
    if pace is not None and pace > COMFORT_PACE[1]:
        penalty += min(40.0, 25.0 * (pace - COMFORT_PACE[1]))
    return max(0.0, 100.0 - penalty)


def _pause_placement(lines: list[LineFacts]) -> float | None:
    """Share of the breaks between read lines where the reader paused long enough (commas shorter)."""
    scores = []
    for line in lines[:-1]:
        if line.pause_after is None:
            continue
        needed = MAJOR_PAUSE_S if line.end_break == "major" else MINOR_PAUSE_S
        scores.append(clip01(line.pause_after / needed))
    return float(np.mean(scores)) if scores else None


def rhythm(lines: list[LineFacts], pace: float | None, syllable_durations: list[float]) -> float:
    placement = _pause_placement(lines)
    placement_points = 55.0 * (placement if placement is not None else 1.0)
    if pace is None:
        pace_points = 0.0
    elif pace > COMFORT_PACE[1]:
        pace_points = 25.0 * clip01(1.0 - (pace - COMFORT_PACE[1]) / 1.5)
    elif pace < COMFORT_PACE[0]:
        pace_points = 25.0 * clip01(1.0 - (COMFORT_PACE[0] - pace) / 0.8)
    else:
        pace_points = 25.0
    # Evenness: syllables of similar length read steadily; a coefficient of variation under 0.45 is fine.
    if len(syllable_durations) >= 3:
        durations = np.asarray(syllable_durations)
        variation = float(np.std(durations) / max(np.mean(durations), 1e-6))
        even_points = 20.0 * clip01(1.0 - (variation - 0.45) / 0.6)
    else:
        even_points = 0.0
    return placement_points + pace_points + even_points


def expressiveness(spread_st: float, level_std_db: float) -> float:
    pitch_part = clip01((spread_st - FLAT_SPREAD_ST) / (LIVELY_SPREAD_ST - FLAT_SPREAD_ST))
    loudness_part = clip01((level_std_db - 1.0) / 2.0)
    return 100.0 * (0.75 * pitch_part + 0.25 * loudness_part)


def tones(fits: list[float]) -> float | None:
    if not fits:
        return None
    mean_fit = float(np.mean(fits))
    return TONE_FLOOR + (100.0 - TONE_FLOOR) * clip01((mean_fit - 0.2) / 0.4)


def overall(scores: dict[str, float | None], noisy: bool) -> float:
    total, weight_sum = 0.0, 0.0
    for name, weight in WEIGHTS.items():
        value = scores.get(name)
        if value is None or (noisy and name in PITCH_BASED):
            continue
        total += weight * value
        weight_sum += weight
    return total / weight_sum if weight_sum else 0.0
