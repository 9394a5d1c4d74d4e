"""Score one reading of a poem: features → syllables → alignment to the text → sub-scores and feedback.

Pure numpy/scipy; `score_take(samples, sr, expected)` is the whole offline scorer.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from typing import Protocol

import numpy as np

from recitation.scoring import content, pauses, subscores
from recitation.scoring.align import align, timing_cost
from recitation.scoring.features import extract
from recitation.scoring.feedback import feedback_sentences
from recitation.scoring.skipline import reconsider_skipped_line
from recitation.scoring.subscores import LineFacts
from recitation.scoring.syllables import Segmentation, segment
from recitation.scoring.text import ExpectedText, expected_from_text
from recitation.scoring.tones import VoiceProfile, contour, tone_match

SCORE_NAMES = ("completeness", "fluency", "rhythm", "expressiveness", "tones")
ACCURACY = "accuracy"  # 准确: shown first when the content check ran (None without it)
UNKNOWN_TONE_FIT = 0.5


class Evidence(Protocol):
    probability: float
    start: float
    end: float

    def ratios(self) -> tuple[float, ...] | None: ...


class Checker(Protocol):
    """What the scorer needs from a recogniser (recitation.listen.checker.ContentChecker is one)."""

    def check(self, samples: np.ndarray, sr: int, lines: list[str],
              windows: list[tuple[float, float, int, int]] | None = None,
              syllables: list[list[str]] | None = None) -> list[Evidence]: ...


@dataclass
class ScoreReport:
    overall: int
    completeness: int
    fluency: int
    rhythm: int
    expressiveness: int
    tones: int
    flags: list[str]
    lines: list[dict]
    feedback: list[str]
    unscored: list[str] = field(default_factory=list)  # sub-scores left out of `overall` (noise, no pitch)
    measures: dict = field(default_factory=dict)  # pace, pitch spread, durations: the facts behind the scores
    accuracy: int | None = None  # 准确: share of the text's characters said, each judged (None: not checked)
    verdict: str | None = None  # content.READ | UNSURE | OTHER (None: not checked)
    marks: list[str] = field(default_factory=list)  # per line, one letter a character: g(ood) u(nclear) m(issed)

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def scores(self) -> dict[str, int]:
        """The sub-scores, 准确 first when the content check ran."""
        first = {ACCURACY: self.accuracy} if self.accuracy is not None else {}
        return first | {name: getattr(self, name) for name in SCORE_NAMES}

    @property
    def not_this_text(self) -> bool:
        return self.verdict == content.OTHER


def _gap_between(seg: Segmentation, left: int, right: int) -> float:
    """Silence between syllable `left` and a later syllable `right` (their regions' gap, 0 in one region)."""
    a, b = seg.syllables[left], seg.syllables[right]
    if a.region == b.region:
        return 0.0
    return max(0.0, sum(seg.regions[r + 1][0] - seg.regions[r][1] for r in range(a.region, b.region)))


def _line_facts(expected: ExpectedText, seg: Segmentation, char_to_syllable: list[int | None],
                fits: list[float | None]) -> list[LineFacts]:
    facts: list[LineFacts] = []
    for line in expected.lines:
        slots = char_to_syllable[line.start: line.start + line.size]
        heard = [(k, j) for k, j in enumerate(slots) if j is not None]
        missing = [line.text[k] for k, j in enumerate(slots) if j is None]
        inner = []
        for (k1, j1), (k2, j2) in zip(heard, heard[1:]):
            gap = _gap_between(seg, j1, j2)
            if gap > 0:
                inner.append((k2, round(gap, 2)))
        start = seg.syllables[heard[0][1]].start if heard else None
        end = seg.syllables[heard[-1][1]].end if heard else None
        pace = len(heard) / (end - start) if heard and end > start else None
        line_fits = [f for f in fits[line.start: line.start + line.size] if f is not None]
        facts.append(LineFacts(index=line.index, text=line.text, expected=line.size, heard=len(heard),
                               missing=missing, start=start, end=end, inner_pauses=inner, pause_after=None,
                               end_break=line.end_break, pace=pace, tone_fits=line_fits))
    read = [(fact, [j for j in char_to_syllable[line.start: line.start + line.size] if j is not None])
            for fact, line in zip(facts, expected.lines)]
    read = [(fact, js) for fact, js in read if js]
    for (fact, js), (_, next_js) in zip(read, read[1:]):
        fact.pause_after = round(_gap_between(seg, js[-1], next_js[0]), 2)
    return facts


def _num(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


def _line_detail(fact: LineFacts) -> dict:
    return {
        "index": fact.index, "text": fact.text, "expected": fact.expected, "heard": fact.heard,
        "missing": "".join(fact.missing),
        "start": _num(fact.start), "end": _num(fact.end),
        "pauses": [{"after": int(where), "seconds": _num(seconds)} for where, seconds in fact.inner_pauses],
        "pause_after": _num(fact.pause_after),
        "pace": _num(fact.pace),
        "tones": None if not fact.tone_fits else round(100 * float(np.mean(fact.tone_fits))),
    }


def _check_content(checker: Checker, samples: np.ndarray, sr: int, expected: ExpectedText,
                   lines: list[LineFacts], seg: Segmentation, duration: float,
                   age_band: str | None, char_to_syllable: list[int | None]) -> content.ContentJudgement:
    speech = (seg.regions[0][0], seg.regions[-1][1]) if seg.regions else None
    windows = content.plan_windows([(fact.start, fact.end) for fact in lines], duration, speech=speech)
    evidence = checker.check(samples, sr, expected.spaced_lines(), windows, [line.pinyin for line in expected.lines])
    ratios = [e.ratios() for e in evidence]
    return content.judge(expected.chars, expected.line_of(), [e.probability for e in evidence],
                         [(e.start, e.end) for e in evidence], age_band, syllables_heard=len(seg.syllables),
                         ratios=None if any(r is None for r in ratios) else ratios,
                         sounded=[j is not None for j in char_to_syllable])


def _use_judgement(lines: list[LineFacts], judgement: content.ContentJudgement,
                   char_to_syllable: list[int | None]) -> None:
    """Completeness, fluency and rhythm follow what was recognised: a line the recogniser did not find in a take
    of this text counts as skipped (its syllables were something else); in another text nothing counts as read.
    Otherwise the characters judge() found skipped are missing: as many as the line has characters without a
    syllable of their own, those the recogniser heard worst among the ones it did not hear well (✕); one the
    syllable segmenter missed (run together with its neighbour, too quiet) but the recogniser heard well (●)
    counts as read, in a line with syllables of its own."""
    for fact in lines:
        found = content.line_found(judgement, fact.index)
        if judgement.verdict == content.OTHER or (judgement.verdict == content.READ
                                                  and found < content.LINE_FOUND_MIN):
            fact.heard = min(fact.heard, round(found * fact.expected))
            if fact.heard == 0:  # not read: its characters missing, and no hesitation is told of it
                fact.missing = list(fact.text)
                fact.inner_pauses = []
            continue
        if fact.start is None:  # no syllable at all in this line: nothing to time it by, left as not read
            continue
        fact.missing = [m.char for m in judgement.marks if m.line == fact.index and m.skipped]
        fact.heard = fact.expected - len(fact.missing)


def _recognised_pauses(expected: ExpectedText, lines: list[LineFacts], judgement: content.ContentJudgement,
                       seg: Segmentation) -> bool:
    """In a take of this text, the pauses inside and between lines by the recogniser's character times
    (recitation.scoring.pauses) instead of the syllable alignment's; a skipped character is passed over. Returns
    whether they were used."""
    if judgement.verdict != content.READ or any(m.start is None for m in judgement.marks):
        return False
    skipped = []
    for fact, line in zip(lines, expected.lines):
        marks = judgement.marks[line.start: line.start + line.size]
        skipped += [fact.heard == 0 or m.skipped for m in marks]
    gaps = [(a[1], b[0]) for a, b in zip(seg.regions, seg.regions[1:])]
    times = pauses.anchors([(m.start, m.end) for m in judgement.marks], seg.regions)
    found = pauses.attribute(gaps, times, expected.line_of(),
                             [line.start for line in expected.lines], [not s for s in skipped])
    read = [fact for fact in lines if fact.heard]
    for fact in lines:
        fact.inner_pauses = [(where, round(seconds, 2)) for where, seconds in found.inner.get(fact.index, [])] \
            if fact.heard else []
        fact.pause_after = None if not fact.heard or fact is read[-1] else round(found.after.get(fact.index, 0.0), 2)
    return True


def score_take(samples: np.ndarray, sr: int, expected: ExpectedText | str, lang: str = "zh-CN",
               char_times: list[float] | None = None, checker: Checker | None = None,
               age_band: str | None = None) -> ScoreReport:
    """Score a mono take of `expected` (an ExpectedText or the poem's text).

    char_times: optional seconds (from the take's start) at which the booth highlighted each character; used as
    a gentle prior by the aligner.
    checker: a recogniser (recitation.listen.checker.ContentChecker); with it the take gets 准确 (accuracy),
    per-character marks and a verdict (this text / unsure / another text), judged for `age_band`.
    """
    began = time.perf_counter()
    if isinstance(expected, str):
        expected = expected_from_text(expected)
    features = extract(samples, sr)
    seg = segment(features)
    syllables = seg.syllables
    voice = VoiceProfile.from_track(features.pitch, [(s.start, s.end) for s in syllables])
    contours = [contour(features.pitch, s.start, s.end, voice) for s in syllables]
    probabilities = [c.tone_probabilities() for c in contours]
    accepted = expected.tones()
    tone_fit = np.full((len(accepted), len(syllables)), UNKNOWN_TONE_FIT)
    for j, probs in enumerate(probabilities):
        for i, tones in enumerate(accepted):
            fit = tone_match(probs, tones)
            if fit is not None:
                tone_fit[i, j] = fit
    gaps = [seg.gap_before(j) for j in range(len(syllables))]
    prior = None
    if char_times is not None and len(char_times) == expected.size and syllables:
        prior = timing_cost(char_times, [s.nucleus for s in syllables])
    alignment = align(expected.boundaries(), gaps, tone_fit, prior)
    # With equally long lines the aligner may put a skip on the wrong one: compare those hypotheses by tone shape.
    alignment.char_to_syllable = reconsider_skipped_line(expected, alignment.char_to_syllable, tone_fit,
                                                         [c.points for c in contours], gaps)
    heard = {j for j in alignment.char_to_syllable if j is not None}
    alignment.extras = [j for j in range(len(syllables)) if j not in heard]
    fits = [None if j is None else tone_match(probabilities[j], accepted[i])
            for i, j in enumerate(alignment.char_to_syllable)]
    lines = _line_facts(expected, seg, alignment.char_to_syllable, fits)
    judgement = None
    if checker is not None:
        check_began = time.perf_counter()
        judgement = _check_content(checker, samples, sr, expected, lines, seg, features.duration, age_band,
                                   alignment.char_to_syllable)
        check_seconds = time.perf_counter() - check_began
        _use_judgement(lines, judgement, alignment.char_to_syllable)
        recognised_pauses = _recognised_pauses(expected, lines, judgement, seg)

    matched = [syllables[j] for j in alignment.char_to_syllable if j is not None]
    read_lines = [line for line in lines if line.heard]
    pace = None
    if read_lines and read_lines[-1].end > read_lines[0].start:
        pace = sum(line.heard for line in read_lines) / (read_lines[-1].end - read_lines[0].start)
    levels = [s.level_db for s in matched]
    noisy = "noisy" in features.flags
    all_fits = [f for f in fits if f is not None]
    tone_score = subscores.tones(all_fits)
    scores = {
        "completeness": subscores.completeness(lines, per_character=judgement is not None
                                               and judgement.verdict == content.READ),
        "fluency": subscores.fluency(lines, pace, len(alignment.extras)) if matched else 0.0,
        "rhythm": subscores.rhythm(lines, pace, [s.duration for s in matched]) if matched else 0.0,
        "expressiveness": subscores.expressiveness(voice.spread_st, float(np.std(levels)) if levels else 0.0)
        if matched else 0.0,
        "tones": tone_score,
        ACCURACY: judgement.accuracy if judgement is not None else None,
    }
    unscored = [name for name in subscores.PITCH_BASED if noisy] + (["tones"] if tone_score is None else [])
    overall = subscores.overall(scores, noisy) if matched else 0.0
    overall = content.cap_overall(overall, judgement)
    scores["tones"] = tone_score if tone_score is not None else subscores.TONE_FLOOR
    report = ScoreReport(
        overall=round(overall), **{name: None if value is None else round(value) for name, value in scores.items()},
        flags=list(features.flags), lines=[_line_detail(line) for line in lines], feedback=[],
        unscored=sorted(set(unscored)),
        measures={"duration": round(features.duration, 2), "syllables_heard": len(syllables),
                  "characters": expected.size, "pace": _num(pace),
                  "pitch_spread_st": _num(voice.spread_st), "snr_db": _num(features.snr_db, 1),
                  "extra_syllables": len(alignment.extras),
                  "seconds_to_score": round(time.perf_counter() - began, 3)},
    )
    if judgement is not None:
        report.verdict = judgement.verdict
        report.marks = [judgement.line_marks(line.index) for line in expected.lines]
        report.measures |= {"found_share": round(judgement.found_share, 3),
                            "upper_quartile": round(judgement.upper_quartile, 4),
                            "heard_quartile": None if judgement.heard_quartile is None
                            else round(judgement.heard_quartile, 2),
                            "mean_probability": round(judgement.mean_probability, 4),
                            "char_probabilities": [round(m.probability, 4) for m in judgement.marks],
                            "char_heard": [None if m.heard is None else round(m.heard, 2) for m in judgement.marks],
                            "char_sounded": [j is not None for j in alignment.char_to_syllable],
                            "pauses_from": "recognised" if recognised_pauses else "syllables",
                            "age_band": age_band, "seconds_to_check": round(check_seconds, 3)}
    report.feedback = feedback_sentences(report, lines, lang=lang)
    return report
