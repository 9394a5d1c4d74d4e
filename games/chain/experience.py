"""成语接龙 on the runtime contract: the kiosk and the child take turns; the child picks from candidate cards.

States: "child" (cards shown; on the first turn a hand shows how to play) → "kiosk" (first a celebration of the
child's link: stars, the word grows, a chime; then the kiosk thinks and replies) → ... → "end" (a kind ending
with the score as stars). Young bands (3–5, 6–8) play within the children's 500 with the same-sound rule on.
"""
from __future__ import annotations

import math
import random
import re

import pygame

from experiences import drawlog
from experiences.engagement import Item, build_result
from experiences.i18n import t
from experiences.runtime import Experience, InputEvent
from games.chain import view
from games.idioms.chain import CHILD, END_CHILD_STUCK, END_KIOSK_STUCK, ChainGame, ChainRules, young_dictionary
from games.idioms.dictionary import dictionary_for
from games.idioms.levels import age_band_of, level_for, shows_pinyin
from games.idioms.glyphs import default_glyphs
from games.ui.sound import SoundBank
from games.ui.text import show_pinyin, use_renderer
from games.ui.widgets import Button

KIOSK_PAUSE = 1.4  # seconds between the child's move and the kiosk's reply: time to read
CHEER = 0.9  # the first part of that pause celebrates the child's link
YOUNG_BANDS = ("3-5", "6-8")  # they play within the children's list, linking by sound as well


class ChainExperience(Experience):
    def __init__(self, package, ctx):
        super().__init__(package, ctx)
        content = package.manifest.content
        self.lang = ctx.language
        self.rng = random.Random(ctx.services.get("seed"))
        self.band = age_band_of(ctx, package)
        # The youngest play within the children's list: by sound as well, or 336 of its 500 idioms are dead ends.
        self.young = self.band in tuple(content.get("young_bands", YOUNG_BANDS))
        self.rules = ChainRules(same_pinyin=self.young or bool(content.get("same_pinyin", False)))
        self.card_count = int(content.get("candidates", 4))
        self.max_turns = int(content.get("max_turns", 12))
        self.sounds = ctx.services.get("sounds") or SoundBank(ctx.config.audio.volume_cap)
        use_renderer(ctx.services.get("fonts"))  # the kiosk's text renderer when it gives one
        show_pinyin(shows_pinyin(level_for(self.band, content.get("levels"))))
        self.size = ctx.size
        self.state = "loading"
        self.t = 0.0  # seconds since start, for the animations
        self.cheer_t = 0.0

    def start(self) -> None:
        full = dictionary_for(self.package, self.ctx.catalog)
        preferred = self.package.source.read_json(self.package.manifest.content["preferred"])
        self.preferred = frozenset(w for w in preferred if isinstance(w, str) and w in full)
        self.dictionary = young_dictionary(full, self.preferred) if self.young else full
        self.background = view.background(self.size)
        self.game = ChainGame(self.dictionary, self.rules, self.preferred, self.rng, self.card_count,
                              self.max_turns, default_glyphs().drawable)
        self.game.start()
        self.game_started = self.ctx.clock.now()
        self.message = ""
        self.message_readings: dict[str, tuple[str, ...]] = {}  # how the idioms a message quotes are read
        self.kiosk_in: float | None = None
        self.first_turn = True  # the hand shows how to play until the child's first good link
        self._child_turn()

    def visit_summary(self) -> str | None:
        """For the kiosk's goodbye: the idioms the child linked so far."""
        links = self.game.movers.count(CHILD) if hasattr(self, "game") else 0
        return t("chain.visit_links", self.lang, count=links) if links else None

    # --- turns ----------------------------------------------------------------------------------------------
    def _child_turn(self) -> None:
        if self.game.over:
            self._end()
            return
        self.state = "child"
        words = [(w, tuple(self.dictionary.words[w].pinyin)) for w in self.game.cards]  # the reviewed readings
        self.layout = view.layout(self.size, words, t("chain.hint", self.lang))
        if self.first_turn and words:
            # The first turn's hand taps a right card and reaches below it: put that card in the last row.
            last_row = min(i for i, r in enumerate(self.layout.cards) if r.top == self.layout.cards[-1].top)
            right = next(i for i, (w, _) in enumerate(words) if self.game.is_valid(w))
            words.insert(last_row, words.pop(right))
        self.cards = [view.Card(w, p, r) for (w, p), r in zip(words, self.layout.cards)]
        self.focus = 0
        self.turn_started = self.ctx.clock.now()
        self.picks: list[str] = []
        self.turn_hints = 0
        link = self.game.last[-1]
        self.message_readings = self._readings(self.game.last, -1)
        if self.rules.same_pinyin:
            self.message = t("chain.your_turn_same_pinyin", self.lang, char=link,
                             pinyin=self.dictionary.words[self.game.last].pinyin[-1])
        else:
            self.message = t("chain.your_turn", self.lang, char=link)
        self.hint_button = Button("hint", t("chain.hint", self.lang), self.layout.hint, "hint")

    def _pick(self, card: view.Card) -> None:
        if card.state == "wrong":
            return
        self.picks.append(card.word)
        if self.game.play_child(card.word):
            card.state = "right"
            self.sounds.play("hit")
            self._report_turn(card.word)
            self.first_turn = False
            self.cheer_t = 0.0
            self.message = t("chain.good", self.lang)
            self.message_readings = {}
            if self.game.over:
                self._end()
            else:
                self.state = "kiosk"
                self.kiosk_in = KIOSK_PAUSE
        else:
            card.state = "wrong"
            self.sounds.play("miss")
            self.message = t("chain.not_valid", self.lang, word=card.word, char=self.game.last[-1])
            self.message_readings = {**self._readings(card.word, *range(len(card.word))),
                                     **self._readings(self.game.last, -1)}

    def _report_turn(self, word: str) -> None:
        self.ctx.reporter.report(
            "answered",
            Item("idiom", word, {"zh-CN": word}, activity_type="question"),
            build_result(success=len(self.picks) == 1, response=",".join(self.picks),
                         duration=self.ctx.clock.now() - self.turn_started,
                         extensions={"attempts": len(self.picks), "hints": self.turn_hints,
                                     "follows": self.game.chain[-2], "chain-length": len(self.game.chain)}))

    def _hint(self) -> None:
        self.turn_hints += 1
        hint = self.game.hint()
        self.sounds.play("card")
        if hint["kind"] == "sound":
            self.message = t("chain.hint_sound", self.lang, char=hint["char"], pinyin=hint["pinyin"])
        else:
            for card in self.cards:
                if card.word == hint["word"]:
                    card.state = "hinted"
            meaning = re.split(r"[，。；：,;]", hint["meaning"])[0].strip()  # its first clause, never cut
            if meaning and len(meaning) <= 14:
                self.message = t("chain.hint_text", self.lang, start=hint["word"][0], meaning=meaning)
            else:
                self.message = t("chain.hint_card", self.lang, start=hint["word"][0])
            self.message_readings = self._readings(hint["word"], 0)

    def _readings(self, word: str, *positions: int) -> dict[str, tuple[str, ...]]:
        """How a message reads the characters at `positions` of the idiom `word` when it quotes them: “了” that
        starts 了如指掌 is liǎo, though pypinyin reads a lone 了 as the particle le. Keyed by the quoted text the
        catalog's templates use (“X” for one character, the bare word for a whole idiom)."""
        idiom = self.dictionary.words.get(word)
        if idiom is None:
            return {}
        if len(positions) == len(word):
            return {word: tuple(idiom.pinyin)}
        return {f"“{word[i]}”": ("", idiom.pinyin[i], "") for i in positions}

    def _readings_of(self, words) -> dict[str, tuple[str, ...]]:
        return {w: tuple(self.dictionary.words[w].pinyin) for w in words if w in self.dictionary}

    def _kiosk_move(self) -> None:
        self.kiosk_in = None
        word = self.game.play_kiosk()
        if word is not None:
            self.sounds.play("card")
        self._child_turn()

    def _end(self) -> None:
        self.state = "end"
        game = self.game
        child_moves = game.movers.count(CHILD)
        key = {END_CHILD_STUCK: "chain.end_no_move", END_KIOSK_STUCK: "chain.end_kiosk_stuck"}.get(
            game.end_reason, "chain.end_max")
        self.message = t(key, self.lang, char=game.last[-1], count=len(game.chain))
        self.message_readings = self._readings(game.last, -1)
        possible = max(1, self.child_turns)
        self.ctx.reporter.report("scored", result=build_result(
            score=child_moves, score_max=possible, success=child_moves > 0,
            extensions={"chain-length": len(game.chain), "hints": game.hints_used, "end": game.end_reason}))
        self.ctx.reporter.report("completed", result=build_result(
            completion=True, duration=self.ctx.clock.now() - self.game_started))
        self.layout = view.layout(self.size, [])
        self.score_line = t("chain.score", self.lang, count=child_moves) if child_moves else t(
            "chain.score_none", self.lang)
        self.buttons = view.end_buttons(self.layout, [("again", t("chain.play_again", self.lang), "again"),
                                                      ("done", t("chain.done", self.lang), "done")],
                                        view.score_bottom(self.layout, self.score_line) + view.px(48, self.layout.s))
        self.focus = 0

    # --- input and time -------------------------------------------------------------------------------------
    def handle(self, event: InputEvent) -> None:
        if event.type == "action" and event.action == "back":
            self.finished = True
            return
        if self.state == "child":
            self._handle_cards(event)
        elif self.state == "end":
            targets = self.buttons
            if event.type == "pointer_down":
                chosen = next((b for b in targets if b.hit(event.x, event.y)), None)
            elif event.type == "action" and event.action in ("left", "right"):
                self.focus = (self.focus + (1 if event.action == "right" else -1)) % len(targets)
                chosen = None
            else:
                chosen = targets[self.focus] if event.type == "action" and event.action == "select" else None
            if chosen is not None:
                if chosen.key == "again":
                    self.start()
                else:
                    self.finished = True

    def _handle_cards(self, event: InputEvent) -> None:
        if event.type == "pointer_down":
            if self.hint_button.hit(event.x, event.y):
                self._hint()
                return
            card = next((c for c in self.cards if c.rect.collidepoint(event.x, event.y)), None)
            if card is not None:
                self.focus = self.cards.index(card)
                self._pick(card)
        elif event.type == "action":
            if event.action in ("left", "right", "up", "down"):
                step = {"left": -1, "right": 1, "up": -3, "down": 3}[event.action]
                self.focus = (self.focus + step) % len(self.cards)
            elif event.action == "select":
                self._pick(self.cards[self.focus])
            elif event.action == "hint":
                self._hint()

    def test_targets(self) -> dict[str, pygame.Rect]:
        """Where things are, for the kiosk's read-only test hook (docs/kiosk-shell.md): a card that follows the
        chain and one that does not (when there is one), the hint button, the ending's buttons."""
        targets: dict[str, pygame.Rect] = {}
        if self.state == "child":
            for card in self.cards:
                if card.state != "wrong":
                    name = "card:right" if self.game.is_valid(card.word) else "card:wrong"
                    targets.setdefault(name, card.rect)
            targets["hint"] = self.hint_button.rect
        elif self.state == "end":
            targets.update({button.key: button.rect for button in self.buttons})
        return targets

    def update(self, dt: float) -> None:
        self.t += dt
        self.cheer_t += dt
        if self.state == "kiosk" and self.kiosk_in is not None:
            self.kiosk_in -= dt
            if self.kiosk_in <= 0:
                self._kiosk_move()

    def draw(self, surface: pygame.Surface) -> None:
        if self.state == "loading":
            surface.fill(view.BACKGROUND_TOP)
            return
        surface.blit(self.background, (0, 0))
        game, lay = self.game, self.layout
        cheering = self.state == "kiosk" and self.cheer_t < CHEER
        pulse = math.sin(min(1.0, self.cheer_t / CHEER) * math.pi) if cheering else 0.0
        view.draw_top(surface, lay, game.chain, game.movers, self._readings_of(game.chain[-4:]),
                      t("chain.chain_so_far", self.lang, count=len(game.chain)), game.movers.count(CHILD),
                      self.child_turns, pulse)
        box, link = view.draw_current(surface, lay, game.last, tuple(self.dictionary.words[game.last].pinyin),
                                 1 + 0.25 * pulse)
        if self.state == "kiosk" and not cheering:
            view.draw_message(surface, lay, t("chain.kiosk_thinking", self.lang))
            view.draw_thinking(surface, lay, self.t)
        else:
            view.draw_message(surface, lay, self.message, readings=self.message_readings)
        if cheering:
            view.draw_celebration(surface, lay, box, self.cheer_t)
        elif self.state == "child":
            for i, card in enumerate(self.cards):
                view.draw_card(surface, lay, card, i == self.focus)
            self.hint_button.draw(surface)
            drawlog.note_box(f"button:{self.hint_button.label}", tuple(self.hint_button.rect), "buttons")
            if self.first_turn:
                right = max((c for c in self.cards if c.state != "wrong" and self.game.is_valid(c.word)),
                            key=lambda c: c.rect.top, default=None)
                if right is not None:
                    view.draw_hand_hint(surface, lay, link, view.first_char_point(lay, right), self.t)
        elif self.state == "end":
            view.draw_score(surface, lay, self.score_line, game.movers.count(CHILD), self.child_turns)
            view.draw_buttons(surface, self.buttons, self.focus)

    @property
    def child_turns(self) -> int:
        """How many turns the child gets in a full game (the kiosk opens, then they alternate)."""
        return self.max_turns // 2

    # --- the contact sheet and the screen tests --------------------------------------------------------------
    def shot_states(self):
        """first (the hand shows how to play) → wrong (a card that does not link) → right (the celebration) →
        kiosk (the kiosk thinks) → end (played on with right cards until the game ends)."""
        yield "first"
        wrong = next((c for c in self.cards if not self.game.is_valid(c.word)), None)
        if wrong is not None:
            self.handle(InputEvent("pointer_down", *wrong.rect.center, source="touch"))
            yield "wrong"
        right = next(c for c in self.cards if self.game.is_valid(c.word))
        self.handle(InputEvent("pointer_down", *right.rect.center, source="touch"))
        for _ in range(20):  # about a third of a second into the burst
            yield None
        yield "right"
        if self.state == "kiosk":
            self.update(CHEER + 0.1 - self.cheer_t)  # the celebration is over: the kiosk thinks
            yield "kiosk"
        for _ in range(self.max_turns * 2):  # play on with right cards (the kiosk's pauses passed at once)
            if self.state == "kiosk":
                self.update(KIOSK_PAUSE)
            if self.state != "child":
                break
            right = next(c for c in self.cards if self.game.is_valid(c.word))
            self.handle(InputEvent("pointer_down", *right.rect.center, source="touch"))
            yield None
        yield "end"
