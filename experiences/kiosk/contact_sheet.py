"""The contact sheet of `launcher.py shots`: each shot saved as a PNG and one static HTML page (index.html) with a
grid per experience → state → window size, what the screen checks (experiences.screencheck) found listed under
each picture, and a summary at the top. The page needs no server and no script: open it in any browser.
"""
from __future__ import annotations

import html
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from experiences.i18n import t

THUMB_WIDTH = 420  # px: the largest a picture is shown on the sheet (a click opens it full size)
THUMB_HEIGHT = 320


@dataclass
class Picture:
    size: tuple[int, int]
    file: str  # relative to the sheet
    findings: list[str]


@dataclass
class Section:
    key: str  # package id, or "kiosk"
    title: str
    vr: bool
    states: dict[str, list[Picture]] = field(default_factory=dict)  # state -> pictures in size order
    failures: list[str] = field(default_factory=list)


class ContactSheet:
    def __init__(self, out: Path, language: str, sizes: tuple[tuple[int, int], ...]):
        self.out = Path(out)
        self.out.mkdir(parents=True, exist_ok=True)
        self.language = language
        self.sizes = sizes
        self.sections: list[Section] = []
        self.failures: list[str] = []

    # --- filling it ---------------------------------------------------------------------------------------
    def begin(self, key: str, title: str, vr: bool) -> None:
        self.sections.append(Section(key, title, vr))

    def _section(self, key: str, vr: bool) -> Section:
        return next(s for s in reversed(self.sections) if s.key == key and s.vr == vr)

    def add(self, shot, vr: bool = False) -> Picture:
        """Save the shot's PNG and list it under its experience and state."""
        import pygame

        section = self._section(shot.package_id, vr)
        pictures = section.states.setdefault(shot.state, [])
        same_size = sum(1 for p in pictures if p.size == shot.size)
        suffix = f"-{same_size + 1}" if same_size else ""  # a kind that yields one state name twice
        name = f"{_safe(shot.state)}{suffix}-{shot.size[0]}x{shot.size[1]}{'-vr' if vr else ''}.png"
        folder = self.out / _safe(shot.package_id)
        folder.mkdir(parents=True, exist_ok=True)
        pygame.image.save(shot.surface, str(folder / name))
        picture = Picture(tuple(shot.size), f"{_safe(shot.package_id)}/{name}", [str(f) for f in shot.findings])
        pictures.append(picture)
        return picture

    def drop(self, key: str, vr: bool) -> None:
        """Forget a section (a VR run of a kind without a VR mode)."""
        self.sections = [s for s in self.sections if not (s.key == key and s.vr == vr)]

    def fail(self, key: str, size: tuple[int, int], vr: bool, message: str) -> None:
        line = f"{size[0]}×{size[1]}{' VR' if vr else ''}: {message}"
        self._section(key, vr).failures.append(line)
        self.failures.append(f"{key} {line}")

    # --- totals -------------------------------------------------------------------------------------------
    def pictures(self) -> list[Picture]:
        return [p for s in self.sections for pictures in s.states.values() for p in pictures]

    @property
    def count(self) -> int:
        return len(self.pictures())

    @property
    def flagged(self) -> int:
        return sum(1 for p in self.pictures() if p.findings)

    def rules(self) -> Counter:
        return Counter(f.split(":", 1)[0] for p in self.pictures() for f in p.findings)

    # --- the page -----------------------------------------------------------------------------------------
    def write(self, seconds: float) -> Path:
        index = self.out / "index.html"
        index.write_text(self.html(seconds), encoding="utf-8")
        return index

    def html(self, seconds: float) -> str:
        e = html.escape
        rules = self.rules()
        summary = [
            f"<p>{e(t('kiosk_shots.summary', 'zh-CN', shots=self.count, flagged=self.flagged, seconds=f'{seconds:.0f}'))}"
            f"<br>{e(t('kiosk_shots.summary', 'en', shots=self.count, flagged=self.flagged, seconds=f'{seconds:.0f}'))}</p>",
            "<p>" + " · ".join(f"{e(rule)}: {n}" for rule, n in sorted(rules.items())) + "</p>" if rules else
            f"<p class=ok>✓ {e(t('kiosk_shots.all_clear', 'zh-CN'))} / {e(t('kiosk_shots.all_clear', 'en'))}</p>",
            f"<p class=small>{e(t('kiosk_shots.legend', 'zh-CN'))}<br>{e(t('kiosk_shots.legend', 'en'))}</p>",
        ]
        if self.failures:
            summary.append("<ul class=bad>" + "".join(f"<li>{e(f)}</li>" for f in self.failures) + "</ul>")
        toc = "<nav>" + " ".join(
            f"<a href='#{_anchor(s)}'>{e(s.title)}{' VR' if s.vr else ''} "
            f"<span class={'bad' if _flagged(s) else 'ok'}>{_flagged(s) or '✓'}</span></a>"
            for s in self.sections) + "</nav>"
        body = [self._section_html(s) for s in self.sections]
        title = f"{t('kiosk_shots.sheet_title', 'zh-CN')} / {t('kiosk_shots.sheet_title', 'en')}"
        stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime())
        sizes = " · ".join(f"{w}×{h}" for w, h in self.sizes)
        return f"""<!doctype html>
<html lang="{e(self.language)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Noto Sans SC", sans-serif; margin: 24px; background: #f6f1e7; color: #2c2622; }}
h1 {{ margin: 0 0 8px; }} h2 {{ margin-top: 40px; border-bottom: 3px solid #d68c40; }} h3 {{ margin: 18px 0 6px; }}
nav a {{ display: inline-block; margin: 4px 10px 4px 0; }}
.row {{ display: flex; flex-wrap: wrap; gap: 14px; align-items: flex-start; }}
figure {{ margin: 0; background: #fff; padding: 8px; border: 1px solid #d9cfc0; border-radius: 8px; }}
figure.flagged {{ border: 3px solid #b3261e; }}
figure img {{ display: block; max-width: {THUMB_WIDTH}px; max-height: {THUMB_HEIGHT}px; }}
figcaption {{ font-size: 14px; max-width: {THUMB_WIDTH}px; }}
.ok {{ color: #2e6b30; }} .bad {{ color: #b3261e; }} .small {{ font-size: 13px; color: #6e6258; }}
ul.findings {{ margin: 4px 0 0; padding-left: 18px; color: #b3261e; font-size: 13px; word-break: break-word; }}
</style></head><body>
<h1>{e(title)}</h1>
<p class=small>{e(stamp)} · {e(sizes)} · {e(self.language)}</p>
{''.join(summary)}
{toc}
{''.join(body)}
</body></html>
"""

    def _section_html(self, section: Section) -> str:
        e = html.escape
        parts = [f"<h2 id='{_anchor(section)}'>{e(section.title)}{' · VR' if section.vr else ''} "
                 f"<small class=small>{e(section.key)}</small></h2>"]
        if section.failures:
            parts.append("<ul class=bad>" + "".join(f"<li>{e(f)}</li>" for f in section.failures) + "</ul>")
        for state, pictures in section.states.items():
            parts.append(f"<h3>{e(state)}</h3><div class=row>")
            for picture in pictures:
                w, h = picture.size
                if picture.findings:
                    notes = "<ul class=findings>" + "".join(f"<li>{e(f)}</li>" for f in picture.findings) + "</ul>"
                else:
                    notes = f"<div class=ok>✓ {e(t('kiosk_shots.no_findings', 'zh-CN'))} / " \
                            f"{e(t('kiosk_shots.no_findings', 'en'))}</div>"
                parts.append(
                    f"<figure class='{'flagged' if picture.findings else ''}'>"
                    f"<a href='{e(picture.file)}'><img src='{e(picture.file)}' loading=lazy "
                    f"alt='{e(section.key)} {e(state)} {w}×{h}'></a>"
                    f"<figcaption><b>{e(state)}</b> · {w}×{h}{notes}</figcaption></figure>")
            parts.append("</div>")
        return "\n".join(parts)


def _flagged(section: Section) -> int:
    return sum(1 for pictures in section.states.values() for p in pictures if p.findings) + len(section.failures)


def _anchor(section: Section) -> str:
    return _safe(section.key) + ("-vr" if section.vr else "")


def _safe(name: str) -> str:
    """A file-name-safe form of a package id or state name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "_"
