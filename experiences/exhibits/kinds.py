"""The exhibit kinds registered with the runtime: exhibit-treasure, exhibit-book, exhibit-panorama, exhibit-waterfall.

Entry points in pyproject.toml point at these objects; runners and checks are imported only when used.
"""
from __future__ import annotations

from pathlib import Path

from experiences.kinds import Kind

HERE = Path(__file__).resolve().parent
SCHEMAS = HERE / "schemas"

TREASURE = Kind(
    name="exhibit-treasure",
    schema_path=SCHEMAS / "exhibit-treasure.schema.json",
    runner="experiences.exhibits.runners:treasure",
    check="experiences.exhibits.checks:check_treasure",
    title=(("zh-CN", "3D 珍宝"), ("en", "3D treasure")),
)

BOOK = Kind(
    name="exhibit-book",
    schema_path=SCHEMAS / "exhibit-book.schema.json",
    runner="experiences.exhibits.runners:book",
    check="experiences.exhibits.checks:check_book",
    title=(("zh-CN", "3D 立体书"), ("en", "3D book")),
)

PANORAMA = Kind(
    name="exhibit-panorama",
    schema_path=SCHEMAS / "exhibit-panorama.schema.json",
    runner="experiences.exhibits.runners:panorama",
    check="experiences.exhibits.checks:check_panorama",
    title=(("zh-CN", "全景展厅"), ("en", "Panorama hall")),
)

WATERFALL = Kind(
    name="exhibit-waterfall",
    schema_path=SCHEMAS / "exhibit-waterfall.schema.json",
    runner="experiences.exhibits.runners:waterfall",
    check="experiences.exhibits.waterfall_check:check_waterfall",
    title=(("zh-CN", "电子书瀑布流"), ("en", "E-book waterfall")),
)

ALL = (TREASURE, BOOK, PANORAMA, WATERFALL)
