"""exhibit-book: a 3D book lying open on a table; tap or drag to turn a page that curls as it turns.

Pages come from curator images, or from text set as a thread-bound book (线装书): vertical Kai text on aged paper,
indigo cover with a title slip, read right to left (what each side shows: book_faces). Pages shown are reported
once each; time spent at the end.
"""
from __future__ import annotations

import numpy as np
import pygame
from panda3d.core import NodePath

from experiences.exhibits import book_view, geometry, hud, page_curl
from experiences.exhibits.book_faces import BookFaces
from experiences.exhibits.exhibit import Exhibit3D
from experiences.i18n import t
from experiences.kiosk.ageband import title_gets_pinyin

TURN_SPEED = 1.7  # progress per second: a page turns in about 0.6 s
COMPLETE_AT = 0.35  # a dragged page that passed this fraction finishes its turn when let go
STACK_HEIGHT = book_view.STACK_HEIGHT


class Leaf:
    """A turning leaf: front and back meshes sharing one deforming shape."""

    def __init__(self, parent: NodePath, width: float, height: float, side: int):
        self.width, self.height, self.side = width, height, side
        self.s, self.t, tris = page_curl.leaf_mesh(width, height)
        positions, normals = page_curl.curl_shape(self.s, self.t, 0.0, width, height, side)
        uv_front = page_curl.face_uvs(self.s, self.t, side, back=False)
        uv_back = page_curl.face_uvs(self.s, self.t, side, back=True)
        front_tris = tris if side > 0 else tris[:, ::-1]
        self.front = parent.attach_new_node(geometry.geom_node("leaf-front", positions, normals, uv_front, front_tris, dynamic=True))
        self.back = parent.attach_new_node(geometry.geom_node("leaf-back", positions, -normals, uv_back, front_tris[:, ::-1], dynamic=True))
        self.progress = 0.0
        self.changed = True  # read and cleared by the exhibit, which then marks its stage dirty

    def shape(self, progress: float) -> None:
        self.progress = progress
        self.changed = True
        positions, normals = page_curl.curl_shape(self.s, self.t, progress, self.width, self.height, self.side)
        geometry.update_vertices(self.front.node(), positions, normals)
        geometry.update_vertices(self.back.node(), positions, -normals)

    def show(self, visible: bool) -> None:
        for node in (self.front, self.back):
            node.show() if visible else node.hide()


class BookExhibit(Exhibit3D):
    def build(self) -> None:
        content = self.package.manifest.content
        self.sides = BookFaces(self.package, self.package.manifest.title(self.ctx.language), self.load_surface,
                               self.load_pixels, pinyin=self.page_pinyin())
        self.text_mode, self.faces, self.renderer = self.sides.text_mode, self.sides.faces, self.sides.renderer
        self.page_width, self.page_height = self.sides.page_width, self.sides.page_height
        self.side = -1 if content.get("reading", "rtl" if self.text_mode else "ltr") == "rtl" else 1
        self.leaves_total = len(self.faces) // 2
        self.turned = 0
        self.turn_leaf: int | None = None
        self.turn_target = 1.0
        self.dragging = False
        self.stage.set_background(tuple(content.get("background", (0.20, 0.16, 0.13))))
        self.stage.add_default_lights(ambient=0.62, sun=0.45)
        self._build_scene()
        self.buttons = book_view.page_buttons(self)
        self._refresh()
        # While a visitor reads, nothing moves: frames are copied, not rendered (every change marks dirty).
        self.stage.reuse_unchanged_frames = True

    def page_pinyin(self) -> bool:
        """Pinyin over the pages' Chinese text: for a visitor who said they are young, or (no answer) when the
        package is for the young bands — the rule of the menu's card titles (experiences/kiosk/ageband.py)."""
        manifest = self.package.manifest
        return manifest.language == "zh-CN" and title_gets_pinyin(manifest.age_bands, self.ctx.age_band)

    def texture(self, index: int):
        return self.sides.texture(index)

    def _plate(self, index: int) -> str | None:  # book_view marks the plate's text for the screen checks
        return self.sides.plate(index)

    # ---- scene --------------------------------------------------------------------------------------------
    def _build_scene(self) -> None:
        w, h = self.page_width, self.page_height
        self.book = self.stage.root.attach_new_node("book")
        self.stacks, self.boards = {}, {}
        for sign in (1, -1):
            # One board under each half: a closed book shows only the half its pages lie on.
            board = self.book.attach_new_node(geometry.geom_node("board", *geometry.box(w + 0.04, h + 0.08, 0.02)))
            board.set_pos(sign * (w / 2 + 0.02), 0, -0.01)
            board.set_color((0.18, 0.2, 0.3, 1) if self.text_mode else (0.45, 0.14, 0.12, 1))
            self.boards[sign] = board
            block = self.book.attach_new_node(geometry.geom_node("stack", *geometry.box(w, h, STACK_HEIGHT)))
            block.set_pos(sign * w / 2, 0, STACK_HEIGHT / 2)
            block.set_color(0.93, 0.88, 0.76, 1)
            self.stacks[sign] = block
        pages = self.book.attach_new_node("pages")
        pages.set_z(STACK_HEIGHT)
        # The two page tops are leaves lying flat: at progress 0 on the starting side, at 1 on the other.
        self.start_top = Leaf(pages, w, h, self.side)
        self.start_top.back.hide()
        self.other_top = Leaf(pages, w, h, self.side)
        self.other_top.shape(1.0)
        self.other_top.front.hide()
        for top in (self.start_top, self.other_top):
            top.front.set_z(-0.002)
            top.back.set_z(-0.002)
        self.leaf = Leaf(pages, w, h, self.side)
        self.leaf.show(False)
        book_view.frame_book(self)

    def _set_face(self, node: NodePath, index: int | None) -> None:
        if index is None or not 0 <= index < len(self.faces):
            node.hide()
            return
        node.show()
        node.set_texture(self.texture(index), 1)

    def _refresh(self) -> None:
        """Textures of the page tops and the turning leaf for the current state."""
        self.stage.mark_dirty()
        k = self.turned
        if self.turn_leaf is None:
            forward, other = k, k - 1
        else:
            forward, other = self.turn_leaf + 1, self.turn_leaf - 1
        self._set_face(self.start_top.front, 2 * forward if forward < self.leaves_total else None)
        self._set_face(self.other_top.back, 2 * other + 1 if other >= 0 else None)
        for sign, shown in ((self.side, forward < self.leaves_total or self.turn_leaf is not None),
                            (-self.side, other >= 0 or self.turn_leaf is not None)):
            for node in (self.stacks[sign], self.boards[sign]):
                node.show() if shown else node.hide()
        if self.turn_leaf is not None:
            self.leaf.show(True)
            self._set_face(self.leaf.front, 2 * self.turn_leaf)
            self._set_face(self.leaf.back, 2 * self.turn_leaf + 1)
        else:
            self.leaf.show(False)

    # ---- turning ------------------------------------------------------------------------------------------
    def can_turn(self, direction: int) -> bool:
        return self.turn_leaf is None and (self.turned < self.leaves_total if direction > 0 else self.turned > 0)

    def begin_turn(self, direction: int) -> bool:
        if not self.can_turn(direction):
            return False
        self.turn_leaf = self.turned if direction > 0 else self.turned - 1
        self.leaf.shape(0.0 if direction > 0 else 1.0)
        self.turn_target = 1.0 if direction > 0 else 0.0
        self._refresh()
        self.play(self.package.manifest.content.get("page_sound", ""))
        return True

    def closed_offset(self) -> float:
        """Sideways shift of the book so a closed book (the cover before the first leaf, the back after the
        last) lies in the middle of the view, sliding there as the first or last leaf turns."""
        half = self.page_width / 2
        if self.turn_leaf is None:
            if self.turned == 0:
                return -self.side * half
            return self.side * half if self.turned >= self.leaves_total else 0.0
        p = self.leaf.progress
        if self.turn_leaf == 0 and self.leaves_total > 1:
            return -self.side * half * (1 - p)
        if self.turn_leaf == self.leaves_total - 1:
            return self.side * half * p
        return 0.0

    def draw(self, surface: pygame.Surface) -> None:
        offset = self.closed_offset()
        if abs(self.book.get_x() - offset) > 1e-6:
            self.book.set_x(offset)
            self.stage.mark_dirty()
        if self.leaf.changed:
            self.leaf.changed = False
            self.stage.mark_dirty()
        super().draw(surface)

    def update(self, dt: float) -> None:
        if self.turn_leaf is None or self.dragging:
            return
        progress = self.leaf.progress
        step = TURN_SPEED * dt
        progress = min(self.turn_target, progress + step) if self.turn_target > progress else max(self.turn_target, progress - step)
        self.leaf.shape(progress)
        if progress == self.turn_target:
            self.turned = self.turn_leaf + (1 if self.turn_target >= 1.0 else 0)
            self.turn_leaf = None
            self._refresh()
            self._pages_shown()

    def visible_pages(self) -> list[int]:
        k = self.turned
        faces = [2 * k - 1, 2 * k]
        return [self.faces[i].number for i in faces if 0 <= i < len(self.faces) and self.faces[i].number]

    def _pages_shown(self) -> None:
        for number in self.visible_pages():
            self.report_item("page", str(number), {"zh-CN": f"第{number}页", "en": f"page {number}"})
        narration = self.package.manifest.content.get("narration", [])
        if 0 < self.turned <= len(narration) and narration[self.turned - 1]:
            self.play(narration[self.turned - 1])

    visit_item, visit_key = "page", "exhibit.visit_pages"

    def progress_extensions(self) -> dict:
        total = sum(1 for face in self.faces if face.number)
        read = sum(1 for kind, _ in self.experienced if kind == "page")
        return {"pages-read": read, "pages-total": total}

    # ---- input --------------------------------------------------------------------------------------------
    def book_x_at(self, x: float, y: float) -> float | None:
        """Where the pointer's ray meets the open pages, across the book (0 at the spine), or None if it misses."""
        origin, direction = self.stage.pick_ray(x, y)
        if abs(direction.z) < 1e-6:
            return None
        t = (STACK_HEIGHT - origin.z) / direction.z
        hit = origin + direction * t
        x = hit.x - self.book.get_x()
        inside = t > 0 and abs(x) <= self.page_width and abs(hit.y) <= self.page_height / 2
        return x if inside else None

    def _direction_at(self, x: float, y: float | None = None) -> int:
        """Forward when the pointer is on the side the pages turn from (by the page it points at, else by
        the half of the screen)."""
        if self.turned == 0 and self.turn_leaf is None:
            return 1  # a closed book opens wherever it is touched
        if self.turned >= self.leaves_total and self.turn_leaf is None:
            return -1
        book_x = self.book_x_at(x, y) if y is not None else None
        on_right = book_x >= 0 if book_x is not None else x >= self.stage.size[0] / 2
        return 1 if on_right == (self.side > 0) else -1

    def gaze_target_at(self, x: float, y: float):
        """For VR's gaze dwell: the page looked at, as the turn it would make, if that turn is possible."""
        book_x = self.book_x_at(x, y)
        if book_x is None or abs(book_x) < 0.05 * self.page_width:
            return None
        direction = self._direction_at(x, y)
        return ("turn", direction) if self.can_turn(direction) else None

    def test_targets(self) -> dict[str, pygame.Rect]:
        """The page arrows by what they do ("page:next" turns forward, "page:previous" back), while they can."""
        targets = super().test_targets()
        for button in self.buttons:
            direction = 1 if (button.key == "right") == (self.side > 0) else -1
            if self.can_turn(direction):
                targets["page:next" if direction > 0 else "page:previous"] = button.rect
        return targets

    def on_tap(self, x, y, now) -> None:
        self.begin_turn(self._direction_at(x, y))

    def on_drag(self, dx, dy, x, y, now) -> None:
        if not self.dragging:
            direction = self._direction_at(x - dx, y - dy)
            if not self.begin_turn(direction):
                return
            self.dragging = True
            self.drag_direction = direction
        # Moving the pointer towards the other side by half the screen turns the page all the way.
        delta = -self.side * dx / (self.stage.size[0] * 0.5)
        self.leaf.shape(float(np.clip(self.leaf.progress + delta, 0.0, 1.0)))

    def on_release(self, x, y, now) -> None:
        if not self.dragging:
            return
        self.dragging = False
        if self.drag_direction > 0:
            self.turn_target = 1.0 if self.leaf.progress >= COMPLETE_AT else 0.0
        else:
            self.turn_target = 0.0 if self.leaf.progress <= 1 - COMPLETE_AT else 1.0

    def on_button(self, key, now) -> None:
        self.begin_turn(1 if (key == "right") == (self.side > 0) else -1)

    def on_action(self, action, now) -> None:
        if action in ("left", "right"):
            self.on_button(action, now)
        elif action == "select":
            self.begin_turn(1)
        else:
            super().on_action(action, now)

    def draw_overlay(self, surface: pygame.Surface) -> None:
        self.draw_label(surface)
        book_view.note_page_text(self)
        shown_buttons = self.buttons
        self.buttons = [b for b in self.buttons if self.can_turn(1 if (b.key == "right") == (self.side > 0) else -1)
                        or self.turn_leaf is not None]
        super().draw_overlay(surface)
        self.buttons = shown_buttons
        total = sum(1 for face in self.faces if face.number)
        shown = self.visible_pages()
        if shown:
            label = t("exhibit.page_of", self.ctx.language, page=min(shown), total=total)
        elif self.touched:
            return
        else:
            label = self.hint("exhibit.book_hint")
        hud.draw_caption(surface, self.text, label, avoid=self.hud_obstacles(surface))

    hint_key = ""  # the book's own caption line says how to turn pages

    label_lines = property(lambda self: 0 if self.text.pinyin else 2)  # with pinyin: the title alone, so the
    # poems stay >= 32 px (the caption at the bottom says how to turn the pages)

    def shot_states(self):
        """cover (the closed book), open (the first spread), last (the last page, the book nearly closed)."""
        yield None
        yield "cover"
        self.on_button("left" if self.side < 0 else "right", self.ctx.clock.now())
        self.update(1.0)  # the page's whole turn in one step (it takes 0.6 s): the shot is of the open spread
        yield None
        yield "open"
        self.turned = max(0, self.leaves_total - 1)
        self._refresh()
        self._pages_shown()
        yield None
        yield "last"
