"""What the motion corner draws over every screen (the shell calls `draw_motion` last): the camera-on badge,
a small mirrored stick figure drawn from landmarks (never the camera picture), the aim with its filling ring,
站到这里 with footprints until someone is found (then 举起手: how a body starts), 我看不到你啦 when they step
out, and on the attract screen the plain promise that the camera only follows movements."""
from __future__ import annotations

import math

import pygame

from experiences import drawlog
from experiences.kiosk import theme
from experiences.motion.body import seen
from experiences.motion.synthetic import body as example_body

BADGE = "摄像头开着"
STAND_HERE = "站到这里"
RAISE_HAND = ("举起手", "停一停，就开始")  # someone is seen at the attract screen: how a body starts
CANNOT_SEE = "我看不到你啦"
COME_BACK = "回到脚印上来"
PROMISE = ("摄像头只看动作", "不拍照，不录像")
LOST_SHOWN_SECONDS = 8.0  # in a run: 我看不到你啦 this long after the child stepped out, then touch is left in peace
BONES = [("left_shoulder", "right_shoulder"), ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
         ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"), ("left_shoulder", "left_hip"),
         ("right_shoulder", "right_hip"), ("left_hip", "right_hip")]
GREEN = (96, 186, 120)
HAND_UP = example_body(right=(0.3, -1.4), left=(-0.9, 1.4))  # the attract screen's "like this": a hand up
# the stick figure's panel at 1080p: big enough to see yourself move from 2 m, small because it is blitted over
# every kiosk frame (170×196 costs the game's frame 0.05 ms at 720p, into pixels the game has just drawn)
FIGURE = (170, 196)


def draw_motion(surface: pygame.Surface, text, receiver, *, attract: bool, lost_for: float | None) -> None:
    """`lost_for`: seconds since the child stepped out (None: not lost)."""
    if not receiver.camera_open:
        return
    width, height = surface.get_size()
    s = min(width, height) / 1080
    view = receiver.view  # what the gestures decided on the newest landmark frame
    badge = _badge(surface, text, s)
    if view.body is not None:
        figure = pygame.Rect(0, 0, round(FIGURE[0] * s), round(FIGURE[1] * s))
        figure.bottomright = (badge.right, badge.top - round(12 * s))
        _stick_figure(surface, view, figure, s)
    if view.cursor is not None and view.state == "tracking":
        _cursor(surface, view, s)
    if attract:  # beside the attract screen's cover card: its titles stay clear
        _side_call(surface, text, s, tracked=view.state == "tracking")
        _promise(surface, text, s)
    elif lost_for is not None and lost_for < LOST_SHOWN_SECONDS:
        _call(surface, text, s, CANNOT_SEE, COME_BACK, footprints=True)


_badge_cache: dict = {}  # (screen size, font object) -> (picture, its texts for the draw log): drawn once
_figure_cache: dict = {}  # "body": the landmark frame last drawn, "picture": it drawn (landmarks come 20 a second)


def _badge(surface, text, s) -> pygame.Rect:
    """Bottom right (the games keep their scores top right), on every screen while the camera is open: a drawn
    camera and 摄像头开着. Drawn once per screen size, then blitted (the kiosk's frame time is the game's)."""
    width, height = surface.get_size()
    key = (width, height, id(text))
    if key not in _badge_cache:
        _badge_cache.clear()
        _badge_cache[key] = _draw_badge(text, s)
    picture, texts = _badge_cache[key]
    box = picture.get_rect(bottomright=(width - round(20 * s), height - round(20 * s)))
    surface.blit(picture, box)
    if drawlog.active() is not None:  # what the picture says, for the screen checks, where it is now
        with drawlog.offset(*box.topleft):
            for item in texts:
                drawlog.note_text(item.text, item.size, item.box, item.role, item.ruby_size)
    return box


def _draw_badge(text, s) -> tuple[pygame.Surface, list]:
    size = round(34 * s)
    label_w, label_h = text.size(BADGE, size)
    box = pygame.Rect(0, 0, label_w + round(90 * s), max(label_h, round(44 * s)) + round(20 * s))
    picture = pygame.Surface(box.size, pygame.SRCALPHA)
    picture.blit(theme.rounded_panel(box.size, (30, 34, 40, 210), radius=box.height // 2), (0, 0))
    cam = pygame.Rect(0, 0, round(44 * s), round(30 * s))
    cam.midleft = (box.left + round(20 * s), box.centery)
    pygame.draw.rect(picture, theme.PAPER, cam, border_radius=round(6 * s))
    pygame.draw.circle(picture, (30, 34, 40), cam.center, round(9 * s))
    pygame.draw.circle(picture, (230, 70, 60), (cam.right - round(6 * s), cam.top + round(6 * s)), max(2, round(4 * s)))
    with drawlog.recording() as log:
        text.draw(picture, BADGE, (cam.right + round(12 * s), box.centery), size, theme.PAPER, "midleft", role="text")
    return _fast(picture), list(log.texts)


def _fast(picture: pygame.Surface) -> pygame.Surface:
    """In the screen's own pixel format: blitted every frame, three times faster than a plain SRCALPHA copy."""
    return picture.convert_alpha() if pygame.display.get_surface() is not None else picture


def _stick_figure(surface, view, rect: pygame.Rect, s: float) -> None:
    """Mirrored, like a looking-glass; the head is a circle placed from the shoulders (no face points); with
    the hands held up towards "back", a ring filling round it. Drawn only when a new landmark frame came (about
    20 a second: the figure and the ring change with nothing else), onto a copy of its panel kept in the
    screen's pixel format; one blit in every kiosk frame between."""
    body, reach = view.body, view.reach_up
    if _figure_cache.get("body") is not body or _figure_cache.get("reach") != reach \
            or _figure_cache["picture"].get_size() != rect.size:
        if _figure_cache.get("panel_size") != rect.size:
            panel = theme.rounded_panel(rect.size, (30, 34, 40, 150), radius=18)
            _figure_cache.update(panel=_fast(panel), panel_size=rect.size)
        picture = _figure_cache["panel"].copy()
        _draw_figure(picture, body, picture.get_rect())
        if reach > 0:  # hands held up towards "back": a ring fills round the little figure
            side = min(rect.size) - round(6 * s)
            ring = pygame.Rect(0, 0, side, side)
            ring.center = picture.get_rect().center
            pygame.draw.arc(picture, theme.ACCENT, ring, math.pi / 2 - 2 * math.pi * reach, math.pi / 2,
                            max(6, round(12 * s)))
        _figure_cache.update(body=body, reach=reach, picture=picture)
    surface.blit(_figure_cache["picture"], rect)


def _draw_figure(surface, body, rect: pygame.Rect, colour=GREEN) -> None:
    points = {name: seen(body, name) for name in body}
    shown = [p for p in points.values() if p is not None]
    if not shown:
        return
    xs, ys = [1 - p[0] for p in shown], [p[1] for p in shown]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 0.2) * 1.5
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    scale = min(rect.width, rect.height) / span

    def place(p):
        return (rect.centerx + (1 - p[0] - cx) * scale, rect.centery + (p[1] - cy) * scale + rect.height * 0.08)

    line = max(3, rect.width // 30)
    for a, b in BONES:
        if points.get(a) and points.get(b):
            pygame.draw.line(surface, colour, place(points[a]), place(points[b]), line)
    if points.get("left_shoulder") and points.get("right_shoulder"):
        left, right = place(points["left_shoulder"]), place(points["right_shoulder"])
        r = max(6, math.dist(left, right) * 0.33)
        pygame.draw.circle(surface, colour, ((left[0] + right[0]) / 2, (left[1] + right[1]) / 2 - r * 1.7), r, line)


_ring_cache: dict = {}  # "dwell": the aim ring with its filling arc, and for which (ring, dwell)


def _cursor(surface, view, s) -> None:
    """The aim ring, drawn straight onto the screen; while the child holds still, the ring with the
    hover-and-hold arc filling round it, drawn into a picture when the dwell changed (only a landmark frame
    changes it) and blitted each frame between."""
    x, y = view.cursor[0] * surface.get_width(), view.cursor[1] * surface.get_height()
    r = round(46 * s)
    key = (r, max(3, round(7 * s)), view.drawn)
    if view.dwell <= 0:  # three circles touch fewer pixels than blitting their square
        _ring_onto(surface, (round(x), round(y)), *key)
        return
    cached = _ring_cache.get("dwell")
    if cached is None or cached[0] != (key, view.dwell):
        picture = _ring(2 * r + 24, *key)  # room for the arc round the ring
        box = pygame.Rect(0, 0, 2 * r + 20, 2 * r + 20)
        box.center = picture.get_rect().center
        pygame.draw.arc(picture, theme.ACCENT, box, math.pi / 2 - 2 * math.pi * view.dwell, math.pi / 2,
                        max(6, round(12 * s)))
        cached = _ring_cache["dwell"] = ((key, view.dwell), _fast(picture))
    ring = cached[1]
    surface.blit(ring, ring.get_rect(center=(round(x), round(y))))


def _ring(side: int, r: int, dot: int, drawn: bool) -> pygame.Surface:
    picture = pygame.Surface((side, side), pygame.SRCALPHA)
    _ring_onto(picture, picture.get_rect().center, r, dot, drawn)
    return picture


def _ring_onto(surface, centre, r: int, dot: int, drawn: bool) -> None:
    """The aim ring: a dark edge (seen on light pages), the ring, a dot; red-orange with the bow drawn."""
    colour = (230, 90, 70) if drawn else theme.PAPER
    pygame.draw.circle(surface, (30, 34, 40), centre, r + 4, 6)
    pygame.draw.circle(surface, colour, centre, r, 5)
    pygame.draw.circle(surface, colour, centre, dot)


def _feet(surface, centre, s) -> None:
    for side in (-1, 1):
        foot = pygame.Rect(0, 0, round(46 * s), round(96 * s))
        foot.center = (centre[0] + side * round(40 * s), centre[1])
        pygame.draw.ellipse(surface, theme.ACCENT, foot)
        for toe in range(3):
            pygame.draw.circle(surface, theme.ACCENT, (foot.centerx - round((toe - 1) * 12 * s),
                                                       foot.top - round(10 * s)), round(8 * s))


def _call(surface, text, s, prompt: str, hint: str | None, footprints: bool) -> None:
    """A paper band near the bottom: footprints, the prompt in big characters with pinyin, maybe a hint."""
    width, height = surface.get_size()
    band = pygame.Rect(0, 0, min(width - 40, round(760 * s)), round((250 if hint else 190) * s))
    band.midbottom = (width // 2, height - round(200 * s))
    surface.blit(theme.rounded_panel(band.size, theme.PAPER, radius=28, border=4, border_colour=theme.ACCENT), band)
    if footprints:
        _feet(surface, (band.left + round(110 * s), band.centery + round(10 * s)), s)
    left = band.left + round(220 * s)
    line = text.draw(surface, prompt, (left, band.top + round(24 * s)), round(72 * s), theme.INK, "topleft",
                     pinyin=True, ruby_color=theme.INK_SOFT, role="prompt")
    if hint:
        text.draw(surface, hint, (left, line.bottom + round(10 * s)), round(40 * s), theme.INK_SOFT, "topleft",
                  role="text")


def _side_call(surface, text, s, tracked: bool) -> None:
    """On the attract screen, left of the cover card: footprints over 站到这里 until someone is seen; then a
    little figure with a hand up over 举起手 / 停一停，就开始 (a raised hand held still wakes the kiosk; arms
    hanging do not: a passer-by is not a visitor). Touch works alongside (点一点屏幕 stays below)."""
    width, height = surface.get_size()
    band = pygame.Rect(0, 0, round(380 * s), round(380 * s))
    band.midleft = (round(30 * s), height // 2)
    surface.blit(theme.rounded_panel(band.size, theme.PAPER, radius=28, border=4, border_colour=theme.ACCENT), band)
    if not tracked:
        _feet(surface, (band.centerx, band.top + round(120 * s)), s)
        text.draw(surface, STAND_HERE, (band.centerx, band.bottom - round(30 * s)), round(72 * s), theme.INK,
                  "midbottom", pinyin=True, ruby_color=theme.INK_SOFT, role="prompt")
        return
    figure = pygame.Rect(0, 0, round(190 * s), round(190 * s))  # the figure fills 2/3 of it (_draw_figure's margin)
    figure.center = (band.centerx, band.top + round(80 * s))
    _draw_figure(surface, HAND_UP, figure, colour=theme.ACCENT)
    prompt, hint = RAISE_HAND
    hint_box = text.draw(surface, hint, (band.centerx, band.bottom - round(24 * s)), round(40 * s), theme.INK_SOFT,
                         "midbottom", role="text")
    text.draw(surface, prompt, (band.centerx, hint_box.top - round(8 * s)), round(72 * s), theme.INK, "midbottom",
              pinyin=True, ruby_color=theme.INK_SOFT, role="prompt")


def _promise(surface, text, s) -> None:
    """On the attract screen, right of the cover card, in plain words with pinyin."""
    width, height = surface.get_size()
    size, ruby = round(44 * s), round(24 * s)
    lines = [text.size_with_pinyin(line, size, ruby) for line in PROMISE]
    gap = round(14 * s)
    box = pygame.Rect(0, 0, max(w for w, _ in lines) + round(40 * s),
                      sum(h for _, h in lines) + gap * (len(lines) - 1) + round(36 * s))
    box.midright = (width - round(30 * s), height // 2)
    surface.blit(theme.rounded_panel(box.size, (30, 34, 40, 220), radius=20), box)
    y = box.top + round(18 * s)
    for line in PROMISE:
        y = text.draw(surface, line, (box.centerx, y), size, theme.PAPER, "midtop", pinyin=True, ruby_size=ruby,
                      ruby_color=(220, 214, 200), role="text").bottom + gap
