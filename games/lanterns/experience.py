"""成语论箭 on the runtime contract: rounds from games.idioms, lanterns and arrow on screen, xAPI per answer.

States: "aim" (lanterns sway, the child aims and shoots) → "story" (after a hit or time-out) → next round …
→ "summary" (score, nickname for the daily top list, play again or done).
"""
from __future__ import annotations

import random
from datetime import date

import pygame

from experiences.i18n import t
from experiences.runtime import Experience, InputEvent
from games.idioms.dictionary import dictionary_for, idioms_from_package
from games.idioms.glyphs import default_glyphs
from games.idioms.levels import PINYIN_ALL, PINYIN_NONE, age_band_of, level_for, shows_pinyin
from games.idioms.pinyin import lantern_syllable
from games.idioms.toplist import DailyTopList, nickname_ids, nickname_text
from games.lanterns import draw as art
from games.lanterns import layout as L
from games.lanterns.card import draw_story_card, draw_summary, make_button, summary_buttons, summary_heading
from games.lanterns.cheer import PointingHand, Stars, pop_scale
from games.lanterns.field import Arrow, LanternField
from games.lanterns.hud import (blank_box, draw_idiom_banner, draw_message, draw_pips, draw_status, draw_timer,
                                status_height)
from games.lanterns.particles import FlashLimiter, Particles
from games.lanterns.play import HIT, MISS_PINYIN, LanternGame
from games.lanterns.shots import shot_states
from games.ui.sound import SoundBank
from games.ui.text import show_pinyin, text_renderer, use_renderer
from games.ui.widgets import Button

STORY_DELAY = 0.8  # seconds of burst before the story card (the VR mode's sparks)
CHEER_DELAY = 1.2  # seconds of stars and 射中了！ before the story card on a screen


class LanternsExperience(Experience):
    def __init__(self, package, ctx):
        super().__init__(package, ctx)
        content = package.manifest.content
        self.lang = ctx.language
        self.rng = random.Random(ctx.services.get("seed"))
        self.band = age_band_of(ctx, package)
        self.level = level_for(self.band, content.get("levels"))
        self.rounds_total = int(content.get("rounds", 8))
        self.sounds = ctx.services.get("sounds") or SoundBank(ctx.config.audio.volume_cap)
        today = ctx.services.get("today", date.today)
        self.toplist = DailyTopList(ctx.data_dir / "toplists", today())
        self.size = ctx.size
        use_renderer(ctx.services.get("fonts"))  # the kiosk's text renderer when it gives one
        show_pinyin(shows_pinyin(self.level))
        self.glow = ctx.services.get("glow")  # optional games.lanterns.glow_gl.GLGlow (the moderngl look)
        self.state = "loading"
        self.screen = L.screen(self.size, status_height(self.size), self.level.timed)

    # --- lifecycle ------------------------------------------------------------------------------------------
    def start(self) -> None:
        self.dictionary = dictionary_for(self.package, self.ctx.catalog)
        glyphs = default_glyphs()
        pool = [i for i in idioms_from_package(self.package) if i.word in self.dictionary and glyphs.drawable(i.word)]
        self.game = LanternGame(pool, self.dictionary, self.level, self.rng, self.ctx.reporter, self.ctx.clock.now,
                                self.band, self.rounds_total)
        self.sky = art.night_sky(self.size)
        self.particles = Particles(self.rng.randrange(2**31))
        self.stars = Stars(self.rng.randrange(2**31))
        self.hand = PointingHand(L.px(150, self.size))
        self.flashes = FlashLimiter(3)
        self.play_time = 0.0  # seconds of play across rounds (the flash limiter's clock)
        self._next_round()

    def stop(self, reason: str) -> None:
        self.state = "stopped"

    def visit_summary(self) -> str | None:
        return self.game.visit_summary(self.lang) if hasattr(self, "game") else None

    # The round's state lives in the shared rules (games.lanterns.play); these read it.
    round = property(lambda self: self.game.round)
    attempts = property(lambda self: self.game.attempts)
    show_blank_pinyin = property(lambda self: self.game.show_blank_pinyin)
    solved = property(lambda self: self.game.solved)
    lines = property(lambda self: self.game.lines)
    index = property(lambda self: self.game.index)
    summary = property(lambda self: self.game.summary)

    # --- rounds ---------------------------------------------------------------------------------------------
    def _next_round(self) -> None:
        if self.game.next_round() is None:
            self._summary()
            return
        self.field = LanternField(self.round.chars(), self.size, self.level.speed, self.rng, area=self.screen.field,
                                  max_radius=L.px(135, self.size))
        syllables = {c: self._reading(c) for c in self.round.chars()}
        self.sprites = art.LanternSprites(syllables, self.field.radius, self.level.pinyin == PINYIN_ALL)
        self.t = 0.0
        self.time_left = self.level.time_limit if self.level.timed else None
        self.arrow: Arrow | None = None
        self.aim = (self.size[0] / 2, self.screen.field[1] + self.screen.field[3] / 2)
        self.aim_char: str | None = None
        self.feedback: tuple[str, str, float, tuple] | None = None  # (kind, text, until, where)
        self.story_at: float | None = None
        self.cheer_at: float | None = None
        self.flash: float | None = None
        self.state = "aim"

    def _reading(self, char: str) -> str:
        """A lantern's syllable: the answer as the idiom reads it, any lone character in its citation tone (子 zǐ)."""
        return lantern_syllable(char, self.round.answer_pinyin if char == self.round.answer else "")

    @property
    def hinting(self) -> bool:
        """The first round shows how to play until the first arrow flies."""
        return self.state == "aim" and self.index == 0 and self.attempts == 0 and self.arrow is None

    @property
    def bow(self) -> tuple[float, float]:
        return self.screen.bow

    def _shoot(self) -> None:
        if self.state != "aim" or self.arrow is not None or self.solved:
            return
        target = self.field.at(self.t, *self.aim)
        end = (target.x, target.y) if target else self.aim
        self.arrow = Arrow(self.bow, end, target.char if target else None, duration=0.55)
        self.sounds.play("shoot")

    def _land(self, arrow: Arrow) -> None:
        self.arrow = None
        if arrow.target is None:
            return  # into the night sky: not an answer
        where = arrow.end
        outcome = self.game.shot(arrow.target)
        if outcome == HIT:
            u = L.unit(self.size)
            self.particles.burst(*where, count=90)
            self.stars.burst(*where, u)
            field = self.screen.field  # and a ring of stars around 射中了！ in the middle of the sky
            self.stars.burst(self.size[0] / 2, field[1] + field[3] * 0.45, u * 1.2, count=22,
                             ring=(L.px(340, self.size), L.px(170, self.size)))
            self.sounds.play("burst")
            self.sounds.play("hit")
            self.sounds.play("cheer")
            if self.flashes.allow(self.play_time):
                self.flash = self.t
            self.field.remove(set())  # the hit lantern bursts, the others drift off: the cheer has the sky
            self.feedback = ("hit", t("lanterns.hit", self.lang), self.t + CHEER_DELAY, where)
            self.story_at = self.t + CHEER_DELAY
            self.cheer_at = self.t
            return
        self.sounds.play("miss")
        if outcome == MISS_PINYIN:
            help_text = t("lanterns.hint_sound", self.lang)
        else:
            self.field.remove(set(self.round.chars()))
            help_text = t("lanterns.hint_fewer", self.lang)
        self.feedback = ("miss", help_text, self.t + 3.0, where)

    def _time_out(self) -> None:
        self.feedback = None
        self.game.time_out()
        self.state = "story"
        self._open_story()

    def _read_aloud(self) -> None:
        """On the story card: the package's recording of the idiom, when it has one."""
        folder = self.package.manifest.content.get("audio")
        if not folder:
            return
        for ext in (".ogg", ".wav", ".mp3"):
            name = f"{folder.rstrip('/')}/{self.round.idiom.word}{ext}"
            if self.package.source.exists(name):
                self.sounds.play_recording(self.package.source.open(name), name)
                return

    def _open_story(self) -> None:
        self._read_aloud()
        self.next_button = make_button("next", t("lanterns.next", self.lang), (self.size[0] / 2, self.size[1] / 2),
                                       self.size, "next")
        surface = pygame.Surface(self.size, pygame.SRCALPHA)  # lay the card out once: the button's place
        draw_story_card(surface, self.round, self.solved, self.next_button, self.lang, self.band, self._card_top())

    def _card_top(self) -> int:
        return self.screen.pips[1] + self.screen.pips[3] + L.px(12, self.size)

    # --- summary and top list -------------------------------------------------------------------------------
    def _summary(self) -> None:
        self.state = "summary"  # the statements were reported by the game when its last round ended
        self.top = None
        self.my_place = None
        self._summary_buttons()

    def _summary_buttons(self) -> None:
        below = summary_heading(pygame.Surface(self.size), self.summary.correct, self.summary.total,
                                self.summary.score, self.top is not None, self.lang, draw=False)
        names = [(nick, nickname_text(nick, self.lang)) for nick in nickname_ids()] if self.top is None else None
        self.buttons: list[Button] = summary_buttons(self.size, names, self.lang, below + L.px(8, self.size))
        self.focus = 0

    def _press(self, button: Button) -> None:
        self.sounds.play("card")
        if button.key.startswith("nick:"):
            self.my_place = self.toplist.add(button.key[5:], self.summary.score, self.package.id)
            self.top = self.toplist.top(self.package.id)
            self._summary_buttons()
        elif button.key == "again":
            self.start()
        elif button.key == "done":
            self.finished = True

    # --- input ----------------------------------------------------------------------------------------------
    def handle(self, event: InputEvent) -> None:
        if event.type == "action" and event.action == "back":
            self.finished = True
        elif self.state == "aim":
            self._handle_aim(event)
        elif self.state == "story":
            if (event.type == "pointer_down" and self.next_button.hit(event.x, event.y)) or \
                    (event.type == "action" and event.action == "select"):
                self.sounds.play("card")
                self._next_round()
        elif self.state == "summary":
            self._handle_summary(event)

    def _handle_aim(self, event: InputEvent) -> None:
        if event.type in ("pointer_move", "pointer_down"):
            self.aim, self.aim_char = (event.x, event.y), None
            if event.type == "pointer_down":
                self._shoot()
        elif event.type == "aim":
            self.aim, self.aim_char = (event.x * self.size[0], event.y * self.size[1]), None
        elif event.type == "action":
            if event.action in ("left", "right"):
                target = self.field.neighbour(self.t, self.aim_char, -1 if event.action == "left" else 1)
                if target is not None:
                    self.aim_char, self.aim = target.char, (target.x, target.y)
            elif event.action == "select":
                self._shoot()
            elif event.action == "hint":
                self.game.hint()
                self.feedback = ("hint", t("lanterns.hint_sound", self.lang), self.t + 3.0, self.aim)

    def _handle_summary(self, event: InputEvent) -> None:
        if event.type == "pointer_down":
            for button in self.buttons:
                if button.hit(event.x, event.y):
                    self._press(button)
                    return
        elif event.type == "action" and event.action in ("left", "right", "up", "down"):
            cols = 3 if L.portrait(self.size) else 4
            step = {"left": -1, "right": 1, "up": -cols, "down": cols}[event.action]
            self.focus = (self.focus + step) % len(self.buttons)
        elif event.type == "action" and event.action == "select":
            self._press(self.buttons[self.focus])

    def test_targets(self) -> dict[str, pygame.Rect]:
        """Where things are, for the kiosk's read-only test hook (docs/kiosk-shell.md): the right lantern and one
        wrong one while aiming, the story card's next button, the summary's buttons."""
        targets: dict[str, pygame.Rect] = {}
        if self.state == "aim" and self.arrow is None and not self.solved:
            for lantern in self.field.placed(self.t):
                name = "lantern:answer" if lantern.char == self.round.answer else "lantern:wrong"
                r = lantern.radius
                targets.setdefault(name, pygame.Rect(round(lantern.x - r), round(lantern.y - r), round(2 * r),
                                                     round(2 * r)))
        elif self.state == "story":
            targets["next"] = self.next_button.rect
        elif self.state == "summary":
            targets.update({button.key: button.rect for button in self.buttons})
        return targets

    def shot_states(self):
        yield from shot_states(self)

    # --- time -----------------------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        if self.state not in ("aim", "story"):
            return
        self.t += dt
        self.play_time += dt
        self.particles.update(dt)
        self.stars.update(dt, L.unit(self.size))
        if self.aim_char is not None:  # keyboard aim follows its lantern as it sways
            followed = self.field.find(self.t, self.aim_char)
            if followed:
                self.aim = (followed.x, followed.y)
        if self.arrow is not None:
            self.arrow.elapsed += dt
            if self.arrow.target:
                followed = self.field.find(self.t, self.arrow.target)
                if followed:
                    self.arrow.retarget((followed.x, followed.y))
            if self.arrow.done:
                self._land(self.arrow)
        if self.state == "aim" and self.story_at is not None and self.t >= self.story_at:
            self.state = "story"
            self._open_story()
        if self.state == "aim" and self.time_left is not None and not self.solved:
            self.time_left -= dt
            if self.time_left <= 0:
                self._time_out()

    # --- drawing --------------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        if self.state in ("loading", "stopped"):
            surface.fill(art.SKY_TOP)
            return
        surface.blit(self.sky, (0, 0))
        if self.state == "summary":
            draw_summary(surface, self.summary.correct, self.summary.total, self.summary.score, self.buttons,
                         self.focus, self.top, self.my_place, self.lang)
            return
        self._draw_status(surface)
        if self.state == "story":  # the card has the screen: the idiom is on it, the progress stays above it
            draw_story_card(surface, self.round, self.solved, self.next_button, self.lang, self.band,
                            self._card_top())
            return
        for lantern in self.field.placed(self.t):
            self.sprites.blit(surface, lantern)
        self.particles.draw(surface)
        self.stars.draw(surface)
        if self.flash is not None and self.t - self.flash < 0.4:  # one soft ring per hit, never a strobe
            k = (self.t - self.flash) / 0.4
            pygame.draw.circle(surface, (255, 250, 220), self.feedback[3] if self.feedback else self.bow,
                               int(L.px(40, self.size) + L.px(160, self.size) * k), max(2, L.px(4, self.size)))
        if self.arrow is not None:
            art.draw_flight(surface, self.arrow, L.unit(self.size))
        art.draw_bow(surface, self.bow, self.aim, self.arrow is None and self.state == "aim", L.unit(self.size))
        if self.state == "aim" and not self.solved:
            art.draw_aim(surface, self.aim, self.field.at(self.t, *self.aim) is not None, L.unit(self.size))
        draw_idiom_banner(surface, self.round, self.level.pinyin != PINYIN_NONE, self.show_blank_pinyin,
                          self.solved, self.lang, pygame.Rect(self.screen.banner))
        self._draw_feedback(surface)
        if self.hinting:
            self._draw_hint(surface)
        if self.glow is not None:
            self.glow.apply(surface)

    def _draw_status(self, surface: pygame.Surface) -> None:
        draw_status(surface, self.index + 1, self.game.total, self.game.score, self.lang)
        if self.time_left is not None and self.state == "aim":
            draw_timer(surface, self.screen.timer, self.time_left, self.level.time_limit, self.lang)
        draw_pips(surface, self.screen.pips, [line.solved for line in self.lines], self.index, self.game.total)

    def _draw_hint(self, surface: pygame.Surface) -> None:
        """How to play, in the first round until the first shot: a hand points at the blank, then taps each
        lantern in turn; 「点一下灯笼，射中缺的字！」 says it in words — in a motion corner how a body shoots
        (「举手瞄准灯笼，拉弓放箭！」, or for 3–5 「举手对准灯笼，停住别动！」: RunContext.body)."""
        places = [blank_box(self.size, self.round, pygame.Rect(self.screen.banner)).midbottom]
        places += [(p.x, p.y + p.radius * 0.2) for p in sorted(self.field.placed(self.t), key=lambda p: (p.y, p.x))]
        _, tip, tap = self.hand.target(self.t, places)
        self.hand.draw(surface, tip, tap)
        how = "lanterns.how_to_play" + (f"_{self.ctx.body}" if self.ctx.body in ("bow", "hold") else "")
        draw_message(surface, [(t(how, self.lang), "prompt")],
                     (self.size[0] / 2, self.screen.message_y), L.px(L.PROMPT_PX, self.size))

    def _draw_feedback(self, surface: pygame.Surface) -> None:
        if self.feedback is None or self.t > self.feedback[2]:
            return
        kind, message, _, where = self.feedback
        u = L.unit(self.size)
        if kind == "hit":
            field = self.screen.field
            centre = (self.size[0] / 2, field[1] + field[3] * 0.45)
            scale = pop_scale(self.t - (self.cheer_at or self.t))
            art.draw_mark(surface, (centre[0], centre[1] - L.px(120, self.size)), True, L.px(110, self.size))
            text_renderer().draw(surface, message, (centre[0], centre[1] + L.px(20, self.size)),
                                 max(L.px(L.PROMPT_PX, self.size), round(L.CHEER_PX * u * scale)), (255, 214, 102),
                                 anchor="midtop", role="prompt")
            return
        if kind == "miss":
            r = self.field.radius  # on the missed lantern's shoulder: the ✗ marks that one
            art.draw_mark(surface, (where[0] + r * 0.9, where[1] - r * 0.7), False, round(r * 0.7))
        parts = [(message, "prompt")]
        if kind == "miss":
            parts.insert(0, (t("lanterns.miss_short", self.lang), "prompt"))
        if message == t("lanterns.hint_sound", self.lang):
            parts.append((self.round.answer_pinyin, "pinyin"))
        draw_message(surface, parts, (self.size[0] / 2, self.screen.message_y), L.px(L.PROMPT_PX, self.size))
