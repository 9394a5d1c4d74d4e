"""QR codes on kiosk screens: `qr_surface(png, side)` scales a QR PNG made by experiences.share.qr_png (8 px per
module) up crisply, whole pixels per module. Used by the booth's share screen and the e-books' 用手机读 screens."""
from __future__ import annotations

import io

import pygame

_qr_cache: dict[bytes, pygame.Surface] = {}


def qr_surface(png: bytes, side: int) -> pygame.Surface:
    """The QR PNG scaled to at most `side` px, nearest neighbour, so every module stays sharp."""
    key = png + side.to_bytes(4, "big")
    if key not in _qr_cache:
        image = pygame.image.load(io.BytesIO(png), "qr.png")
        width = image.get_width()
        modules = width // 8 if width % 8 == 0 else width
        size = max(1, side // modules) * modules
        if len(_qr_cache) > 8:
            _qr_cache.clear()
        _qr_cache[key] = pygame.transform.scale(image, (size, size))  # nearest neighbour: sharp modules
    return _qr_cache[key]
