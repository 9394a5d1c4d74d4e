"""Drawing the booth's 分享给家人 screens (pygame): the nickname choice, the QR code with its expiry and delete
code, and the kind "sharing is not set up here" message. 1280×720 design size, like the other screens.
"""
from __future__ import annotations

import pygame

from experiences.i18n import t
from experiences.qrcode import qr_surface  # noqa: F401  (the booth's screens and tests import it from here)
from recitation.booth.widgets import ACCENT, GREY, INK, PAPER_DARK, WHITE

QR_BOX = pygame.Rect(50, 110, 460, 460)  # the white card the QR code sits on


def format_date(date, lang: str) -> str:
    return t("recite.share.date", lang, year=date.year, month=date.month, day=date.day)


def draw_share_pick(surface, text, days: int, lang: str) -> None:
    """Title and the plain explanation above the nickname buttons (layout.nickname_buttons)."""
    width = surface.get_width()
    text.draw(surface, t("recite.share.pick_title", lang), (width // 2, 22), 48, INK, anchor="midtop")
    area = pygame.Rect(100, 96, width - 200, 130)
    what, expiry = t("recite.share.pick_what", lang), t("recite.share.pick_expiry", lang, days=days)
    size = 26
    while size > 22 and (len(text.wrap(what, size, area.width)) + len(text.wrap(expiry, size, area.width))) * (
            size * 1.4) + 4 > 146:  # above the nickname buttons
        size -= 1
    used = text.draw_paragraph(surface, what, area, size, INK, line_gap=0.25)
    area.top += used + 4
    text.draw_paragraph(surface, expiry, area, size, GREY, line_gap=0.25)


def draw_sharing(surface, text, lang: str) -> None:
    centre = (surface.get_width() // 2, surface.get_height() // 2)
    text.draw(surface, t("recite.share.preparing", lang), centre, 40, INK, anchor="center")


def draw_shared(surface, text, outcome, nickname: str, lang: str, video: float | None = None) -> None:
    """The QR code drawn large on white, the expiry date, and the delete code in big digits with what it does;
    `video`: the family's video being made (0..1, a bar along the card's foot and a word after 扫码), or None."""
    ticket = outcome.ticket
    width, height = surface.get_size()
    box = QR_BOX.copy()
    if height > width:  # portrait: the QR on top, the words below it
        box.midtop = (width // 2, 160)
    elif width < 1100:  # 4:3 and 16:10: a slightly smaller QR leaves the words their room
        box.size = (400, 400)
    pygame.draw.rect(surface, WHITE, box, border_radius=18)
    qr = qr_surface(ticket.qr_png, box.width - 20)
    surface.blit(qr, qr.get_rect(center=box.center))
    scan = t("recite.share.scan", lang)
    if video is not None:
        pygame.draw.rect(surface, PAPER_DARK, (box.left + 12, box.bottom - 9, box.width - 24, 6), border_radius=3)
        pygame.draw.rect(surface, ACCENT, (box.left + 12, box.bottom - 9, int((box.width - 24) * video), 6),
                         border_radius=3)
        scan += " · " + (t("recite.share.video_ready", lang) if video >= 1.0 else
                         t("recite.share.video_making", lang, percent=int(video * 100)))
    size = 28
    while size > 22 and text.size(scan, size)[0] > box.width + 40:
        size -= 2
    text.draw(surface, scan, (box.centerx, box.bottom + 16), size, INK, anchor="midtop")

    if height > width:
        left, right, y = 60, width - 60, box.bottom + 80
        text.draw(surface, t("recite.share.qr_title", lang), (width // 2, 100), 36, INK, anchor="midtop")
    else:
        left, right, y = box.right + 40, width - 40, 100
        title, size = t("recite.share.qr_title", lang), 36
        while size > 28 and text.size(title, size)[0] > right - left:
            size -= 2
        if text.size(title, size)[0] <= right - left:
            text.draw(surface, title, (left, 40), size, INK)
        else:  # a long title (English) takes two lines
            y = 40 + text.draw_paragraph(surface, title, pygame.Rect(left, 30, right - left, 0), size, INK,
                                         align="left", line_gap=0.1) + 16
    expires = t("recite.share.expires", lang, date=format_date(outcome.expires, lang), days=outcome.days)
    how, note = t("recite.share.delete_how", lang), t("recite.share.delete_note", lang)

    def lines_height(words: str, size: int) -> int:
        return int(len(text.wrap(words, size, right - left)) * text.size("国", size)[1] * 1.25)

    for small in (26, 24, 22):  # the words shrink (never under 22) to end above the button row
        code_h = 130 if small == 26 else 106
        need = (46 if nickname else 0) + lines_height(expires, small + 2) + 24 + 48 + code_h + 22 + \
            lines_height(how, small) + 8 + lines_height(note, small)
        if y + need <= height - 112:
            break
    column = pygame.Rect(left, 0, right - left, 0)
    if nickname:
        text.draw(surface, t("recite.share.nickname", lang, nickname=nickname), (left, y), small + 2, INK)
        y += 46
    column.top = y
    y += text.draw_paragraph(surface, expires, column, small + 2, INK, align="left", line_gap=0.25) + 24
    text.draw(surface, t("recite.share.delete_title", lang), (left, y), 32, INK)
    code_box = pygame.Rect(left, y + 48, min(420, right - left), code_h)
    pygame.draw.rect(surface, WHITE, code_box, border_radius=16)
    pygame.draw.rect(surface, ACCENT, code_box, width=4, border_radius=16)
    code = ticket.delete_code
    text.draw(surface, f"{code[:3]} {code[3:]}", code_box.center, 96 if code_h > 110 else 80, INK, anchor="center")
    column.top = code_box.bottom + 22
    used = text.draw_paragraph(surface, how, column, small, INK, align="left", line_gap=0.25)
    column.top += used + 8
    text.draw_paragraph(surface, note, column, small, GREY, align="left", line_gap=0.25)


def draw_share_off(surface, text, keep_days: int, lang: str) -> None:
    """Kind words: sharing is not set up on this machine, and the take is still here to play back."""
    width = surface.get_width()
    pygame.draw.rect(surface, PAPER_DARK, pygame.Rect(140, 140, width - 280, 380), border_radius=24)
    text.draw(surface, t("recite.share.off_title", lang), (width // 2, 180), 48, INK, anchor="midtop")
    area = pygame.Rect(200, 270, width - 400, 240)
    used = text.draw_paragraph(surface, t("recite.share.off_why", lang), area, 30, INK, line_gap=0.3)
    area.top += used + 16
    text.draw_paragraph(surface, t("recite.share.off_safe", lang, days=keep_days), area, 30, INK, line_gap=0.3)
