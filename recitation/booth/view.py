"""Drawing the booth (pygame): the current screen on the design canvas (recitation.booth.layout), scaled
uniformly into the window, with what was drawn recorded for the screen checks in window pixels."""
from __future__ import annotations

import pygame

from experiences.i18n import t
from recitation.booth import flow as F
from recitation.booth import layout
from recitation.booth.family import readers_of_lines
from recitation.booth.widgets import PAPER


def draw(booth, window) -> None:
    """Draw on the design canvas, then scale it uniformly into the window; what was drawn is recorded for
    the screen checks (experiences.drawlog) in window pixels, as the visitor sees it."""
    from experiences import drawlog

    design = booth.design
    if window.get_size() == design:
        draw_screen(booth, window)
        return
    if booth._canvas is None or booth._canvas.get_size() != design:
        booth._canvas = pygame.Surface(design)
    outer = drawlog.active()
    if outer is None:
        draw_screen(booth, booth._canvas)
    else:
        with drawlog.recording() as inner:
            draw_screen(booth, booth._canvas)
        s = booth.scale

        def box(b):
            return (round(b[0] * s), round(b[1] * s), round(b[2] * s), round(b[3] * s)) if b else None

        for item in inner.texts:
            drawlog.note_text(item.text, round(item.size * s), box(item.box), item.role,
                              round(item.ruby_size * s) if item.ruby_size else None, box(item.clip))
        for item in inner.boxes:
            drawlog.note_box(item.label, box(item.box), item.group)
    pygame.transform.smoothscale(booth._canvas, window.get_size(), window)

def draw_screen(booth, surface) -> None:
    from recitation.booth import score_screen, screens

    text, lang, flow = booth.text(), booth.lang, booth.flow
    surface.fill(PAPER)
    now = booth.ctx.clock.now()
    width, height = surface.get_size()
    buttons = booth.buttons()
    if flow.screen == F.PICKER:
        found = booth.filtered()
        cards = [(rect, booth.poems[i]) for rect, i in booth.picker_cards()]
        reasons = {poem.id: reason for poem, reason in booth.suggested} if not booth.filter.query else {}
        grid = layout.picker_grid(booth.design)
        screens.draw_picker(surface, text, cards, booth.filter.query, booth.page, -(-len(found) // grid.per_page),
                            lang, reasons, grid)
    elif flow.screen == F.CONSENT:
        screens.draw_consent(surface, text, booth.ctx.config.storage.recordings_keep_days, lang)
    elif flow.screen == F.SCORE and booth.report is not None:
        readers = None
        if flow.family_mode and booth.poem is not None:
            readers = readers_of_lines(booth.poem_grid().rows, len(booth.poem.expected.lines))
        top = min((b.rect.top for b in buttons if b.key != "back"), default=height)
        score_screen.draw_score(surface, text, booth.report, lang, readers, bottom=top)
    elif flow.screen in (F.SHARE_PICK, F.SHARING, F.SHARED, F.SHARE_OFF):
        booth.sharing.draw(surface, text, lang)
    elif booth.poem is not None:
        screens.draw_header(surface, text, booth.poem, lang, flow.family_mode, layout.poem_area(booth).centerx)
        position = booth.highlight.position(now) if booth.highlight is not None else -1.0
        if flow.screen in (F.SCORING, F.REVIEW):  # the take is over: no line is "current" any more
            position = -1.0
        area = layout.poem_area(booth)
        done = booth.read_along_done
        if not done and flow.screen != F.COUNTDOWN:  # the praise card or the 3-2-1 take the poem's place
            screens.draw_poem(surface, text, booth.poem, area, position, flow.show_pinyin, flow.family_mode,
                              lang, booth.poem_grid())
        column = layout._column(booth)
        if flow.screen == F.RECORDING and booth.session is not None:
            meter = column if not layout.portrait(booth.design) else pygame.Rect(
                column.left + 150, column.top + 10, 220, column.height)
            screens.draw_meter(surface, text, meter, booth.session.last.level, booth.session.pitch_trace,
                               booth.session.seconds, lang)
        elif flow.screen == F.COUNTDOWN:
            screens.draw_countdown(surface, flow.countdown_left, text, lang)
        elif done:
            screens.draw_end_card(surface, text, layout.end_card(booth), lang)
        elif (flow.screen == F.READING and flow.recording_allowed
              and (booth.highlight is None or booth.highlight.started_at is None)):
            record = layout.record_rect(booth)
            if layout.portrait(booth.design):
                actions = [b.rect.right for b in buttons if b.key in ("read_along", "reference")]
                room = record.left - 40 - max(actions, default=layout.HOME_CLEAR) - 16
            else:
                room = layout._column(booth).width + 20
            screens.draw_record_hint(surface, text, record, layout.portrait(booth.design), lang, room)
        message = None
        if flow.screen == F.SCORING:
            message = t("recite.ui.scoring", lang)
        elif flow.screen == F.REVIEW:
            message = t("recite.ui.review", lang)
        elif flow.screen == F.READING and not flow.recording_allowed and not done:
            message = t("recite.ui.no_microphone" if not flow.can_record else "recite.ui.read_along_only", lang)
        if message:
            screens.draw_message(surface, text, message, (area.centerx, area.bottom - 10))
    focusable = [b for b in buttons if b.enabled]
    for k, button in enumerate(focusable):
        button.draw(surface, text, focused=booth.show_focus and k == booth.focus % len(focusable))
