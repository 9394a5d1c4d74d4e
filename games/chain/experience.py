"""成语接龙 on the runtime contract: the kiosk and the child take turns; the child picks from candidate cards.

States: "child" (cards shown) → "kiosk" (a short pause, then the kiosk's idiom) → ... → "end" (a kind ending).
"""
from __future__ import annotations

import random

import pygame

from experiences.engagement import Item, build_result
from experiences.i18n import t
from experiences.runtime import Experience, InputEvent
from games.chain import view
from games.idioms.chain import CHILD, END_CHILD_STUCK, END_KIOSK_STUCK, ChainGame, ChainRules
from games.idioms.dictionary import dictionary_for
from games.idioms.levels import age_band_of, level_for, shows_pinyin
from games.idioms.glyphs import default_glyphs
from games.ui.sound import SoundBank
from games.ui.text import pinyin_shown, show_pinyin, text_renderer, use_renderer
from games.ui.widgets import Button, button_rect

KIOSK_PAUSE = 1.4  # seconds between the child's move and the kiosk's reply: time to read


class ChainExperience(Experience):
    def __init__(self, package, ctx):
        super().__init__(package, ctx)
        content = package.manifest.content
        self.lang = ctx.language
        self.rng = random.Random(ctx.services.get("seed"))
        self.rules = ChainRules(same_pinyin=bool(content.get("same_pinyin", False)))
        self.card_count = int(content.get("candidates", 4))
        self.max_turns = int(content.get("max_turns", 12))
        self.sounds = ctx.services.get("sounds") or SoundBank(ctx.config.audio.volume_cap)
        use_renderer(ctx.services.get("fonts"))  # the kiosk's text renderer when it gives one
        show_pinyin(shows_pinyin(level_for(age_band_of(ctx, package), content.get("levels"))))
        self.size = ctx.size
        self.state = "loading"

    def start(self) -> None:
        self.dictionary = dictionary_for(self.package, self.ctx.catalog)
        preferred = self.package.source.read_json(self.package.manifest.content["preferred"])
        self.preferred = frozenset(w for w in preferred if isinstance(w, str) and w in self.dictionary)
        self.background = view.background(self.size)
        self.game = ChainGame(self.dictionary, self.rules, self.preferred, self.rng, self.card_count,
                              self.max_turns, default_glyphs().drawable)
        self.game.start()
        self.game_started = self.ctx.clock.now()
        self.message = ""
        self.message_readings: dict[str, tuple[str, ...]] = {}  # how the idioms a message quotes are read
        self.kiosk_in: float | None = None
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
        rects = view.card_layout(len(self.game.cards), self.size)
        self.cards = [view.Card(w, self.dictionary.words[w].pinyin, r) for w, r in zip(self.game.cards, rects)]
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
        label = t("chain.hint", self.lang)
        self.hint_button = Button("hint", label, button_rect((self.size[0] - 150, self.size[1] * 0.25), label, 30),
                                  "hint")

    def _pick(self, card: view.Card) -> None:
        if card.state == "wrong":
            return
        self.picks.append(card.word)
        if self.game.play_child(card.word):
            card.state = "right"
            self.sounds.play("hit")
            self._report_turn(card.word)
            self.message = t("chain.good", self.lang)
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
            meaning = hint["meaning"].split("。")[0][:16]  # the first sentence, short enough for one line
            self.message = t("chain.hint_text", self.lang, start=hint["word"][0], meaning=meaning)
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
        possible = max(1, (self.max_turns - 1 + 1) // 2)
        self.ctx.reporter.report("scored", result=build_result(
            score=child_moves, score_max=possible, success=child_moves > 0,
            extensions={"chain-length": len(game.chain), "hints": game.hints_used, "end": game.end_reason}))
        self.ctx.reporter.report("completed", result=build_result(
            completion=True, duration=self.ctx.clock.now() - self.game_started))
        self.buttons = []
        for key, icon, x in (("again", "again", self.size[0] / 2 - 180), ("done", "done", self.size[0] / 2 + 180)):
            label = t(f"chain.{'play_again' if key == 'again' else 'done'}", self.lang)
            self.buttons.append(Button(key, label, button_rect((x, self.size[1] - 90), label), icon))
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
        if self.state == "kiosk" and self.kiosk_in is not None:
            self.kiosk_in -= dt
            if self.kiosk_in <= 0:
                self._kiosk_move()

    def draw(self, surface: pygame.Surface) -> None:
        if self.state == "loading":
            surface.fill(view.BACKGROUND_TOP)
            return
        surface.blit(self.background, (0, 0))
        game = self.game
        view.draw_chain_strip(surface, game.chain, game.movers)
        text_renderer().draw(surface, t("chain.chain_so_far", self.lang, count=len(game.chain)),
                             (self.size[0] - 24, 24), 28, view.PAPER, anchor="topright", pinyin=pinyin_shown())
        if game.movers[-1] != CHILD:
            text_renderer().draw(surface, t("chain.kiosk_turn", self.lang),
                                 (self.size[0] / 2 - 250, self.size[1] * 0.25 + 20), 30, (230, 220, 190),
                                 anchor="midright", pinyin=pinyin_shown())
        view.draw_current(surface, game.last, self.dictionary.words[game.last].pinyin, self.size[1] * 0.25)
        view.draw_message(surface, self.message, self.size[1] * 0.37, readings=self.message_readings)
        if self.state in ("child", "kiosk"):
            for i, card in enumerate(self.cards):
                view.draw_card(surface, card, self.state == "child" and i == self.focus)
            if self.state == "child":
                self.hint_button.draw(surface)
        elif self.state == "end":
            view.draw_buttons(surface, self.buttons, self.focus)
