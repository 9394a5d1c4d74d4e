"""The recitation kind as the runtime sees it: name, content schema, booth runner and check hook.

Registered through the `yuedu.kinds` entry point `recitation = "recitation.kinds:RECITATION"`.
"""
from __future__ import annotations

from pathlib import Path

from experiences.kinds import Kind

RECITATION = Kind(
    name="recitation",
    schema_path=Path(__file__).with_name("schemas") / "recitation.schema.json",
    runner="recitation.booth.experience:RecitationBooth",
    check="recitation.checks:check_package",
    warm="recitation.listen:warm_booth",
    title=(("zh-CN", "朗诵亭"), ("en", "Recitation booth")),
)
