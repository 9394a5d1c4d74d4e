"""Forced scoring of a reading against its text with Whisper base (CTranslate2, int8 on the CPU).

The audio is encoded once per 30 s window; `Whisper.align` then gives, for each token of the expected text,
its probability given the audio and the frame it is heard at. Tokens are byte-level BPE pieces: one character
may take two or three tokens (its probability is their product) and a token may cover two characters (both
share it). `ContentChecker.check` returns one `CharEvidence` per character of the text (punctuation dropped).

Given the text's pinyin, `content.ALIKE_SPELLINGS` sound-alike spellings of the text
(`content.sound_alike_spellings`, from the characters the vocabulary holds as one token) are forced onto the same
encoded audio too, and every spelling onto encoded silence (cached per spelling: it does not depend on the take); the evidence then carries
each character's probabilities for the judgement in `recitation.scoring.content` (heard scores).

Loaded from a local folder only (`model_files.model_dir()`), with HF_HUB_OFFLINE=1: nothing is downloaded.
"""
from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from recitation.listen import model_files
from recitation.scoring import content
from recitation.scoring.text import SPOKEN

SAMPLE_RATE = 16000
WINDOW_S = 30.0  # the model's input: 30 s of audio (3000 mel frames)
FRAMES_PER_S = 100  # mel frames per second
TOKENS_PER_S = 50  # encoder frames (alignment time steps) per second
THREADS = 2
PAD_STEP_S = 1.0  # the encoder's input is padded to the next step (1 s of margin first)
SILENCE_S = 5.0  # the silence the spellings' "no audio" probabilities are measured on
PRIOR_CACHE = 512  # spellings whose probabilities on silence are kept
ALIKE_SPELLINGS = content.ALIKE_SPELLINGS  # sound-alike spellings forced onto each window


@dataclass
class CharEvidence:
    """What the model says about one character of the text: its probability and when it is heard."""

    char: str
    probability: float  # P(character | audio, the text before it), 0..1
    start: float  # seconds from the take's start
    end: float
    # Given the text's pinyin: P of the character given silence, and of its sound-alike spellings given the
    # audio and given silence (see recitation.scoring.content: heard scores). None without pinyin.
    silence: float | None = None
    alike: tuple[float, ...] | None = None
    alike_silence: tuple[float, ...] | None = None

    def ratios(self) -> tuple[float, ...] | None:
        """(r_text, r_alike1, r_alike2, …): ln P(given the audio) − ln P(given silence) of each spelling."""
        if self.silence is None or self.alike is None or self.alike_silence is None:
            return None
        return (content.log_ratio(self.probability, self.silence),
                *(content.log_ratio(a, s) for a, s in zip(self.alike, self.alike_silence)))


class ContentChecker:
    """Whisper base loaded once; `check(samples16k, chars)` is thread-safe (one call at a time)."""

    def __init__(self, folder: Path | None = None, threads: int = THREADS) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"  # belt and braces: the model is a local folder, never a hub id
        import ctranslate2
        import tokenizers
        from faster_whisper.feature_extractor import FeatureExtractor

        folder = model_files.require(folder)
        began = time.perf_counter()
        self._ct2 = ctranslate2
        self.model = ctranslate2.models.Whisper(str(folder), device="cpu", compute_type="int8",
                                                intra_threads=threads, inter_threads=1)
        self.tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.features = FeatureExtractor(feature_size=80)
        ids = [self.tokenizer.token_to_id(t) for t in ("<|startoftranscript|>", "<|zh|>", "<|transcribe|>",
                                                       "<|notimestamps|>")]
        self.start_sequence = ids
        self.alike_table = _alike_table(self.tokenizer)
        self.pad_step_s = PAD_STEP_S
        self._lock = threading.Lock()
        self._silence = self._encode(np.zeros(int(SILENCE_S * SAMPLE_RATE), dtype=np.float32))
        self._on_silence: dict[str, list[list[float]]] = {}
        self.load_seconds = time.perf_counter() - began

    def _encode(self, window: np.ndarray):
        """Encode ≤ 30 s; the input is padded only to the next PAD_STEP_S, not to 30 s (≈ 4× cheaper for a short
        poem, the judgements measured the same on the bench's corpus)."""
        mel = self.features(window.astype(np.float32), chunk_length=int(WINDOW_S))
        full = int(WINDOW_S * FRAMES_PER_S)
        frames = min(mel.shape[-1], full)
        step = int(self.pad_step_s * FRAMES_PER_S)
        size = min(full, int(np.ceil((frames + FRAMES_PER_S) / step)) * step)
        padded = np.zeros((80, size), dtype=np.float32)
        padded[:, :frames] = mel[:, :frames]
        view = self._ct2.StorageView.from_array(np.ascontiguousarray(padded[None]))
        return self.model.encode(view, to_cpu=False), frames

    def tokens_of(self, chars: str) -> tuple[list[int], list[tuple[int, int]]]:
        encoding = self.tokenizer.encode(chars, add_special_tokens=False)
        return list(encoding.ids), [tuple(o) for o in encoding.offsets]

    def _token_probs(self, encoded, frames: int, spelling: str):
        ids, offsets = self.tokens_of(spelling)
        result = self.model.align(encoded, self.start_sequence, [ids], frames)[0]
        return ids, offsets, np.asarray(result.text_token_probs, dtype=np.float64), result.alignments

    def _char_probs(self, encoded, frames: int, spelling: str) -> list[float]:
        """P of each spoken character of `spelling` (the product of its tokens')."""
        _, offsets, probs, _ = self._token_probs(encoded, frames, spelling)
        return [p for _, p, _ in _per_char(spelling, offsets, probs)]

    def _silence_probs(self, spelling: str) -> list[float]:
        if spelling not in self._on_silence:
            if len(self._on_silence) >= PRIOR_CACHE:
                self._on_silence.pop(next(iter(self._on_silence)))
            self._on_silence[spelling] = self._char_probs(*self._silence, spelling)
        return self._on_silence[spelling]

    def align_window(self, window: np.ndarray, chars: str, offset_s: float = 0.0,
                     syllables: list[str] | None = None) -> list[CharEvidence]:
        """Evidence for the spoken characters of `chars` said in `window` (≤ 30 s of 16 kHz mono).

        `chars` keeps the spaces between lines (see ExpectedText.spaced_lines); spaces and punctuation get no
        evidence of their own. syllables: tone-numbered pinyin of each spoken character (then the evidence has
        the sound-alike spellings' and the silence's probabilities too)."""
        if not chars:
            return []
        with self._lock:
            encoded, frames = self._encode(window)
            ids, offsets, probs, alignments = self._token_probs(encoded, frames, chars)
            extra = None
            if syllables is not None:
                spellings = content.sound_alike_spellings(chars, syllables, self.alike_table, ALIKE_SPELLINGS)
                alike = [self._char_probs(encoded, frames, spelling) for spelling in spellings]
                extra = (self._silence_probs(chars), alike, [self._silence_probs(s) for s in spellings])
        token_time = _token_times(alignments, len(ids))
        out = []
        for n, (k, p, mine) in enumerate(_per_char(chars, offsets, probs)):
            if not mine:
                out.append(CharEvidence(chars[k], 0.0, offset_s, offset_s))
            else:
                out.append(CharEvidence(chars[k], p, offset_s + token_time[mine[0]][0],
                                        offset_s + token_time[mine[-1]][1]))
            if extra is not None:
                silence, alike, alike_silence = extra
                out[-1].silence = silence[n]
                out[-1].alike = tuple(a[n] for a in alike)
                out[-1].alike_silence = tuple(a[n] for a in alike_silence)
        return out

    def check(self, samples: np.ndarray, sr: int, lines: list[str] | str,
              windows: list[tuple[float, float, int, int]] | None = None,
              syllables: list[list[str]] | None = None) -> list[CharEvidence]:
        """Evidence for every spoken character of `lines` (each with the space after it) in the take.

        windows: (start_s, end_s, first_line, end_line) pieces for takes over 30 s
        (`recitation.scoring.content.plan_windows`); one window covering everything when omitted.
        syllables: each line's tone-numbered pinyin, one per spoken character (ExpectedLine.pinyin).
        """
        if isinstance(lines, str):
            lines = [lines]
        from recitation.scoring.features import resample

        samples = np.asarray(samples)
        if samples.dtype.kind in "iu":  # PCM integers (the booth records int16): the model's mel needs ±1.0
            samples = samples.astype(np.float32) / float(np.iinfo(samples.dtype).max + 1)
        audio = samples if sr == SAMPLE_RATE else resample(np.asarray(samples, dtype=np.float64), sr, SAMPLE_RATE)
        audio = np.asarray(audio, dtype=np.float32)
        if audio.ndim > 1:
            audio = audio.mean(axis=1)
        if windows is None:
            windows = [(0.0, len(audio) / SAMPLE_RATE, 0, len(lines))]
        out: list[CharEvidence] = []
        for start_s, end_s, first, last in windows:
            piece = audio[int(start_s * SAMPLE_RATE): int(end_s * SAMPLE_RATE)]
            pinyin = None if syllables is None else [s for line in syllables[first:last] for s in line]
            out += self.align_window(piece, "".join(lines[first:last]), start_s, pinyin)
        return out


def _per_char(chars: str, offsets: list[tuple[int, int]], probs: np.ndarray):
    """(index in chars, probability, token indices) of each spoken character: a character split over tokens gets
    their product, a token over several characters is shared by them."""
    for k, char in enumerate(chars):
        if not SPOKEN.match(char):
            continue
        mine = [i for i, (a, b) in enumerate(offsets) if a <= k < b]
        yield k, (float(np.prod(probs[mine])) if mine else 0.0), mine


def _alike_table(tokenizer) -> dict[str, list[str]]:
    """Tone-numbered and toneless syllable → the Han characters the vocabulary holds as one token with that
    (pypinyin's first) reading, in token-id order (byte-level BPE merges the most frequent first)."""
    from pypinyin import Style, pinyin

    size = tokenizer.get_vocab_size()
    texts = tokenizer.decode_batch([[i] for i in range(size)], skip_special_tokens=False)
    table: dict[str, list[str]] = {}
    for text in texts:
        if len(text) == 1 and "\u3400" <= text <= "\u9fff":
            reading = pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)[0][0]
            table.setdefault(reading, []).append(text)
            table.setdefault(reading.rstrip("12345"), []).append(text)
    return table


def _token_times(alignments, count: int) -> list[tuple[float, float]]:
    """(start, end) seconds of each text token from the alignment path (text index, time index) pairs."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for text_index, time_index in alignments:
        if 0 <= text_index < count:
            first.setdefault(text_index, time_index)
            last[text_index] = time_index
    times, previous = [], 0.0
    for i in range(count):
        if i in first:
            start, end = first[i] / TOKENS_PER_S, (last[i] + 1) / TOKENS_PER_S
        else:
            start = end = previous
        times.append((start, end))
        previous = end
    return times
