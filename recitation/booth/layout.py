"""Where things sit on the booth's screens: the picker's cards and each screen's buttons (recomputed per
frame from the flow, so a tap and a draw always agree)."""
from __future__ import annotations

import pygame

from experiences.i18n import t
from recitation.booth import flow as F
from recitation.booth.widgets import Button, row_of_buttons
from recitation.poems import GRADE_NAMES

DESIGN_SIZE = (1280, 720)  # the booth lays out and draws at this size; the experience scales to the window
# The kiosk's home button (返回, bottom-left) leaves the booth from every screen; the booth's own button at the
# top left only steps back (上一步), so it is not on the picker. Rows along the bottom start right of the home
# button: 200 design px clear it from 1080×1920 portrait (its widest share of the design) to 1920×1080.
HOME_CLEAR = 200
CARDS_PER_PAGE = 8
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def picker_cards(booth) -> list:
    """(rect, poem index) of the poem cards on the picker's current page."""
    if booth.flow.screen != F.PICKER:
        return []
    width = DESIGN_SIZE[0]
    found = booth.filtered()
    pages = max(1, -(-len(found) // CARDS_PER_PAGE))
    booth.page = min(booth.page, pages - 1)
    shown = found[booth.page * CARDS_PER_PAGE:(booth.page + 1) * CARDS_PER_PAGE]
    card_w, card_h, gap = (width - 60 - 3 * 16) // 4, 112, 16
    out = []
    for k, poem in enumerate(shown):
        rect = pygame.Rect(30 + (k % 4) * (card_w + gap), 190 + (k // 4) * (card_h + gap), card_w, card_h)
        out.append((rect, booth.poems.index(poem)))
    return out


def buttons(booth) -> list[Button]:
    """The current screen's buttons, big enough for children's fingers."""
    width, height = DESIGN_SIZE
    lang, flow = booth.lang, booth.flow
    bottom = pygame.Rect(HOME_CLEAR, height - 100, width - 30 - HOME_CLEAR, 80)
    back = Button("back", t("recite.ui.step_back", lang), pygame.Rect(20, 16, 140, 72))
    if flow.screen == F.PICKER:
        chips = [("all", t("recite.ui.all", lang))] + [(f"grade:{g}", GRADE_NAMES[g]) for g in range(1, 7)]
        chips += [("collection:唐诗三百首", "唐诗"), ("collection:宋词三百首", "宋词")]
        row = row_of_buttons(chips, pygame.Rect(30, 100, width - 60, 72), height=72, gap=10)
        for button in row:
            button.on = (button.key == "all" and booth.filter.grade is None and not booth.filter.collection) or \
                button.key in (f"grade:{booth.filter.grade}", f"collection:{booth.filter.collection}")
        keys = [(f"letter:{c}", c.upper()) for c in LETTERS]
        keypad = row_of_buttons(keys[:13], pygame.Rect(30, 450, width - 60, 72), height=72, gap=8)
        keypad += row_of_buttons(keys[13:], pygame.Rect(30, 530, width - 60, 72), height=72, gap=8)
        nav = row_of_buttons([("clear", t("recite.ui.clear", lang)), ("prev", "<"), ("next", ">")],
                             pygame.Rect(width - 560, height - 100, 530, 80))
        return row + keypad + nav
    if flow.screen == F.CONSENT:
        return [back] + row_of_buttons([("decline", t("recite.consent.decline", lang)),
                                        ("agree", t("recite.consent.agree", lang))],
                                       pygame.Rect(160, height - 190, width - 320, 96), height=96, primary="agree")
    if flow.screen == F.READING:
        specs = [("pinyin", t("recite.ui.pinyin_on" if flow.show_pinyin else "recite.ui.pinyin_off", lang)),
                 ("family", t("recite.ui.family_on" if flow.family_mode else "recite.ui.family_off", lang))]
        if flow.scoring_enabled:
            specs.append(("no_score", t("recite.ui.score_off" if flow.no_score else "recite.ui.score_on", lang)))
        if booth.poem is not None and booth.poem.audio:
            specs.append(("reference", t("recite.ui.reference", lang)))
        specs.append(("read_along", t("recite.ui.read_along", lang)))
        if flow.recording_allowed:
            specs.append(("record", t("recite.ui.record", lang)))
        return [back] + row_of_buttons(specs, bottom, primary="record")
    if flow.screen == F.COUNTDOWN:
        return [back]
    if flow.screen == F.RECORDING:
        return [back] + row_of_buttons([("redo", t("recite.ui.redo", lang)), ("stop", t("recite.ui.stop", lang))],
                                       pygame.Rect(width // 2 - 300, height - 100, 600, 80), primary="stop")
    if flow.screen in (F.SCORE, F.REVIEW):
        specs = [("playback", t("recite.ui.playback", lang)), ("redo", t("recite.ui.redo", lang)),
                 ("next_poem", t("recite.ui.next_poem", lang))]
        area = pygame.Rect(width - 760, height - 100, 730, 80)
        primary = "redo"
        report = booth.report if flow.screen == F.SCORE else None
        if report is not None and report.not_this_text:  # another text or humming: offer to read along first
            specs.insert(0, ("read_along_first", t("recite.ui.read_along_first", lang)))
            area = pygame.Rect(width - 1000, height - 100, 970, 80)
            primary = "read_along_first"
        if flow.can_share:  # only after the guardian agreed to recording, and only for a saved take
            again = booth.sharing.ticket is not None
            specs.append(("share", t("recite.share.again" if again else "recite.share.button", lang)))
            area = pygame.Rect(width - 30 - 240 * len(specs), height - 100, 240 * len(specs), 80)
        return [back] + row_of_buttons(specs, area, primary=primary)
    if flow.screen == F.SHARE_PICK:
        return [back] + nickname_buttons(booth) + row_of_buttons(
            [("share_confirm", t("recite.share.confirm", lang))], pygame.Rect(width - 350, height - 100, 320, 80),
            primary="share_confirm")
    if flow.screen in (F.SHARED, F.SHARE_OFF):
        specs = [("playback", t("recite.ui.playback", lang))] if flow.screen == F.SHARE_OFF else []
        specs.append(("share_done", t("recite.share.done" if flow.screen == F.SHARED else "recite.share.ok", lang)))
        row_width = 320 * len(specs) + 18 * (len(specs) - 1)
        return [back] + row_of_buttons(specs, pygame.Rect(width - 30 - row_width, height - 100, row_width, 80),
                                       primary="share_done")
    return []


NICKNAME_COLUMNS = 6


def nickname_buttons(booth) -> list[Button]:
    """The kid-safe nicknames as big toggles with pinyin (never a keyboard), and "no nickname"; one is on."""
    from recitation.booth.sharing import nickname_choices, nickname_pinyin

    names = list(nickname_choices())
    specs = [(f"nick:{i}", name, nickname_pinyin(name)) for i, name in enumerate(names)]
    specs.append(("nick:none", t("recite.share.no_nickname", booth.lang), ""))
    gap, top, row_h = 12, 230, 104
    width = (DESIGN_SIZE[0] - 60 - gap * (NICKNAME_COLUMNS - 1)) // NICKNAME_COLUMNS
    out = []
    for k, (key, label, ruby) in enumerate(specs):
        rect = pygame.Rect(30 + (k % NICKNAME_COLUMNS) * (width + gap), top + (k // NICKNAME_COLUMNS) * (row_h + gap),
                           width, row_h - 8)
        chosen = booth.flow.nickname == (names[int(key[5:])] if key != "nick:none" else "")
        out.append(Button(key, label, rect, on=chosen, ruby=ruby, label_size=30 if ruby else 24))
    return out
