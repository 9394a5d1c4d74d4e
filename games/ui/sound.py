"""Sound effects synthesised in code (numpy → pygame.sndarray), always under the kiosk's volume cap."""
from __future__ import annotations

import logging

import numpy as np

log = logging.getLogger(__name__)
RATE = 22050
HEADROOM = 0.9  # peaks stay a little below the cap


def _envelope(n: int, attack: float, decay: float) -> np.ndarray:
    t = np.arange(n) / RATE
    return np.minimum(1.0, t / max(attack, 1e-4)) * np.exp(-t / decay)


def synth(name: str) -> np.ndarray:
    """Mono float samples in [-1, 1] for one effect: shoot, hit, miss, burst, cheer, card."""
    rng = np.random.default_rng(7)  # fixed: the same sound every time
    if name == "shoot":  # a bow string twang and a soft whoosh
        n = int(0.35 * RATE)
        t = np.arange(n) / RATE
        twang = np.sin(2 * np.pi * 180 * t * (1 - 0.3 * t)) * _envelope(n, 0.002, 0.06)
        noise = np.convolve(rng.standard_normal(n), np.ones(24) / 24, mode="same")
        whoosh = noise * np.sin(np.pi * t / t[-1]) * 0.8
        wave = twang + whoosh
    elif name == "hit":  # a bright two-note chime (major third)
        n = int(0.8 * RATE)
        t = np.arange(n) / RATE
        wave = sum(np.sin(2 * np.pi * f * t) * a for f, a in ((880, 1.0), (1109, 0.7), (1760, 0.25)))
        wave = wave * _envelope(n, 0.005, 0.25)
    elif name == "miss":  # a soft falling "boop", not a buzzer
        n = int(0.4 * RATE)
        t = np.arange(n) / RATE
        wave = np.sin(2 * np.pi * (330 - 120 * t / t[-1]) * t) * _envelope(n, 0.01, 0.15)
    elif name == "burst":  # paper lantern pop: filtered noise with a fast decay
        n = int(0.5 * RATE)
        wave = np.convolve(rng.standard_normal(n), np.ones(6) / 6, mode="same") * _envelope(n, 0.001, 0.08)
    elif name == "cheer":  # a hit: a quick rising arpeggio (C E G C), bright but soft
        n = int(0.7 * RATE)
        t = np.arange(n) / RATE
        wave = np.zeros(n)
        for k, f in enumerate((523.25, 659.25, 783.99, 1046.5)):
            start = int(k * 0.09 * RATE)
            tk = t[: n - start]
            wave[start:] += np.sin(2 * np.pi * f * tk) * _envelope(n - start, 0.004, 0.18) * (0.8 + 0.1 * k)
    elif name == "card":  # a gentle page sound for cards and buttons
        n = int(0.15 * RATE)
        t = np.arange(n) / RATE
        wave = np.sin(2 * np.pi * 660 * t) * _envelope(n, 0.003, 0.04)
    else:
        raise KeyError(name)
    peak = float(np.max(np.abs(wave))) or 1.0
    return (wave / peak).astype(np.float32)


NAMES = ("shoot", "hit", "miss", "burst", "cheer", "card")


class SoundBank:
    """The games' effects at volume ≤ cap. Without a mixer (no audio device) it stays silent and says so once."""

    def __init__(self, volume_cap: float, volume: float = 0.8):
        self.level = max(0.0, min(volume, volume_cap)) * HEADROOM
        self.sounds = {}
        self.played: list[str] = []  # what was asked to play, for tests and logs
        try:
            import pygame
            if not pygame.mixer.get_init():
                pygame.mixer.init(frequency=RATE, size=-16, channels=2)
            _, _, channels = pygame.mixer.get_init()
            frequency = pygame.mixer.get_init()[0]
            for name in NAMES:
                samples = synth(name)
                if frequency != RATE:  # resample by interpolation: the mixer may already run at 44.1 kHz
                    samples = np.interp(np.arange(0, len(samples), RATE / frequency), np.arange(len(samples)), samples)
                pcm = np.round(samples * self.level * 32767).astype(np.int16)
                if channels > 1:
                    pcm = np.repeat(pcm[:, None], channels, axis=1)
                sound = pygame.sndarray.make_sound(np.ascontiguousarray(pcm))
                sound.set_volume(1.0)  # the level is baked into the samples: one place to cap
                self.sounds[name] = sound
        except Exception as exc:  # no audio device: the game still runs
            log.warning("sound effects off: %s", exc)
            self.sounds = {}

    def peak(self, name: str) -> float:
        """Peak amplitude of an effect as played, 0..1."""
        import pygame
        return float(np.max(np.abs(pygame.sndarray.array(self.sounds[name])))) / 32767

    def play_recording(self, fileobj, name: str) -> bool:
        """Play a recording from a package (an idiom read aloud) at the same capped level; False if it cannot."""
        self.played.append("read:" + name)
        if not self.sounds:
            return False
        try:
            import pygame
            sound = pygame.mixer.Sound(file=fileobj)
        except Exception as exc:  # a broken file must not stop the game
            log.warning("cannot play %s: %s", name, exc)
            return False
        sound.set_volume(self.level)
        sound.play()
        self.last_recording = sound
        return True

    def play(self, name: str) -> None:
        self.played.append(name)
        sound = self.sounds.get(name)
        if sound is not None:
            sound.play()
