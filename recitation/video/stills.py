"""Screenshots of a video's first, middle and last frames (PyAV decodes; pygame writes PNGs), to look at:

    .venv/bin/python -m recitation.video.stills OUT.mp4 [FOLDER]
"""
from __future__ import annotations

import sys
from pathlib import Path


def stills(video: Path, folder: Path) -> list[Path]:
    import av
    import pygame

    with av.open(str(video)) as container:
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, index in (("first", 0), ("middle", len(frames) // 2), ("last", len(frames) - 1)):
        rgb = frames[index]
        surface = pygame.image.frombuffer(rgb.tobytes(), (rgb.shape[1], rgb.shape[0]), "RGB")
        path = folder / f"{video.stem}-{name}.png"
        pygame.image.save(surface, str(path))
        out.append(path)
    return out


if __name__ == "__main__":
    if len(sys.argv) < 2:
        print(__doc__.strip())
        sys.exit(2)
    target = Path(sys.argv[1])
    for path in stills(target, Path(sys.argv[2]) if len(sys.argv) > 2 else target.parent):
        print(path)
