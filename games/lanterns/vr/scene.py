"""The night courtyard in panda3d: ground, walls and roofs, a moon, lanterns with their characters, the bow,
the arrow on its arc and burst sparks. Geometry is generated in code (no model files to ship).
"""
from __future__ import annotations

import math

from panda3d.core import (CardMaker, DynamicTextFont, Filename, Geom, GeomNode, GeomTriangles, GeomVertexData,
                          GeomVertexFormat, GeomVertexWriter, LineSegs, NodePath, TextNode)

from games.lanterns.vr.angles import world_height
from games.lanterns.vr.courtyard import EYE, Arrow3D, Hanging
from games.ui.text import kai_font_path

RED = (0.85, 0.16, 0.12, 1)
GOLD = (0.95, 0.75, 0.3, 1)
LIGHT = (0.4, -0.8, 0.45)  # a warm light from the viewer's upper left, baked into vertex colours
# Text on a lantern as visual angles from the eye (games.lanterns.vr.angles): a character 2.6°, its pinyin 1.3°
# (the rules: >= 1.5° and >= 1.03°), never smaller than the sizes that fill the paper disc at 5 m.
CHAR_DEG, PINYIN_DEG = 2.6, 1.3
CHAR_SCALE, PINYIN_SCALE = 0.34, 0.13


def lathe(profile: list[tuple[float, float]], color, segments: int = 20, name: str = "lathe",
          shaded: bool = True) -> NodePath:
    """A solid of revolution around z from (radius, height) pairs, with simple baked shading."""
    data = GeomVertexData(name, GeomVertexFormat.get_v3c4(), Geom.UH_static)
    vertex, colour = GeomVertexWriter(data, "vertex"), GeomVertexWriter(data, "color")
    for r, z in profile:
        for s in range(segments + 1):
            a = 2 * math.pi * s / segments
            nx, ny = math.cos(a), math.sin(a)
            vertex.add_data3(r * nx, r * ny, z)
            shade = 0.55 + 0.45 * max(0.0, nx * LIGHT[0] + ny * LIGHT[1]) if shaded else 1.0
            colour.add_data4(color[0] * shade, color[1] * shade, color[2] * shade, 1)
    tris = GeomTriangles(Geom.UH_static)
    ring = segments + 1
    for i in range(len(profile) - 1):
        for s in range(segments):
            a, b = i * ring + s, (i + 1) * ring + s
            tris.add_vertices(a, a + 1, b)
            tris.add_vertices(a + 1, b + 1, b)
    geom = Geom(data)
    geom.add_primitive(tris)
    node = GeomNode(name)
    node.add_geom(geom)
    path = NodePath(node)
    path.set_two_sided(True)
    return path


def lantern_model(radius: float) -> NodePath:
    body = [(radius * math.sin(math.pi * k / 10) * 1.0 + 0.02, radius * 0.85 * math.cos(math.pi * k / 10))
            for k in range(11)]
    root = NodePath("lantern")
    lathe(body, RED, name="body").reparent_to(root)
    for z in (radius * 0.85, -radius * 0.85 - 0.06):
        cap = lathe([(radius * 0.45, z), (radius * 0.45, z + 0.06)], GOLD, name="cap")
        cap.reparent_to(root)
    lines = LineSegs()
    lines.set_color(0.9, 0.8, 0.5, 1)
    lines.move_to(0, 0, radius * 0.85 + 0.06)
    lines.draw_to(0, 0, 6)  # the string up into the dark
    lines.move_to(0, 0, -radius * 0.85 - 0.06)
    lines.draw_to(0, 0, -radius * 1.5)  # tassel
    root.attach_new_node(lines.create())
    return root


class CourtyardScene:
    def __init__(self, root: NodePath):
        self.root = root
        font_path = kai_font_path()
        self.font = DynamicTextFont(Filename.from_os_specific(str(font_path))) if font_path else None
        self._static()
        self.lanterns: dict[str, NodePath] = {}
        self.dynamic = root.attach_new_node("dynamic")

    def _static(self) -> None:
        ground = CardMaker("ground")
        ground.set_frame(-30, 30, -5, 40)
        ground.set_color(0.16, 0.13, 0.12, 1)
        g = self.root.attach_new_node(ground.generate())
        g.set_p(-90)
        for x, y, w, h, heading in ((0, 14, 30, 3.2, 0), (-9, 6, 20, 3.2, 90), (9, 6, 20, 3.2, -90)):
            wall = CardMaker("wall")
            wall.set_frame(-w / 2, w / 2, 0, h)
            wall.set_color(0.22, 0.12, 0.12, 1)
            node = self.root.attach_new_node(wall.generate())
            node.set_pos(x, y, 0)
            node.set_h(heading)
            node.set_two_sided(True)
            roof = CardMaker("roof")
            roof.set_frame(-w / 2, w / 2, h, h + 0.9)
            roof.set_color(0.08, 0.07, 0.1, 1)
            r = self.root.attach_new_node(roof.generate())
            r.set_pos(x, y - 0.3 if heading == 0 else y, 0)
            r.set_h(heading)
            r.set_two_sided(True)
        moon = lathe([(0.0, 0.0), (1.2, 0.0)], (0.98, 0.94, 0.78, 1), name="moon", shaded=False)
        moon.set_pos(12, 35, 14)
        moon.set_p(90)
        moon.reparent_to(self.root)

    def build_lanterns(self, lanterns: list[Hanging], pinyin: dict[str, str], show_pinyin: bool) -> None:
        for node in self.lanterns.values():
            node.remove_node()
        self.lanterns = {}
        for h in lanterns:
            node = self.root.attach_new_node(f"lantern-{h.char}")
            lantern_model(h.radius).reparent_to(node)
            label = node.attach_new_node("label")
            label.set_billboard_point_eye()
            distance = math.dist((h.x, h.y, h.z), EYE)
            char_scale = min(h.radius * 1.15, max(CHAR_SCALE, world_height(CHAR_DEG, distance)))
            pinyin_scale = min(h.radius * 0.5, max(PINYIN_SCALE, world_height(PINYIN_DEG, distance)))
            lift, disc_r = h.radius * 0.12, h.radius * 0.58  # the paper disc sits a little high: pinyin below it
            self._text(label, h.char, char_scale, (0.1, 0.06, 0.04, 1), (0, -h.radius - 0.08, lift - char_scale * 0.35))
            if show_pinyin and pinyin.get(h.char):
                # Under the disc, on the red paper, with a dark shadow: cream tone marks over the cream disc were
                # invisible (rén read "ren").
                self._text(label, pinyin[h.char], pinyin_scale, (1, 0.95, 0.8, 1),
                           (0, -h.radius - 0.08, lift - disc_r - 0.012 - pinyin_scale * 0.72), shadow=True)
            disc = lathe([(0.0, 0.0), (disc_r, 0.0)], (0.98, 0.94, 0.84, 1), name="paper", shaded=False)
            disc.reparent_to(label)
            disc.set_p(90)
            disc.set_pos(0, -h.radius - 0.05, lift)  # in front of the body's bulge, behind the character
            self.lanterns[h.char] = node

    def _text(self, parent: NodePath, text: str, scale: float, color, pos, shadow: bool = False) -> None:
        node = TextNode("text")
        if self.font is not None:
            node.set_font(self.font)
        node.set_text(text)
        node.set_align(TextNode.A_center)
        node.set_text_color(*color)
        if shadow:
            node.set_shadow(0.06, 0.06)
            node.set_shadow_color(0.35, 0.04, 0.03, 1)
        path = parent.attach_new_node(node)
        path.set_scale(scale)
        path.set_pos(*pos)
        path.set_depth_offset(2)

    def place(self, lanterns: list[Hanging]) -> None:
        shown = {h.char for h in lanterns}
        for char, node in self.lanterns.items():
            if char not in shown:
                node.hide()
        for h in lanterns:
            self.lanterns[h.char].set_pos(h.x, h.y, h.z)

    def draw_dynamic(self, head, yaw: float, pitch: float, arrow: Arrow3D | None, sparks) -> None:
        """Per frame: the bow and aim ring in front of the head, the arrow and its arc, the sparks."""
        self.dynamic.remove_node()
        self.dynamic = self.root.attach_new_node("dynamic")
        lines = LineSegs()
        lines.set_thickness(3)
        y, p = math.radians(yaw), math.radians(pitch)
        fwd = (math.sin(y) * math.cos(p), math.cos(y) * math.cos(p), math.sin(p))
        right = (math.cos(y), -math.sin(y), 0.0)
        up = (-math.sin(p) * math.sin(y), -math.sin(p) * math.cos(y), math.cos(p))
        centre = tuple(head[i] + fwd[i] * 3.0 for i in range(3))
        lines.set_color(1, 1, 1, 1)
        for k in range(25):  # the aim ring, 3 m ahead
            a = 2 * math.pi * k / 24
            point = tuple(centre[i] + (right[i] * math.cos(a) + up[i] * math.sin(a)) * 0.09 for i in range(3))
            (lines.move_to if k == 0 else lines.draw_to)(*point)
        bow = tuple(head[i] + fwd[i] * 0.55 - up[i] * 0.28 for i in range(3))
        lines.set_color(0.65, 0.45, 0.25, 1)
        for k in range(13):  # the bow's limb, an arc across the view
            a = math.pi * (k / 12 - 0.5) * 0.8
            point = tuple(bow[i] + right[i] * math.sin(a) * 0.22 - fwd[i] * (1 - math.cos(a)) * 0.12
                          for i in range(3))
            (lines.move_to if k == 0 else lines.draw_to)(*point)
        if arrow is not None:
            lines.set_color(1, 0.95, 0.8, 1)
            steps = 16
            for k in range(steps + 1):  # the arc flown so far
                (lines.move_to if k == 0 else lines.draw_to)(*arrow.point(arrow.progress * k / steps))
            tip = arrow.point(arrow.progress)
            back = arrow.point(max(0.0, arrow.progress - 0.08))
            lines.set_color(0.9, 0.3, 0.2, 1)
            lines.move_to(*back)
            lines.draw_to(*tip)
        self.dynamic.attach_new_node(lines.create())
        if sparks:
            dots = LineSegs()
            dots.set_thickness(4)
            for (x, y_, z), colour in sparks:
                dots.set_color(*colour)
                dots.move_to(x, y_, z)
                dots.draw_to(x + 0.02, y_, z + 0.02)
            self.dynamic.attach_new_node(dots.create())
