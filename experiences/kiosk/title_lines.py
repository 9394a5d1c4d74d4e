"""Where a title (or a short line of text on a card) may break: one line if it fits, else lines broken at sensible
points — never one character left alone on a line (《唐诗三百 / 首》), 《》 kept with their text, a number kept with
what it counts (三百首), a particle (的 了 们 …) never starting a line, Latin words whole — the lines as even as
those rules allow, the first the longer one of two alike.

`break_lines(text, fits, lines)` is the rule; `fit_title(text, sizes, fits, max_lines)` picks the biggest size and
fewest lines: one line at any size down to the smallest allowed (the screen checks' minimum) before two lines;
`wrap_lines(text, fits)` breaks a longer line of text (a card's reason) into the fewest lines by the same rule.
Widths come from the caller (`fits(line)` or `fits(line, size)`), so this module stays pure: no pygame.
"""
from __future__ import annotations

from typing import Callable, Sequence

from experiences.pinyin import is_han

OPENING = frozenset("《（(「『〈【“‘[")
CLOSING = frozenset("》）)」』〉】”’]，。、；：！？,.;:!?…·")  # never at the start of a line (GB/T 15834)
SEPARATORS = frozenset("，。、；：！？,.;:!?·—-/")  # a line may end after these with no harm
NUMERALS = frozenset("〇一二三四五六七八九十百千万亿零两0123456789")
PARTICLES = frozenset("的之了们吗呢吧啊么着过地得")  # never at the start of a line
STARTERS = frozenset("也都和与及就还又并而")  # words that start a phrase: 小朋友 / 也读了
_OPENS, _CLOSES = "《（(「『〈【", "》）)」』〉】"

# What a break costs (lower is better); how uneven the lines are is added: BALANCE × the sum of each line's
# squared share off the mean (two lines of 4 and 2 characters: 8 × 2 × (1/3)² ≈ 1.8).
FREE = 0.0  # at a space, after a separator, before an opening mark
AFTER_DE = 0.5  # after 的 / 之: 好饿的 / 毛毛虫
BEFORE_STARTER = 1.0  # before 也 和 就 …: 小朋友 / 也读了
BETWEEN = 3.0  # between two Han characters (where words start and end is not known)
IN_BRACKETS = 4.0  # inside 《…》 or （…）: kept with their text when the whole text is not in them
IN_NUMBER = 6.0  # inside a number or between a number and what it counts: 三百首, 十万个
BEFORE_PARTICLE = 6.0  # a particle would start the next line
BALANCE = 8.0
EXTRA_LINE = 1.5  # wrap_lines: what one more line costs, when the text may take it


def atoms(text: str) -> list[str]:
    """`text` in the pieces no break may split: a Han character with the opening marks before it and the closing
    marks after it, a Latin or digit word likewise, a space alone (a break there drops it)."""
    out: list[str] = []
    opening = ""
    for char in text:
        if char in OPENING:
            opening += char
        elif char == " ":
            if opening:
                out.append(opening)
                opening = ""
            out.append(" ")
        elif char in CLOSING and out and out[-1] != " " and not opening:
            out[-1] += char
        elif _latin(char) and out and not opening and _latin(out[-1][-1]):
            out[-1] += char  # a Latin or digit word stays whole
        else:
            out.append(opening + char)
            opening = ""
    if opening:
        out.append(opening)
    return out


def _latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "'")


def _core(atom: str) -> str:
    """The atom without its marks."""
    return "".join(c for c in atom if c not in OPENING and c not in CLOSING)


def break_cost(pieces: Sequence[str], at: int) -> float:
    """What breaking before `pieces[at]` costs (see the constants); inside brackets it costs IN_BRACKETS more
    (the same for every break when the whole text is one 《title》)."""
    depth = 0
    for piece in pieces[:at]:
        depth += sum(c in _OPENS for c in piece) - sum(c in _CLOSES for c in piece)
    inside = IN_BRACKETS if depth > 0 else 0.0
    before, after = pieces[at - 1], pieces[at]
    if before == " " or after == " " or before[-1] in SEPARATORS or after[0] in OPENING:
        return FREE + inside
    a, b = _core(before)[-1:], _core(after)[:1]
    if a in NUMERALS and (b in NUMERALS or is_han(b)):
        return IN_NUMBER + inside
    if b in PARTICLES:
        return BEFORE_PARTICLE + inside
    if a in "的之":
        return AFTER_DE + inside
    if b in STARTERS:
        return BEFORE_STARTER + inside
    return BETWEEN + inside


def _units(pieces: Sequence[str]) -> int:
    return sum(len(p) for p in pieces if p != " ")


def _orphan(pieces: Sequence[str]) -> bool:
    """One character alone on its line (with its marks, if any)."""
    words = [p for p in pieces if p != " "]
    return len(words) == 1 and len(_core(words[0])) == 1


def _join(pieces: Sequence[str]) -> str:
    return "".join(pieces).strip(" ")


def break_lines(text: str, fits: Callable[[str], bool], lines: int,
                allow_orphans: bool = False) -> list[str] | None:
    """`text` in exactly `lines` lines that each `fits`, broken where it costs least (`break_cost`, plus how
    uneven the lines are); None when no such split exists. One character alone on a line is allowed only with
    `allow_orphans` (or when the text has no more characters than lines)."""
    found = _split(text, fits, lines, allow_orphans)
    return found[1] if found else None


def _split(text: str, fits: Callable[[str], bool], lines: int,
           allow_orphans: bool = False) -> tuple[float, list[str]] | None:
    """`break_lines` with what its split costs."""
    pieces = atoms(text)
    n = len(pieces)
    if lines == 1:
        return (0.0, [_join(pieces)]) if fits(_join(pieces)) else None
    if n < lines:
        return None
    allow_orphans = allow_orphans or sum(len(_core(p)) for p in pieces if p != " ") <= lines
    mean = _units(pieces) / lines
    too_long = [n + 1] * (n + 1)  # from each start, the first end known not to fit (a longer line fits less)

    def line_ok(i: int, j: int) -> bool:
        chunk = pieces[i:j]
        if j >= too_long[i] or not _join(chunk) or pieces[i] == " " or (not allow_orphans and _orphan(chunk)):
            return False
        if fits(_join(chunk)):
            return True
        too_long[i] = min(too_long[i], j)
        return False

    # best[k][j]: the least cost of atoms[:j] in k lines, and where its last line starts
    inf = float("inf")
    best = [[(inf, -1)] * (n + 1) for _ in range(lines + 1)]
    best[0][0] = (0.0, -1)
    for k in range(1, lines + 1):
        for j in range(k, n + 1):
            for i in range(k - 1, j):
                previous = best[k - 1][i][0]
                if previous == inf or not line_ok(i, j):
                    continue
                cost = previous + (break_cost(pieces, i) if i > 0 else 0.0) \
                    + BALANCE * ((_units(pieces[i:j]) - mean) / mean) ** 2
                if k == 1 and j < n:
                    cost += 0.001 * (mean - _units(pieces[i:j])) / mean  # of two alike, the first line the longer
                if cost < best[k][j][0] - 1e-9:
                    best[k][j] = (cost, i)
    if best[lines][n][0] == inf:
        return None
    out, j = [], n
    for k in range(lines, 0, -1):
        i = best[k][j][1]
        out.append(_join(pieces[i:j]))
        j = i
    return best[lines][n][0], out[::-1]


def _measured(fits: Callable[..., bool]) -> Callable[..., bool]:
    """`fits` remembering its answers (a break search asks about the same lines again)."""
    known: dict[tuple, bool] = {}

    def ask(*key) -> bool:
        if key not in known:
            known[key] = fits(*key)
        return known[key]
    return ask


def fit_title(text: str, sizes: Sequence[int], fits: Callable[[str, int], bool],
              max_lines: int = 2) -> tuple[int, list[str]]:
    """(size, lines) for `text`: one line at the biggest of `sizes` (biggest first) where it fits, else two lines
    at the biggest size where they fit, … up to `max_lines`. When nothing fits, the smallest size and as many
    lines as it takes (one character alone on a line only if nothing else fits). A smaller size never makes a
    line wider, so each line count is a binary search over the sizes."""
    sizes = list(sizes)
    fits = _measured(fits)
    for count in range(1, max_lines + 1):
        if break_lines(text, lambda line: fits(line, sizes[-1]), count) is None:
            continue  # not even at the smallest size
        low, high = 0, len(sizes) - 1  # the biggest size that works is at an index in [low, high]
        while low < high:
            middle = (low + high) // 2
            if break_lines(text, lambda line: fits(line, sizes[middle]), count) is not None:
                high = middle
            else:
                low = middle + 1
        return sizes[low], break_lines(text, lambda line: fits(line, sizes[low]), count)
    return sizes[-1], wrap_lines(text, lambda line: fits(line, sizes[-1]), first=max_lines + 1)


def wrap_lines(text: str, fits: Callable[[str], bool], first: int = 1, most: int | None = None) -> list[str]:
    """`text` in the fewest lines (`first` at least) that each `fits`, broken by `break_lines`' rule — or in up to
    `most` lines when one more line buys a much better break (读了《春晓》的 / 小朋友也读了 / 《静夜思》 rather than
    读了《春晓》的小朋 / 友也读了《静夜思》: EXTRA_LINE a line); one character alone on a line only when nothing
    else fits; a piece wider than a line alone on its own."""
    fits = _measured(fits)
    count = len(atoms(text))
    for allow_orphans in (False, True):
        for lines in range(max(1, first), count + 1):
            found = _split(text, fits, lines, allow_orphans)
            if found is None:
                continue
            best = (found[0], found[1])
            for more in range(lines + 1, min(most or lines, count) + 1):
                other = _split(text, fits, more, allow_orphans)
                if other is not None and other[0] + EXTRA_LINE * (more - lines) < best[0]:
                    best = (other[0] + EXTRA_LINE * (more - lines), other[1])
            return best[1]
    return [piece for piece in atoms(text) if piece != " "]


SPINE_COLUMN = 7  # characters down one column of a drawn cover's label


def spine_columns(title: str, most: int = 2) -> list[str]:
    """A drawn cover's label, like a title slip on a Chinese book: the title's Han characters top to bottom, in
    columns read right to left (the first column is the rightmost), at most SPINE_COLUMN to a column and `most`
    columns, the columns as even as they can be (七言 titles in one). The whole title whenever it fits — a slip
    reading 唐诗三百 for 唐诗三百首 says the wrong book; a title too long for every column ends in …"""
    chars = [c for c in title if is_han(c) or c.isalnum()]
    if not chars:
        return []
    room = SPINE_COLUMN * most
    if len(chars) > room:
        chars = chars[:room - 1] + ["…"]
    columns = -(-len(chars) // SPINE_COLUMN)
    per = -(-len(chars) // columns)
    return ["".join(chars[i:i + per]) for i in range(0, len(chars), per)]
