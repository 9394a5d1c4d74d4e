"""成语论箭's screens as a child two metres away sees them (issue #13): every state of a played game, rendered in
the headless kiosk at the five screen sizes, passes the screen checks (sizes, Latin letters, cuts, overlaps),
and each state shows what it is for."""
import os
from pathlib import Path

import pygame
import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from experiences.catalog import Catalog  # noqa: E402
from experiences.kiosk.shots import SIZES, package_shots  # noqa: E402
from experiences.package import open_package  # noqa: E402
from experiences.screencheck import report, scale_for  # noqa: E402

CONTENT = Path(__file__).resolve().parents[2] / "content"
SHOTS = os.environ.get("YUEDU_SHOTS")  # set to a folder to keep the PNGs for a look
STATES = ["first-hint", "miss", "aiming", "hit", "story"] + [f"round-{n}" for n in range(2, 9)] + ["final", "toplist"]

# Every size for the 6-8 band (the package's main audience); the other bands at the sizes that stress them:
# 3-5 (five lanterns, pinyin everywhere) in portrait and the smallest window, 9-12 (a clock, twelve lanterns,
# examples on the card) at 4:3 and 1080p, 13+ (origins on the card, fast lanterns) small and in portrait.
CASES = [("6-8", size) for size in SIZES] + [
    ("3-5", (1080, 1920)), ("3-5", (960, 540)), ("9-12", (1024, 768)), ("9-12", (1920, 1080)),
    ("13+", (960, 540)), ("13+", (1080, 1920))]


@pytest.fixture(scope="module")
def package_and_catalog():
    package = open_package(CONTENT / "idioms-children")
    return package, Catalog([package, open_package(CONTENT / "idioms-xinhua")])


@pytest.mark.parametrize("band, size", CASES, ids=[f"{b}-{w}x{h}" for b, (w, h) in CASES])
def test_every_state_passes_the_screen_checks(package_and_catalog, tmp_path, band, size):
    package, catalog = package_and_catalog
    shots = {}
    for shot in package_shots(package, size, age_band=band, data_dir=tmp_path, catalog=catalog):
        shots[shot.state] = shot
        if SHOTS:
            os.makedirs(SHOTS, exist_ok=True)
            pygame.image.save(shot.surface, os.path.join(SHOTS, f"lanterns-{band}-{shot.name}.png"))
    expected = STATES[:5] + (["timeout"] if band in ("9-12", "13+") else []) + STATES[5:]
    assert sorted(shots) == sorted(expected)
    bad = {state: report(shot.findings) for state, shot in shots.items() if shot.findings}
    assert not bad, "\n".join(f"[{state}]\n{text}" for state, text in bad.items())

    scale = scale_for(size)
    texts = {state: [d.text for d in shot.log.texts] for state, shot in shots.items()}
    # The first round shows how to play, in a prompt-sized line; later rounds do not.
    assert "点一下灯笼，射中缺的字！" in texts["first-hint"]
    assert "点一下灯笼，射中缺的字！" not in texts["aiming"] and "点一下灯笼，射中缺的字！" not in texts["round-2"]
    # A miss says so in words and gives the missing character's sound as pinyin.
    said = shots["miss"].log.texts
    sound = texts["miss"].index("缺的字读")
    assert "差一点！" in texts["miss"] and said[sound + 1].role == "pinyin" and said[sound + 1].size >= 22 * scale
    # Every lantern is a box of one group (the checks found none overlapping); one per lantern of the round.
    lanterns = [b for b in shots["aiming"].log.boxes if b.group == "lanterns"]
    assert len(lanterns) >= 3
    # The hit: 射中了！ big (prompt size or more) and stars; the progress pips show the first one done.
    cheer = next(d for d in shots["hit"].log.texts if d.text == "射中了！")
    assert cheer.role == "prompt" and cheer.size >= 48 * scale
    assert len([b for b in shots["story"].log.boxes if b.group == "pips"]) == 8
    # The story card by age band: young readers get the meaning only, 9-12 add the example, 13+ the origin.
    story = texts["story"]
    if band in ("3-5", "6-8"):
        assert "释义" not in story and "例句" not in story and "出处" not in story
        assert any(d.ruby_size for d in shots["story"].log.texts if len(d.text) > 6), "the meaning has pinyin"
    if band == "9-12":
        assert "出处" not in story
    card = next(b.box for b in shots["story"].log.boxes if b.label == "story card")
    inside = [d.box for d in shots["story"].log.texts if d.box[1] >= card[1] and d.box[1] < card[1] + card[3]]
    used = max(y + h for _, y, _, h in inside) - card[1]
    assert used > 0.7 * card[3], "the card is sized to its words, not mostly empty"
    # The final screen: the score and twelve nickname buttons, then the top list.
    assert any(t.startswith("答对") for t in texts["final"])
    assert len([b for b in shots["final"].log.boxes if b.label.startswith("button:")]) == 14
    assert "今日排行榜" in texts["toplist"]


@pytest.mark.parametrize("band", ["3-5", "9-12", "13+"])
def test_the_longest_story_cards_fit_every_size(band):
    """The package's longest meanings (and longest origins and examples) on the card, at every size: nothing cut,
    nothing ending in "…", whole sentences only (the card drops sentences from its end when they do not fit)."""
    import json

    from experiences import drawlog
    from experiences.screencheck import check_screen
    from games.idioms.records import Idiom
    from games.idioms.rounds import Lantern, Round
    from games.lanterns.card import draw_story_card, make_button
    from experiences.clauses import SENTENCE_END
    from games.ui.text import show_pinyin

    pygame.init()
    records = json.loads((CONTENT / "idioms-children" / "idioms.json").read_text(encoding="utf-8"))
    longest = sorted(records, key=lambda r: -len(r["explanation"]))[:3]
    longest += sorted(records, key=lambda r: -len(r["derivation"]) - len(r["example"]))[:2]
    show_pinyin(band == "3-5")
    try:
        for record in longest:
            idiom = Idiom(record["word"], tuple(record["pinyin"].split()), record["explanation"],
                          record["derivation"], record["example"], record["example_source"])
            rnd = Round(idiom, 3, (Lantern(idiom.word[3], "answer"),))
            for size in SIZES:
                surface = pygame.Surface(size)
                button = make_button("next", "下一题", (0, 0), size, "next")
                with drawlog.recording() as log:
                    draw_story_card(surface, rnd, True, button, "zh-CN", band, top=round(min(size) * 0.15))
                assert not check_screen(log, size), (idiom.word, size, report(check_screen(log, size)))
                said = "".join(d.text for d in log.texts if d.text not in (idiom.word, "下一题", "释义", "例句", "出处"))
                assert said.rstrip("”’」』)）")[-1:] in SENTENCE_END + "》", (idiom.word, size, said[-20:])
    finally:
        show_pinyin(False)


def test_the_shots_draw_the_same_round_every_time(package_and_catalog, tmp_path):
    """Without a seed given, package_shots seeds the games itself (shots.DEFAULT_SEED): every run places the
    same lanterns (the rounds came from random.Random(None) before, so one run in many could differ)."""
    package, catalog = package_and_catalog

    def lanterns(run: int):
        shots = package_shots(package, (960, 540), age_band="9-12", data_dir=tmp_path / str(run), catalog=catalog)
        try:
            for shot in shots:
                if shot.state == "aiming":
                    return [(b.label, b.box) for b in shot.log.boxes if b.group == "lanterns"]
        finally:
            shots.close()

    first = lanterns(1)
    assert first and lanterns(2) == first
