"""A small exhibition hall (展厅) generated in code and rendered into an equirectangular panorama: stone floor,
red pillars, a lattice window, the ding on a pedestal ahead, a book table to the right, a hanging scroll behind.
"""
from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import pygame
import pygame.freetype

from experiences.exhibits import geometry, offscreen
from experiences.exhibits.equirect import equirect_from_faces
from experiences.exhibits.assets3d import filter_textures, load_model, texture_from_array
from experiences.exhibits.paper import _smooth_noise, aged_paper

ROOM = 7.0  # half the room's width, metres
WALL_HEIGHT = 4.5
EYE = 1.5

# Where things stand, as panorama hotspots: yaw (degrees right of the image centre), pitch (degrees up). The
# scroll's marker sits on its plain lower part, under the poem's columns, so it never covers a character.
HOTSPOT_DIRECTIONS = {
    "ding": (0.0, -8.0),
    "book": (90.0, -14.0),
    "scroll": (180.0, -4.0),
    "window": (-90.0, 8.0),
}

# The hanging scroll on the back wall: a card SCROLL_SIZE metres across (its texture SCROLL_PIXELS), its centre
# SCROLL_CENTRE_Z above the eye and ROOM - 0.02 behind it. The poem is written in vertical columns, right to left,
# big enough to read from the hall's centre: a character is ~3° (>= 32 px on a 1080p screen at the hall's 70°).
SCROLL_SIZE, SCROLL_PIXELS, SCROLL_CENTRE_Z = (1.8, 3.0), (540, 900), 0.9
SCROLL_COLUMNS = ("床前明月光", "疑是地上霜", "举头望明月", "低头思故乡")
SCROLL_EM, SCROLL_COLUMN_STEP, SCROLL_ROW_STEP = 110, 118, 124  # texture pixels
SCROLL_FIRST = (440, 110)  # the first column's x and its first character's centre y


def _stone_floor(size: int = 512) -> np.ndarray:
    rng = np.random.default_rng(21)
    base = np.array([150, 140, 126], np.float32) + _smooth_noise(rng, size, size, 24)[:, :, None] * 14
    y, x = np.mgrid[0:size, 0:size]
    tile = size // 8
    joints = ((x % tile) < 2) | ((y % tile) < 2)
    base[joints] *= 0.55
    return np.clip(base, 0, 255).astype(np.uint8)


def _plaster(size: int = 256) -> np.ndarray:
    rng = np.random.default_rng(22)
    base = np.array([222, 206, 178], np.float32) + _smooth_noise(rng, size, size, 32)[:, :, None] * 8
    base[int(size * 0.78):] = np.array([96, 46, 36], np.float32)  # dark red wainscot at the bottom
    return np.clip(base, 0, 255).astype(np.uint8)


def _lattice(size: int = 256) -> np.ndarray:
    image = np.full((size, size, 3), (250, 246, 226), np.uint8)  # daylight through paper
    y, x = np.mgrid[0:size, 0:size]
    bars = ((x % 32) < 4) | ((y % 32) < 4) | (np.abs((x % 64) - (y % 64)) < 2)
    image[bars] = (90, 40, 30)
    image[:10], image[-10:], image[:, :10], image[:, -10:] = (70, 32, 24), (70, 32, 24), (70, 32, 24), (70, 32, 24)
    return image


def _scroll(font_path: str | None, font_index: int) -> np.ndarray:
    """A hanging scroll with 静夜思 in vertical columns."""
    width, height = SCROLL_PIXELS
    paper = aged_paper(width, height, seed=31, age=0.5)
    surface = pygame.surfarray.make_surface(paper.transpose(1, 0, 2))
    pygame.draw.rect(surface, (60, 74, 100), surface.get_rect(), width=22)
    if not pygame.freetype.get_init():
        pygame.freetype.init()
    font = pygame.freetype.Font(font_path, SCROLL_EM, font_index=font_index)
    for i, column in enumerate(SCROLL_COLUMNS):
        x = SCROLL_FIRST[0] - i * SCROLL_COLUMN_STEP
        for j, ch in enumerate(column):
            glyph, _ = font.render(ch, (30, 26, 22))
            surface.blit(glyph, glyph.get_rect(center=(x, SCROLL_FIRST[1] + j * SCROLL_ROW_STEP)))
    seal = pygame.Rect(60, 680, 56, 56)
    pygame.draw.rect(surface, (180, 40, 32), seal)
    return pygame.surfarray.array3d(surface).transpose(1, 0, 2).copy()


def scroll_texts() -> list[dict]:
    """The scroll's columns as a panorama's `texts` (exhibit-panorama): each column's centre (yaw, pitch), its
    extent and a character's size in degrees, measured from the eye, so the kiosk's screen checks see the text
    baked into the image at its size on screen."""
    (card_w, card_h), (tex_w, tex_h) = SCROLL_SIZE, SCROLL_PIXELS
    metres = card_h / tex_h  # per texture pixel (the card keeps the texture's aspect)
    depth = ROOM - 0.02

    def angles(x: float, y: float) -> tuple[float, float]:
        # The card faces the eye from behind (yaw 180): the texture's right edge is on the visitor's right (-X).
        world_x = -(x / tex_w - 0.5) * card_w
        world_z = SCROLL_CENTRE_Z + (0.5 - y / tex_h) * card_h
        yaw = math.degrees(math.atan2(world_x, -depth))
        return yaw, math.degrees(math.atan2(world_z, math.hypot(world_x, depth)))

    texts = []
    for i, column in enumerate(SCROLL_COLUMNS):
        x = SCROLL_FIRST[0] - i * SCROLL_COLUMN_STEP
        top = SCROLL_FIRST[1] - SCROLL_EM / 2
        bottom = SCROLL_FIRST[1] + (len(column) - 1) * SCROLL_ROW_STEP + SCROLL_EM / 2
        left_yaw, top_pitch = angles(x - SCROLL_EM / 2, top)
        right_yaw, bottom_pitch = angles(x + SCROLL_EM / 2, bottom)
        centre_yaw, centre_pitch = angles(x, (top + bottom) / 2)
        distance = math.dist((0, 0, 0), (-(x / tex_w - 0.5) * card_w, -depth, SCROLL_CENTRE_Z))
        texts.append({"text": column, "yaw": round(centre_yaw, 2), "pitch": round(centre_pitch, 2),
                      "width": round(abs((right_yaw - left_yaw + 180) % 360 - 180), 2), "height": round(top_pitch - bottom_pitch, 2),
                      "size": round(math.degrees(2 * math.atan(SCROLL_EM * metres / 2 / distance)), 2),
                      "vertical": True})
    return texts


def _textured_card(parent, name, width, height, pixels, pos, hpr=(0, 0, 0)):
    node = parent.attach_new_node(geometry.geom_node(name, *geometry.card(width, height)))
    node.set_texture(texture_from_array(pixels, name), 1)
    node.set_pos(*pos)
    node.set_hpr(*hpr)
    return node


def build_hall(root, ding_glb: bytes, font_path: str | None, font_index: int = 0) -> None:
    """The hall's scene under `root` (Z up, the eye at the origin)."""
    root.set_pos(0, 0, -EYE)
    floor_u, floor_v, floor_tris = geometry.grid(1, 1)
    floor_pos = np.stack([(floor_u - 0.5) * 2 * ROOM, (floor_v - 0.5) * 2 * ROOM, np.zeros_like(floor_u)], axis=1)
    floor = root.attach_new_node(geometry.geom_node(
        "floor", floor_pos, np.tile([0, 0, 1.0], (4, 1)), np.stack([floor_u * 4, floor_v * 4], axis=1), floor_tris))
    stone = texture_from_array(_stone_floor(), "floor")  # mip-mapped; the 3× supersampling smooths the rest
    stone.set_wrap_u(stone.WM_repeat)
    stone.set_wrap_v(stone.WM_repeat)
    floor.set_texture(stone, 1)
    ceiling = root.attach_new_node(geometry.geom_node("ceiling", *geometry.box(2 * ROOM, 2 * ROOM, 0.2)))
    ceiling.set_pos(0, 0, WALL_HEIGHT + 0.1)
    ceiling.set_color(0.32, 0.2, 0.14, 1)
    plaster = _plaster()
    for heading in (0, 90, 180, 270):
        angle = math.radians(heading)
        # Walls face inwards: a card faces -Y, so turn it to face the room centre.
        _textured_card(root, f"wall{heading}", 2 * ROOM, WALL_HEIGHT, plaster,
                       (-math.sin(angle) * ROOM, math.cos(angle) * ROOM, WALL_HEIGHT / 2), (heading, 0, 0))
    for i in range(8):
        angle = math.radians(22.5 + 45 * i)
        pillar = root.attach_new_node(geometry.geom_node("pillar", *geometry.box(0.45, 0.45, WALL_HEIGHT)))
        pillar.set_pos(math.sin(angle) * ROOM * 0.8, math.cos(angle) * ROOM * 0.8, WALL_HEIGHT / 2)
        pillar.set_color(0.62, 0.12, 0.1, 1)
    for x in (-ROOM * 0.5, 0, ROOM * 0.5):
        beam = root.attach_new_node(geometry.geom_node("beam", *geometry.box(0.3, 2 * ROOM, 0.35)))
        beam.set_pos(x, 0, WALL_HEIGHT - 0.15)
        beam.set_color(0.42, 0.24, 0.14, 1)
    # The lattice window on the left wall (yaw -90) and the scroll on the back wall (yaw 180).
    _textured_card(root, "window", 2.4, 2.0, _lattice(), (-ROOM + 0.02, 0, EYE + 0.4 + 0.3), (90, 0, 0)).set_light_off()
    _textured_card(root, "scroll", *SCROLL_SIZE, _scroll(font_path, font_index), (0, -ROOM + 0.02, EYE + SCROLL_CENTRE_Z),
                   (180, 0, 0))
    # Ahead: the ding on a pedestal.
    pedestal = root.attach_new_node(geometry.geom_node("pedestal", *geometry.box(1.0, 1.0, 0.9)))
    pedestal.set_pos(0, 4.0, 0.45)
    pedestal.set_color(0.3, 0.22, 0.16, 1)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ding.glb"
        path.write_bytes(ding_glb)
        ding = load_model(path)
    filter_textures(ding, anisotropy=1)
    ding.reparent_to(root)
    ding.set_scale(0.8)
    ding.set_pos(0, 4.0, 0.9)
    # The showcase's own warm light from above the visitor's side: the bronze reads from across the hall.
    from panda3d.core import PointLight

    lamp = PointLight("showcase")
    lamp.set_color((3.2, 2.9, 2.5, 1))
    lamp_np = root.attach_new_node(lamp)
    lamp_np.set_pos(0, 2.6, 2.6)
    ding.set_light(lamp_np)
    # To the right: a table with an open book.
    table = root.attach_new_node(geometry.geom_node("table", *geometry.box(1.0, 1.6, 0.75)))
    table.set_pos(4.0, 0, 0.375)
    table.set_color(0.36, 0.2, 0.12, 1)
    book = root.attach_new_node(geometry.geom_node("book", *geometry.box(0.5, 0.7, 0.08)))
    book.set_pos(4.0, 0, 0.79)
    book.set_h(12)
    book.set_color(0.2, 0.25, 0.36, 1)
    slip = root.attach_new_node(geometry.geom_node("slip", *geometry.box(0.09, 0.4, 0.005)))
    slip.set_pos(4.0, 0, 0.835)
    slip.set_h(12)
    slip.set_color(0.92, 0.88, 0.78, 1)
    for node in root.find_all_matches("**/+GeomNode"):
        node.set_two_sided(False)


def render_panorama(ding_glb: bytes, font_path: str | None, font_index: int = 0, width: int = 2048,
                    face_size: int = 768, supersample: int = 3) -> np.ndarray:
    """Render the hall from the eye point in six 90° views and resample them into a width × width/2 image.

    Each face is rendered at `supersample` × its size and averaged down (anti-aliased edges: no stair steps
    along pillars and beams), and the panorama samples the faces bilinearly."""
    render_size = face_size * supersample
    stage = offscreen.acquire_stage((render_size, render_size))
    try:
        stage.set_background((0.1, 0.08, 0.07))
        stage.lens.set_fov(90, 90)
        stage.lens.set_near_far(0.05, 100)
        stage.add_default_lights(ambient=0.55, sun=0.6)
        build_hall(stage.root, ding_glb, font_path, font_index)
        faces = []
        for hpr in ((0, 0, 0), (-90, 0, 0), (180, 0, 0), (90, 0, 0), (0, 90, 0), (0, -90, 0)):
            stage.camera.set_hpr(*hpr)
            frame = stage.render_frame()
            pixels = np.frombuffer(frame.data, np.uint8).reshape(render_size, render_size, -1)[:, :, 2::-1]  # BGR(A) → RGB
            pixels = pixels.reshape(face_size, supersample, face_size, supersample, 3).mean(axis=(1, 3))
            matrix = stage.camera.get_mat(stage.root.get_parent())
            rotation = [tuple(matrix.get_row3(i).normalized()) for i in range(3)]
            faces.append((rotation, pixels))
        return equirect_from_faces(faces, width)
    finally:
        stage.release()
