"""Which line a pause belongs to, from what was recognised: the recogniser's time for each character of the text.

The acoustic scorer attributes each silence by its syllable alignment (syllables matched to characters by
counts, pauses and tones): a repeated line, a merged or split syllable moves its pauses onto the wrong
characters. With the content check, each character of the text has a span in the take (the forced alignment's
path, `recitation.listen.checker`), so each silence between speech stretches is attributed to the two read
characters around it: inside a line (a hesitation) or between two lines (the break after the first).

The alignment's path waits through a silence on one token: the character before the stop or the one after it
gets a span over the whole silence (measured on espeak-ng: either, by voice). So a character is placed at the
middle of the speech inside its span (`anchors`), not at its span's start or end.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RecognisedPauses:
    """inner[line]: (characters read before the stop, seconds); after[line]: silence before the next read line."""

    inner: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    after: dict[int, float] = field(default_factory=dict)


def anchors(spans: list[tuple[float, float]], regions: list[tuple[float, float]]) -> list[float]:
    """Each character's time: the middle of the speech (regions: (start s, end s) stretches) inside its span,
    weighted by length; the span's middle when it holds no speech (a skipped character squeezed in)."""
    out = []
    for start, end in spans:
        pieces = [(max(start, a), min(end, b)) for a, b in regions if min(end, b) > max(start, a)]
        total = sum(b - a for a, b in pieces)
        out.append(sum((b - a) * 0.5 * (a + b) for a, b in pieces) / total if total > 0 else 0.5 * (start + end))
    return out


def attribute(gaps: list[tuple[float, float]], times: list[float], line_of: list[int], line_first: list[int],
              read: list[bool]) -> RecognisedPauses:
    """Attribute each silence (start s, end s) to the read characters around it.

    times: each character's time in the take (`anchors`); line_of: its line; line_first: each line's
    first character index; read: whether it was read (skipped characters are passed over: a pause around a
    skipped line is the break after the line read before it). A silence before the first or after the last read
    character is no pause of the reading. Silences at one boundary add up (a repeat, a false start).
    """
    out = RecognisedPauses()
    order = [k for k in range(len(times)) if read[k]]
    for gap_start, gap_end in gaps:
        seconds = gap_end - gap_start
        if seconds <= 0:
            continue
        middle = 0.5 * (gap_start + gap_end)
        before = [k for k in order if times[k] < middle]
        after = [k for k in order if times[k] >= middle]
        if not before or not after:
            continue
        a, b = before[-1], after[0]
        if line_of[a] == line_of[b]:
            line = line_of[b]
            where = b - line_first[line]
            mine = out.inner.setdefault(line, [])
            if mine and mine[-1][0] == where:
                mine[-1] = (where, mine[-1][1] + seconds)
            else:
                mine.append((where, seconds))
        else:
            out.after[line_of[a]] = out.after.get(line_of[a], 0.0) + seconds
    return out
