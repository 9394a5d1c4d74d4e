"""Landmark frames: what crosses from the tracking process to the kiosk. Never pixels, never face points.

A body is {name: (x, y, visibility)} in the camera's normalised image coordinates (0..1, y down, NOT mirrored).
Only shoulders, elbows, wrists and hips are kept: MediaPipe's face points (0–10) are dropped in the tracker.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

# MediaPipe Pose's indices of the points the gestures use (no face landmarks).
POSE_POINTS = {
    "left_shoulder": 11, "right_shoulder": 12, "left_elbow": 13, "right_elbow": 14,
    "left_wrist": 15, "right_wrist": 16, "left_hip": 23, "right_hip": 24,
}
VISIBLE = 0.5  # a point with less visibility than this counts as not seen

Point = tuple[float, float, float]
Body = dict[str, Point]


@dataclass
class LandmarkFrame:
    """One camera frame's result: when it was captured (monotonic seconds) and the bodies found in it."""

    t: float
    people: list[Body] = field(default_factory=list)
    index: int = 0


def seen(body: Body, name: str) -> tuple[float, float] | None:
    point = body.get(name)
    if point is None or point[2] < VISIBLE:
        return None
    return point[0], point[1]


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def shoulder_width(body: Body) -> float | None:
    """The body's own size unit: the distance between the shoulders (works seated, hips unseen)."""
    left, right = seen(body, "left_shoulder"), seen(body, "right_shoulder")
    if left is None or right is None:
        return None
    return max(distance(left, right), 1e-3)


def centre(body: Body) -> tuple[float, float] | None:
    """Mid-shoulders: where the body is in the picture."""
    left, right = seen(body, "left_shoulder"), seen(body, "right_shoulder")
    if left is None or right is None:
        return None
    return (left[0] + right[0]) / 2, (left[1] + right[1]) / 2


def from_mediapipe(landmarks) -> Body:
    """The kept points of a MediaPipe `pose_landmarks.landmark` list (NormalizedLandmark objects)."""
    return {name: (float(landmarks[i].x), float(landmarks[i].y), float(landmarks[i].visibility))
            for name, i in POSE_POINTS.items()}


def to_wire(frame: LandmarkFrame) -> dict:
    return {"t": frame.t, "i": frame.index, "people": [{k: list(v) for k, v in b.items()} for b in frame.people]}


def from_wire(data: dict) -> LandmarkFrame:
    people = [{k: (float(v[0]), float(v[1]), float(v[2])) for k, v in b.items() if k in POSE_POINTS}
              for b in data.get("people", [])]
    return LandmarkFrame(float(data["t"]), people, int(data.get("i", 0)))


# shoulder widths: two bodies whose mid-shoulders are nearer than this are one person seen twice (the centre crop
# seeing part of the tracked child: 0.50–0.55 on the cameraman photo); children side by side, shoulder to shoulder,
# are ~1.3 apart (a body is wider than its shoulder joints)
SAME_PERSON = 0.9


def same_person(a: Body, b: Body) -> bool:
    """Two detections of one person (the tracked body and the centre crop's look at the same child): their
    mid-shoulders nearer than SAME_PERSON of the larger shoulder width."""
    ca, cb = centre(a), centre(b)
    if ca is None or cb is None:
        return False
    return distance(ca, cb) < SAME_PERSON * max(shoulder_width(a) or 0.0, shoulder_width(b) or 0.0)

