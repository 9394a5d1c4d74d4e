"""The idiom kinds this package registers with the runtime (entry points in pyproject.toml)."""
from __future__ import annotations

from pathlib import Path

from experiences.kinds import Kind

GAMES_DIR = Path(__file__).resolve().parent
SCHEMAS = GAMES_DIR / "schemas"

idiom_lanterns = Kind(
    name="idiom-lanterns",
    schema_path=SCHEMAS / "idiom-lanterns.schema.json",
    runner="games.lanterns.runner:create",
    check="games.checks:check_lanterns",
    title=(("zh-CN", "成语论箭"), ("en", "Idiom Archery")),
)

idiom_chain = Kind(
    name="idiom-chain",
    schema_path=SCHEMAS / "idiom-chain.schema.json",
    runner="games.chain.experience:ChainExperience",
    check="games.checks:check_chain",
    title=(("zh-CN", "成语接龙"), ("en", "Idiom Chain")),
)

idiom_dictionary = Kind(  # data only: other idiom packages require it
    name="idiom-dictionary",
    schema_path=SCHEMAS / "idiom-dictionary.schema.json",
    check="games.checks:check_dictionary",
    title=(("zh-CN", "成语词典"), ("en", "Idiom Dictionary")),
)

KINDS = (idiom_lanterns, idiom_chain, idiom_dictionary)
