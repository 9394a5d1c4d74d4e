"""Which line was skipped: when about one line's worth of characters is missing among equally long lines,
re-align the stretch once per single-line-skip hypothesis and keep the one the voice fits best.

Pitch level is a weak cue right after a long pause (a line's start often sits low), so the hypotheses are
compared by each syllable's contour shape (rise, fall, dip, flat), which survives such shifts, and by pauses.
"""
from __future__ import annotations

import numpy as np

from recitation.scoring.align import EXTRA_COST, SKIP_COST, SKIP_LINE_DISCOUNT, align, boundary_cost
from recitation.scoring.text import ExpectedText
from recitation.scoring.tones import TEMPERATURE, TEMPLATES

# Each tone as (middle - start, end - middle) of its template: its shape without its level.
SHAPES = {tone: np.array([t[1] - t[0], t[2] - t[1]]) for tone, t in TEMPLATES.items()}
UNKNOWN_FIT = 0.5
PAUSE_ORDER_COST = 0.5  # per pair of line ends where a minor break's pause is not clearly shorter than a major one's
MINOR_TO_MAJOR = 0.8  # readers pause at a full stop at least this much longer than at a comma
MARGIN = 0.2  # another hypothesis must beat the aligner's choice by this much (part of one clear tone)


def _shape_probabilities(points: np.ndarray | None) -> np.ndarray | None:
    """Probabilities of the tones (in SHAPES order) from the contour's shape alone; None when unvoiced."""
    if points is None:
        return None
    shape = np.array([points[1] - points[0], points[2] - points[1]])
    distances = np.array([np.sum((shape - s) ** 2) for s in SHAPES.values()])
    weights = np.exp(-(distances - distances.min()) / TEMPERATURE)
    return weights / weights.sum()


def shape_fit(points: np.ndarray | None, accepted: frozenset[int]) -> float:
    """Probability mass on the accepted tones from the contour's shape alone; 0.5 when unknown or neutral."""
    probs = _shape_probabilities(points)
    if probs is None or not accepted:
        return UNKNOWN_FIT
    return float(sum(p for tone, p in zip(SHAPES, probs) if tone in accepted))


def _span(expected: ExpectedText, char_to_syllable: list[int | None]) -> range | None:
    """The run of equally long lines holding every missing character, when about one line's worth is missing."""
    lines = expected.lines
    missing = [sum(j is None for j in char_to_syllable[ln.start: ln.start + ln.size]) for ln in lines]
    short = [i for i, count in enumerate(missing) if count]
    if not short or len({lines[i].size for i in short}) != 1 or short[-1] - short[0] > 1:
        return None
    size = lines[short[0]].size
    if abs(sum(missing) - size) > 1 or size < 3:
        return None
    low, high = short[0], short[-1]
    while low > 0 and lines[low - 1].size == size:
        low -= 1
    while high < len(lines) - 1 and lines[high + 1].size == size:
        high += 1
    return range(low, high + 1) if high > low else None


def _fit_matrix(expected: ExpectedText, level_fit: np.ndarray, points: list[np.ndarray | None],
                window: range) -> np.ndarray:
    """Tone evidence of each window syllable for each character: the scorer's fit and the shape alone, averaged."""
    shapes = [_shape_probabilities(points[j]) for j in window]
    by_shape = np.full((expected.size, len(window)), UNKNOWN_FIT)
    for c, accepted in enumerate(expected.tones()):
        rows = [k for k, tone in enumerate(SHAPES) if tone in accepted]
        if not rows:
            continue
        for col, probs in enumerate(shapes):
            if probs is not None:
                by_shape[c, col] = probs[rows].sum()
    return 0.5 * (level_fit[:, window.start: window.stop] + by_shape)


def _cost(expected: ExpectedText, mapping: list[int | None], span: range, window: range, fit: np.ndarray,
          gaps: list[float]) -> float:
    """Skips, extras, pauses and tone shapes of one reading of the span's characters by the window's syllables."""
    lines = expected.lines
    cost, previous, last_line, used = 0.0, None, None, set()
    line_ends: dict[str, list[float]] = {"minor": [], "major": []}
    for index in span:
        line = lines[index]
        slots = mapping[line.start: line.start + line.size]
        whole_skip = all(j is None for j in slots)
        for k, j in enumerate(slots):
            if j is None:
                cost += SKIP_COST * (SKIP_LINE_DISCOUNT if whole_skip else 1.0)
                continue
            used.add(j)
            cost += 1.0 - fit[line.start + k, j - window.start]
            if previous is not None:
                gap = max(gaps[previous + 1: j + 1], default=0.0)
                new_line = last_line != index
                cost += boundary_cost(lines[last_line].end_break if new_line else "", gap)
                if new_line:
                    line_ends[lines[last_line].end_break].append(gap)
            previous, last_line = j, index
    cost += EXTRA_COST * len(set(window) - used)
    cost += PAUSE_ORDER_COST * sum(m > MINOR_TO_MAJOR * n for m in line_ends["minor"] for n in line_ends["major"])
    return cost


def _hypothesis(expected: ExpectedText, span: range, skip: int, window: range, fit: np.ndarray,
                gaps: list[float], mapping: list[int | None]) -> list[int | None]:
    """The mapping with line `skip` left out and the other span lines aligned afresh to the window."""
    lines = [expected.lines[i] for i in span if i != skip]
    chars = [line.start + k for line in lines for k in range(line.size)]
    breaks = [(previous.end_break if k == 0 else "") for previous, line in zip([lines[0]] + lines, lines)
              for k in range(line.size)]
    result = align(breaks, [gaps[j] for j in window], fit[chars])
    out = list(mapping)
    skipped = expected.lines[skip]
    out[skipped.start: skipped.start + skipped.size] = [None] * skipped.size
    for c, j in zip(chars, result.char_to_syllable):
        out[c] = None if j is None else window.start + j
    return out


def reconsider_skipped_line(expected: ExpectedText, char_to_syllable: list[int | None], level_fit: np.ndarray,
                            points: list[np.ndarray | None], gaps: list[float]) -> list[int | None]:
    """char_to_syllable with the missing line moved to the best-fitting equally long line, when one fits better.

    level_fit[i, j]: the scorer's tone fit of syllable j to character i (0.5 unknown); points[j]: syllable j's
    (start, middle, end) contour in z-scores or None; gaps[j]: the silence before it.
    """
    span = _span(expected, char_to_syllable)
    if span is None:
        return char_to_syllable
    first, last = expected.lines[span.start], expected.lines[span.stop - 1]
    matched = [j for j in char_to_syllable[first.start: last.start + last.size] if j is not None]
    if not matched:
        return char_to_syllable
    window = range(min(matched), max(matched) + 1)
    fit = _fit_matrix(expected, level_fit, points, window)
    best, best_cost = char_to_syllable, _cost(expected, char_to_syllable, span, window, fit, gaps) - MARGIN
    for skip in span:
        candidate = _hypothesis(expected, span, skip, window, fit, gaps, char_to_syllable)
        value = _cost(expected, candidate, span, window, fit, gaps)
        if value < best_cost:
            best, best_cost = candidate, value
    return best
