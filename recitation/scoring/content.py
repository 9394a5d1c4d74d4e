"""What was read: per-character judgements, the 准确 (accuracy) sub-score and "is this the text at all".

Pure logic on the recogniser's numbers (`recitation.listen.checker` gives, for each character of the text, its
probability given the audio and the text before it, and the log-ratios below). Nothing here loads a model.

- Each character gets a mark: "good" (said well), "unclear" (said, not clearly) or "missed" (not heard).
- accuracy = 100 × (good + ½ unclear) / characters.
- The take as a whole: "read" (this text), "other" (another text, humming, noise) or "unsure" between the two.
  "other" caps the overall score (≤ 50) and the booth says 这好像不是这首诗哦; "unsure" is scored gently and
  never told so.
- Strictness by age band: young readers (3–5, 6–8) get lower thresholds for each mark, the way
  reading-assessment services offer a softer coefficient for young children.

How a character is judged ("heard" score, `heard_scores`). The recogniser forces five spellings of the text onto
the take: the text itself and four sound-alike spellings, where every character is replaced by a character of the
same syllable that the model writes as one token (`sound_alike_spellings`: 瑶 → 遥, 要, …; 疑 → 一, …). For each
spelling and character, r = ln P(character | audio, the spelling before it) − ln P(character | silence, the same):
how much the audio, rather than the model's knowledge of the language (or of famous poems), makes that character
likely. The sound-alike spellings measure the sound without the model's preference between homophones,
traditional forms and rare characters (a rare character split over byte tokens is unlikely even when said well);
their mean is steadier than any one of them, and a replaced character also lowers its neighbours' evidence. Then

    heard = 0.3 r_text + 1.0 mean(r_alike) + 0.4 (mean(r_alike) of the character before + of the one after)

and heard ≥ GOOD_H → good, ≥ UNCLEAR_H → unclear, else missed. A recogniser that gives only probabilities
(no log-ratios) is judged on the probability alone (GOOD_P, UNCLEAR_P).

The weights (logistic regression, rounded) and thresholds were fitted on espeak-ng readings by the fitting voices
(`recitation.fixtures.FIT_VOICES` and `EXTRA_FIT_VOICES`: five variants, speeds and pitches) of
bench/scoring_accuracy.py --content --voices fit --poems 16 (the list's first 16 poems) and checked on voices kept
out of the fitting (f3, klatt-high) reading poems never fitted on (--poem-offset 16 and 24); they are not fitted
on children. Four sound-alike spellings rather than two: the fitting voices' ranking of replaced against correct
characters (AUC) 0.9888 → 0.9897 (docs/recitation.md has what else was measured). Evidence tried beside it and
not kept (the decoder's whole distribution with a competitor of another syllable, the text forced line by line,
the line's audio cropped): bench/content_alternatives.py.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from recitation.scoring.text import SPOKEN

GOOD, UNCLEAR, MISSED = "good", "unclear", "missed"
READ, UNSURE, OTHER = "read", "unsure", "other"

# The "heard" score of a character (see the module's docstring): weights of the log-ratio of the text's own
# spelling, of the mean log-ratio of the sound-alike spellings and of the same mean of each neighbour.
ALIKE_SPELLINGS = 4  # sound-alike spellings the recogniser forces onto the take
TEXT_WEIGHT, ALIKE_WEIGHT, NEIGHBOUR_WEIGHT = 0.3, 1.0, 0.4
# Thresholds for readers 9+ and adults, fitted on the fitting voices: 1% of correctly read characters below
# GOOD_H (the rule before, at 3–4% there, marked 5–8% on the held-out voices), none below UNCLEAR_H (a quarter
# of the replaced ones: bench/scoring_accuracy.py --content --voices fit --poems 16).
GOOD_H = 2.2
UNCLEAR_H = -1.0
# Probabilities are floored here before their logarithm (a token the model rules out gives 0).
P_FLOOR = 1e-12
# Without log-ratios (a recogniser that gives probabilities only): per-character probability thresholds.
GOOD_P = 0.001
UNCLEAR_P = 0.0003
# The whole take: the upper quartile of its characters' probabilities (a continuous measure: a share of
# characters moves in steps of 1/20 on a quatrain and flipped verdicts between runs). On the bench's corpus
# (bench/scoring_accuracy.py --content, 8 poems × 4 voices) right readings measured 0.025–0.49, other texts and
# humming 0.0005–0.0027 (0.0039 in the tests' 春晓-for-静夜思); below OTHER_Q → "other", from READ_Q → "read",
# between → "unsure" (slips in many characters, a skipped line, extra speech can land there).
FOUND_P = 0.005  # a character "clearly found": reported as found_share, and the marks of an "other" take
OTHER_Q = 0.005
READ_Q = 0.012
# With heard scores the take is judged on their upper quartile instead: a famous poem's text stays likely to the
# model whatever is heard (別董大 read as another poem or hummed measured a probability quartile up to 0.0078,
# "unsure" with overall 80), its heard scores do not. On the five fitting voices (poems 0–15 of the bench's list)
# other texts and humming measured −0.2–1.1, right readings 6.6–11.1, a skipped line 5.5–10.2, extra speech
# 6.3–10.6, two replaced characters a line 3.2–8.6: below OTHER_HQ → "other", from READ_HQ → "read".
OTHER_HQ = 2.0
READ_HQ = 4.0
OTHER_CAP = 50  # the overall score of a take judged "another text" is at most this
# A take whose speech has fewer syllables than this share of the text's characters is no reading of it, whatever
# the recogniser says: under noise it can give a few characters of the expected text a middling probability (a
# breath of speech in 8 s of pink noise: upper quartile 0.0031–0.0042 in six runs, once above OTHER_Q in a full
# test run). A child who reads one line of a quatrain (5 of 20) is above it.
MIN_SPEECH_SHARE = 0.2
LINE_FOUND_MIN = 0.34  # in a take of this text, a line with fewer of its characters heard counts as skipped
# Age bands: multipliers on the per-character probability thresholds (lower = gentler marks) and on the take's
# thresholds (lower = fewer takes judged "another text"); the heard thresholds move down by the logarithm of the
# same multiplier (ln 0.3 = −1.2 for 3–5, ln 0.5 = −0.7 for 6–8).
STRICTNESS = {"3-5": 0.3, "6-8": 0.5, "9-12": 1.0, "13+": 1.0}
TAKE_STRICTNESS = {"3-5": 0.8, "6-8": 0.9, "9-12": 1.0, "13+": 1.0}


@dataclass
class CharMark:
    char: str
    index: int  # in the text's spoken characters
    line: int
    mark: str  # GOOD | UNCLEAR | MISSED
    probability: float
    start: float | None = None
    end: float | None = None
    heard: float | None = None  # the heard score (None: judged on the probability alone)
    skipped: bool = False  # not said at all (see judge(): the line's characters without a syllable)


@dataclass
class ContentJudgement:
    accuracy: float  # 0–100
    verdict: str  # READ | UNSURE | OTHER
    marks: list[CharMark] = field(default_factory=list)
    found_share: float = 0.0  # share of characters found clearly (p ≥ FOUND_P)
    upper_quartile: float = 0.0  # 75th percentile of the characters' probabilities (the verdict without heard)
    heard_quartile: float | None = None  # 75th percentile of the heard scores: the take's verdict
    mean_probability: float = 0.0
    age_band: str | None = None

    def line_marks(self, line: int) -> str:
        """One letter a character for one line: g(ood), u(nclear), m(issed)."""
        return "".join(m.mark[0] for m in self.marks if m.line == line)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["marks"] = [{"char": m.char, "mark": m.mark, "p": round(m.probability, 4),
                         "heard": None if m.heard is None else round(m.heard, 2),
                         "start": None if m.start is None else round(m.start, 2),
                         "end": None if m.end is None else round(m.end, 2)} for m in self.marks]
        out["accuracy"] = round(self.accuracy)
        out["found_share"] = round(self.found_share, 3)
        out["upper_quartile"] = round(self.upper_quartile, 4)
        out["heard_quartile"] = None if self.heard_quartile is None else round(self.heard_quartile, 2)
        out["mean_probability"] = round(self.mean_probability, 4)
        return out


def thresholds(age_band: str | None) -> tuple[float, float]:
    factor = STRICTNESS.get(age_band or "", 1.0)
    return GOOD_P * factor, UNCLEAR_P * factor


def heard_thresholds(age_band: str | None) -> tuple[float, float]:
    ease = float(np.log(STRICTNESS.get(age_band or "", 1.0)))
    return GOOD_H + ease, UNCLEAR_H + ease


def mark_of(probability: float, age_band: str | None = None) -> str:
    good, unclear = thresholds(age_band)
    if probability >= good:
        return GOOD
    return UNCLEAR if probability >= unclear else MISSED


def mark_of_heard(heard: float, age_band: str | None = None) -> str:
    good, unclear = heard_thresholds(age_band)
    if heard >= good:
        return GOOD
    return UNCLEAR if heard >= unclear else MISSED


def log_ratio(p_audio: float, p_silence: float) -> float:
    """ln P(given the audio) − ln P(given silence), both floored at P_FLOOR."""
    return float(np.log(max(p_audio, P_FLOOR)) - np.log(max(p_silence, P_FLOOR)))


def heard_scores(ratios: list[tuple[float, ...]]) -> list[float]:
    """The heard score of each character from its (r_text, r_alike1, r_alike2, …) log-ratios, in reading order
    (the whole take: neighbours across lines and windows count; a text's first and last characters have one)."""
    alike = [float(np.mean(r[1:])) if len(r) > 1 else float(r[0]) for r in ratios]
    out = []
    for k, own in enumerate(ratios):
        neighbours = sum(alike[j] for j in (k - 1, k + 1) if 0 <= j < len(ratios))
        out.append(TEXT_WEIGHT * own[0] + ALIKE_WEIGHT * alike[k] + NEIGHBOUR_WEIGHT * neighbours)
    return out


def sound_alike_spellings(chars: str, syllables: list[str], table: dict[str, list[str]],
                          count: int = 2) -> tuple[str, ...]:
    """`count` spellings of `chars` with every spoken character replaced by one of the same syllable.

    syllables: tone-numbered pinyin of each spoken character of `chars`, in order (other characters, such as the
    spaces between lines, are kept). table: a syllable, tone-numbered ("yao2") and toneless ("yao"), → the
    characters the model writes as one token with that reading, most frequent (lowest token id) first
    (`recitation.listen.checker` builds it from the vocabulary).
    The first spelling keeps a character that is one token itself, else takes the first of its tone-numbered
    syllable (else of the toneless one); each further one takes the first of the toneless syllable that is
    neither the character nor an earlier spelling's. A syllable with no such character keeps the previous one.
    """
    single = {c for syllable, found in table.items() if not syllable[-1:].isdigit() for c in found}
    out: list[list[str]] = [[] for _ in range(count)]
    spoken = iter(syllables)
    for char in chars:
        if not SPOKEN.match(char):
            for spelling in out:
                spelling.append(char)
            continue
        syllable = next(spoken, "") or ""
        toned, toneless = table.get(syllable, []), table.get(syllable.rstrip("12345"), [])
        taken = [char if char in single else next(iter(toned or toneless), char)]
        for _ in range(1, count):
            taken.append(next((c for c in toneless if c != char and c not in taken), taken[-1]))
        for spelling, c in zip(out, taken):
            spelling.append(c)
    return tuple("".join(spelling) for spelling in out)


def verdict_of_heard(heard_quartile: float, age_band: str | None = None) -> str:
    factor = TAKE_STRICTNESS.get(age_band or "", 1.0)
    if heard_quartile >= READ_HQ * factor:
        return READ
    if heard_quartile < OTHER_HQ * factor:
        return OTHER
    return UNSURE


def verdict_of(upper_quartile: float, age_band: str | None = None) -> str:
    factor = TAKE_STRICTNESS.get(age_band or "", 1.0)
    if upper_quartile >= READ_Q * factor:
        return READ
    if upper_quartile < OTHER_Q * factor:
        return OTHER
    return UNSURE


def judge(chars: str, line_of: list[int], probabilities: list[float],
          times: list[tuple[float, float]] | None = None, age_band: str | None = None,
          syllables_heard: int | None = None,
          ratios: list[tuple[float, ...]] | None = None,
          sounded: list[bool] | None = None) -> ContentJudgement:
    """Judge every character of `chars` (the text's spoken characters, `line_of` their line indices);
    `syllables_heard`: how many syllables the acoustic segmenter found in the take (None: not known);
    `ratios`: each character's (r_text, r_alike1, r_alike2) log-ratios (None: judged on the probability);
    `sounded`: whether the acoustic alignment put a syllable on each character (None: not known). A line with n
    characters without a syllable of their own had n characters skipped: its n characters the recogniser heard
    worst, among those it did not hear well, are the skipped ones — not heard (✕), whatever their heard scores
    (a skipped line's characters have little evidence either way: heard scores near 0, "unclear"). The
    syllable counts say how many, the recogniser which (the acoustic alignment puts its gaps by tones and
    pauses, often beside the character actually left out); one the segmenter missed but the recogniser heard
    well counts as read."""
    if not chars:
        return ContentJudgement(accuracy=0.0, verdict=OTHER, age_band=age_band)
    heard = heard_scores(ratios) if ratios is not None else [None] * len(chars)
    marks = []
    for k, (char, line, p, h) in enumerate(zip(chars, line_of, probabilities, heard)):
        start, end = times[k] if times else (None, None)
        mark = mark_of(p, age_band) if h is None else mark_of_heard(h, age_band)
        marks.append(CharMark(char, k, line, mark, float(p), start, end, h))
    if sounded is not None:
        _mark_skipped(marks, sounded)
    found = sum(p >= FOUND_P for p in probabilities) / len(marks)
    upper_quartile = float(np.quantile(probabilities, 0.75))
    heard_quartile = None if ratios is None else float(np.quantile(heard, 0.75))
    verdict = verdict_of(upper_quartile, age_band) if heard_quartile is None else \
        verdict_of_heard(heard_quartile, age_band)
    if syllables_heard is not None and syllables_heard < MIN_SPEECH_SHARE * len(chars):
        verdict = OTHER  # too little speech to be a reading of this text (noise, silence, a cough)
    if verdict == OTHER:  # another text: only what is clearly there counts as said, nothing as "unclear"
        for m in marks:
            clear = m.probability >= FOUND_P if m.heard is None else m.heard >= GOOD_H
            m.mark = GOOD if clear else MISSED
    good = sum(m.mark == GOOD for m in marks)
    unclear = sum(m.mark == UNCLEAR for m in marks)
    return ContentJudgement(accuracy=100.0 * (good + 0.5 * unclear) / len(marks), verdict=verdict, marks=marks,
                            found_share=found, upper_quartile=upper_quartile, heard_quartile=heard_quartile,
                            mean_probability=float(np.mean(probabilities)), age_band=age_band)


def _weakness(mark: CharMark) -> float:
    return mark.heard if mark.heard is not None else float(np.log(max(mark.probability, P_FLOOR)))


def _mark_skipped(marks: list[CharMark], sounded: list[bool]) -> None:
    for line in sorted({m.line for m in marks}):
        mine = [m for m in marks if m.line == line]
        count = sum(not sounded[m.index] for m in mine)
        for m in sorted((m for m in mine if m.mark != GOOD), key=_weakness)[:count]:
            m.mark, m.skipped = MISSED, True


def line_found(judgement: ContentJudgement, line: int) -> float:
    """Share of a line's characters heard at all (good or unclear)."""
    mine = [m for m in judgement.marks if m.line == line]
    return sum(m.mark != MISSED for m in mine) / len(mine) if mine else 0.0


def cap_overall(overall: float, judgement: ContentJudgement | None) -> float:
    """Another text or humming never scores above OTHER_CAP; an unsure take keeps its score."""
    if judgement is not None and judgement.verdict == OTHER:
        return min(overall, OTHER_CAP)
    return overall


MAX_WINDOW_S = 28.0  # the model hears 30 s at most; keep a margin for the edges
# The windows a take is cut into: the encoder's time grows much faster than the audio (its self-attention is
# quadratic in the frames; measured warm on the 2 cores under load ~8: 15 ms per second of audio at 10 s, 27 ms/s
# at 15 s, 62 ms/s at 30 s), so a take longer than this is cut at line breaks into windows of at most this length
# (bench/score.py). 10 s measured as fast on a 37 s reading but cut quatrains in two (less of the text before a
# character: more correct characters marked in takes with replaced ones).
WINDOW_S = 15.0
EDGE_S = 0.4


SPEECH_EDGE_S = 0.6  # kept around the speech heard when the silence before and after it is trimmed


def plan_windows(line_times: list[tuple[float | None, float | None]], duration: float,
                 max_window: float | None = None,
                 speech: tuple[float, float] | None = None) -> list[tuple[float, float, int, int]]:
    """The pieces of the take the model hears: silence before and after the speech trimmed (a booth take has
    the countdown's tail before it and the walk to 「停止」 after it: the encoder's time grows with the audio), and
    a long take cut at line breaks into windows the model accepts.

    line_times: (start s, end s) per line from the acoustic alignment (None when a line was not heard: it joins
    the piece it falls in). speech: (start s, end s) of everything heard. Returns (start s, end s, first line,
    end line) windows. max_window: WINDOW_S when omitted (at most MAX_WINDOW_S).
    """
    max_window = min(MAX_WINDOW_S, WINDOW_S if max_window is None else max_window)
    line_spans = [(k, k + 1, s, e) for k, (s, e) in enumerate(line_times)]
    start, end = 0.0, duration
    if speech is not None:
        start, end = max(0.0, speech[0] - SPEECH_EDGE_S), min(duration, speech[1] + SPEECH_EDGE_S)
    if end - start <= max_window or not line_spans:
        return [(start, end, 0, len(line_spans))]
    # Fill in lines without times from their neighbours, proportionally to characters.
    total_chars = line_spans[-1][1]
    known = [(a, b, s, e) for a, b, s, e in line_spans if s is not None and e is not None]
    spans = []
    for a, b, s, e in line_spans:
        if s is None or e is None:
            before = [k for k in known if k[1] <= a]
            after = [k for k in known if k[0] >= b]
            s = before[-1][3] if before else 0.0
            e = after[0][2] if after else duration
            if e < s:
                e = s
        spans.append((a, b, s, e))
    windows: list[tuple[float, float, int, int]] = []
    first, w_start = 0, max(0.0, spans[0][2] - EDGE_S)
    for k, (a, b, s, e) in enumerate(spans):
        w_end = min(duration, e + EDGE_S)
        last_line = k == len(spans) - 1
        next_end = None if last_line else min(duration, spans[k + 1][3] + EDGE_S)
        if last_line or next_end - w_start > max_window:
            if w_end - w_start > max_window:  # one line longer than a window: hard cut (rare: 词 lines are short)
                w_end = w_start + max_window
            windows.append((w_start, w_end, first, b))
            if not last_line:
                first, w_start = b, max(0.0, spans[k + 1][2] - EDGE_S)
    assert windows[-1][3] == total_chars
    return windows
