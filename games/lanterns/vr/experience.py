"""成语论箭 in VR: the same rules (games.lanterns.play) in a panda3d courtyard, rendered side by side for a
headset, aimed by head pose ("aim" events with yaw/pitch), a pointer or the arrow keys; ends kindly after the
curator's time limit ([content] vr_minutes, default 10): the world fades to dark over two seconds, a message says
to rest the eyes, and the run ends (its terminated statement says `end`: vr-time-limit); the kiosk's menu follows.
"""
from __future__ import annotations

import math
import random

import pygame

from experiences.i18n import t
from experiences.runtime import Experience, InputEvent, home_button_area
from games.idioms.dictionary import dictionary_for, idioms_from_package
from games.idioms.glyphs import default_glyphs
from games.idioms.levels import PINYIN_ALL, PINYIN_NONE, level_for, shows_pinyin
from games.idioms.pinyin import lantern_syllable
from games.lanterns.experience import STORY_DELAY, age_band_of
from games.lanterns import layout as L
from games.lanterns.card import draw_story_card, make_button
from games.lanterns.hud import draw_idiom_banner, draw_message
from games.lanterns.play import HIT, MISS_PINYIN, LanternGame
from games.lanterns.vr.courtyard import (EYE, FADE_SECONDS, IPD, Arrow3D, Courtyard, VRSession, aim_direction,
                                        fade_darkness, pose_towards)
from games.ui.sound import SoundBank
from games.ui.text import show_pinyin, text_renderer, use_renderer
from games.ui.widgets import PAPER
from experiences.xr.comfort import limit_minutes

REST_SECONDS = 6.0  # the kind "rest your eyes" message stays this long before the run ends


class LanternsVRExperience(Experience):
    stereo = True  # side by side: the kiosk's home button goes into both eyes
    own_vr_limit = True  # it ends its VR session itself (the fade dims the world, not its words' card)

    def __init__(self, package, ctx):
        super().__init__(package, ctx)
        content = package.manifest.content
        self.lang = ctx.language
        self.rng = random.Random(ctx.services.get("seed"))
        self.band = age_band_of(ctx, package)
        self.level = level_for(self.band, content.get("levels"))
        self.rounds_total = int(content.get("rounds", 8))
        self.session = VRSession(limit_minutes(content, ctx.config.vr.session_minutes))
        self.sounds = ctx.services.get("sounds") or SoundBank(ctx.config.audio.volume_cap)
        use_renderer(ctx.services.get("fonts"))  # the kiosk's text renderer when it gives one
        show_pinyin(shows_pinyin(self.level))
        self.size = ctx.size
        self.state = "loading"
        self.view = None
        self.xr = ctx.services.get("xr")  # an OpenXR headset (experiences/xr/rig.py), or None: side by side
        self.xr_view = None
        self.aim_from = EYE  # where the aim ray starts: the eye, or the hand holding a controller
        self.aim_input = "pointer"  # what aimed last: pointer, head, controller, keys (said in the statements)

    def start(self) -> None:
        from games.lanterns.vr.offscreen import StereoView
        from games.lanterns.vr.scene import CourtyardScene

        self.dictionary = dictionary_for(self.package, self.ctx.catalog)
        pool = [i for i in idioms_from_package(self.package)
                if i.word in self.dictionary and default_glyphs().drawable(i.word)]
        self.game = LanternGame(pool, self.dictionary, self.level, self.rng, self.ctx.reporter, self.ctx.clock.now,
                                self.band, self.rounds_total)
        if self.view is None and self.xr is not None:
            from experiences.xr.mirror import XrSceneView

            self.view = self.xr_view = XrSceneView(self.xr, self.size, EYE)
            self.scene = CourtyardScene(self.view.root)
        elif self.view is None:
            self.view = StereoView(self.size)
            self.scene = CourtyardScene(self.view.root)
        self.ctx.reporter.context_extensions["vr-display"] = "openxr" if self.xr_view else "side-by-side"
        self.yaw, self.pitch = 0.0, 8.0
        self._next_round()

    def stop(self, reason: str) -> None:
        if self.view is not None:
            self.view.release()
            self.view = self.xr_view = None
        self.state = "stopped"

    def visit_summary(self) -> str | None:
        return self.game.visit_summary(self.lang) if hasattr(self, "game") else None

    def _next_round(self) -> None:
        if self.game.next_round() is None:
            self.state = "summary"
            return
        rnd = self.game.round
        self.courtyard = Courtyard(rnd.chars(), self.level.speed, self.rng)
        self.t = 0.0
        pinyin = {c: lantern_syllable(c, rnd.answer_pinyin if c == rnd.answer else "") for c in rnd.chars()}
        self.scene.build_lanterns(self.courtyard.placed(0.0), pinyin, self.level.pinyin == PINYIN_ALL)
        self.arrow: Arrow3D | None = None
        self.sparks: list[list] = []
        self.message = ""
        self.story_at = None
        self.time_left = self.level.time_limit if self.level.timed else None
        self.state = "aim"

    @property
    def origin(self):
        return EYE

    # --- aiming and shooting --------------------------------------------------------------------------------
    def handle(self, event: InputEvent) -> None:
        if event.type == "action" and event.action == "back":
            self.finished = True
        elif self.state == "aim":
            if event.type == "aim":
                self.aim_input = event.source
                self.aim_from = self.xr_view.scene_point(event.origin) if (
                    self.xr_view is not None and event.origin is not None) else EYE
                if event.source in ("head", "controller") or event.yaw or event.pitch:
                    self.yaw, self.pitch = event.yaw, event.pitch
                else:  # a normalised pointer (motion sensor): map the screen to ±45° / ±30°
                    self.yaw, self.pitch = (event.x - 0.5) * 90, (0.5 - event.y) * 60 + 8
            elif event.type in ("pointer_move", "pointer_down"):
                # A touch lands on one eye's half; a motion sensor (TUIO) spans the whole frame.
                self.aim_input, self.aim_from = "pointer", EYE
                span = self.size[0] if event.source == "tuio" else self.size[0] / 2
                self.yaw = ((event.x % span) / span - 0.5) * 90
                self.pitch = (0.5 - event.y / self.size[1]) * 60 + 8
                if event.type == "pointer_down":
                    self._shoot()
            elif event.type == "action" and event.action in ("left", "right"):
                self.aim_input, self.aim_from = "keys", EYE
                self._snap(1 if event.action == "right" else -1)
            elif event.type == "action" and event.action == "select":
                self._shoot()
            elif event.type == "action" and event.action == "hint":
                self.game.hint()
        elif self.state in ("story", "summary") and (
                event.type == "pointer_down" or (event.type == "action" and event.action == "select")):
            if self.state == "story":
                self._next_round()
            else:
                self.finished = True

    def _snap(self, step: int) -> None:
        placed = sorted(self.courtyard.placed(self.t), key=lambda h: math.atan2(h.x, h.y))
        current = self.courtyard.pick(self.t, self.origin, aim_direction(self.yaw, self.pitch))
        index = placed.index(current) + step if current in placed else (0 if step > 0 else -1)
        target = placed[index % len(placed)]
        self.yaw, self.pitch = pose_towards((target.x, target.y, target.z), self.origin)

    def _shoot(self) -> None:
        if self.arrow is not None or self.state != "aim":
            return
        direction = aim_direction(self.yaw, self.pitch)
        origin = self.aim_from
        target = self.courtyard.pick(self.t, origin, direction)
        # the statement of this shot says what aimed it (controller, head, pointer, keys)
        self.ctx.reporter.context_extensions["aim-input"] = {
            "controller": "controller", "head": "head", "keys": "keys"}.get(self.aim_input, "pointer")
        start = (origin[0], origin[1] + 0.4, origin[2] - 0.25) if origin == EYE else origin
        end = (target.x, target.y, target.z) if target else tuple(origin[i] + direction[i] * 12 for i in range(3))
        self.arrow = Arrow3D(start, end, target.char if target else None)
        self.sounds.play("shoot")

    def _land(self) -> None:
        arrow, self.arrow = self.arrow, None
        if arrow.target is None:
            return
        outcome = self.game.shot(arrow.target)
        if outcome == HIT:
            if self.xr is not None:
                self.xr.pulse()  # a short buzz in the hand that shot
            self.sounds.play("burst")
            self.sounds.play("hit")
            for _ in range(60):
                a, b = self.rng.uniform(0, 2 * math.pi), self.rng.uniform(-1, 1)
                speed = self.rng.uniform(0.8, 2.2)
                velocity = [math.cos(a) * speed, math.sin(a) * speed * 0.5, b * speed + 1.0]
                self.sparks.append([list(arrow.end), velocity, self.rng.uniform(0.6, 1.2),
                                    self.rng.choice(((1, 0.85, 0.4, 1), (1, 0.5, 0.2, 1), (1, 0.95, 0.8, 1)))])
            self.courtyard.remove(set(self.game.round.chars()) - {self.game.round.answer})
            self.message = t("lanterns.hit", self.lang)
            self.sounds.play("cheer")
            self.story_at = self.t + STORY_DELAY
            return
        self.sounds.play("miss")
        if outcome == MISS_PINYIN:  # the syllable is drawn apart, as pinyin (games.lanterns.hud.draw_message)
            self.message = t("lanterns.hint_sound", self.lang)
        else:
            self.courtyard.remove(set(self.game.round.chars()))
            self.message = t("lanterns.hint_fewer", self.lang)

    def test_targets(self) -> dict[str, pygame.Rect]:
        """Where things are, for the kiosk's read-only test hook (docs/kiosk-shell.md): the spot of the left eye's
        half where a touch aims at (and shoots) the right lantern, while aiming; the whole window on the story
        card and the summary, where any touch goes on."""
        if self.state in ("story", "summary"):
            return {"next": pygame.Rect(0, 0, *self.size)}
        if self.state != "aim" or self.arrow is not None or self.game.solved:
            return {}
        answer = self.courtyard.find(self.t, self.game.round.answer)
        if answer is None:
            return {}
        yaw, pitch = pose_towards((answer.x, answer.y, answer.z), self.origin)
        span, height = self.size[0] / 2, self.size[1]
        x, y = (yaw / 90 + 0.5) * span, (0.5 - (pitch - 8) / 60) * height  # the inverse of handle()'s touch aim
        if not (0 <= x < span and 0 <= y < height):
            return {}
        return {"lantern:answer": pygame.Rect(round(x) - 4, round(y) - 4, 8, 8)}

    # --- time -----------------------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        if self.state in ("loading", "stopped"):
            return
        session = self.session.update(dt)
        if self.state == "fade":  # the world holds still and darkens, slowly
            self.fade_seconds += dt
            if self.fade_seconds >= FADE_SECONDS:
                self.state, self.rest_left = "rest", REST_SECONDS
            return
        if self.state == "rest":
            self.rest_left -= dt
            if self.rest_left <= 0 and not self.finished:
                self.ctx.reporter.close("terminated", extensions={"end": "vr-time-limit"})
                self.finished = True
            return
        if session == "ended":  # kindly, even mid-round: young eyes come first
            self.state, self.fade_seconds = "fade", 0.0
            return
        if self.state == "summary":
            return
        self.t += dt
        for spark in self.sparks:
            spark[1][2] -= 3.0 * dt
            spark[0] = [spark[0][i] + spark[1][i] * dt for i in range(3)]
            spark[2] -= dt
        self.sparks = [s for s in self.sparks if s[2] > 0]
        if self.arrow is not None:
            self.arrow.elapsed += dt
            if self.arrow.target:
                followed = self.courtyard.find(self.t, self.arrow.target)
                if followed:
                    self.arrow.end = (followed.x, followed.y, followed.z)
            if self.arrow.done:
                self._land()
        if self.state == "aim" and self.story_at is not None and self.t >= self.story_at:
            self.state = "story"
        if self.state == "aim" and self.time_left is not None and not self.game.solved:
            self.time_left -= dt
            if self.time_left <= 0:
                self.game.time_out()
                self.state = "story"

    # --- drawing --------------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        if self.view is None or self.state == "loading":
            surface.fill((8, 10, 30))
            return
        darkness = self.darkness
        if self.xr_view is not None:  # the closing fade dims the scene; the overlay fades out, then the message
            self.xr_view.set_fade(darkness, 1.0 - darkness if self.state == "fade" else 1.0)
        if self.state not in ("rest", "summary"):
            self.scene.place(self.courtyard.placed(self.t))
            self.view.set_head(self.origin, self.yaw, self.pitch, IPD)
            self.scene.draw_dynamic(self.aim_from, self.yaw, self.pitch, self.arrow,
                                    [(tuple(s[0]), s[3]) for s in self.sparks])
            if self.xr_view is not None:  # into the headset; the window mirrors what the child sees
                self.xr_view.render_into(surface, self._overlay)
                return
            frame = pygame.image.frombuffer(self.view.render(), self.size, "RGB")
            surface.blit(pygame.transform.flip(frame, False, True), (0, 0))
        else:
            surface.fill((8, 10, 30))
            if self.xr_view is not None:
                self.xr_view.render_into(surface, self._overlay)
                return
        eye_w = self.size[0] // 2
        for eye in range(2):  # the same overlay in both eyes: it sits at screen depth
            half = surface.subsurface(pygame.Rect(eye * eye_w, 0, eye_w, self.size[1]))
            self._overlay(half)
        if self.state == "fade":  # side by side: the same slow fade, a veil over the frame and its words
            veil = pygame.Surface(self.size)
            veil.set_alpha(round(255 * darkness))
            surface.blit(veil, (0, 0))

    @property
    def darkness(self) -> float:
        """How dark the closing fade has made the world (0 while playing, 1 once the rest message shows)."""
        if self.state == "fade":
            return fade_darkness(self.fade_seconds)
        return 1.0 if self.state == "rest" else 0.0

    def shot_states(self):
        from games.lanterns.shots import vr_shot_states
        yield from vr_shot_states(self)

    def _overlay(self, half: pygame.Surface) -> None:
        """Words over each eye (or on the headset's HUD card, as tall as an eye's 60°), sized like the 2D game's
        for the whole frame (games.lanterns.layout), which puts them above the visual angles of
        games.lanterns.vr.angles."""
        with L.scaled(L.unit(self.size)):
            self._draw_overlay(half)

    def _draw_overlay(self, half: pygame.Surface) -> None:
        text = text_renderer()
        w, h = half.get_size()
        size = (w, h)
        if self.state == "rest":
            text.draw_paragraph(half, t("lanterns.vr_rest", self.lang), pygame.Rect(30, h * 0.4, w - 60, h * 0.4),
                                L.px(L.PROMPT_PX, size), PAPER, role="prompt")
            return
        if self.state == "summary":
            s = self.game.summary
            text.draw_paragraph(half, t("lanterns.summary_score", self.lang, correct=s.correct, total=s.total,
                                        score=s.score), pygame.Rect(30, h * 0.4, w - 60, h * 0.4),
                                L.px(L.PROMPT_PX, size), PAPER, role="prompt")
            return
        if self.state == "story":  # the card has the eye: the idiom is on it
            button = make_button("next", t("lanterns.next", self.lang), (w / 2, h / 2), size, "next")
            home_top = home_button_area(self.size, stereo=True)[0][1]  # the shell's 返回 below the card
            draw_story_card(half, self.game.round, self.game.solved, button, self.lang, self.band, bottom=home_top)
            return
        banner = draw_idiom_banner(half, self.game.round, self.level.pinyin != PINYIN_NONE,
                                   self.game.show_blank_pinyin, self.game.solved, self.lang)
        if self.session.state == "warn":
            text.draw(half, t("lanterns.vr_soon", self.lang), (w / 2, banner.bottom + L.px(16, size)),
                      L.px(L.STATUS_PX, size), PAPER, anchor="midtop")
        if self.message:
            parts = [(self.message, "prompt")]
            if self.message == t("lanterns.hint_sound", self.lang):
                parts = [(t("lanterns.miss_short", self.lang), "prompt"), *parts,
                         (self.game.round.answer_pinyin, "pinyin")]
            draw_message(half, parts, (w / 2, h - L.px(60, size)), L.px(L.PROMPT_PX, size))
