"""games package: the idiom kinds (成语论箭, 成语接龙, the idiom dictionary); its messages register on import."""
from pathlib import Path

from experiences import i18n

i18n.register_catalog_dir(Path(__file__).resolve().parent / "messages")
