"""成语论箭 on the runtime contract: rounds from games.idioms, lanterns and arrow on screen, xAPI per answer.

States: "aim" (lanterns sway, the child aims and shoots) → "story" (after a hit or time-out) → next round …
→ "summary" (score, nickname for the daily top list, play again or done).
"""
from __future__ import annotations

import random
from datetime import date

import pygame

from experiences.i18n import t
from experiences.pinyin import pinyin_for
from experiences.runtime import Experience, InputEvent
from games.idioms.dictionary import dictionary_for, idioms_from_package
from games.idioms.glyphs import default_glyphs
from games.idioms.levels import PINYIN_ALL, PINYIN_NONE, age_band_of, level_for, shows_pinyin
from games.idioms.pinyin import readings
from games.idioms.toplist import DailyTopList, nickname_ids, nickname_text
from games.lanterns import draw as art
from games.lanterns.field import Arrow, LanternField
from games.lanterns.hud import draw_idiom_banner, draw_status, draw_story_card, draw_summary, story_card_rect
from games.lanterns.particles import FlashLimiter, Particles
from games.lanterns.play import HIT, MISS_PINYIN, LanternGame
from games.ui.sound import SoundBank
from games.ui.text import pinyin_shown, show_pinyin, text_renderer, use_renderer
from games.ui.widgets import Button, button_rect

STORY_DELAY = 0.8  # seconds of burst before the story card


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

    # --- lifecycle ------------------------------------------------------------------------------------------
    def start(self) -> None:
        self.dictionary = dictionary_for(self.package, self.ctx.catalog)
        glyphs = default_glyphs()
        pool = [i for i in idioms_from_package(self.package) if i.word in self.dictionary and glyphs.drawable(i.word)]
        self.game = LanternGame(pool, self.dictionary, self.level, self.rng, self.ctx.reporter, self.ctx.clock.now,
                                self.band, self.rounds_total)
        self.sky = art.night_sky(self.size)
        self.particles = Particles(self.rng.randrange(2**31))
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
        self.field = LanternField(self.round.chars(), self.size, self.level.speed, self.rng)
        syllables = {c: self._reading(c) for c in self.round.chars()}
        self.sprites = art.LanternSprites(syllables, self.field.radius, self.level.pinyin == PINYIN_ALL)
        self.t = 0.0
        self.time_left = self.level.time_limit if self.level.timed else None
        self.arrow: Arrow | None = None
        self.aim = (self.size[0] / 2, self.size[1] * 0.5)
        self.aim_char: str | None = None
        self.feedback: tuple[str, str, float, tuple] | None = None  # (kind, text, until, where)
        self.story_at: float | None = None
        self.flash: float | None = None
        self.state = "aim"

    def _reading(self, char: str) -> str:
        if char == self.round.answer:
            return self.round.answer_pinyin
        return (readings(char) or ("",))[0]

    @property
    def bow(self) -> tuple[float, float]:
        return (self.size[0] / 2, self.size[1] - 40)

    def _shoot(self) -> None:
        if self.state != "aim" or self.arrow is not None:
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
            self.particles.burst(*where, count=90)
            self.sounds.play("burst")
            self.sounds.play("hit")
            if self.flashes.allow(self.play_time):
                self.flash = self.t
            self.field.remove(set(self.round.chars()) - {self.round.answer})  # the hit lantern bursts
            self.feedback = ("hit", t("lanterns.hit", self.lang), self.t + STORY_DELAY, where)
            self.story_at = self.t + STORY_DELAY
            return
        self.sounds.play("miss")
        if outcome == MISS_PINYIN:
            help_text = t("lanterns.hint_pinyin", self.lang, pinyin=self.round.answer_pinyin)
        else:
            self.field.remove(set(self.round.chars()))
            help_text = t("lanterns.hint_fewer", self.lang)
        self.feedback = ("miss", help_text, self.t + 2.5, where)

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
        card = story_card_rect(self.size)
        label = t("lanterns.next", self.lang)
        self.next_button = Button("next", label, button_rect((card.centerx, card.bottom - 56), label), "next")

    # --- summary and top list -------------------------------------------------------------------------------
    def _summary(self) -> None:
        self.state = "summary"  # the statements were reported by the game when its last round ended
        self.top = None
        self.my_place = None
        self._summary_buttons()

    def _summary_buttons(self) -> None:
        width, height = self.size
        self.buttons: list[Button] = []
        if self.top is None:
            ids = nickname_ids()
            cols = 4
            for i, nick in enumerate(ids):
                row, col = divmod(i, cols)
                rect = pygame.Rect(0, 0, 250, 76)
                rect.center = (width / 2 + (col - (cols - 1) / 2) * 270, 250 + row * 90)
                label = nickname_text(nick, self.lang)
                ruby = tuple(pinyin_for(label)) if self.lang == "zh-CN" else ()  # read as a word: 小燕子 zi
                self.buttons.append(Button("nick:" + nick, label, rect, ruby=ruby))
        for key, icon, x in (("again", "again", width / 2 - 180), ("done", "done", width / 2 + 180)):
            label = t(f"lanterns.{'play_again' if key == 'again' else 'done'}", self.lang)
            self.buttons.append(Button(key, label, button_rect((x, height - 70), label), icon))
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
                self.aim_char, self.aim = target.char, (target.x, target.y)
            elif event.action == "select":
                self._shoot()
            elif event.action == "hint":
                self.game.hint()
                self.feedback = ("hint", t("lanterns.hint_pinyin", self.lang, pinyin=self.round.answer_pinyin),
                                 self.t + 3.0, self.aim)

    def _handle_summary(self, event: InputEvent) -> None:
        if event.type == "pointer_down":
            for button in self.buttons:
                if button.hit(event.x, event.y):
                    self._press(button)
                    return
        elif event.type == "action" and event.action in ("left", "right", "up", "down"):
            step = {"left": -1, "right": 1, "up": -4, "down": 4}[event.action]
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

    # --- time -----------------------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        if self.state not in ("aim", "story"):
            return
        self.t += dt
        self.play_time += dt
        self.particles.update(dt)
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
        for lantern in self.field.placed(self.t):
            self.sprites.blit(surface, lantern)
        self.particles.draw(surface)
        if self.flash is not None and self.t - self.flash < 0.4:  # one soft ring per hit, never a strobe
            k = (self.t - self.flash) / 0.4
            pygame.draw.circle(surface, (255, 250, 220), self.feedback[3] if self.feedback else self.bow,
                               int(40 + 160 * k), 4)
        if self.arrow is not None:
            art.draw_flight(surface, self.arrow)
        art.draw_bow(surface, self.bow, self.aim, drawn=self.arrow is None and self.state == "aim")
        if self.state == "aim":
            art.draw_aim(surface, self.aim, self.field.at(self.t, *self.aim) is not None)
        draw_idiom_banner(surface, self.round, self.level.pinyin != PINYIN_NONE, self.show_blank_pinyin,
                          self.solved, self.lang)
        draw_status(surface, self.index + 1, self.game.total, self.game.score, self.time_left, self.level.time_limit,
                    self.lang)
        self._draw_feedback(surface)
        if self.glow is not None:
            self.glow.apply(surface)
        if self.state == "story":
            draw_story_card(surface, self.round, self.solved, self.next_button, self.lang)

    def _draw_feedback(self, surface: pygame.Surface) -> None:
        if self.feedback is None or self.t > self.feedback[2]:
            return
        kind, message, _, where = self.feedback
        if kind in ("hit", "miss"):
            art.draw_mark(surface, (where[0], where[1] - self.field.radius * 1.6), kind == "hit", 60)
        text_renderer().draw(surface, message, (self.size[0] / 2, self.size[1] - 120), 36, (255, 250, 230),
                             anchor="midbottom", pinyin=pinyin_shown())
