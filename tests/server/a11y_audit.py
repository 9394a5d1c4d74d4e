"""WCAG 2.1 AA audit of one page in Playwright: axe-core (shipped in the axe-playwright-python wheel) for text contrast,
names, alt and structure, plus a11y_checks.js for what axe leaves out (SVG, focus, edges, 44px targets, reflow)."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import axe_playwright_python

AXE_JS = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")
CHECKS_JS = (Path(__file__).with_name("a11y_checks.js")).read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LANGS = ("zh-CN", "en")
SYMBOLS_ONLY = "contains only non-text characters"  # axe's words for a node it leaves to a person
IN_SVG = "ts => ts.map(t => { const el = document.querySelector(t[t.length - 1]); return !!(el && el.closest('svg')); })"

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]


@contextmanager
def chromium():
    """Debian's chromium under Playwright (never a downloaded browser), closed however the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class PageAudit:
    """What one page measured; `failures` lists every failed check in words a person can act on."""
    name: str
    axe_version: str = ""
    axe_passed: list[str] = field(default_factory=list)  # axe rule ids that ran and passed
    axe_violations: list[dict] = field(default_factory=list)
    contrast_unknown: list[dict] = field(default_factory=list)  # axe "incomplete" colour contrast (images, overlap)
    text_checked: int = 0  # text elements axe measured for contrast (passed + failed)
    lowest_text: float | None = None  # the lowest contrast ratio axe measured on the page
    svg_text: list[dict] = field(default_factory=list)
    graphics: list[dict] = field(default_factory=list)  # symbols such as a legend's ■, held to 3:1
    boundaries: list[dict] = field(default_factory=list)  # fields' and buttons' edges against the page, 3:1
    chart_marks: list[dict] = field(default_factory=list)  # SVG bars, slices, axes against the chart background, 3:1
    focus: list[dict] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)
    unnamed: list[str] = field(default_factory=list)
    no_alt: list[str] = field(default_factory=list)
    lang: str = ""
    check_targets: bool = True

    @property
    def failures(self) -> list[str]:
        out = []
        for v in self.axe_violations:
            for node in v["nodes"]:
                out.append(f"{self.name}: axe {v['id']} at {node['target']}: {node['summary']}")
        out += [f"{self.name}: SVG text {s['text']!r} {s['ratio']}:1 < {s['required']}:1" for s in self.svg_text
                if not s.get("unknown") and not s["pass"]]
        out += [f"{self.name}: graphic {g['element']} {g.get('ratio')}:1 < 3:1 ({g.get('unknown', '')})"
                for g in self.graphics if not g.get("pass")]
        out += [f"{self.name}: chart mark {m['element']} {m.get('ratio')}:1 < 3:1 ({m.get('unknown', '')})"
                for m in self.chart_marks if not m.get("pass")]
        out += [f"{self.name}: the edge of {b['element']} is {b.get('ratio')}:1 < 3:1 ({b.get('unknown', '')})"
                for b in self.boundaries if not b.get("pass")]
        out += [f"{self.name}: focus on {f['element']} not visible enough ({f})" for f in self.focus if not f["pass"]]
        if self.check_targets:
            out += [f"{self.name}: target {t['element']} {t['text']!r} is {t['width']}×{t['height']} px (< 44×44)"
                    for t in self.targets if not t["pass"]]
        out += [f"{self.name}: form control {c} has no accessible name" for c in self.unnamed]
        out += [f"{self.name}: image {i} has no alt" for i in self.no_alt]
        if self.lang not in LANGS:
            out.append(f"{self.name}: <html lang={self.lang!r}>, expected one of {LANGS}")
        return out

    def summary(self) -> str:
        svg = [s for s in self.svg_text if "ratio" in s]
        lowest = min((s["ratio"] for s in svg), default=None)
        marks = min((m["ratio"] for m in self.chart_marks if "ratio" in m), default=None)
        return (f"{self.name}: axe {len(self.axe_passed)} rules passed, {len(self.axe_violations)} violated; "
                f"{self.text_checked} texts (lowest {self.lowest_text}:1), {len(self.contrast_unknown)} unknown; "
                f"{len(svg)} SVG texts (lowest {lowest}:1); {len(self.graphics)} symbols; "
                f"{len(self.chart_marks)} chart marks (lowest {marks}:1); {len(self.focus)} focus outlines; "
                f"{len(self.boundaries)} field edges; {len(self.targets)} targets; lang={self.lang}")


def audit(page, name: str, check_targets: bool = True) -> PageAudit:
    """Run axe and the project's checks on the page as it is now (after the caller has loaded it)."""
    page.wait_for_load_state("load")  # after a click, measuring before the stylesheet arrives would mislead
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(content=AXE_JS)
    if not page.evaluate("typeof window.yueduA11y === 'object'"):
        page.add_script_tag(content=CHECKS_JS)
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    report = PageAudit(name, axe_version=result["testEngine"]["version"], check_targets=check_targets)
    report.axe_passed = [r["id"] for r in result["passes"]]
    report.axe_violations = [{"id": v["id"], "help": v["help"],
                              "nodes": [{"target": n["target"], "summary": n.get("failureSummary", "")}
                                        for n in v["nodes"]]} for v in result["violations"]]
    for item in result["incomplete"]:
        if item["id"] == "color-contrast":
            nodes = item["nodes"]
            # axe leaves SVG text undecided; yueduA11y.svgTextContrast measures it (report.svg_text).
            flags = page.evaluate(IN_SVG, [n["target"] for n in nodes])
            symbols = [n["target"][-1] for n, svg in zip(nodes, flags)
                       if not svg and SYMBOLS_ONLY in n.get("failureSummary", "")]
            report.graphics += page.evaluate("s => yueduA11y.graphicContrast(s)", symbols)
            report.contrast_unknown += [{"target": n["target"], "why": n.get("failureSummary", "")}
                                        for n, svg in zip(nodes, flags) if not svg and n["target"][-1] not in symbols]
    for rule in result["passes"] + result["violations"]:
        if rule["id"] == "color-contrast":
            report.text_checked += len(rule["nodes"])
            ratios = [c["data"]["contrastRatio"] for n in rule["nodes"] for c in n["any"]
                      if isinstance(c.get("data"), dict) and c["data"].get("contrastRatio")]
            if ratios:
                report.lowest_text = min([*ratios, *([report.lowest_text] if report.lowest_text else [])])
    page.keyboard.press("Tab")  # a keyboard user from here on: Chromium then shows :focus-visible
    report.focus = page.evaluate("yueduA11y.focusStyles()")
    report.svg_text = page.evaluate("yueduA11y.svgTextContrast()")
    report.chart_marks = page.evaluate("yueduA11y.svgGraphicContrast()")
    report.boundaries = page.evaluate("yueduA11y.controlBoundaries()")
    report.targets = page.evaluate("yueduA11y.targetSizes()")
    report.unnamed = page.evaluate("yueduA11y.unnamedControls()")
    report.no_alt = page.evaluate("yueduA11y.imagesWithoutAlt()")
    report.lang = page.evaluate("yueduA11y.pageLanguage()")
    return report


def reflow_failures(page, name: str) -> list[str]:
    """WCAG 1.4.10 on the page as loaded, at whatever width the caller set (320 CSS px for the criterion)."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.yueduA11y === 'object'"):
        page.add_script_tag(content=CHECKS_JS)
    width = page.evaluate("innerWidth")
    return [f"{name}: at {width} px {o['element']} reaches {o['right']} px"
            for o in page.evaluate("yueduA11y.reflowOverflow()")]
