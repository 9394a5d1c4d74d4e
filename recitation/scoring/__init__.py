"""Offline scoring of a recitation, pure numpy/scipy: nothing here imports pygame, pyaudio or flask."""
from recitation.scoring.scorer import SCORE_NAMES, ScoreReport, score_take
from recitation.scoring.text import ExpectedText, expected_from_paragraphs, expected_from_text

__all__ = ["SCORE_NAMES", "ScoreReport", "score_take", "ExpectedText", "expected_from_paragraphs",
           "expected_from_text"]
