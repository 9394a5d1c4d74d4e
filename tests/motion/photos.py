"""Real photographs shipped in scikit-image (astronaut, cameraman: people; coffee, cat, rocket, coins: nobody)
and a video file made from them (PyAV), which cv2.VideoCapture reads exactly like a camera."""
from __future__ import annotations

import numpy as np

PEOPLE = ("astronaut", "camera")
NOBODY = ("coffee", "chelsea", "rocket", "coins")


def photo(name: str) -> np.ndarray:
    from skimage import data

    image = getattr(data, name)()
    if image.ndim == 2:
        image = np.stack([image] * 3, -1)
    return np.ascontiguousarray(image[..., :3])


def in_frame(image: np.ndarray, size=(640, 480)) -> np.ndarray:
    """The photo centred in a 640×480 camera frame (grey around it), scaled to fit."""
    import cv2

    width, height = size
    scale = min(width / image.shape[1], height / image.shape[0])
    scaled = cv2.resize(image, (round(image.shape[1] * scale), round(image.shape[0] * scale)))
    frame = np.full((height, width, 3), 90, np.uint8)
    top, left = (height - scaled.shape[0]) // 2, (width - scaled.shape[1]) // 2
    frame[top:top + scaled.shape[0], left:left + scaled.shape[1]] = scaled
    return frame


def square(image: np.ndarray, side: int = 512) -> np.ndarray:
    """The photo as a side×side frame (the people photos are 512×512 already: kept exactly as they are —
    the detector misses the cameraman once he is rescaled or padded, so his frame is his own photo)."""
    import cv2

    if image.shape[:2] == (side, side):
        return image
    return cv2.resize(image, (side, side), interpolation=cv2.INTER_AREA)


def write_video(path, scenes, fps=15, framing=square, codec="mpeg4"):
    """scenes: [(photo name, seconds)]; writes a video file (512×512, or 640×480 with framing=in_frame);
    codec "ffv1" (in .mkv): lossless, every frame of a scene exactly the same picture."""
    import av

    first = framing(photo(scenes[0][0]))
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=fps)
        stream.width, stream.height = first.shape[1], first.shape[0]
        stream.pix_fmt = "yuv420p"
        if codec == "mpeg4":
            stream.codec_context.options = {"qscale": "2"}  # near-lossless: the detector sees the photo
        for name, seconds in scenes:
            frame = framing(photo(name))
            for _ in range(round(seconds * fps)):
                for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                    out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path
