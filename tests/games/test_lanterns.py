"""成语论箭 through the Experience API, headless: each screen drawn, a scripted game, its xAPI statements."""
from __future__ import annotations

import os

import pygame
import pytest

from experiences.engagement import extension_iri
from experiences.runtime import InputEvent, create_experience
from games.idioms.toplist import nickname_ids
from experiences import drawlog

SHOTS = os.environ.get("YUEDU_SHOTS")  # set to a folder to keep the screenshots for a look
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


def save(surface, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        pygame.image.save(surface, os.path.join(SHOTS, name + ".png"))


def run(exp, surface, seconds, dt=1 / 60):
    for _ in range(int(seconds / dt)):
        exp.update(dt)
    exp.draw(surface)


def lantern_at(exp, char):
    return exp.field.find(exp.t, char)


def shoot_at(exp, char, surface, via="pointer"):
    lantern = lantern_at(exp, char)
    if via == "pointer":
        exp.handle(InputEvent("pointer_down", lantern.x, lantern.y, source="touch"))
    else:
        for _ in range(20):
            if exp.aim_char == char:
                break
            exp.handle(InputEvent("action", action="right", source="keyboard"))
        exp.handle(InputEvent("action", action="select", source="keyboard"))
    assert exp.arrow is not None and exp.arrow.target == char
    run(exp, surface, 0.3)
    save(surface, "flight")
    run(exp, surface, 0.4)


@pytest.fixture
def surface():
    pygame.init()
    return pygame.Surface((1280, 720))


def wrong_char(exp):
    return next(c for c in exp.round.chars() if c != exp.round.answer)


def test_a_scripted_game_reports_every_answer(run_context, surface):
    package, ctx, sink, clock = run_context("org.yuedu.idioms.children", age_band="9-12", seed=5)
    exp = create_experience(package, ctx)
    exp.start()
    assert exp.state == "aim" and len(exp.round.lanterns) == 12 and exp.level.timed
    run(exp, surface, 0.5)
    save(surface, "aim")
    # Round 1: two misses (pinyin help, then fewer lanterns), then a hit.
    first_word = exp.round.idiom.word
    shoot_at(exp, wrong_char(exp), surface)
    assert exp.show_blank_pinyin and exp.attempts == 1 and exp.feedback[0] == "miss"
    save(surface, "miss")
    shoot_at(exp, wrong_char(exp), surface, via="keys")
    assert len(exp.round.lanterns) == 6 and exp.round.answer in exp.round.chars()
    clock.advance(12.5)
    shoot_at(exp, exp.round.answer, surface)
    assert exp.solved and len(exp.particles) > 0
    assert exp.sounds.played[-3:] == ["burst", "hit", "cheer"] and exp.stars.stars  # the cheer: a sound and stars
    run(exp, surface, 1.6)
    assert exp.state == "story"
    save(surface, "story")
    exp.handle(InputEvent("pointer_down", *exp.next_button.rect.center))
    # Round 2: a first-time hit by keyboard.
    assert exp.state == "aim" and exp.index == 1
    shoot_at(exp, exp.round.answer, surface, via="keys")
    run(exp, surface, 1.6)
    exp.handle(InputEvent("action", action="select"))
    # Round 3: the clock runs out.
    run(exp, surface, exp.level.time_limit + 0.5, dt=0.1)
    assert exp.state == "story" and not exp.solved
    save(surface, "timeout")
    exp.handle(InputEvent("action", action="select"))
    assert exp.state == "summary"
    exp.draw(surface)
    save(surface, "summary")

    answered = [s for s in sink.statements if s["verb"]["id"] == ANSWERED]
    assert [s["result"]["success"] for s in answered] == [True, True, False]
    first = answered[0]
    assert first["object"]["id"].endswith("/idiom/" + __import__("urllib.parse").parse.quote(first_word, safe=""))
    assert first["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/question"
    assert first["object"]["definition"]["name"] == {"zh-CN": first_word}
    assert first["result"]["extensions"][extension_iri("attempts")] == 3 and first["result"]["duration"] == "PT12.50S"
    assert len(first["result"]["response"].split(",")) == 3
    assert answered[1]["result"]["extensions"][extension_iri("attempts")] == 1
    assert answered[2]["result"]["extensions"][extension_iri("attempts")] == 0
    verbs = [s["verb"]["display"]["en-US"] for s in sink.statements]
    assert verbs[-2:] == ["scored", "completed"]
    scored = sink.statements[-2]["result"]
    assert scored["score"]["raw"] == exp.summary.score == sum(line.total for line in exp.lines)
    assert scored["extensions"][extension_iri("correct")] == 2 and scored["extensions"][extension_iri("total")] == 3
    assert all(s["context"]["registration"] == ctx.reporter.session.session_id for s in sink.statements)

    # The top list: pick a nickname, see the list, finish. A nickname's pinyin is read as a word (小燕子 zi).
    swallow = next(b for b in exp.buttons if b.label == "小燕子")
    assert swallow.ruby == ("xiǎo", "yàn", "zi")
    nick = next(b for b in exp.buttons if b.key == "nick:" + nickname_ids()[2])
    exp.handle(InputEvent("pointer_down", *nick.rect.center))
    assert exp.my_place == 1 and exp.top[0].score == exp.summary.score
    exp.draw(surface)
    save(surface, "toplist")
    done = next(b for b in exp.buttons if b.key == "done")
    exp.handle(InputEvent("pointer_down", *done.rect.center))
    assert exp.finished


def test_youngest_level_has_no_clock_and_shows_pinyin(run_context, surface):
    package, ctx, sink, clock = run_context("org.yuedu.idioms.children", age_band="3-5")
    exp = create_experience(package, ctx)
    exp.start()
    assert exp.time_left is None and len(exp.round.lanterns) == 5 and exp.round.position == 3
    run(exp, surface, 120, dt=0.5)  # two minutes of thinking: still the same idiom, no time-out
    assert exp.state == "aim" and exp.index == 0 and not [s for s in sink.statements]
    save(surface, "young")


def test_screens_draw_their_key_elements(run_context, surface):
    package, ctx, _, _ = run_context("org.yuedu.idioms.children", age_band="6-8", seed=9)
    exp = create_experience(package, ctx)
    exp.start()
    run(exp, surface, 0.2)
    assert len(set(pygame.transform.scale(surface, (64, 36)).get_view("2").raw)) > 50  # not blank
    # Each lantern is drawn where the field says: red paper around its centre.
    for lantern in exp.field.placed(exp.t):
        x, y = int(lantern.x), int(lantern.y + lantern.radius * 0.75)
        r, g, b, _ = surface.get_at((x, y))
        assert r > 150 and g < 120, (lantern.char, (r, g, b))
    # The idiom banner (paper) is at the top centre; the sky elsewhere is dark.
    assert surface.get_at((640, 10 + 40))[0] > 200
    assert sum(surface.get_at((20, 700))[:3]) < 150
    # The story card covers the middle after a hit.
    shoot_at(exp, exp.round.answer, surface)
    run(exp, surface, 1.6)
    with drawlog.recording() as log:
        exp.draw(surface)
    card = pygame.Rect(next(b.box for b in log.boxes if b.label == "story card"))
    assert card.collidepoint(640, 360) and surface.get_at((card.left + 8, card.centery))[:3] == (250, 240, 215)
    button = exp.next_button.rect
    inside, outside = (button.left + 3, button.centery), (button.left - 20, button.centery)
    assert surface.get_at(inside)[:3] != surface.get_at(outside)[:3]


def test_sounds_stay_under_the_volume_cap(run_context):
    from games.ui.sound import NAMES, SoundBank
    package, ctx, _, _ = run_context("org.yuedu.idioms.children")
    bank = SoundBank(volume_cap=0.3, volume=1.0)
    assert pygame.mixer.get_init(), "the dummy audio driver gives a real mixer headless"
    assert set(bank.sounds) == set(NAMES)
    for name in NAMES:
        assert 0.05 < bank.peak(name) <= 0.3
    exp = create_experience(package, ctx)
    assert exp.sounds.level <= ctx.config.audio.volume_cap


def test_flash_limiter_allows_three_per_second():
    from games.lanterns.particles import FlashLimiter
    limiter = FlashLimiter(3)
    assert [limiter.allow(t / 10) for t in range(10)] == [True, True, True] + [False] * 7
    assert limiter.allow(1.0)


def test_aim_by_pointer_motion_sensor_and_hint(run_context, surface):
    package, ctx, sink, clock = run_context("org.yuedu.idioms.children", age_band="13+", seed=2)
    exp = create_experience(package, ctx)
    exp.start()
    assert exp.level.pinyin == "none" and not exp.show_blank_pinyin
    exp.handle(InputEvent("action", action="hint", source="gamepad"))
    assert exp.show_blank_pinyin and exp.feedback[0] == "hint"
    with drawlog.recording() as log:  # 「缺的字读」 and the syllable, drawn as pinyin (not as Latin words)
        exp.draw(surface)
    assert any(d.text == exp.round.answer_pinyin and d.role == "pinyin" for d in log.texts)
    target = lantern_at(exp, exp.round.answer)
    exp.handle(InputEvent("pointer_move", target.x + 5, target.y - 5, source="mouse"))
    assert exp.field.at(exp.t, *exp.aim).char == exp.round.answer
    # A motion sensor (TUIO) or head pose sends normalised aim; select shoots.
    exp.handle(InputEvent("aim", target.x / 1280, target.y / 720, source="tuio"))
    exp.handle(InputEvent("action", action="select", source="tuio"))
    assert exp.arrow is not None and exp.arrow.target == exp.round.answer
    run(exp, surface, 1.0)
    assert exp.solved
    # Shooting at empty sky is not an answer.
    exp2 = create_experience(package, ctx)
    exp2.start()
    exp2.handle(InputEvent("pointer_down", 640, 180))
    run(exp2, surface, 1.0)
    assert exp2.attempts == 0 and exp2.state == "aim"


def test_draws_with_the_kiosks_text_renderer(run_context, surface):
    from experiences.text import TextRenderer
    from games.ui.text import text_renderer
    fonts = TextRenderer()
    package, ctx, _, _ = run_context("org.yuedu.idioms.children", services={"fonts": fonts})
    exp = create_experience(package, ctx)
    exp.start()
    exp.draw(surface)
    assert text_renderer() is fonts and fonts._cache  # the status line went through it


def test_story_card_reads_the_idiom_aloud_when_the_package_has_recordings(make_dictionary_package,
                                                                          make_lanterns_package, children, run_context,
                                                                          surface, tmp_path):
    import wave

    import numpy as np

    from experiences.catalog import Catalog
    records = children[:4]
    package = make_lanterns_package(records, extra='audio = "audio/"\nrounds = 2\n', name="spoken")
    (package.path / "audio").mkdir()
    for r in records:  # a short tone stands in for a reading
        with wave.open(str(package.path / "audio" / f"{r['word']}.wav"), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(22050)
            out.writeframes((np.sin(np.arange(2205) / 5) * 8000).astype(np.int16).tobytes())
    _, ctx, _, _ = run_context("org.yuedu.idioms.children")
    ctx.catalog = Catalog([c for c in ctx.catalog.all() if c.id != package.id] + [package])
    ctx.config.audio.volume_cap = 0.4
    exp = create_experience(package, ctx)
    exp.start()
    shoot_at(exp, exp.round.answer, surface)
    run(exp, surface, 1.6)
    assert exp.state == "story"
    assert exp.sounds.played[-1] == f"read:audio/{exp.round.idiom.word}.wav"
    assert exp.sounds.last_recording.get_volume() <= 0.4
