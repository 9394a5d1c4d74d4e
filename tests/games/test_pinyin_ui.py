"""Pinyin on the games' words (buttons, status lines, story-card headings, chain messages) when the level shows it."""
from __future__ import annotations

import os

import numpy as np
import pygame
import pytest

from experiences.runtime import InputEvent, create_experience
from games.chain import view
from games.lanterns.hud import banner_rect, draw_status
from games.ui.text import pinyin_shown, show_pinyin, text_renderer
from games.ui.widgets import INK, RUBY, Button, button_rect

SHOTS = os.environ.get("YUEDU_SHOTS")


def save(surface, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        pygame.image.save(surface, os.path.join(SHOTS, name + ".png"))


@pytest.fixture
def surface():
    pygame.init()
    return pygame.Surface((1280, 720))


@pytest.fixture(autouse=True)
def pinyin_off_after():
    yield
    show_pinyin(False)


def near(surface: pygame.Surface, rect: pygame.Rect, color, tolerance: int = 40) -> np.ndarray:
    """(x, y) pairs inside `rect` whose colour is within `tolerance` of `color`; for RUBY any clearly red pixel
    (small pinyin is mostly anti-aliased edge, blended with the paper)."""
    pixels = pygame.surfarray.array3d(surface.subsurface(rect)).astype(int)
    if color == RUBY:
        mask = (pixels[:, :, 0] - pixels[:, :, 1] > 45) & (pixels[:, :, 0] < 230)
    else:
        mask = np.abs(pixels - np.array(color)).sum(axis=2) < tolerance
    xs, ys = np.nonzero(mask)
    return np.stack([xs + rect.left, ys + rect.top], axis=1)


def run(exp, surface, seconds, dt=1 / 30):
    for _ in range(int(seconds / dt)):
        exp.update(dt)
    exp.draw(surface)


def open_story_card(exp, surface):
    answer = exp.field.find(exp.t, exp.round.answer)
    exp.handle(InputEvent("pointer_down", answer.x, answer.y, source="touch"))
    run(exp, surface, 2.0)
    assert exp.state == "story"


@pytest.mark.parametrize("band, shown", [("3-5", True), ("6-8", True), ("9-12", False), ("13+", False)])
def test_next_button_has_a_pinyin_row_only_when_the_level_shows_pinyin(run_context, surface, band, shown):
    package, ctx, _, _ = run_context("org.yuedu.idioms.children", age_band=band, seed=3)
    exp = create_experience(package, ctx)
    exp.start()
    assert pinyin_shown() is shown
    open_story_card(exp, surface)
    save(surface, f"pinyin_story_{band}")
    inner = exp.next_button.rect.inflate(-12, -12)
    ruby, ink = near(surface, inner, RUBY), near(surface, inner, INK)
    assert len(ink) > 50, "the label is drawn"
    if shown:
        assert len(ruby) > 20, "syllables drawn in the button"
        assert ruby[:, 1].mean() < ink[:, 1].mean(), "the pinyin row sits above the label"
    else:
        assert len(ruby) == 0


def test_youngest_status_lines_carry_pinyin_and_keep_their_order(run_context, surface):
    package, ctx, _, _ = run_context("org.yuedu.idioms.children", age_band="3-5", seed=4)
    exp = create_experience(package, ctx)
    exp.start()
    run(exp, surface, 0.2)
    save(surface, "pinyin_aim_3-5")
    layer = pygame.Surface((1280, 720), pygame.SRCALPHA)
    draw_status(layer, 1, 8, 0, "zh-CN")
    plain = pygame.Surface((1280, 720), pygame.SRCALPHA)
    show_pinyin(False)
    draw_status(plain, 1, 8, 0, "zh-CN")
    rows = lambda s: np.nonzero(pygame.surfarray.array_alpha(s)[:380].max(axis=0) > 0)[0]  # noqa: E731
    with_pinyin, without = rows(layer), rows(plain)
    assert with_pinyin[-1] - with_pinyin[0] > without[-1] - without[0], "a pinyin row above the status line"
    # the left column stays clear of the idiom banner in the middle
    columns = np.nonzero(pygame.surfarray.array_alpha(layer)[:, :160].max(axis=1) > 0)[0]
    assert columns[columns < 640].max() < banner_rect((1280, 720)).left


def test_button_label_with_pinyin_stays_inside_its_rect():
    show_pinyin(True)
    for label, icon in (("下一个", "next"), ("再玩一次", "again"), ("今天就玩到这里吧", "done"), ("提示", "hint")):
        rect = button_rect((400, 300), label, 36 if icon != "hint" else 30)
        layer = pygame.Surface((800, 600), pygame.SRCALPHA)
        Button(label, label, rect, icon).draw(layer, focused=True)
        alpha = pygame.surfarray.array_alpha(layer)
        outside = alpha.copy()
        outside[rect.left:rect.right, rect.top:rect.bottom] = 0
        assert outside.max() == 0, label
        # the pinyin row keeps clear of the border: no syllable pixel in the band just inside it
        inner = rect.inflate(-16, -10)
        strays = [(x, y) for x, y in near(layer, rect, RUBY) if not inner.collidepoint(x, y)]
        assert not strays, (label, strays[:3])
        assert len(near(layer, inner, RUBY)) > 10, label


def test_an_english_label_is_unchanged_by_pinyin():
    rect = button_rect((200, 100), "Next")
    on, off = pygame.Surface((400, 200)), pygame.Surface((400, 200))
    show_pinyin(True)
    Button("next", "Next", rect, "next").draw(on)
    assert button_rect((200, 100), "Next") == rect
    show_pinyin(False)
    Button("next", "Next", rect, "next").draw(off)
    assert pygame.image.tobytes(on, "RGB") == pygame.image.tobytes(off, "RGB")


def test_chain_message_with_pinyin_ends_above_the_cards(run_context, surface):
    package, ctx, _, _ = run_context("org.yuedu.idioms.chain", age_band="3-5", seed=11)
    exp = create_experience(package, ctx)
    exp.start()
    assert pinyin_shown()
    exp._hint()
    exp.draw(surface)
    save(surface, "pinyin_chain_3-5")
    layer = pygame.Surface((1280, 720), pygame.SRCALPHA)
    view.draw_message(layer, exp.layout, exp.message, readings=exp.message_readings)
    alpha = pygame.surfarray.array_alpha(layer)
    rows = np.nonzero(alpha.max(axis=0) > 0)[0]
    assert rows[-1] < min(card.rect.top for card in exp.cards)
    assert len(near(surface, exp.hint_button.rect.inflate(-12, -12), RUBY)) > 10
    # "the chain so far" at the top right has its pinyin row above it
    from experiences import drawlog
    with drawlog.recording() as log:
        exp.draw(surface)
    counter = next(t for t in log.texts if t.text.startswith("已接"))
    assert counter.ruby_size and counter.box[0] + counter.box[2] > 1100 and counter.box[1] < 40


def test_chain_prompt_reads_the_quoted_link_as_it_sounds_in_its_idiom(run_context):
    package, ctx, _, _ = run_context("org.yuedu.idioms.chain", age_band="3-5", seed=11)
    exp = create_experience(package, ctx)
    exp.start()
    from experiences.pinyin import pinyin_for

    link, syllable = exp.game.last[-1], exp.dictionary.words[exp.game.last].pinyin[-1]
    quoted = exp.message.index(f"“{link}”") + 1
    assert pinyin_for(exp.message, exp.message_readings)[quoted] == syllable


@pytest.mark.parametrize("band, shown", [("6-8", True), ("9-12", False)])
def test_story_text_has_pinyin_for_young_readers(run_context, surface, band, shown, monkeypatch):
    """The meaning, origin and example lines are drawn with pinyin exactly when the level shows it."""
    package, ctx, _, _ = run_context("org.yuedu.idioms.children", age_band=band, seed=3)
    exp = create_experience(package, ctx)
    exp.start()
    renderer = text_renderer()
    drawn = []
    original = renderer.draw

    def recording_draw(surface, text, *args, **kwargs):
        drawn.append((text, kwargs.get("pinyin", False)))
        return original(surface, text, *args, **kwargs)

    monkeypatch.setattr(renderer, "draw", recording_draw)
    open_story_card(exp, surface)
    explanation = exp.round.idiom.explanation
    body = [flag for text, flag in drawn if text and text in explanation and len(text) > 2]
    assert body, "the meaning is drawn"
    assert all(flag is shown for flag in body)
