"""Forced scoring of a reading against its text with Whisper base (CTranslate2, int8 on the CPU).

The audio is encoded once per 30 s window; `Whisper.align` then gives, for each token of the expected text,
its probability given the audio and the frame it is heard at. Tokens are byte-level BPE pieces: one character
may take two or three tokens (its probability is their product) and a token may cover two characters (both
share it). `ContentChecker.check` returns one `CharEvidence` per character of the text (punctuation dropped).

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
from recitation.scoring.text import SPOKEN

SAMPLE_RATE = 16000
WINDOW_S = 30.0  # the model's input: 30 s of audio (3000 mel frames)
FRAMES_PER_S = 100  # mel frames per second
TOKENS_PER_S = 50  # encoder frames (alignment time steps) per second
THREADS = 2
PAD_STEP_S = 5.0


@dataclass
class CharEvidence:
    """What the model says about one character of the text: its probability and when it is heard."""

    char: str
    probability: float  # P(character | audio, the text before it), 0..1
    start: float  # seconds from the take's start
    end: float


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
        self.load_seconds = time.perf_counter() - began
        self._lock = threading.Lock()

    def _encode(self, window: np.ndarray):
        """Encode ≤ 30 s; the input is padded only to the next PAD_STEP_S, not to 30 s (≈ 4× cheaper for a short
        poem, the judgements measured the same on the bench's corpus)."""
        mel = self.features(window.astype(np.float32), chunk_length=int(WINDOW_S))
        full = int(WINDOW_S * FRAMES_PER_S)
        frames = min(mel.shape[-1], full)
        step = int(PAD_STEP_S * FRAMES_PER_S)
        size = min(full, int(np.ceil((frames + FRAMES_PER_S) / step)) * step)
        padded = np.zeros((80, size), dtype=np.float32)
        padded[:, :frames] = mel[:, :frames]
        view = self._ct2.StorageView.from_array(np.ascontiguousarray(padded[None]))
        return self.model.encode(view, to_cpu=False), frames

    def tokens_of(self, chars: str) -> tuple[list[int], list[tuple[int, int]]]:
        encoding = self.tokenizer.encode(chars, add_special_tokens=False)
        return list(encoding.ids), [tuple(o) for o in encoding.offsets]

    def align_window(self, window: np.ndarray, chars: str, offset_s: float = 0.0) -> list[CharEvidence]:
        """Evidence for the spoken characters of `chars` said in `window` (≤ 30 s of 16 kHz mono).

        `chars` keeps the spaces between lines (see ExpectedText.spaced_lines); spaces and punctuation get no
        evidence of their own."""
        if not chars:
            return []
        ids, offsets = self.tokens_of(chars)
        with self._lock:
            encoded, frames = self._encode(window)
            result = self.model.align(encoded, self.start_sequence, [ids], frames)[0]
        probs = np.asarray(result.text_token_probs, dtype=np.float64)
        token_time = _token_times(result.alignments, len(ids))
        out = []
        for k, char in enumerate(chars):
            if not SPOKEN.match(char):
                continue
            mine = [i for i, (a, b) in enumerate(offsets) if a <= k < b]
            if not mine:
                out.append(CharEvidence(char, 0.0, offset_s, offset_s))
                continue
            # a character split over tokens: the product; a token over several characters: shared
            p = float(np.prod(probs[mine]))
            start = offset_s + token_time[mine[0]][0]
            end = offset_s + token_time[mine[-1]][1]
            out.append(CharEvidence(char, p, start, end))
        return out

    def check(self, samples: np.ndarray, sr: int, lines: list[str] | str,
              windows: list[tuple[float, float, int, int]] | None = None) -> list[CharEvidence]:
        """Evidence for every spoken character of `lines` (each with the space after it) in the take.

        windows: (start_s, end_s, first_line, end_line) pieces for takes over 30 s
        (`recitation.scoring.content.plan_windows`); one window covering everything when omitted.
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
            out += self.align_window(piece, "".join(lines[first:last]), start_s)
        return out


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
