"""The recitation booth (朗诵亭) as a kiosk experience: pick a poem, read along with the karaoke display,
record after the guardian's consent, see a kind, explainable score, and (if the family chooses) share the take.

Devices come from ctx.services: "audio" (a recitation.audio.devices.AudioDevice; without one, and not headless,
PyAudio is tried) and "fonts" (the kiosk's text renderer). Everything written goes under the data directory.
"""
from __future__ import annotations

import logging
import threading
import time

import numpy as np
import pygame

from experiences import datadir
from experiences.engagement import Item, build_result
from experiences.i18n import t
from experiences.runtime import Experience, InputEvent
from recitation.audio.calibration import load_mic_delay
from recitation.audio.devices import RECORD_RATE, AudioUnavailable
from recitation.audio.mixer import Mixer
from recitation.audio.recorder import recover_partial_takes
from recitation.audio.takes import prune_recordings
from recitation.booth import flow as F
from recitation.booth import layout
from recitation.booth.session import Highlight, TakeSession
from recitation.booth.sharing import BoothSharing
from recitation.booth.widgets import Button
from recitation.poems import PoemFilter, load_poems, search, starting_grade, suggestions
from recitation.scoring.warm import warm_scorer
from recitation.timing import PaceModel, parse_lrc, timeline_for_text

log = logging.getLogger(__name__)
OUTPUT_LEAD_S = 0.15  # keep this much sound queued for the speaker


class RecitationBooth(Experience):
    def __init__(self, package, ctx):
        super().__init__(package, ctx)
        import recitation  # noqa: F401  (message catalog)

        self.poems = load_poems(package)
        content = package.manifest.content
        self.flow = F.BoothFlow(scoring_enabled=bool(content.get("scoring", True)))
        self.filter = PoemFilter(grade=starting_grade(getattr(ctx, "age_band", None)))
        self.page = 0
        self.device = None
        self.output = None
        self.mixer = Mixer(ctx.config.audio.volume_cap)
        self.session: TakeSession | None = None
        self.highlight: Highlight | None = None
        self.report = None  # the last ScoreReport
        self.read_ids: set[str] = set()  # poems read aloud in this visit (only in memory, gone with the visitor)
        self.opened_ids: set[str] = set()  # poems whose reading screen was opened in this visit
        self.last_read = None
        self.take_samples: np.ndarray | None = None
        self.focus = 0
        self.show_focus = False  # the focus ring appears once someone uses keys or a game pad
        self._text = None
        self._canvas = None
        self._default_music = content.get("music", "")
        self.mic_delay = 0.0
        self.sharing = BoothSharing(self, wall_clock=time.time)  # 分享给家人: the share screens' state

    # --- lifecycle ---------------------------------------------------------------------------------------
    def start(self) -> None:
        folder = datadir.recordings_dir()
        for take in recover_partial_takes(folder):
            log.warning("recovered a take interrupted by a crash: %s", take)
        prune_recordings(folder, self.ctx.config.storage.recordings_keep_days)
        self.mic_delay = load_mic_delay()
        self.device = self.ctx.services.get("audio")
        if self.device is None and not self.ctx.headless:
            try:
                from recitation.audio.devices import PyAudioDevice

                self.device = PyAudioDevice()
            except (AudioUnavailable, OSError, ImportError) as exc:
                log.warning("no microphone, read-along only: %s", exc)
        self.flow.can_record = self.device is not None
        if self.flow.can_record and self.flow.scoring_enabled:
            # Warm the scorer (imports, pinyin tables) while the family picks a poem; never in the way.
            threading.Thread(target=warm_scorer, name="recitation-warm", daemon=True).start()
        if self.device is not None:
            try:
                self.output = self.device.open_output(RECORD_RATE)
            except AudioUnavailable as exc:
                log.warning("no speaker: %s", exc)
        self._open_start_item(getattr(self.ctx, "start_item", None))

    def _open_start_item(self, poem_id: str | None) -> None:
        """Opened from a 「what next?」 poem card: straight to that poem's reading screen (unknown: the picker)."""
        if not poem_id:
            return
        index = next((i for i, poem in enumerate(self.poems) if poem.id == poem_id), None)
        if index is None:
            log.warning("start item %r is not a poem of %s; showing the picker", poem_id, self.package.id)
            return
        self.press(f"poem:{index}")

    def stop(self, reason: str) -> None:
        if self.session is not None:
            # Keep what was read (consent was given); a crash is covered by recovery at the next start.
            if self.session.seconds >= 1.0:
                self.session.finish(None)
            else:
                self.session.abort()
            self.session = None
        self.sharing.stop()
        if self.output is not None:
            self.output.close()
        if self.device is not None and self.device is not self.ctx.services.get("audio"):
            self.device.close()

    def visit_summary(self) -> str | None:
        """For the kiosk's goodbye: poems read aloud in this visit, else poems looked at, else None."""
        if self.read_ids:
            return t("recite.ui.visit_read", self.lang, count=len(self.read_ids))
        if self.opened_ids:
            return t("recite.ui.visit_opened", self.lang, count=len(self.opened_ids))
        return None

    @property
    def poem(self):
        return self.poems[self.flow.poem_index] if self.flow.poem_index is not None else None

    @property
    def lang(self) -> str:
        return self.ctx.language

    # --- input --------------------------------------------------------------------------------------------
    @property
    def design(self) -> tuple[int, int]:
        """The canvas the booth lays out on: the window's shape, its shorter side 720 design pixels."""
        return layout.design_size(self.ctx.size)

    @property
    def scale(self) -> float:
        """Window pixels per design pixel (the same across and down: nothing is stretched)."""
        return min(self.ctx.size) / layout.SHORT_SIDE

    def _to_design(self, x: float, y: float) -> tuple[float, float]:
        """Window pixels → design pixels."""
        return x / self.scale, y / self.scale

    def handle(self, event: InputEvent) -> None:
        buttons = self.buttons()
        if event.type == "pointer_down":
            x, y = self._to_design(event.x, event.y)
            for button in buttons:
                if button.hit(x, y):
                    self.press(button.key)
                    return
            for rect, index in self.picker_cards():
                if rect.collidepoint(x, y):
                    self.press(f"poem:{index}")
                    return
        elif event.type == "action":
            focusable = [b for b in buttons if b.enabled]
            if event.action in ("left", "up") and focusable:
                self.focus = (self.focus - 1) % len(focusable)
            elif event.action in ("right", "down") and focusable:
                self.focus = (self.focus + 1) % len(focusable)
            elif event.action == "select" and focusable:
                self.press(focusable[self.focus % len(focusable)].key)
            elif event.action == "back":
                self.press("back")
            self.show_focus = True

    def press(self, key: str) -> None:
        """One button's effect; also what tests and keyboard focus use."""
        flow = self.flow
        if key.startswith("poem:"):
            flow.pick(int(key[5:]))
            self._enter_poem()
        elif key.startswith("grade:"):
            self.filter.grade, self.filter.collection, self.page = int(key[6:]), "", 0
        elif key.startswith("collection:"):
            self.filter.grade, self.filter.collection, self.page = None, key[11:], 0
        elif key == "all":
            self.filter, self.page = PoemFilter(query=self.filter.query), 0
        elif key.startswith("letter:"):
            self.filter.query += key[7:]
            self.page = 0
        elif key == "clear":
            self.filter.query, self.page = "", 0
        elif key == "prev":
            self.page = max(0, self.page - 1)
        elif key == "next":
            self.page += 1
        elif key == "pinyin":
            flow.toggle_pinyin()
        elif key == "no_score":
            flow.toggle_no_score()
        elif key == "family":
            flow.toggle_family()
        elif key == "read_along":
            self._start_highlight()
            self.mixer.music_on = True
        elif key == "read_along_first":  # after "this doesn't sound like this poem": back to the text, reading along
            flow.back()
            self._start_highlight()
            self.mixer.music_on = True
        elif key == "reference":
            self._play_reference()
        elif key == "record":
            self.mixer.stop_voice()
            flow.record()
        elif key in ("agree", "decline"):
            flow.answer_consent(key == "agree")
        elif key == "stop":
            self._stop_take()
        elif key == "redo":
            self._discard_take()
            flow.redo()
        elif key == "playback":
            if self.take_samples is not None:
                self.mixer.play_voice(self.take_samples)
        elif key.startswith(("share", "nick:")):
            self.sharing.press(key)
        elif key == "next_poem":  # 下一首: back to the picker, where 「再读一首」 suggestions come first
            while flow.screen not in (F.PICKER,) and not flow.finished:
                flow.back()
            self.mixer.stop_voice()
            self.mixer.music_on = False
            self.highlight = None
        elif key == "back":
            if flow.screen == F.RECORDING:
                self._discard_take()
            flow.back()
            if flow.screen in (F.PICKER, F.READING):
                self.mixer.stop_voice()
                self.mixer.music_on = False
        if flow.screen not in F.AFTER_TAKE:
            self.sharing.forget()  # the take's QR and delete code leave the screen for good
        self.finished = flow.finished
        self.busy = flow.busy
        self.focus = 0 if key.startswith(("poem:", "back", "record", "agree", "decline", "stop")) else self.focus

    # --- poem, highlight, takes -------------------------------------------------------------------------------
    def _enter_poem(self) -> None:
        poem = self.poem
        self.opened_ids.add(poem.id)
        self.highlight = Highlight(PaceModel(poem.expected), self._lrc_timeline(poem))
        self.report, self.take_samples = None, None
        music = poem.music or self._default_music
        self.mixer.set_music(self._decode(music) if music else None)

    def _lrc_timeline(self, poem):
        if not poem.lrc or not self.package.source.exists(poem.lrc):
            return None
        try:
            timeline = parse_lrc(self.package.source.read_text(poem.lrc))
            fitted, _ = timeline_for_text(timeline, poem.expected.chars)
        except Exception:  # a bad LRC (the validator warns) falls back to the pace model
            log.exception("LRC %s unusable", poem.lrc)
            return None
        return fitted.shifted(-fitted.chars[0].start + 0.3) if fitted.chars else None

    def _start_highlight(self) -> None:
        if self.highlight is not None:
            self.highlight = Highlight(PaceModel(self.poem.expected), self.highlight.timeline)
            self.highlight.start(self.ctx.clock.now())

    def _decode(self, name: str) -> np.ndarray | None:
        import io

        import soundfile

        from recitation.scoring.features import resample

        try:
            data, rate = soundfile.read(io.BytesIO(self.package.source.read_bytes(name)), dtype="float32",
                                        always_2d=True)
        except Exception:  # the validator reports undecodable audio; the booth just goes without
            log.exception("cannot decode %s", name)
            return None
        return resample(data.mean(axis=1).astype(np.float64), rate, RECORD_RATE).astype(np.float32)

    def _play_reference(self) -> None:
        if self.poem is not None and self.poem.audio:
            voice = self._decode(self.poem.audio)
            if voice is not None:
                self.mixer.play_voice(voice)
                self.mixer.music_on = True  # the loop plays on, ducked under the reading
                self._start_highlight()

    def _begin_take(self) -> None:
        self.mixer.music_on = False  # nothing from the speaker may be scored as the reader's voice
        self.mixer.stop_voice()
        self._start_highlight()
        self.session = TakeSession(self.device, datadir.recordings_dir(), self.poem, self.highlight,
                                   {"no_score": self.flow.no_score})
        self.ctx.reporter.report("attempted", self._item())

    def _stop_take(self) -> None:
        if self.session is None:
            self.flow.stop()
            return
        self.session.close_stream()
        self.take_samples = self.session.samples()
        self.read_ids.add(self.poem.id)
        self.last_read = self.poem
        self.flow.stop()
        if self.flow.screen == F.REVIEW:  # no-score mode: save and report without a score
            self.sharing.take_saved(self.session.finish(None), {})
            self.session = None
            self.ctx.reporter.report("completed", self._item(), build_result(completion=True,
                                     duration=len(self.take_samples) / RECORD_RATE))

    def _score_take(self) -> None:
        from recitation.scoring import score_take

        # The microphone hears the reader `mic_delay` after the screen showed the character.
        shown = [t + self.mic_delay for t in self.session.char_times()]
        from recitation.listen import shared_checker

        # The content check (what was read) when its model is installed; loaded by the kind's warm-up.
        report = score_take(self.take_samples, RECORD_RATE, self.poem.expected, lang=self.lang, char_times=shown,
                            checker=shared_checker(), age_band=getattr(self.ctx, "age_band", None))
        self.report = report
        scores = {"overall": report.overall, **report.scores}
        self.sharing.take_saved(self.session.finish({**scores, "flags": report.flags}),
                                {**scores, "marks": "|".join(report.marks)} if report.marks else scores)
        self.session = None
        self.ctx.reporter.report("completed", self._item(), build_result(
            score=report.overall, score_max=100, completion=True, duration=len(self.take_samples) / RECORD_RATE,
            extensions={"recitation-scores": report.scores, "recitation-flags": report.flags}))
        self.flow.scored()

    def _discard_take(self) -> None:
        if self.session is not None:
            self.session.abort()
            self.session = None

    def _item(self) -> Item:
        return Item("poem", self.poem.id, {"zh-CN": self.poem.title}, activity_type="assessment")

    # --- per frame ----------------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        now = self.ctx.clock.now()
        if self.flow.tick(dt):
            self._begin_take()
        if self.session is not None and self.flow.screen == F.RECORDING:
            reading = self.session.pump(now)
            if reading.voice:
                self.ctx.mark_activity()  # a reader's voice keeps the session alive
            if self.session.too_long:
                self._stop_take()
        elif self.flow.screen == F.SCORING:
            self._score_take()
        elif self.flow.screen == F.SHARING:
            self.sharing.update()
        self.sharing.update_video()  # the family's video, made in its own process on any screen
        if self.output is not None:
            missing = int((OUTPUT_LEAD_S - self.output.pending_seconds()) * RECORD_RATE)
            if missing > 0 and (self.mixer.voice_playing or self.mixer.music_on):
                self.output.write(self.mixer.produce(missing))
        self.busy = self.flow.busy

    def test_targets(self) -> dict[str, pygame.Rect]:
        """Where things are, for the kiosk's read-only test hook (docs/kiosk-shell.md): every enabled button by
        its key ("read_along", "back", "record" …) and the picker's poem cards ("poem:3"), in window pixels."""
        s = self.scale

        def window(rect: pygame.Rect) -> pygame.Rect:
            return pygame.Rect(round(rect.x * s), round(rect.y * s), round(rect.w * s), round(rect.h * s))

        targets = {f"poem:{index}": window(rect) for rect, index in self.picker_cards()}
        targets.update({button.key: window(button.rect) for button in self.buttons() if button.enabled})
        return targets

    # --- layout and drawing ---------------------------------------------------------------------------------
    def text(self):
        if self._text is None:
            from experiences.text import shared_text

            fonts = self.ctx.services.get("fonts")
            self._text = fonts if fonts is not None else shared_text()
        return self._text

    def filtered(self):
        """The picker's poems; after a reading, with no search typed, 「再读一首」 suggestions come first."""
        found = search(self.poems, self.filter)
        if not self.suggested or self.filter.query:
            return found
        first = [poem for poem, _ in self.suggested]
        return first + [poem for poem in found if poem not in first]

    @property
    def suggested(self) -> list:
        if self.last_read is None:
            return []
        return suggestions(self.poems, self.last_read, self.read_ids)

    def picker_cards(self):
        return layout.picker_cards(self)

    def buttons(self) -> list[Button]:
        return layout.buttons(self)

    @property
    def read_along_done(self) -> bool:
        """The reading screen after a read-along (or the reference reading) reached the poem's last character:
        time for praise and 再来一次 / 下一首."""
        return (self.flow.screen == F.READING and self.highlight is not None and self.poem is not None
                and self.highlight.started_at is not None
                and self.highlight.position(self.ctx.clock.now()) >= self.poem.expected.size)

    def poem_grid(self):
        from recitation.booth import screens

        return screens.poem_grid(self.text(), self.poem, layout.poem_area(self).width, self.flow.show_pinyin,
                                 self.flow.family_mode, 76 if layout.portrait(self.design) else screens.CHAR_SIZE)

    def draw(self, window) -> None:
        from recitation.booth import view

        view.draw(self, window)

    # --- screen states for the contact sheet and the screen tests ---------------------------------------------
    def shot_states(self):
        """picker → poem ready → read-along → family mode → read-along ended (praise) → consent → countdown →
        recording → scored (or review) → share (QR, or the kind 「not here」). Driven through press/update as a visitor's
        taps would; the recording states need an audio device (tests pass a WAV microphone)."""
        from recitation.booth.shots import booth_shot_states

        yield from booth_shot_states(self)
