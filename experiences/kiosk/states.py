"""The kiosk's state machine (attract → [age question] → menu → running → menu, idle warning and reset, error
recovery).

Pure: no pygame. Time comes from an injected `Clock`, statements go through the engagement API.
"""
from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Callable

from experiences.engagement import ExperienceReporter, Place, SessionReporter, StatementSink
from experiences.kiosk.ageband import check_band
from experiences.runtime import Clock

log = logging.getLogger(__name__)

ATTRACT = "attract"
ASK_AGE = "ask_age"  # 「你几岁啦？」 right after a visitor wakes the kiosk (`[kiosk] ask_age_band`)
MENU = "menu"
RUNNING = "running"
IDLE_WARNING = "idle_warning"
ERROR = "error"

# The friendly error screen stays this long; the issue promises the menu back within 2 s.
ERROR_SECONDS = 1.5


@dataclass(frozen=True)
class RunInfo:
    """What the state machine needs to report a run: the package's identity, nothing of the visitor."""

    package_id: str
    kind: str
    version: str
    titles: dict


class KioskStateMachine:
    """Decides what the kiosk shows; the shell feeds it inputs and ticks and acts on what it returns.

    `tick()` returns the events the shell must act on: "idle_warning", "warning_cancelled", "reset"
    (stop the running experience with reason "idle"), "menu" (the error screen is over).
    """

    def __init__(self, sink: StatementSink, place: Place, clock: Clock | None = None, *,
                 idle_seconds: float = 90.0, warning_seconds: float = 10.0, error_seconds: float = ERROR_SECONDS,
                 new_session_id: Callable[[], str] = lambda: str(uuid.uuid4()),
                 wall_clock: Callable[[], float] | None = None, ask_age_band: bool = False):
        self.sink = sink
        self.place = place
        self.clock = clock or Clock()
        self.idle_seconds = idle_seconds
        self.warning_seconds = warning_seconds
        self.error_seconds = error_seconds
        self.new_session_id = new_session_id
        self.wall_clock = wall_clock
        self.ask_age_band = ask_age_band
        self.state = ATTRACT
        self.session: SessionReporter | None = None
        self.reporter: ExperienceReporter | None = None
        self.run: RunInfo | None = None
        self.last_activity = self.clock.now()
        self.warning_started = 0.0
        self.error_started = 0.0
        self._before_warning = MENU

    # --- inputs -------------------------------------------------------------------------------------------
    def on_input(self) -> bool:
        """Any visitor input. Returns True if the input should also go to the current screen or experience.

        The touch that wakes attract mode or cancels the warning is consumed: it only says "I am here".
        """
        self.last_activity = self.clock.now()
        if self.state == ATTRACT:
            self._start_session()
            self.state = ASK_AGE if self.ask_age_band else MENU
            return False
        if self.state == IDLE_WARNING:
            self.state = self._before_warning
            return False
        return self.state in (ASK_AGE, MENU, RUNNING)

    def choose_age_band(self, band: str | None) -> None:
        """The visitor answered the age question (None: skipped). It is kept in the session only, so every
        statement from now on carries it; the next session asks again."""
        band = check_band(band)
        if self.session is not None:
            self.session.age_band = band
        if self.state == ASK_AGE:
            self.state = MENU
        self.last_activity = self.clock.now()

    @property
    def age_band(self) -> str | None:
        """The band the visitor chose in this session, None if not asked, skipped, or nobody is here."""
        return self.session.age_band if self.session is not None else None

    @property
    def screen(self) -> str:
        """What is on screen under the "Still there?" warning (the state itself otherwise)."""
        return self._before_warning if self.state == IDLE_WARNING else self.state

    def mark_activity(self) -> None:
        """Activity that is not input (a voice in the booth): keeps the session alive, cancels a warning."""
        self.last_activity = self.clock.now()
        if self.state == IDLE_WARNING:
            self.state = self._before_warning

    # --- runs ---------------------------------------------------------------------------------------------
    def launch(self, run: RunInfo) -> ExperienceReporter:
        """The visitor picked an experience: report "launched" and switch to RUNNING."""
        if self.session is None:  # `play` or a scripted start: a session begins with the run
            self._start_session()
        self.run = run
        kwargs = {"monotonic": self.clock.now}
        self.reporter = self.session.experience(run.package_id, run.kind, run.version, run.titles, **kwargs)
        self.reporter.report("launched")
        self.state = RUNNING
        self.last_activity = self.clock.now()
        return self.reporter

    def initialized(self) -> None:
        """The experience started without raising."""
        if self.reporter is not None:
            self.reporter.report("initialized")

    def finish(self) -> None:
        """The experience ended by itself: close the run as terminated, back to the menu."""
        if self.reporter is not None:
            self.reporter.close("terminated")
        self._clear_run()
        self.state = MENU
        self.last_activity = self.clock.now()

    def fail(self) -> None:
        """The experience raised: close the run as abandoned and show the friendly error screen."""
        if self.reporter is not None:
            self.reporter.close("abandoned")
        self._clear_run()
        self.state = ERROR
        self.error_started = self.clock.now()

    def shutdown(self) -> None:
        """The kiosk is stopping (SIGTERM, window closed): an open run is abandoned."""
        if self.reporter is not None:
            self.reporter.close("abandoned")
        self._clear_run()
        self.session = None

    # --- time ---------------------------------------------------------------------------------------------
    def tick(self, busy: bool = False) -> list[str]:
        """Advance timers; `busy` is the running experience's flag (mid-poem: never warn, never reset)."""
        now = self.clock.now()
        if self.state == ERROR:
            if now - self.error_started >= self.error_seconds:
                self.state = MENU
                self.last_activity = now
                return ["menu"]
            return []
        if busy and self.state in (RUNNING, IDLE_WARNING):
            self.last_activity = now
            if self.state == IDLE_WARNING:
                self.state = self._before_warning
                return ["warning_cancelled"]
            return []
        if self.state in (ASK_AGE, MENU, RUNNING) and now - self.last_activity >= self.idle_seconds:
            self._before_warning = self.state
            self.state = IDLE_WARNING
            self.warning_started = now
            return ["idle_warning"]
        if self.state == IDLE_WARNING and now - self.warning_started >= self.warning_seconds:
            self.reset()
            return ["reset"]
        return []

    def warning_seconds_left(self) -> int:
        """Whole seconds left on the warning's countdown (shown to the visitor)."""
        left = self.warning_seconds - (self.clock.now() - self.warning_started)
        return max(0, int(left + 0.999))

    def reset(self) -> None:
        """End the visitor's session: an open run is abandoned, the next visitor gets a fresh session id."""
        if self.reporter is not None:
            self.reporter.close("abandoned")
        self._clear_run()
        self.session = None
        self.state = ATTRACT
        self.last_activity = self.clock.now()

    @property
    def has_run(self) -> bool:
        return self.run is not None

    # --- helpers ------------------------------------------------------------------------------------------
    def _start_session(self) -> None:
        kwargs = {"wall_clock": self.wall_clock} if self.wall_clock else {}
        self.session = SessionReporter(self.sink, self.place, session_id=self.new_session_id(), **kwargs)
        log.info("session started")

    def _clear_run(self) -> None:
        self.run = None
        self.reporter = None
