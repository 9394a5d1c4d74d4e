"""Comfort for children in VR, for every run in a headset or side-by-side stereo (docs/vr-headsets.md) — mixed
into KioskShell.

- The session limit (experiences/xr/comfort.py): a package's `[content] vr_minutes`, else `[vr] session_minutes`.
  In its last minute a quiet notice; then the run holds still and the world darkens over two seconds (in the
  headset on the GPU, through the rig, over whatever the run renders; side by side and on the panel a veil over
  the window), then 「玩了好一会儿啦，摘下眼镜，让眼睛休息一下吧！」 (pinyin for young bands) alone on the dark,
  then the run ends as `terminated` with `end`: vr-time-limit. A kind that ends its own VR session
  (`own_vr_limit = True`: 成语论箭) is left to it.
- 还在吗 in the headset: while a run draws into the headset, the idle warning goes on a quad in front of it.
"""
from __future__ import annotations

import logging

from experiences.i18n import t
from experiences.kiosk import theme
from experiences.xr.comfort import END_EXTENSION, SessionLimit, limit_minutes

log = logging.getLogger("yuedu.kiosk")
REST_BACKGROUND = (8, 10, 30)  # the dark the fade ends in (the courtyard's night)
YOUNG_BANDS = (None, "3-5", "6-8")  # the rest message carries pinyin for them (and when no band was given)


class ShellComfort:
    vr_limit: SessionLimit | None = None
    _notice = None  # (key, surface) of the last notice drawn for the headset

    def _start_vr_limit(self, package, ctx) -> None:
        """At a run's start: a VR run (in the headset, or a kind's side-by-side mode) gets its limit."""
        self.vr_limit = None
        if self.host is None or not ctx.vr or getattr(self.host.experience, "own_vr_limit", False):
            return
        if not (self.host.stereo or ctx.services.get("xr") is not None):
            return
        self.vr_limit = SessionLimit(limit_minutes(package.manifest.content, self.config.vr.session_minutes))

    def _vr_limit_step(self, dt: float) -> bool:
        """Count a frame of VR play; True while the limit holds the run still (fading, resting). At the end the
        run closes, saying why, and the kiosk goes on as after any finished run."""
        limit = self.vr_limit
        if limit is None:
            return False
        state = limit.update(dt)
        if self.xr is not None:
            self.xr.set_fade(limit.darkness)
        if state == "done":
            log.info("VR session limit: %s ended after %.0f minutes", self.host.package.id, limit.limit / 60)
            self.host.stop(END_EXTENSION)  # the kind's own last words first (an exhibit's time spent)
            self.host.ctx.reporter.close("terminated", extensions={"end": END_EXTENSION})
            self.vr_limit = None
            self._finish()
        return limit.ending

    def _vr_limit_holds_input(self) -> bool:
        return self.vr_limit is not None and self.vr_limit.ending

    def _end_vr_limit(self) -> None:
        self.vr_limit = None
        if self.xr is not None and self.xr.darkness:
            self.xr.set_fade(0.0)

    def _draw_vr_limit(self, surface, drew_into_headset: bool) -> None:
        """Over the run's frame: the last minute's notice, the fade's veil (unless the run drew into the headset,
        where the rig darkens the scene itself), or the rest message."""
        limit = self.vr_limit
        if limit is None:
            return
        if limit.state == "warn":
            if drew_into_headset:
                return  # the headset's notice goes on its own quad (headset_notice)
            self._each_eye(surface, self._draw_soon)
        elif limit.state == "fade" and not drew_into_headset:
            veil = self.pygame.Surface(surface.get_size())
            veil.fill(REST_BACKGROUND)
            veil.set_alpha(round(255 * limit.darkness))
            surface.blit(veil, (0, 0))

    def _draw_vr_rest(self, surface) -> None:
        """The rest message alone on the dark, in each eye side by side (on the panel in a headset); its words come
        up over a second (one slow change)."""
        surface.fill(REST_BACKGROUND)
        self._each_eye(surface, self._draw_rest_words)
        alpha = round(255 * (1 - self.vr_limit.rest_fraction))
        if alpha > 0:
            veil = self.pygame.Surface(surface.get_size())
            veil.fill(REST_BACKGROUND)
            veil.set_alpha(alpha)
            surface.blit(veil, (0, 0))

    def _each_eye(self, surface, draw) -> None:
        width, height = surface.get_size()
        if self.host is not None and self.host.stereo and self.xr is None:  # side by side: both eyes
            for eye in range(2):
                draw(surface.subsurface(self.pygame.Rect(eye * (width // 2), 0, width // 2, height)))
        else:
            draw(surface)

    def _draw_rest_words(self, area) -> None:
        width, height = area.get_size()
        s = theme.scale(self.size)  # an eye's half keeps the window's sizes
        pinyin = self.machine.age_band in YOUNG_BANDS and self.lang == "zh-CN"
        rect = self.pygame.Rect(theme.px(30, s), int(height * 0.3), width - 2 * theme.px(30, s), int(height * 0.6))
        self.text.draw_paragraph(area, t("kiosk.vr_rest", self.lang), rect, theme.px(theme.PROMPT_PX, s),
                                 theme.PAPER, pinyin=pinyin, ruby_color=theme.PAPER, role="prompt")

    def _draw_soon(self, area) -> None:
        width, height = area.get_size()
        s = theme.scale(self.size)
        label = self.text.render(t("kiosk.vr_soon", self.lang), theme.px(theme.TEXT_PX, s), theme.INK)
        pad = theme.px(16, s)
        pill = theme.rounded_panel((label.get_width() + 2 * pad, label.get_height() + pad), theme.PAPER,
                                   radius=theme.px(20, s))
        rect = pill.get_rect(midtop=(width // 2, theme.px(24, s)))
        area.blit(pill, rect)
        self.text.draw(area, t("kiosk.vr_soon", self.lang), rect.center, theme.px(theme.TEXT_PX, s), theme.INK,
                       "center")

    def headset_notice(self):
        """(key, surface) to lay in front of a run drawing into the headset — 还在吗 while the idle warning
        counts down, the last minute's notice — or None. The surface is redrawn only when its key changes (the
        panel then re-submits its last image instead of uploading it again)."""
        from experiences.kiosk.overlays import draw_idle_warning
        from experiences.kiosk.states import IDLE_WARNING

        if self.machine.state == IDLE_WARNING:
            seconds = self.machine.warning_seconds_left()
            key = ("still-there", seconds, self.size)
            if self._notice is None or self._notice[0] != key:
                surface = self.pygame.Surface(self.size)
                surface.fill(REST_BACKGROUND)
                draw_idle_warning(surface, self.text, seconds, self.lang, in_headset=True)
                self._notice = (key, surface)
            return self._notice
        if self.vr_limit is not None and self.vr_limit.state == "warn":
            key = ("vr-soon", self.size)
            if self._notice is None or self._notice[0] != key:
                surface = self.pygame.Surface((self.size[0], max(1, self.size[1] // 6)))
                surface.fill(REST_BACKGROUND)
                self._draw_soon(surface)
                self._notice = (key, surface)
            return self._notice
        return None
