"""The shell's screens on their own: attract mode never flashes more than 3 times a second, menu cards show
the age band from the i18n catalog and fit long titles, the overlays speak both languages."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from experiences.i18n import t
from experiences.kiosk import testing
from experiences.kiosk.attract import AttractScreen
from experiences.kiosk.covers import CoverCache
from experiences.kiosk.menu import MenuScreen, age_label
from experiences.package import open_package
from experiences.text import TextRenderer

FPS = 30


@pytest.fixture(scope="module")
def text():
    return TextRenderer()


@pytest.fixture
def packages(tmp_path):
    bands = [["3-5"], ["6-8", "9-12"], ["all"]]
    return [open_package(testing.write_test_package(tmp_path / f"p{n}", f"org.yuedu.test.s{n}", title=f"体验{n}",
                                                    cover=n != 1, age_bands=bands[n]))
            for n in range(3)]


def cell_luminance(surface: pygame.Surface, grid=(16, 9)) -> np.ndarray:
    """Relative luminance (0..1, WCAG) of each cell of a coarse grid over the frame."""
    small = pygame.transform.smoothscale(surface, grid)
    srgb = pygame.surfarray.array3d(small).astype(float) / 255.0
    linear = np.where(srgb <= 0.03928, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def luminance_changes(series: np.ndarray, threshold: float = 0.1) -> list[int]:
    """Frame indices of alternating luminance changes of at least `threshold` (two of them make a flash)."""
    events, extreme, direction = [], series[0], 0
    for i, value in enumerate(series):
        if direction == 0 and abs(value - extreme) >= threshold:
            direction, extreme = (1 if value > extreme else -1), value
            events.append(i)
        elif direction > 0:
            if value > extreme:
                extreme = value
            elif extreme - value >= threshold:
                direction, extreme = -1, value
                events.append(i)
        elif direction < 0:
            if value < extreme:
                extreme = value
            elif value - extreme >= threshold:
                direction, extreme = 1, value
                events.append(i)
    return events


def most_flashes_in_one_second(frames: list[np.ndarray]) -> float:
    stack = np.stack(frames)  # (frames, w, h)
    worst = 0.0
    for series in stack.reshape(len(frames), -1).T:
        events = luminance_changes(series)
        for start in events:
            in_window = sum(1 for e in events if start <= e < start + FPS)
            worst = max(worst, in_window / 2)
    return worst


def test_flash_counter_catches_blinking():
    blink = [np.full((2, 2), 0.9 if (i // 3) % 2 else 0.05) for i in range(FPS * 2)]  # 5 Hz on/off
    assert most_flashes_in_one_second(blink) >= 4


def test_attract_mode_stays_under_three_flashes_per_second(text, packages):
    screen = AttractScreen(packages, text, CoverCache(text))
    surface = pygame.Surface((640, 400))
    frames = []
    for _ in range(FPS * 14):  # two cross-fades and seven pulses of the call to action
        screen.update(1 / FPS)
        screen.draw(surface)
        frames.append(cell_luminance(surface))
    changing = np.ptp(np.stack(frames), axis=0).max()
    assert changing > 0.1  # it does animate (covers change)
    assert most_flashes_in_one_second(frames) <= 3


def test_attract_cycles_through_every_package(text, packages):
    screen = AttractScreen(packages, text, CoverCache(text))
    shown = set()
    for _ in range(int(6.0 * len(packages) * 2)):
        screen.update(0.5)
        shown.add(screen.showing()[0])
    assert shown == {0, 1, 2}


def test_menu_cards_show_the_age_band_names(text, packages):
    assert age_label(packages[1], "zh-CN") == f"{t('age.6-8', 'zh-CN')} · {t('age.9-12', 'zh-CN')}"
    assert age_label(packages[2], "en") == "All ages"
    menu = MenuScreen(packages, text, CoverCache(text), "en")
    surface = pygame.Surface((1280, 720))
    menu.draw(surface)
    assert menu.pages == 1 and len(menu.targets()) == 3
    assert all(tg.rect.width >= 120 and tg.rect.height >= 120 for tg in menu.targets())


def test_long_titles_are_shortened_to_fit(text, packages):
    menu = MenuScreen(packages, text, CoverCache(text))
    fitted = menu._fit("翻页古籍《论语》很长很长很长很长的标题", 30, 200)
    assert fitted.endswith("…") and text.size(fitted, 30)[0] <= 200


def test_placeholder_cover_when_the_package_has_none(text, packages):
    covers = CoverCache(text)
    placeholder = covers.get(packages[1], (200, 150))
    real = covers.get(packages[0], (200, 150))
    assert placeholder.get_size() == real.get_size() == (200, 150)
    assert covers.get(packages[1], (200, 150)) is placeholder  # scaled once, then cached


def test_attract_leaves_cached_text_blending_for_its_other_users(text, packages):
    screen = AttractScreen(packages, text, CoverCache(text))
    surface = pygame.Surface((640, 400))
    for _ in range(FPS * 7):  # through a cross-fade: titles are blitted faded and then at full opacity
        screen.update(1 / FPS)
        screen.draw(surface)
    from experiences.kiosk import theme

    s = theme.scale((640, 400))
    for rendered in (text.render_with_pinyin(packages[0].manifest.title("zh-CN"), theme.px(72, s), theme.PAPER,
                                             theme.PAPER, theme.px(30, s)),
                     text.render_with_pinyin(t("kiosk.touch_to_start", "zh-CN"), theme.px(theme.PROMPT_PX, s),
                                             theme.ACCENT, theme.ACCENT, theme.px(theme.PROMPT_PINYIN_PX, s))):
        white = pygame.Surface(rendered.get_size())
        white.fill((255, 255, 255))
        white.blit(rendered, (0, 0))
        assert white.get_at((0, 0))[:3] == (255, 255, 255)  # transparent corner stays transparent
