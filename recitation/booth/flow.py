"""The booth's screens and the moves between them, as plain state (no pygame): what a test can drive.

picker ─select─► reading ─record─► [consent, once] ─► countdown ─► recording ─stop─► scoring ─► score
                                                                          └─(no-score)─► review
review/score ─redo─► countdown;  ─back─► reading;  reading ─back─► picker;  picker ─back─► finished
"""
from __future__ import annotations

from dataclasses import dataclass, field

PICKER, READING, CONSENT, COUNTDOWN, RECORDING, SCORING, SCORE, REVIEW = (
    "picker", "reading", "consent", "countdown", "recording", "scoring", "score", "review")
SCREENS = (PICKER, READING, CONSENT, COUNTDOWN, RECORDING, SCORING, SCORE, REVIEW)
COUNTDOWN_S = 3.0


@dataclass
class BoothFlow:
    """Which screen is up and the visitor's choices; every move is a method, every rule lives here."""

    can_record: bool = True  # a microphone is there
    scoring_enabled: bool = True  # the package allows scores
    screen: str = PICKER
    poem_index: int | None = None
    consent: bool | None = None  # None: not asked yet in this session; False: read along only
    no_score: bool = False  # the family chose "just record, no score" (shy or very young readers)
    show_pinyin: bool = True
    family_mode: bool = False  # two readers alternate lines
    countdown_left: float = 0.0
    finished: bool = False
    history: list[str] = field(default_factory=list)

    def _go(self, screen: str) -> None:
        self.history.append(screen)
        self.screen = screen

    @property
    def recording_allowed(self) -> bool:
        return self.can_record and self.consent is not False

    @property
    def busy(self) -> bool:
        """Mid-task: the kiosk must not reset the session."""
        return self.screen in (COUNTDOWN, RECORDING, SCORING)

    def pick(self, index: int) -> None:
        if self.screen == PICKER:
            self.poem_index = index
            self._go(READING)

    def toggle_pinyin(self) -> None:
        self.show_pinyin = not self.show_pinyin

    def toggle_no_score(self) -> None:
        self.no_score = not self.no_score

    def toggle_family(self) -> None:
        self.family_mode = not self.family_mode

    def record(self) -> None:
        if self.screen not in (READING, REVIEW, SCORE) or not self.recording_allowed:
            return
        if self.consent is None:
            self._go(CONSENT)
        else:
            self._start_countdown()

    def answer_consent(self, agreed: bool) -> None:
        if self.screen != CONSENT:
            return
        self.consent = agreed
        if agreed:
            self._start_countdown()
        else:
            self._go(READING)  # the family can still read along

    def _start_countdown(self) -> None:
        self.countdown_left = COUNTDOWN_S
        self._go(COUNTDOWN)

    def tick(self, dt: float) -> bool:
        """Advance timers; True when the countdown just ended (the caller starts recording)."""
        if self.screen == COUNTDOWN:
            self.countdown_left -= dt
            if self.countdown_left <= 0:
                self._go(RECORDING)
                return True
        return False

    def stop(self) -> None:
        if self.screen == RECORDING:
            self._go(REVIEW if self.no_score or not self.scoring_enabled else SCORING)
        elif self.screen == COUNTDOWN:
            self._go(READING)

    def scored(self) -> None:
        if self.screen == SCORING:
            self._go(SCORE)

    def redo(self) -> None:
        if self.screen in (RECORDING, REVIEW, SCORE):
            self._start_countdown()

    def back(self) -> None:
        if self.screen == PICKER:
            self.finished = True
        elif self.screen == READING:
            self._go(PICKER)
        elif self.screen == CONSENT:
            self._go(READING)
        elif self.screen in (COUNTDOWN, RECORDING, REVIEW, SCORE):
            self._go(READING)
