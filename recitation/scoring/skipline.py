"""Which line was skipped: when the aligner leaves out one whole line among equally long ones, compare every
single-line-skip hypothesis explicitly by tone shapes and pauses, and keep the one the voice fits best.

Pitch level is a weak cue right after a long pause (a line's start often sits low), so the hypotheses are
compared by each syllable's contour shape (rise, fall, dip, flat), which survives such shifts.
"""
from __future__ import annotations

import numpy as np

from recitation.scoring.tones import TEMPLATES, TEMPERATURE
from recitation.scoring.text import ExpectedText

# Each tone as (middle - start, end - middle) of its template: its shape without its level.
SHAPES = {tone: np.array([t[1] - t[0], t[2] - t[1]]) for tone, t in TEMPLATES.items()}
UNKNOWN_FIT = 0.5
PAUSE_ORDER_COST = 0.5  # a minor break heard longer than a major one, per such pair of line ends
MARGIN = 0.5  # another hypothesis must beat the aligner's choice by this much (about one clear tone)


def shape_fit(points: np.ndarray | None, accepted: frozenset[int]) -> float:
    """Probability mass on the accepted tones from the contour's shape alone; 0.5 when unknown or neutral."""
    if points is None or not accepted:
        return UNKNOWN_FIT
    shape = np.array([points[1] - points[0], points[2] - points[1]])
    distances = np.array([np.sum((shape - s) ** 2) for s in SHAPES.values()])
    weights = np.exp(-(distances - distances.min()) / TEMPERATURE)
    weights /= weights.sum()
    return float(sum(w for tone, w in zip(SHAPES, weights) if tone in accepted))


def _pause_cost(expected: ExpectedText, blocks: dict[int, list[int]], spans: list[tuple[float, float]]) -> float:
    """Pairs of read line ends where a minor break's pause is longer than a major one's."""
    read = sorted(blocks)
    ends: dict[str, list[float]] = {"minor": [], "major": []}
    for a, b in zip(read, read[1:]):
        gap = spans[blocks[b][0]][0] - spans[blocks[a][-1]][1]
        ends[expected.lines[a].end_break].append(gap)
    return PAUSE_ORDER_COST * sum(minor > major for minor in ends["minor"] for major in ends["major"])


def _cost(expected: ExpectedText, blocks: dict[int, list[int]], points: list[np.ndarray | None],
          spans: list[tuple[float, float]], lines: range) -> float:
    tones = expected.tones()
    tone_cost = 0.0
    for index in lines:
        line = expected.lines[index]
        for k, j in enumerate(blocks.get(index, [])):
            tone_cost += 1.0 - shape_fit(points[j], tones[line.start + k])
    return tone_cost + _pause_cost(expected, blocks, spans)


def reconsider_skipped_line(expected: ExpectedText, char_to_syllable: list[int | None],
                            points: list[np.ndarray | None], spans: list[tuple[float, float]]) -> list[int | None]:
    """char_to_syllable with the skipped line moved to the best-fitting equally long line, when one fits better.

    points[j]: syllable j's (start, middle, end) contour in z-scores or None; spans[j]: its (start, end) seconds.
    Only acts when exactly one line was left out whole and the lines it may swap with were read in full.
    """
    lines = expected.lines
    slots = [char_to_syllable[line.start: line.start + line.size] for line in lines]
    skipped = [line.index for line, s in zip(lines, slots) if all(j is None for j in s)]
    if len(skipped) != 1:
        return char_to_syllable
    k = skipped[0]
    size = lines[k].size

    def shiftable(index: int) -> bool:
        return lines[index].size == size and (index == k or all(j is not None for j in slots[index]))

    low = k
    while low > 0 and shiftable(low - 1):
        low -= 1
    high = k
    while high < len(lines) - 1 and shiftable(high + 1):
        high += 1
    if low == high:
        return char_to_syllable
    span = range(low, high + 1)
    base = {i: list(s) for i, s in enumerate(slots) if i not in span and any(j is not None for j in s)}
    # Fully heard lines outside the span keep their syllables; partial ones keep only what was matched.
    base = {i: [j for j in s if j is not None] for i, s in base.items()}
    read_blocks = [list(slots[i]) for i in span if i != k]
    costs: dict[int, float] = {}
    for candidate in span:
        blocks = dict(base)
        blocks.update(zip([i for i in span if i != candidate], read_blocks))
        costs[candidate] = _cost(expected, {i: b for i, b in blocks.items() if b}, points, spans, span)
    best = min(costs, key=costs.get)
    if best == k or costs[best] > costs[k] - MARGIN:
        return char_to_syllable
    out = list(char_to_syllable)
    for i in span:
        out[lines[i].start: lines[i].start + size] = [None] * size
    for i, block in zip([i for i in span if i != best], read_blocks):
        out[lines[i].start: lines[i].start + size] = block
    return out
