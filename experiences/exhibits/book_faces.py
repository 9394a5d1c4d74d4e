"""What each side of the 3D book's leaves shows (experiences.exhibits.book): a curator's page images, or text set
as a thread-bound book (线装书) with its cover, a title plate inside the front cover and 终 inside the back; each
side's pixels, and the textures of the last few turned to.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

import numpy as np

from experiences.exhibits import book_pages, hud
from experiences.exhibits.assets3d import texture_from_array
from experiences.exhibits.book_text import paginate, parse_book_text
from experiences.exhibits.exhibit import surface_to_array
from experiences.exhibits.paper import aged_paper

TEXTURE_CACHE = 12  # page textures kept in memory (a 400-page book would not fit)
# px: a page is ~450 px tall on a 720p screen. Textures sized to that footprint are sampled near 1:1, so they need
# no mipmaps: bilinear only, which saves llvmpipe the per-pixel level-of-detail and second-level fetches
# (~20% of a page-turning frame's CPU time in bench/exhibit.py) and keeps the text sharper than trilinear.
MAX_TEXTURE_HEIGHT = 480
CELLS = 13  # characters in a column of a typeset page
# With pinyin over the characters: 4 columns of 8 cells (a pinyin row over each character). The widest syllables
# (shuāng, chuáng) at the pinyin's 30 page px need a column ~105 px wide, and pinyin and characters then show at
# >= 22 and >= 32 px on a 1080p screen (a page pixel shrinks to ~0.75 px there at worst, 4:3). A five-character
# line and its mark fill a column; a couplet, two; a poem of four lines, a spread.
PINYIN_COLUMNS, PINYIN_CELLS = 4, 8


@dataclass(frozen=True)
class Face:
    """One side of a leaf: "image" (a package file), "text" (a typeset page), "cover", "back" or "blank"."""

    kind: str
    ref: object = None
    number: int | None = None  # page number shown to visitors, None for covers and blanks


def fit_height(pixels: np.ndarray, height: int) -> np.ndarray:
    """Scale an image down (Lanczos, so small text stays crisp) to at most `height` rows."""
    if pixels.shape[0] <= height:
        return pixels
    from PIL import Image

    width = round(pixels.shape[1] * height / pixels.shape[0])
    return np.asarray(Image.fromarray(pixels).resize((width, height), Image.LANCZOS))


class BookFaces:
    """The sides of a book package's leaves, front cover to back cover, two a leaf (`faces`); `text_mode` when
    the package gives text to typeset rather than page images; the page's size in scene units."""

    def __init__(self, package, title: str, load_surface: Callable, load_pixels: Callable, pinyin: bool = False):
        """`pinyin`: typeset text gets pinyin over its characters (young readers)."""
        self.package, self.title, self.pinyin = package, title, pinyin
        self.load_surface, self.load_pixels = load_surface, load_pixels  # the exhibit's (package files)
        content = package.manifest.content
        self.text_mode = not content.get("pages")
        self.renderer: book_pages.PageRenderer | None = None
        self.faces = self._faces(content)
        self.textures: OrderedDict[int, object] = OrderedDict()

    def _faces(self, content) -> list[Face]:
        if self.text_mode:
            sections = parse_book_text(self.package.source.read_bytes(content["text"]))
            font_path, index = (str(self.package.source.local_path(content["font"])), 0) if content.get("font") \
                else hud.find_font()
            # 13 characters a column (a five-character line with its two marks fits one) keep the glyphs >= 32 px
            # on a 1080p screen; 16 made them ~29 px.
            if self.pinyin:
                self.renderer = book_pages.PageRenderer(font_path, index, columns_per_page=PINYIN_COLUMNS,
                                                        cells=PINYIN_CELLS, pinyin_font=hud.find_font())
            else:
                self.renderer = book_pages.PageRenderer(font_path, index, columns_per_page=8, cells=CELLS)
            self.page_width, self.page_height = 1.0, 1.5
            pages = [Face("text", columns, i + 1) for i, columns in enumerate(
                paginate(sections, self.renderer.columns_per_page, self.renderer.cells, self.pinyin))]
        else:
            first = self.load_surface(content["pages"][0])
            self.page_width, self.page_height = 1.0, first.get_height() / first.get_width()
            pages = [Face("image", name, i + 1) for i, name in enumerate(content["pages"])]
        front = [Face("cover", content.get("cover")), Face("blank")]
        back = [Face("blank"), Face("back")]
        if len(pages) % 2:
            pages.append(Face("blank"))
        return front + pages + back

    def pixels(self, index: int) -> np.ndarray:
        """The picture of side `index` (RGB rows): a package image, a typeset page, a plate, or paper."""
        face = self.faces[index]
        if face.kind == "image":
            return self.load_pixels(face.ref)
        if face.kind == "cover" and face.ref:
            return self.load_pixels(face.ref)
        if self.text_mode:
            if face.kind == "text":
                return surface_to_array(self.renderer.page(face.ref, face.number - 1))
            if face.kind == "cover":
                return surface_to_array(self.renderer.cover(self.title))
            if face.kind == "back":
                return surface_to_array(self.renderer.cover(""))
            plate = self.plate(index)
            if plate is not None:
                return surface_to_array(self.renderer.plate_page(plate, index, seal=self.title[-2:]))
            return surface_to_array(self.renderer.blank(index))
        if face.kind in ("cover", "back"):
            return aged_paper(300, int(300 * self.page_height), seed=index, age=0.5, tone=np.array([120, 40, 36], np.float32))
        return aged_paper(300, int(300 * self.page_height), seed=index, age=0.3)

    def plate(self, index: int) -> str | None:
        """The text of a plate page: the title page inside the front cover, 终 inside the back cover."""
        if not self.text_mode:
            return None
        if index == 1:
            return self.title
        if index == len(self.faces) - 2 and self.faces[index].kind == "blank":
            return "终"
        return None

    def texture(self, index: int):
        """Side `index` as a texture (kept for the last TEXTURE_CACHE asked for)."""
        if index in self.textures:
            self.textures.move_to_end(index)
            return self.textures[index]
        texture = texture_from_array(fit_height(self.pixels(index), MAX_TEXTURE_HEIGHT), f"face-{index}", mipmap=False)
        self.textures[index] = texture
        while len(self.textures) > TEXTURE_CACHE:
            self.textures.popitem(last=False)
        return texture
