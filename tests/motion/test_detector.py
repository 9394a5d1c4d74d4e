"""The real pose detector on real photographs (layer: frames → landmarks) and a video-file camera end to end
(layer: frames in at the camera → input events out). No camera or video of a child exists here: photos only."""
from __future__ import annotations

import socket

import pytest

from tests.motion.photos import NOBODY, PEOPLE, in_frame, photo, square, write_video


@pytest.mark.parametrize("name", PEOPLE)
def test_frames_layer_finds_the_person_in_a_real_photo(detector, name):
    people = detector.detect_photo(square(photo(name)))
    assert len(people) == 1
    body = people[0]
    assert set(body) == {"left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist",
                         "right_wrist", "left_hip", "right_hip"}  # no face points cross
    left, right = body["left_shoulder"], body["right_shoulder"]
    assert left[2] > 0.9 and right[2] > 0.9
    assert left[0] > right[0]  # facing the camera: their left shoulder is on the picture's right
    assert 0.1 < right[0] < left[0] < 0.9 and 0.2 < left[1] < 0.8


@pytest.mark.parametrize("name", NOBODY)
def test_frames_layer_finds_nobody_in_a_photo_without_a_person(detector, name):
    assert detector.detect_photo(photo(name)) == []  # as shipped
    assert detector.detect_photo(in_frame(photo(name))) == []  # and as a 640×480 camera frame


def test_frames_layer_astronaut_in_a_640x480_camera_frame(detector):
    assert len(detector.detect_photo(in_frame(photo("astronaut")))) == 1


def test_only_the_bundled_model_and_no_network(detector, monkeypatch):
    from experiences.motion.detector import ModelMissing, PoseDetector
    from mediapipe.python.solutions import download_utils

    def refuse(*args, **kwargs):
        raise AssertionError("the motion corner touched the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    fresh = PoseDetector()  # builds the graph from the wheel's own files
    try:
        assert fresh.detect(in_frame(photo("astronaut")))
    finally:
        fresh.close()
    for complexity in (0, 2):
        with pytest.raises(ValueError):
            PoseDetector(model_complexity=complexity)
    with pytest.raises(ModelMissing):
        download_utils.download_oss_model("mediapipe/modules/pose_landmark/pose_landmark_heavy.tflite")


def test_camera_layer_video_file_to_events(detector, tmp_path):
    """A video file read like a camera: the cameraman holds his camera up (hands raised, still) → the aim
    follows and, held 2 s, picks; then an empty room → 我看不到你啦."""
    from experiences.commands.camera_cmd import camera_test

    video = write_video(tmp_path / "room.mp4", [("camera", 2.6), ("coffee", 1.0)])
    rows = list(camera_test(str(video), 200, detector=detector))
    summary, frames = rows[-1], rows[:-1]
    assert summary["frames"] == len(frames) == 54
    assert all(row["person"] for row in frames[:36]) and not any(row["person"] for row in frames[41:])
    events = [e for row in frames for e in row["events"]]
    assert any(e.startswith("pointer_move") for e in events)
    assert sum(e.startswith("pointer_down") for e in events) == 1  # one hover-and-hold pick
    assert frames[-1]["state"] == "lost"
    assert summary["people_found"] >= 36 and summary["ms_per_frame"] > 0


def test_camera_test_command_prints_frames_and_a_summary(detector, tmp_path, capsys):
    """`launcher.py camera test FILE --frames N --json` (layer: frames at the camera → printed events)."""
    import json

    import launcher

    video = write_video(tmp_path / "room.mp4", [("astronaut", 0.5)])
    assert launcher.main(["camera", "test", str(video), "--frames", "5", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert [row["frame"] for row in rows[:-1]] == [0, 1, 2, 3, 4] and all(row["person"] for row in rows[:-1])
    assert rows[-1]["summary"] and rows[-1]["frames"] == 5 and rows[-1]["people_found"] == 5
    assert launcher.main(["camera", "test", "off"]) == 2  # the camera is off: nothing to test


def test_loading_the_pose_model_leaves_portaudio_to_the_booth(detector):
    """Layer: the detector's import. mediapipe imports sounddevice, which initialises PortAudio and would freeze its
    device list for the whole process (the booth's PyAudio would then miss a PulseAudio started later)."""
    import sys

    sounddevice = sys.modules.get("sounddevice")
    assert sounddevice is None or sounddevice._initialized == 0


def test_frames_layer_the_centre_crop_never_counts_the_tracked_child_twice(detector, tmp_path):
    """Layer: frames → landmarks. The cameraman stands off-centre (about at the 0.2 limit), so the centre crop
    is looked at; it sees part of him (a half body, mid-shoulders 0.5 shoulder widths from his): that is not a
    second person (counted twice, the player picker flipped between the two and the aim jumped)."""
    from experiences.motion.body import same_person
    from experiences.motion.camera import Camera
    from experiences.motion.detector import RECHECK_EVERY, PoseDetector

    tracker = PoseDetector()
    camera = Camera(str(write_video(tmp_path / "cameraman.mp4", [("camera", 2.0)])), loop=False, realtime=False)
    camera.open()
    frames, crops, counts = 0, 0, []
    try:
        while (rgb := camera.read()) is not None:
            people = tracker.track(rgb)
            counts.append(len(people))
            frames += 1
            if people and frames % RECHECK_EVERY == 0:  # what the crop itself finds: the same child, partly
                crop = tracker._centre_crop(rgb)
                crops += bool(crop)
                assert all(same_person(body, people[0]) for body in crop)
            tracker.check(rgb)  # off-centre (he stands at x ≈ 0.29–0.31) it looks at the crop itself
    finally:
        camera.close()
        tracker.close()
    assert crops >= 1  # the crop does see him...
    assert counts.count(1) == frames and max(counts) == 1  # ...and he is one person in every frame
