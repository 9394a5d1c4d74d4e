"""The 去书架找一找 card with a map of where the book stands: the floor plan with the shelf lit (dimmed elsewhere,
an outline, an arrow and 在这里), drawn at the five shot sizes with no findings of the screen checks; a card whose
plan this kiosk does not have shows no map; the cards' pictures come only from our own server and are kept for
offline use."""
from __future__ import annotations

import dataclasses

import pygame
import pytest
from PIL import Image, ImageDraw

from experiences import drawlog
from experiences.kiosk.shell_shots import sample_shelf_cards
from experiences.kiosk.shelf import ShelfCard, valid_map
from experiences.kiosk.shelf_map import LIT
from experiences.kiosk.shelf_screen import ShelfScreen
from experiences.kiosk.shots import SIZES
from experiences.screencheck import check_screen
from experiences.text import TextRenderer

SHELVES = ([0.2, 0.14, 0.075, 0.3], [0.65, 0.59, 0.075, 0.27], [0.05, 0.05, 0.9, 0.9])  # top, bottom, nearly all


def draw_plan(path, size=(800, 560)):
    """A floor plan as a curator might upload one: walls, two rows of shelves, a door."""
    image = Image.new("RGB", size, (236, 232, 222))
    pen = ImageDraw.Draw(image)
    w, h = size
    pen.rectangle((8, 8, w - 8, h - 8), outline=(90, 90, 90), width=6)
    for i in range(6):
        x = int(w * (0.08 + i * 0.15))
        pen.rectangle((x, int(h * 0.14), x + int(w * 0.075), int(h * 0.44)), fill=(170, 140, 100))
        pen.rectangle((x, int(h * 0.59), x + int(w * 0.075), int(h * 0.86)), fill=(170, 140, 100))
    image.save(path)
    return path


@pytest.fixture(scope="module")
def text():
    pygame.init()
    return TextRenderer()


@pytest.fixture
def cards_with_maps(tmp_path):
    plan = draw_plan(tmp_path / "plan.png")
    cards = []
    for card, shelf in zip(sample_shelf_cards(), SHELVES):
        card = dataclasses.replace(card, map={"plan": "/catalogue/images/plans/ab12cd34.png", "width": 800,
                                              "height": 560, "shelf": shelf, "label": "A3"}, map_file=str(plan))
        cards.append(card)
    return cards


@pytest.mark.parametrize("band", ["3-5", "13+"])
@pytest.mark.parametrize("count", [1, 3])
def test_cards_with_a_map_pass_the_checks_at_every_size(text, cards_with_maps, band, count):
    for size in SIZES:
        screen = ShelfScreen(cards_with_maps[:count], text, "zh-CN", band)
        surface = pygame.Surface(size)
        with drawlog.recording() as log:
            screen.draw(surface)
        findings = check_screen(log, size)
        assert findings == [], f"{size}: " + "; ".join(map(str, findings))
        maps = {b.label: b.box for b in log.boxes if b.label.startswith("shelf-map:")}
        # three cards on a screen under 800 px: the long title (up to three lines with pinyin) leaves its card
        # no room for a map (the card shows no map rather than one too small to read)
        wanted = {f"shelf-map:{c.id}" for c in cards_with_maps[:count]
                  if count == 1 or min(size) >= 800 or len(c.title) < 12}
        assert wanted <= set(maps), f"{size}: a map on every card with room for one"
        here = [d for d in log.texts if d.text == "在这里"]
        assert len(here) == len(maps)
        for key, label in zip(maps, here):
            mx, my, mw, mh = maps[key]
            x, y, w, h = label.box
            assert mx <= x and x + w <= mx + mw and my <= y and y + h <= my + mh  # 在这里 lies on its map
        card = cards_with_maps[0]  # the lit shelf: its outline in the marker colour, the plan dimmed elsewhere
        mx, my, mw, mh = next(iter(maps.values()))
        sx, sy, sw, sh = card.map["shelf"]
        plan = Image.open(card.map_file).convert("RGB")
        for fx, fy, lit in ((sx + sw / 2, sy + sh / 2, True), (0.97, 0.5, False)):
            drawn = surface.get_at((int(mx + fx * mw), int(my + fy * mh)))[:3]
            original = plan.getpixel((int(fx * plan.width), int(fy * plan.height)))
            if lit:  # the shelf as on the plan
                assert max(abs(a - b) for a, b in zip(drawn, original)) < 30, f"{size}: the shelf is not dimmed"
            else:  # the rest of the plan dimmed
                assert sum(drawn) < sum(original) - 90, f"{size}: the plan around the shelf is dimmed"
        ring = [surface.get_at((x, int(my + (sy + sh / 2) * mh)))[:3]
                for x in range(int(mx + sx * mw) - 12, int(mx + sx * mw) + 4)]
        assert LIT in ring, f"{size}: the shelf's outline"


def test_a_card_without_the_plan_on_this_kiosk_shows_no_map(text, cards_with_maps):
    missing = dataclasses.replace(cards_with_maps[0], map_file="")
    with drawlog.recording() as log:
        ShelfScreen([missing], text, "zh-CN", "6-8").draw(pygame.Surface((1920, 1080)))
    assert not [b for b in log.boxes if b.label.startswith("shelf-map:")]
    assert "在这里" not in [d.text for d in log.texts]
    assert check_screen(log, (1920, 1080)) == []


def test_what_a_card_may_name_as_pictures():
    base = {"id": "B1", "title": "静夜思"}
    good = {"plan": "/catalogue/images/plans/0123abcd.png", "width": 800, "height": 560, "shelf": [0.1, 0.2, 0.1, 0.2]}
    card = ShelfCard.from_json({**base, "cover": "/catalogue/images/covers/ab12cd34ef.jpg", "map": good,
                                "cover_file": "/etc/passwd"})
    assert card.map["plan"] == good["plan"] and card.cover.endswith(".jpg") and card.cover_file == ""
    outside = ShelfCard.from_json({**base, "cover": "https://covers.example/1.jpg",
                                   "map": {**good, "plan": "https://maps.example/plan.png"}})
    assert outside.cover == "" and outside.map is None  # kiosks never fetch from outside
    assert valid_map({**good, "shelf": [0.1, 0.2, 0, 0.2]}) is None
    assert valid_map({**good, "width": "x"}) is None
    assert "cover_file" not in card.as_json()


def test_the_kiosk_keeps_the_cover_and_plan_from_our_server_for_offline_use(tmp_path):
    import io
    import threading

    from werkzeug.serving import make_server

    from experiences.kiosk.shelf import ShelfSource
    from server import create_app
    from server.auth import create_credential
    from server.catalogue import images, marc
    from server.catalogue.plans import FloorPlan, make_shelf
    from server.catalogue.store import CatalogueStore

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'lrs.sqlite3'}", "TESTING": True,
                      "CATALOGUE_IMAGE_DIR": str(tmp_path / "images")})
    engine = app.extensions["yuedu"].engine
    store = CatalogueStore(engine)
    cover_url = "https://covers.library.example/b1.jpg"
    csv = f"id,title,call_number,location,status,cover\nB1,班门弄斧绘本,H136.3/W12,少儿阅览室,available,{cover_url}\n"
    store.import_records(marc.read_any(io.BytesIO(csv.encode()), "b.csv"))
    cover = io.BytesIO()
    Image.new("RGB", (300, 400), (200, 80, 60)).save(cover, "JPEG")
    images.store_cover(tmp_path / "images", cover_url, cover.getvalue())  # as the import would have fetched it
    name, width, height = images.store_plan(tmp_path / "images", draw_plan(tmp_path / "p.png").read_bytes())
    store.save_plans([FloorPlan("p1", "少儿阅览室", name, width, height,
                                [make_shelf("20", "14", "7.5", "30", "A3", "少儿阅览室")])])
    made = create_credential(engine, "kiosk-1", "kiosk")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = (f"http://127.0.0.1:{server.server_port}/xapi", made.principal.key, made.secret)
        online = ShelfSource(lambda: endpoint, tmp_path / "kiosk").request("idiom", "班门弄斧", "6-8")
        assert online.done.wait(10) and online.fresh
        card = online.fresh[0]
    finally:
        server.shutdown()
        server.server_close()
        engine.dispose()
    assert card.cover.startswith("/catalogue/images/covers/") and card.map["label"] == "A3"
    assert Image.open(card.cover_file).size == (300, 400) and Image.open(card.map_file).size == (800, 560)
    offline = ShelfSource(lambda: ("http://127.0.0.1:9/xapi", "k", "s"), tmp_path / "kiosk", timeout=0.5)
    pending = offline.request("idiom", "班门弄斧", "6-8")
    assert pending.done.wait(5) and pending.fresh is None
    kept = pending.best()[0]
    assert (kept.cover_file, kept.map_file, kept.map) == (card.cover_file, card.map_file, card.map)


def test_pictures_no_cached_card_names_are_removed(tmp_path):
    import os
    import time

    from experiences.kiosk.shelf import KEEP_UNUSED_SECONDS, ShelfSource

    source = ShelfSource(lambda: None, tmp_path)
    plan = "/catalogue/images/plans/0123abcd.png"
    card = ShelfCard.from_json({"id": "B1", "title": "静夜思", "map": {"plan": plan, "width": 8, "height": 6,
                                                                    "shelf": [0.1, 0.1, 0.2, 0.2]}})
    source.images.mkdir(parents=True)
    named, old, new = source.image_file(plan), source.images / "old.jpg", source.images / "new.jpg"
    for path in (named, old, new):
        path.write_bytes(b"x")
    past = time.time() - KEEP_UNUSED_SECONDS - 5
    for path in (named, old):
        os.utime(path, (past, past))
    source._write_cache(source.key("poem", "静夜思", None), [card])
    assert named.exists() and new.exists() and not old.exists()  # new: maybe being fetched for a card
