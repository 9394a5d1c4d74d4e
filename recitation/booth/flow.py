"""The booth's screens and the moves between them, as plain state (no pygame): what a test can drive.

picker ─select─► reading ─record─► [consent, once] ─► countdown ─► recording ─stop─► scoring ─► score
                                                                          └─(no-score)─► review
review/score ─redo─► countdown;  ─back─► reading;  reading ─back─► picker;  picker ─back─► finished
review/score ─share (consent given, take saved)─► share_pick ─confirm─► sharing ─► shared (QR) or share_off;
share_* ─back─► the review/score screen it came from
"""
from __future__ import annotations

from dataclasses import dataclass, field

PICKER, READING, CONSENT, COUNTDOWN, RECORDING, SCORING, SCORE, REVIEW = (
    "picker", "reading", "consent", "countdown", "recording", "scoring", "score", "review")
SHARE_PICK, SHARING, SHARED, SHARE_OFF = "share_pick", "sharing", "shared", "share_off"
SCREENS = (PICKER, READING, CONSENT, COUNTDOWN, RECORDING, SCORING, SCORE, REVIEW, SHARE_PICK, SHARING, SHARED,
           SHARE_OFF)
AFTER_TAKE = (SCORE, REVIEW, SHARE_PICK, SHARING, SHARED, SHARE_OFF)  # screens about the take just saved
COUNTDOWN_S = 3.0
# The QR screen holds off the idle reset this long (time to find a phone and scan); then the usual idle
# warning and reset apply, so a forgotten QR and delete code do not stay up for the next family.
SHARE_HOLD_S = 60.0


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
    take_saved: bool = False  # the last take is on disk (what a share would send)
    nickname: str = ""  # the share's optional kid-safe nickname ("" = none)
    share_hold_left: float = 0.0
    results_screen: str = SCORE  # where the share screens return to
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
        return self.screen in (COUNTDOWN, RECORDING, SCORING, SHARING) or (
            self.screen == SHARED and self.share_hold_left > 0)

    @property
    def can_share(self) -> bool:
        """Sharing is offered only for a saved take, and only after the guardian agreed to recording."""
        return self.consent is True and self.take_saved and self.screen in (SCORE, REVIEW)

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
        self.take_saved = False
        self._go(COUNTDOWN)

    def tick(self, dt: float) -> bool:
        """Advance timers; True when the countdown just ended (the caller starts recording)."""
        if self.screen == COUNTDOWN:
            self.countdown_left -= dt
            if self.countdown_left <= 0:
                self._go(RECORDING)
                return True
        elif self.screen == SHARED:
            self.share_hold_left = max(0.0, self.share_hold_left - dt)
        return False

    def stop(self) -> None:
        if self.screen == RECORDING:
            self._go(REVIEW if self.no_score or not self.scoring_enabled else SCORING)
        elif self.screen == COUNTDOWN:
            self._go(READING)

    def scored(self) -> None:
        if self.screen == SCORING:
            self._go(SCORE)

    def share(self, already_queued: bool = False) -> None:
        """The family tapped 分享给家人: pick a nickname, or (this take is already queued) see its QR again."""
        if not self.can_share:
            return
        self.results_screen = self.screen
        if already_queued:
            self._show_qr()
        else:
            self.nickname = ""
            self._go(SHARE_PICK)

    def pick_nickname(self, name: str) -> None:
        if self.screen == SHARE_PICK:
            self.nickname = name

    def confirm_share(self) -> None:
        if self.screen == SHARE_PICK:
            self._go(SHARING)

    def shared(self, queued: bool) -> None:
        """The share was queued (show the QR) or could not be (show the kind "not set up here" message)."""
        if self.screen == SHARING:
            if queued:
                self._show_qr()
            else:
                self._go(SHARE_OFF)

    def _show_qr(self) -> None:
        self.share_hold_left = SHARE_HOLD_S
        self._go(SHARED)

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
        elif self.screen in (SHARE_PICK, SHARED, SHARE_OFF):
            self.share_hold_left = 0.0
            self._go(self.results_screen)
