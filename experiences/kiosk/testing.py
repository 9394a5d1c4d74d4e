"""A scripted experience kind for testing and benchmarking the shell (like flask.testing): it can finish,
raise in any method at a chosen frame, or stay busy, as its package's [content] says.

Not registered as an entry point: tests and bench scripts register it programmatically with `scripted_kind()`.
"""
from __future__ import annotations

from pathlib import Path

from experiences.kinds import Kind, KindRegistry
from experiences.runtime import Experience, InputEvent

KIND_NAME = "kiosk-test"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "kiosk-test.schema.json"


class ScriptedFailure(RuntimeError):
    """Raised on purpose by the scripted experience."""


class ScriptedExperience(Experience):
    def start(self) -> None:
        content = self.package.manifest.content
        self.frame = 0
        self.finish_after = int(content.get("finish_after_frames", 0))
        self.raise_at = int(content.get("raise_at_frame", 0))
        self.raise_in = str(content.get("raise_in", "update"))
        self.busy = bool(content.get("busy", False))
        self.inputs: list[InputEvent] = []
        self.stopped_with: str | None = None
        self._maybe_raise("start")

    def _maybe_raise(self, where: str) -> None:
        if self.raise_in == where and (where in ("start", "stop") or self.frame >= self.raise_at > 0):
            raise ScriptedFailure(f"scripted failure in {where} at frame {self.frame}")

    def handle(self, event: InputEvent) -> None:
        self.inputs.append(event)
        self._maybe_raise("handle")

    def update(self, dt: float) -> None:
        self.frame += 1
        self._maybe_raise("update")
        if self.finish_after and self.frame >= self.finish_after:
            self.finished = True
            self.ctx.reporter.report("completed")

    def draw(self, surface) -> None:
        import pygame

        self._maybe_raise("draw")
        width, height = surface.get_size()
        surface.fill((30, 60, 90))
        x = (self.frame * 7) % max(1, width - 100)
        pygame.draw.rect(surface, (240, 200, 80), (x, height // 2 - 50, 100, 100))
        fonts = self.ctx.services.get("fonts")
        if fonts is not None:
            fonts.draw(surface, f"第 {self.frame} 帧", (width // 2, 40), 40, (255, 255, 255), "midtop")

    def stop(self, reason: str) -> None:
        self.stopped_with = reason
        STOPPED.append((self.package.id, reason))
        self._maybe_raise("stop")


STOPPED: list[tuple[str, str]] = []  # (package id, reason) of every stop(), for tests to check


def scripted_kind() -> Kind:
    return Kind(name=KIND_NAME, schema_path=SCHEMA, runner="experiences.kiosk.testing:ScriptedExperience",
                title=(("zh-CN", "测试"), ("en", "Test")))



def registry_with_test_kind(base: KindRegistry | None = None) -> KindRegistry:
    registry = KindRegistry(list(base) if base is not None else [])
    registry.register(scripted_kind())
    return registry


def write_test_package(folder: Path, package_id: str = "org.yuedu.test.scripted", *, title: str = "测试体验",
                       age_bands=("6-8",), cover: bool = True, **content) -> Path:
    """A package folder of the test kind; `content` keys as in the kind's schema."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "format = 1", f'id = "{package_id}"', 'version = "1.0.0"', f'kind = "{KIND_NAME}"', 'engine = ">=0.1"',
        f"age_bands = {list(age_bands)!r}".replace("'", '"'),
    ]
    if cover:
        lines.append('cover = "cover.png"')
        _write_cover(folder / "cover.png", package_id)
    lines += ["", "[title]", f'zh-CN = "{title}"', f'en = "Test {package_id.rsplit(".", 1)[-1]}"', "",
              "[[credits]]", 'name = "Yuedu tests"', 'license = "MIT"', "", "[content]"]
    for key, value in content.items():
        lines.append(f"{key} = {str(value).lower() if isinstance(value, bool) else repr(value)}".replace("'", '"'))
    (folder / "experience.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _write_cover(path: Path, seed: str) -> None:
    import pygame

    surface = pygame.Surface((320, 240))
    tone = sum(seed.encode()) % 120
    surface.fill((60 + tone, 90, 160 - tone // 2))
    for i in range(6):
        pygame.draw.circle(surface, (240, 220 - i * 20, 120 + i * 15), (40 + i * 48, 120), 30)
    pygame.image.save(surface, str(path))


def headless_shell(packages: list, data_dir: Path, *, config=None, registry: KindRegistry | None = None,
                   size: tuple[int, int] = (960, 600), sink=None, **options):
    """An opened KioskShell for tests and benches: headless, a simulated clock, exactly these packages, the
    scripted kind registered; returns (shell, statement sink). Close the shell when done."""
    from experiences.catalog import Catalog
    from experiences.config import KioskConfig
    from experiences.engagement import ListSink
    from experiences.kiosk.shell import KioskShell
    from experiences.runtime import ManualClock

    sink = ListSink() if sink is None else sink
    shell = KioskShell(config or KioskConfig(), catalog=Catalog(packages), registry=registry or registry_with_test_kind(),
                       headless=True, size=size, clock=ManualClock(), sink=sink, data_dir=data_dir, **options)
    shell.open()
    return shell, sink


def click(x: float, y: float) -> None:
    """A mouse click at (x, y), queued for the shell's next frame."""
    import pygame

    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, pos=(int(x), int(y)), button=1, touch=False))


def play_first_card(shell, frames: int = 1) -> None:
    """Click the menu's first card, then run `frames` frames (the scripted kind's run ends within six)."""
    card = next(t for t in shell.menu.targets() if t.kind == "card" and t.index == 0)
    click(*card.rect.center)
    for _ in range(frames):
        shell.frame(1 / 60)
