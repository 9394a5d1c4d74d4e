"""Where things sit on the booth's screens: the picker's cards and each screen's buttons (recomputed per
frame from the flow, so a tap and a draw always agree).

The booth lays out and draws in design pixels whose shorter side is 720 (`design_size`): 1280×720 at 16:9,
960×720 at 4:3, 1152×720 at 16:10, 720×1280 in portrait; the experience scales that canvas uniformly into the
window, so a 1080p screen shows every design pixel 1.5 window pixels wide and nothing is stretched.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from experiences.i18n import t
from experiences.runtime import HOME_HEIGHT, HOME_MARGIN, HOME_WIDTH
from recitation.booth import flow as F
from recitation.booth.widgets import Button, button_width, flow_buttons, row_of_buttons
from recitation.poems import GRADE_NAMES

SHORT_SIDE = 720
DESIGN_SIZE = (1280, 720)  # the 16:9 design (the kiosk's usual window)
# The kiosk's home button (返回, bottom-left) leaves the booth from every screen; the booth's own button at the
# top left only steps back (上一步), so it is not on the picker. Rows along the bottom start right of the home
# button (88 × 101 design px at every size: it scales with the shorter side, like the design).
HOME_CLEAR = round((HOME_MARGIN + HOME_WIDTH) * SHORT_SIDE / 1080) + 24
HOME_TOP = round((HOME_MARGIN + HOME_HEIGHT) * SHORT_SIDE / 1080) + 12  # its top, measured from the bottom
LETTERS = "abcdefghijklmnopqrstuvwxyz"
RECORD_RADIUS = 74


def design_size(window: tuple[int, int]) -> tuple[int, int]:
    """The canvas for a window: its shape, with the shorter side SHORT_SIDE design pixels."""
    width, height = window
    scale = min(width, height) / SHORT_SIDE
    return max(SHORT_SIDE, round(width / scale)), max(SHORT_SIDE, round(height / scale))


def portrait(size: tuple[int, int]) -> bool:
    return size[1] > size[0]


@dataclass(frozen=True)
class PickerGrid:
    chips_top: int
    chip_rows: int
    chip_h: int
    cards_top: int
    columns: int
    rows: int
    card_w: int
    card_h: int
    keys_top: int
    keys_per_row: int
    query_y: int  # the middle of the 「拼音首字母」 line

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


CHIP_MIN, CHIP_H, CARD_H, KEY_H, GAP = 118, 64, 118, 64, 12


def picker_grid(size: tuple[int, int]) -> PickerGrid:
    width, height = size
    inner = width - 60
    chips_per_row = max(1, (inner + 10) // (CHIP_MIN + 10))
    chip_rows = -(-9 // chips_per_row)
    chips_top = 82
    chip_h = CHIP_H if chip_rows == 1 or portrait(size) else 58
    cards_top = chips_top + chip_rows * (chip_h + 8) + 6
    if portrait(size):
        columns, rows, keys_per_row = 2, 4, 9
    else:
        columns, rows, keys_per_row = (4 if width >= 1100 else 3), 2, 13
    card_w = (inner - GAP * (columns - 1)) // columns
    key_rows = -(-26 // keys_per_row)
    card_h = CARD_H
    if not portrait(size):  # the keypad must end above the home button's top
        keys_top_max = height - HOME_TOP - key_rows * (KEY_H + 8) - 4
        card_h = min(CARD_H, (keys_top_max - cards_top) // rows - GAP)
    cards_bottom = cards_top + rows * (card_h + GAP)
    if portrait(size):
        query_y = cards_bottom + 34
        keys_top = query_y + 40
    else:
        keys_top = cards_bottom + 4
        query_y = height - 54
    keys_top = min(keys_top, height - HOME_TOP - key_rows * (KEY_H + 8) - (0 if portrait(size) else 0))
    return PickerGrid(chips_top, chip_rows, chip_h, cards_top, columns, rows, card_w, card_h, keys_top,
                      keys_per_row, query_y)


def cards_per_page(booth) -> int:
    return picker_grid(booth.design).per_page


def picker_cards(booth) -> list:
    """(rect, poem index) of the poem cards on the picker's current page."""
    if booth.flow.screen != F.PICKER:
        return []
    grid = picker_grid(booth.design)
    found = booth.filtered()
    pages = max(1, -(-len(found) // grid.per_page))
    booth.page = min(booth.page, pages - 1)
    shown = found[booth.page * grid.per_page:(booth.page + 1) * grid.per_page]
    out = []
    for k, poem in enumerate(shown):
        column, row = k % grid.columns, k // grid.columns
        rect = pygame.Rect(30 + column * (grid.card_w + GAP), grid.cards_top + row * (grid.card_h + GAP),
                           grid.card_w, grid.card_h)
        out.append((rect, booth.poems.index(poem)))
    return out


def _picker_buttons(booth) -> list[Button]:
    width, height = booth.design
    grid = picker_grid(booth.design)
    lang = booth.lang
    chips = [("all", t("recite.ui.all", lang))] + [(f"grade:{g}", GRADE_NAMES[g]) for g in range(1, 7)]
    chips += [("collection:唐诗三百首", "唐诗"), ("collection:宋词三百首", "宋词")]
    per_row = -(-len(chips) // grid.chip_rows)
    out = []
    for r in range(grid.chip_rows):
        row = chips[r * per_row:(r + 1) * per_row]
        out += row_of_buttons(row, pygame.Rect(30, grid.chips_top + r * (grid.chip_h + 8), width - 60, grid.chip_h),
                              height=grid.chip_h, gap=10)
    for button in out:
        button.style = "chip"
        button.on = (button.key == "all" and booth.filter.grade is None and not booth.filter.collection) or \
            button.key in (f"grade:{booth.filter.grade}", f"collection:{booth.filter.collection}")
    keys = [(f"letter:{c}", c) for c in LETTERS]
    per = grid.keys_per_row
    for r in range(-(-26 // per)):
        row = row_of_buttons(keys[r * per:(r + 1) * per],
                             pygame.Rect(30, grid.keys_top + r * (KEY_H + 8), width - 60, KEY_H), height=KEY_H, gap=8)
        for button in row:
            button.style, button.label_size = "key", 32
        out += row
    nav = [("clear", t("recite.ui.clear", lang), "plain"), ("prev", t("recite.ui.prev_page", lang), "plain"),
           ("next", t("recite.ui.next_page", lang), "plain")]
    out += flow_buttons(booth.text(), nav, HOME_CLEAR, width - 30, height - 16, height=76)
    return out


def _column(booth) -> pygame.Rect:
    """The reading screen's action column: right of the poem in landscape, a strip above the toggles in
    portrait."""
    width, height = booth.design
    if portrait(booth.design):
        return pygame.Rect(HOME_CLEAR, height - 16 - 2 * RECORD_RADIUS - 10, width - HOME_CLEAR - 30,
                           2 * RECORD_RADIUS + 10)
    return pygame.Rect(width - 230, 120, 210, height - 120 - 16 - 76 - 16)


def toggles_top(booth) -> int:
    """The toggles' row: along the bottom in landscape, above the action strip in portrait."""
    if portrait(booth.design):
        return _column(booth).top - 16 - 76
    return booth.design[1] - 16 - 76


def poem_area(booth) -> pygame.Rect:
    """Where the karaoke poem is drawn on the reading, countdown and recording screens."""
    width, height = booth.design
    column = _column(booth)
    top = 150 if booth.flow.family_mode else 118
    if portrait(booth.design):
        return pygame.Rect(20, top + 20, width - 40, toggles_top(booth) - top - 40)
    return pygame.Rect(20, top, column.left - 30, height - top - 16 - 76 - 20)


def record_rect(booth) -> pygame.Rect:
    column = _column(booth)
    rect = pygame.Rect(0, 0, 2 * RECORD_RADIUS, 2 * RECORD_RADIUS)
    if portrait(booth.design):
        rect.midright = (column.right - 10, column.centery)
    else:
        rect.midbottom = (column.centerx, column.bottom - 4)
    return rect


def end_card(booth) -> pygame.Rect:
    """The praise card when a read-along reached the end (over the poem)."""
    area = poem_area(booth)
    width = min(area.width - 40, 620)
    card = pygame.Rect(0, 0, width, 330)
    card.center = area.center
    return card


def _reading_buttons(booth, back: Button) -> list[Button]:
    width, height = booth.design
    lang, flow = booth.lang, booth.flow
    text = booth.text()
    column = _column(booth)
    out = [back]
    record = None
    if flow.recording_allowed:
        record = Button("record", t("recite.ui.record", lang), record_rect(booth), style="record")
    if booth.read_along_done:
        card = end_card(booth)
        specs = [("read_along", t("recite.ui.again", lang), "action"),
                 ("next_poem", t("recite.ui.next_poem", lang), "primary")]
        row = flow_buttons(text, specs, card.left + 20, card.right - 20, card.bottom - 24, align="left")
        shift = (card.right - max(b.rect.right for b in row) - (min(b.rect.left for b in row) - card.left)) // 2
        for button in row:  # centred in the card
            button.rect.move_ip(shift, 0)
        return out + row + ([record] if record else [])
    toggles = [("pinyin", t("recite.ui.pinyin", lang), flow.show_pinyin),
               ("family", t("recite.ui.family", lang), flow.family_mode)]
    if flow.scoring_enabled and flow.recording_allowed:
        toggles.append(("no_score", t("recite.ui.scoring_toggle", lang), not flow.no_score))
    x = 30 if portrait(booth.design) else HOME_CLEAR
    for key, label, on in toggles:
        w = button_width(text, label, "toggle")
        out.append(Button(key, label, pygame.Rect(x, toggles_top(booth), w, 76), on=on, style="toggle",
                          state_labels=(t("recite.ui.switch_on", lang), t("recite.ui.switch_off", lang))))
        x += w + 14
    actions = []
    if booth.poem is not None and booth.poem.audio:
        actions.append(("reference", t("recite.ui.reference", lang), "action"))
    actions.append(("read_along", t("recite.ui.read_along", lang), "action"))
    if portrait(booth.design):
        right = (record.rect.left - 20) if record else column.right
        out += flow_buttons(text, actions, column.left, right, column.centery + 38, height=76, align="left")
    else:
        y = column.top
        for key, label, style in actions:
            out.append(Button(key, label, pygame.Rect(column.left, y, column.width, 76), style=style))
            y += 76 + 14
    return out + ([record] if record else [])


def buttons(booth) -> list[Button]:
    """The current screen's buttons, big enough for children's fingers."""
    width, height = booth.design
    lang, flow = booth.lang, booth.flow
    text = booth.text()
    back = Button("back", t("recite.ui.step_back", lang), pygame.Rect(20, 16, 140, 72))
    bottom = height - 16
    if flow.screen == F.PICKER:
        return _picker_buttons(booth)
    if flow.screen == F.CONSENT:
        specs = [("decline", t("recite.consent.decline", lang), "plain"),
                 ("agree", t("recite.consent.agree", lang), "primary")]
        return [back] + flow_buttons(text, specs, HOME_CLEAR, width - 30, bottom - 20, height=96)
    if flow.screen == F.READING:
        return _reading_buttons(booth, back)
    if flow.screen == F.COUNTDOWN:
        return [back]
    if flow.screen == F.RECORDING:
        column = _column(booth)
        stop = Button("stop", t("recite.ui.stop", lang), record_rect(booth), style="record")
        redo = [("redo", t("recite.ui.redo", lang), "plain")]
        if portrait(booth.design):
            return [back] + flow_buttons(text, redo, column.left, stop.rect.left - 20, column.centery + 38,
                                         align="left") + [stop]
        return [back, Button("redo", t("recite.ui.redo", lang), pygame.Rect(column.left, stop.rect.top - 96,
                                                                          column.width, 76))] + [stop]
    if flow.screen in (F.SCORE, F.REVIEW):
        specs = [("playback", t("recite.ui.playback", lang), "action"), ("redo", t("recite.ui.again", lang), "action")]
        report = booth.report if flow.screen == F.SCORE else None
        if report is not None and report.not_this_text:  # another text or humming: offer to read along first
            specs.insert(0, ("read_along_first", t("recite.ui.read_along_first", lang), "primary"))
        if flow.can_share:  # only after the guardian agreed to recording, and only for a saved take
            again = booth.sharing.ticket is not None
            specs.append(("share", t("recite.share.again" if again else "recite.share.button", lang), "plain"))
        specs.append(("next_poem", t("recite.ui.next_poem", lang), "primary"))
        return [back] + flow_buttons(text, specs, HOME_CLEAR, width - 30, bottom, compact=True)
    if flow.screen == F.SHARE_PICK:
        return [back] + nickname_buttons(booth) + flow_buttons(
            text, [("share_confirm", t("recite.share.confirm", lang), "primary")], HOME_CLEAR, width - 30, bottom)
    if flow.screen in (F.SHARED, F.SHARE_OFF):
        specs = [("playback", t("recite.ui.playback", lang), "action")] if flow.screen == F.SHARE_OFF else []
        specs.append(("share_done", t("recite.share.done" if flow.screen == F.SHARED else "recite.share.ok", lang),
                      "primary"))
        return [back] + flow_buttons(text, specs, HOME_CLEAR, width - 30, bottom)
    return []


def nickname_columns(size: tuple[int, int]) -> int:
    return 3 if portrait(size) else (6 if size[0] >= 1100 else 5)


def nickname_buttons(booth) -> list[Button]:
    """The kid-safe nicknames as big toggles with pinyin (never a keyboard), and "no nickname"; one is on."""
    from recitation.booth.sharing import nickname_choices, nickname_pinyin

    names = list(nickname_choices())
    chinese = booth.lang.startswith("zh")  # zh screens offer the Chinese nicknames, en screens the English ones
    specs = [(f"nick:{i}", name, nickname_pinyin(name)) for i, name in enumerate(names)
             if bool(nickname_pinyin(name)) == chinese]
    specs.append(("nick:none", t("recite.share.no_nickname", booth.lang), ""))
    columns = nickname_columns(booth.design)
    gap, row_h = 12, 104
    top = 250 if not portrait(booth.design) else 330
    width = (booth.design[0] - 60 - gap * (columns - 1)) // columns
    out = []
    for k, (key, label, ruby) in enumerate(specs):
        rect = pygame.Rect(30 + (k % columns) * (width + gap), top + (k // columns) * (row_h + gap), width, row_h - 8)
        chosen = booth.flow.nickname == (names[int(key[5:])] if key != "nick:none" else "")
        out.append(Button(key, label, rect, on=chosen, ruby=ruby, label_size=30 if ruby else 26, style="chip"))
    return out
