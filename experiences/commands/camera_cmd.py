"""`launcher.py camera test [SOURCE] [--frames N] [--json]`: does the motion corner see someone, and what would
the gestures do? Per frame: a person tracked or not, the events; then a summary. Frames are never saved."""
from __future__ import annotations

import json
import time


def register(subparsers) -> None:
    parser = subparsers.add_parser("camera", help="体感 motion camera tools (camera test)")
    sub = parser.add_subparsers(dest="camera_command", metavar="ACTION", required=True)
    test = sub.add_parser("test", help="open a camera or video file and show what the motion tracking sees")
    test.add_argument("source", nargs="?", default=None,
                      help="device index, V4L2 path, RTSP URL or video file (default: [input] camera, else 0)")
    test.add_argument("--frames", type=int, default=100, help="stop after N frames (default 100)")
    test.add_argument("--json", action="store_true", help="one JSON object per frame, then the summary")
    test.set_defaults(func=run_test)


def describe(event) -> str:
    if event.type == "action":
        return f"action:{event.action}"
    return f"{event.type}({event.x:.0f},{event.y:.0f})"


def camera_test(source, frames: int, size=(1280, 720), detector=None):
    """Yields one dict per frame, then the summary (with "summary": True). In this process: a test tool."""
    from experiences.motion.body import LandmarkFrame
    from experiences.motion.camera import Camera
    from experiences.motion.detector import shared_detector
    from experiences.motion.gestures import MotionGestures

    camera = Camera(source, loop=False, realtime=False)
    if not camera.open():
        yield {"summary": True, "error": camera.why, "frames": 0, "people_found": 0, "events": 0,
               "ms_per_frame": None, "camera": camera.status}
        return
    detector = detector or shared_detector()
    detector.reset()
    gestures = MotionGestures(size)
    count = found = events_total = 0
    spent = 0.0
    fps = camera.fps or 30.0
    try:
        while count < frames:
            rgb = camera.read()
            if rgb is None:
                if camera.status == "ended" or camera.failures > 2:
                    break
                time.sleep(0.2)
                continue
            started = time.perf_counter()
            people = detector.detect(rgb)
            spent += time.perf_counter() - started
            del rgb
            # a file's own time line (not the machine's), so gestures see the motion as it was filmed
            events = gestures.feed(LandmarkFrame(count / fps if camera.file else time.monotonic(), people, count))
            found += bool(people)
            events_total += len(events)
            yield {"frame": count, "person": bool(people), "people": len(people), "state": gestures.state,
                   "events": [describe(e) for e in events]}
            count += 1
    finally:
        camera.close()
    yield {"summary": True, "frames": count, "people_found": found, "events": events_total,
           "ms_per_frame": round(spent * 1000 / count, 1) if count else None, "camera": camera.status,
           "error": camera.why}


def run_test(args) -> int:
    from experiences.motion.camera import parse_source

    source = args.source
    if source is None:
        from experiences.config import ConfigError, load_config

        try:
            configured = load_config(create=False).input.camera
        except ConfigError as exc:
            print(exc)
            return 1
        source = configured if parse_source(configured) is not None else "0"
    parsed = parse_source(source)
    if parsed is None:
        print("摄像头已关闭 / the camera is off: give a SOURCE (0, /dev/video0, rtsp://…, a video file)")
        return 2
    summary = {}
    for row in camera_test(parsed, max(1, args.frames)):
        if row.get("summary"):
            summary = row
            break
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            seen = "有人 person" if row["person"] else "无人 nobody"
            print(f"{row['frame']:5d}  {seen:12s} {' '.join(row['events'])}")
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        if summary.get("error"):
            print(f"错误 error: {summary['error']}")
        if not summary.get("frames"):
            return 1
        print(f"帧 frames {summary['frames']}, 有人 people found in {summary['people_found']}, "
              f"事件 events {summary['events']}, 每帧 ms/frame {summary['ms_per_frame']}")
    return 0 if summary.get("frames") else 1
