"""Match heard syllables to the text's characters by dynamic programming (edit distance with evidence).

A match costs little when the syllable's pitch fits the character's tone and a pause falls where the text has a
break; skipped characters and extra syllables cost a fixed amount. Line breaks make a skipped line cheap to
recognise as a whole, and tones tell which of several equally long lines it was.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SKIP_COST = 1.0  # a character with no syllable
SKIP_LINE_DISCOUNT = 0.9  # a whole line left out is likelier than the same number of scattered characters
EXTRA_COST = 0.9  # a syllable with no character (a repeat, a cough, a false start)
PAUSE_S = 0.15  # a gap at least this long counts as a pause
TONE_WEIGHT = 0.15  # tones break ties (which line was skipped) but must not pull the alignment off the pauses
PRIOR_WEIGHT = 0.3  # the highlight is a hint (readers lead and lag it), never stronger than a skip
PRIOR_SPAN_S = 3.0  # beyond this distance from its highlight time a match costs the full prior weight


@dataclass
class Alignment:
    char_to_syllable: list[int | None]  # for each expected character, the syllable index heard for it
    extras: list[int]  # syllables matched to no character


def boundary_cost(expected_break: str, gap: float) -> float:
    """How badly a pause (or its absence) before a syllable fits the break the text has before its character."""
    paused = gap >= PAUSE_S
    if expected_break:
        return 0.0 if paused else 0.5
    return 0.7 if paused else 0.0


def timing_cost(char_times: list[float], nuclei: list[float]) -> np.ndarray:
    """A gentle prior from the highlight: matching a syllable far from when its character was shown costs a bit."""
    distance = np.abs(np.asarray(nuclei)[None, :] - np.asarray(char_times)[:, None])
    return PRIOR_WEIGHT * np.minimum(1.0, distance / PRIOR_SPAN_S)


def align(breaks: list[str], gaps: list[float], tone_fit: np.ndarray, prior: np.ndarray | None = None) -> Alignment:
    """breaks[i]: the break before character i ("" | "minor" | "major"); gaps[j]: silence before syllable j;
    tone_fit[i, j] in [0, 1]: how well syllable j's pitch fits character i's tone (0.5 when unknown);
    prior[i, j]: an extra cost from the highlight timing (see timing_cost), or None."""
    m, n = len(breaks), len(gaps)
    line_start_of_end: dict[int, int] = {}  # DP row after a line's last character -> row before its first
    starts = [i for i, brk in enumerate(breaks) if brk or i == 0] + [m]
    for first, after in zip(starts, starts[1:]):
        line_start_of_end[after] = first
    cost = np.full((m + 1, n + 1), np.inf)
    move = np.zeros((m + 1, n + 1), dtype=np.int8)  # 1 match, 2 skip character, 3 extra syllable, 4 skip line
    cost[0, :] = np.arange(n + 1) * EXTRA_COST
    cost[:, 0] = np.arange(m + 1) * SKIP_COST
    move[0, 1:] = 3
    move[1:, 0] = 2
    match_cost = TONE_WEIGHT * (1.0 - tone_fit)
    if prior is not None:
        match_cost = match_cost + prior
    for i in range(1, m + 1):
        brk = breaks[i - 1]
        row_prev, row = cost[i - 1], cost[i]
        for j in range(1, n + 1):
            # The first character after a skipped run is judged against the break before the run.
            # The take's first syllable needs no pause before it, whichever character it is.
            boundary = boundary_cost(brk, gaps[j - 1]) if i > 1 and j > 1 else 0.0
            c_match = row_prev[j - 1] + match_cost[i - 1, j - 1] + boundary
            c_skip = row_prev[j] + SKIP_COST
            c_extra = row[j - 1] + EXTRA_COST
            if c_match <= c_skip and c_match <= c_extra:
                row[j], move[i, j] = c_match, 1
            elif c_skip <= c_extra:
                row[j], move[i, j] = c_skip, 2
            else:
                row[j], move[i, j] = c_extra, 3
        first = line_start_of_end.get(i)
        if first is not None:
            whole = cost[first] + SKIP_LINE_DISCOUNT * SKIP_COST * (i - first)
            better = whole < row
            row[better] = whole[better]
            move[i, better] = 4
            for j in range(1, n + 1):  # extra syllables may follow a skipped line
                if row[j - 1] + EXTRA_COST < row[j]:
                    row[j], move[i, j] = row[j - 1] + EXTRA_COST, 3
    char_to_syllable: list[int | None] = [None] * m
    extras: list[int] = []
    i, j = m, n
    while i > 0 or j > 0:
        step = move[i, j]
        if step == 1:
            char_to_syllable[i - 1] = j - 1
            i, j = i - 1, j - 1
        elif step == 2:
            i -= 1
        elif step == 4:
            i = line_start_of_end[i]
        else:
            extras.append(j - 1)
            j -= 1
    return Alignment(char_to_syllable=char_to_syllable, extras=sorted(extras))
