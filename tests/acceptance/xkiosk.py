"""The real kiosk in a real X11 window, for acceptance tests: Xvfb, `launcher.py` as a subprocess (SDL's x11
driver, the embedded service on SQLite, bundled content, its own data directory), input as real X events
(XTest through `xdotool`) and screenshots taken from the X server.

The kiosk's read-only test hook (`YUEDU_TEST_HOOK`, experiences/kiosk/testhook.py) only says where things are;
every input goes through the X server like a visitor's.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from PIL import Image, ImageChops, ImageGrab

REPO_ROOT = Path(__file__).resolve().parents[2]
SIZE = (1920, 1080)
MIN_COLOURS = 16  # "a picture": a blank, flat or half-drawn screen has fewer
HANG_SECONDS = 10.0  # as experiences/kiosk/supervisor.py: a loop this long without a frame is hung


class HookTimeout(AssertionError):
    pass


class Kiosk:
    """`launcher.py` (the kiosk) in the X server's window, with helpers to drive and observe it."""

    def __init__(self, display: str, data_dir: Path, shots: Path, env: dict[str, str] | None = None,
                 kiosk_toml: str = ""):
        self.display = display
        self.data_dir = Path(data_dir)
        self.shots = Path(shots)
        self.extra_env = dict(env or {})
        self.kiosk_toml = kiosk_toml
        self.hook_path = self.data_dir / "test-hook.json"
        self.heartbeat = self.data_dir / "heartbeat"  # touched by the frame loop every second (watchdog.py)
        self.process: subprocess.Popen | None = None
        self.output = None
        self.shot_count = 0
        self.started = 0.0
        self.ways_back: list[str] = []  # how go_back() left each screen: "home", "back" (a kind's own) or "Escape"

    # --- process ------------------------------------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        for name in ("SDL_VIDEODRIVER", "SDL_AUDIODRIVER", "WAYLAND_DISPLAY"):  # the real path: x11, real audio
            env.pop(name, None)
        env.update({"DISPLAY": self.display, "YUEDU_DATA_DIR": str(self.data_dir),
                    "YUEDU_TEST_HOOK": str(self.hook_path), "YUEDU_HEARTBEAT": str(self.heartbeat),
                    "PYTHONUNBUFFERED": "1"})
        env.update(self.extra_env)
        return env

    def start(self) -> "Kiosk":
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.shots.mkdir(parents=True, exist_ok=True)
        if self.kiosk_toml:
            (self.data_dir / "kiosk.toml").write_text(self.kiosk_toml, encoding="utf-8")
        self.hook_path.unlink(missing_ok=True)
        self.heartbeat.unlink(missing_ok=True)
        self.shot_count = len(list(self.shots.glob("*.png")))  # a restarted kiosk numbers on
        self.output = open(self.data_dir / "kiosk-output.txt", "ab")
        self.process = subprocess.Popen([sys.executable, str(REPO_ROOT / "launcher.py")], cwd=REPO_ROOT,
                                        env=self.environment(), stdout=self.output, stderr=subprocess.STDOUT)
        self.started = time.monotonic()
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL, as the supervisor does to a hung kiosk."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.stop()

    def exit_code(self) -> int | None:
        return None if self.process is None else self.process.poll()

    def stop(self) -> int | None:
        """SIGTERM (as systemd would), then the exit code."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.output is not None:
            self.output.close()
            self.output = None
        return self.process.returncode

    def stalled_for(self) -> float:
        """Seconds since the frame loop last beat (0 while it beats, or before its first frame)."""
        try:
            return max(0.0, time.time() - self.heartbeat.stat().st_mtime - 1.0)
        except FileNotFoundError:
            return 0.0

    def hung(self) -> bool:
        """No frame for HANG_SECONDS: what the supervisor and systemd restart the kiosk for."""
        return self.stalled_for() >= HANG_SECONDS

    def assert_alive(self, when: str) -> None:
        code = self.exit_code()
        assert code is None, f"the kiosk died {when}: exit code {code}; last output:\n{self.output_tail()}"
        assert not self.hung(), f"the kiosk hung {when}: no frame for {self.stalled_for():.0f} s; " \
                                f"last output:\n{self.output_tail()}"

    def output_tail(self, lines: int = 12) -> str:
        """The kiosk's last distinct lines of output (a line repeated every frame shows once, with a count)."""
        path = self.data_dir / "kiosk-output.txt"
        text = path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""
        out: list[list] = []
        for line in text.splitlines()[-400:]:
            if out and out[-1][0] == line:
                out[-1][1] += 1
            else:
                out.append([line, 1])
        return "\n".join(line + (f"  (×{count})" if count > 1 else "") for line, count in out[-lines:])

    # --- the hook -----------------------------------------------------------------------------------------
    def hook(self) -> dict:
        """The kiosk's last published snapshot ({} before the first frame)."""
        for _ in range(5):
            try:
                return json.loads(self.hook_path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                return {}
            except json.JSONDecodeError:  # never half-written (renamed into place), but be patient anyway
                time.sleep(0.01)
        return {}

    def wait_for(self, what: str, predicate: Callable[[dict], bool], timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        snapshot: dict = {}
        while time.monotonic() < deadline:
            self.assert_alive(f"while waiting for {what}")
            snapshot = self.hook()
            if snapshot and predicate(snapshot):
                return snapshot
            time.sleep(0.05)
        shot = self.save(self.screenshot(), f"timeout-{what}")
        raise HookTimeout(f"no {what} within {timeout:.0f} s; last hook: {json.dumps(snapshot, ensure_ascii=False)}; "
                          f"screen: {shot}")

    def wait_state(self, state: str, timeout: float = 20.0, package: str | None = None) -> dict:
        return self.wait_for(f"state {state}" + (f" of {package}" if package else ""),
                             lambda s: s.get("state") == state and (package is None or s.get("package") == package),
                             timeout)

    def target(self, name: str, timeout: float = 10.0) -> tuple[int, int, int, int]:
        snapshot = self.wait_for(f"target {name}", lambda s: name in s.get("targets", {}), timeout)
        return tuple(snapshot["targets"][name])

    # --- input through the X server (XTest) ---------------------------------------------------------------
    def xdotool(self, *args: str) -> None:
        subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": self.display}, check=True, timeout=20)

    def click(self, x: float, y: float, hold: float = 0.15) -> None:
        self.xdotool("mousemove", str(round(x)), str(round(y)), "mousedown", "1", "sleep", str(hold), "mouseup", "1")

    def click_target(self, name: str, timeout: float = 10.0) -> tuple[int, int]:
        x, y, w, h = self.target(name, timeout)
        centre = (x + w // 2, y + h // 2)
        self.click(*centre)
        return centre

    def _cards(self, snapshot: dict) -> list[str]:
        return sorted(name[5:] for name in snapshot.get("targets", {}) if name.startswith("card:"))

    def next_menu_page(self, timeout: float = 10.0) -> list[str]:
        """Tap 下一页 on the menu (six cards a page) and wait for the next page's cards."""
        before = self._cards(self.hook())
        self.click_target("menu:next", timeout)
        return self._cards(self.wait_for("the next page", lambda s: self._cards(s) not in ([], before), timeout))

    def first_menu_page(self, timeout: float = 10.0) -> list[str]:
        """Tap 上一页 until the menu's first page (there it is no target: the pages stop at both ends)."""
        cards = self._cards(self.wait_for("the menu's cards", self._cards, timeout))
        for _ in range(12):
            if "menu:prev" not in self.hook().get("targets", {}):
                break
            self.click_target("menu:prev", timeout)
            cards = self._cards(self.wait_for("the page before", lambda s, before=cards: self._cards(s) not in
                                              ([], before), timeout))
        return cards

    def show_card(self, package_id: str, timeout: float = 10.0) -> None:
        """On the menu, turn its pages from the first until the card of `package_id` is shown."""
        cards = self.first_menu_page(timeout)
        for _ in range(12):
            if package_id in cards:
                return
            if "menu:next" not in self.hook().get("targets", {}):
                break
            cards = self.next_menu_page(timeout)
        raise AssertionError(f"no card for {package_id} on any page of the menu")

    def menu_cards(self, timeout: float = 10.0) -> list[str]:
        """Every card of the menu, page by page from the first (下一页 is no target on the last page)."""
        seen = list(self.first_menu_page(timeout))
        for _ in range(12):
            if "menu:next" not in self.hook().get("targets", {}):
                break
            seen += self.next_menu_page(timeout)
        return sorted(seen)

    def click_card(self, package_id: str, timeout: float = 10.0) -> None:
        self.show_card(package_id, timeout)
        self.click_target(f"card:{package_id}", timeout)

    def drag(self, start: tuple[float, float], end: tuple[float, float], steps: int = 12, pause: float = 0.03) -> None:
        args = ["mousemove", str(round(start[0])), str(round(start[1])), "mousedown", "1"]
        for i in range(1, steps + 1):
            x = start[0] + (end[0] - start[0]) * i / steps
            y = start[1] + (end[1] - start[1]) * i / steps
            args += ["sleep", str(pause), "mousemove", str(round(x)), str(round(y))]
        self.xdotool(*args, "sleep", "0.05", "mouseup", "1")

    def key(self, *names: str) -> None:
        self.xdotool("key", "--delay", "80", *names)

    # --- the screen ---------------------------------------------------------------------------------------
    def screenshot(self) -> Image.Image:
        return ImageGrab.grab(xdisplay=self.display).convert("RGB")

    def save(self, image: Image.Image, name: str) -> Path:
        self.shot_count += 1
        path = self.shots / f"{self.shot_count:03d}-{name.replace(':', '_').replace('/', '_')}.png"
        image.save(path)
        return path

    def picture(self, what: str, settle: float = 0.0) -> Image.Image:
        """A screenshot that must be a picture (at least MIN_COLOURS colours), saved under `shots`."""
        if settle:
            time.sleep(settle)
        self.assert_alive(f"at {what}")
        image = self.screenshot()
        path = self.save(image, what)
        assert is_picture(image), f"{what}: the screen is blank (fewer than {MIN_COLOURS} colours): {path}"
        return image

    # --- what the kiosk wrote -----------------------------------------------------------------------------
    def log_text(self) -> str:
        logs = self.data_dir / "logs"
        return "".join(path.read_text(encoding="utf-8", errors="replace") for path in sorted(logs.glob("kiosk.log*")))

    def statements(self) -> list[dict]:
        """Every statement in the outbox with its state and the LRS's reason when refused."""
        path = self.data_dir / "outbox.sqlite3"
        if not path.exists():
            return []
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            rows = db.execute("SELECT body, state, reason FROM statements ORDER BY seq").fetchall()
        return [{**json.loads(body), "_state": state, "_reason": reason} for body, state, reason in rows]

    def wait_outbox_settled(self, timeout: float = 30.0) -> list[dict]:
        """Statements once none is unsent (the sender posted them all to the embedded LRS)."""
        deadline = time.monotonic() + timeout
        rows = self.statements()
        while time.monotonic() < deadline and any(row["_state"] == "unsent" for row in rows):
            time.sleep(0.25)
            rows = self.statements()
        return rows


def is_picture(image: Image.Image) -> bool:
    return image.getcolors(MIN_COLOURS - 1) is None  # None: more colours than that


def changed_pixels(before: Image.Image, after: Image.Image, box: tuple[int, int, int, int] | None = None,
                   threshold: int = 24) -> int:
    """How many pixels in `box` (x, y, w, h; the whole screen if None) differ clearly between two shots."""
    if box is not None:
        x, y, w, h = box
        crop = (max(0, x), max(0, y), min(before.width, x + w), min(before.height, y + h))
        before, after = before.crop(crop), after.crop(crop)
    diff = ImageChops.difference(before, after).convert("L").point(lambda v: 255 if v > threshold else 0)
    return diff.histogram()[255]


def traceback_lines(log_text: str) -> list[str]:
    """One line per traceback in a log: the record that carried it and the exception it ended with."""
    lines = log_text.splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.startswith("Traceback"):
            end = next((later for later in lines[i + 1:] if later and not later.startswith((" ", "\t"))), "")
            found.append(f"{lines[i - 1] if i else ''} → {end}")
    return found


class KioskSession:
    """One kiosk for a test module, started once; if a test kills it, the next test gets a fresh process on the
    same data directory (the death is that test's failure, not every later one's)."""

    def __init__(self, display: str, root: Path, kiosk_toml: str = "", env: dict[str, str] | None = None,
                 age: str = "6-8"):
        self.display, self.root, self.kiosk_toml, self.env, self.age = display, Path(root), kiosk_toml, env, age
        # screenshots of every step: in the test's folder, or under $YUEDU_SHOTS to keep them
        keep = os.environ.get("YUEDU_SHOTS")
        self.shots = Path(keep) / self.root.name if keep else self.root / "shots"
        shutil.rmtree(self.shots, ignore_errors=True)
        self.kiosk: Kiosk | None = None
        self.deaths: list[str] = []  # "<when>: exit <code>"

    def live(self, when: str = "") -> Kiosk:
        if self.kiosk is not None and (not self.kiosk.alive() or self.kiosk.hung()):
            code = self.kiosk.exit_code()
            self.deaths.append(f"{when}: " + (f"exit {code}" if code is not None else
                                              f"hung (no frame for {self.kiosk.stalled_for():.0f} s), killed"))
            self.kiosk.kill() if code is None else self.kiosk.stop()
            self.kiosk = None
        if self.kiosk is None:
            self.kiosk = Kiosk(self.display, self.root / "data", self.shots, self.env, self.kiosk_toml).start()
            self.kiosk.wait_state("attract", timeout=60)
        return self.kiosk

    def stop(self) -> int | None:
        return self.kiosk.stop() if self.kiosk is not None else None

    def to_menu(self, when: str = "") -> Kiosk:
        """Whatever is on screen, walk to the menu's cards the way a visitor would."""
        kiosk = self.live(when)
        for _ in range(8):
            snapshot = kiosk.hook()
            state, targets = snapshot.get("state"), snapshot.get("targets", {})
            if state == "menu" and any(name.startswith("card:") for name in targets):
                return kiosk
            if state == "attract":
                kiosk.click(kiosk_size(snapshot)[0] // 2, kiosk_size(snapshot)[1] // 2)
                kiosk.wait_for("the age question or the menu", lambda s: s.get("state") in ("ask_age", "menu"))
            elif state == "ask_age":
                kiosk.click_target(f"age:{self.age}")
                kiosk.wait_state("menu")
            elif state == "menu" and "goodbye" in targets:  # the goodbye after the home button ends by itself
                kiosk.wait_for("the goodbye's end", lambda s: "goodbye" not in s.get("targets", {}), timeout=10)
            elif state == "menu" and "next:back" in targets:
                kiosk.click_target("next:back")
                kiosk.wait_for("the menu's cards", lambda s: any(n.startswith("card:") for n in s.get("targets", {})))
            elif state == "running":
                go_back(kiosk)
            else:  # the error screen or the idle warning: a moment, or a touch
                if state == "idle_warning":
                    kiosk.click(10, 10)
                time.sleep(0.5)
        raise AssertionError(f"could not reach the menu; hook: {kiosk.hook()}")


def kiosk_size(snapshot: dict) -> tuple[int, int]:
    return tuple(snapshot.get("size") or SIZE)


BACK_TARGETS = ("home", "back")  # the shell's on-screen way back, when the running screen names one


def go_back(kiosk: Kiosk, tries: int = 4) -> dict:
    """Leave the running experience the visitor's way: the on-screen back button when the hook names one, else
    Escape (staff's way back, a real key event); each press may only go back one screen (the booth)."""
    for _ in range(tries):
        snapshot = kiosk.hook()
        if snapshot.get("state") != "running":
            break
        button = next((name for name in BACK_TARGETS if name in snapshot.get("targets", {})), None)
        if button is not None:
            kiosk.click_target(button)
        else:
            kiosk.key("Escape")
        kiosk.ways_back.append(button or "Escape")
        try:
            return kiosk.wait_for("the way back", lambda s: s.get("state") != "running", timeout=2)
        except HookTimeout:
            continue
    return kiosk.wait_for("the way back", lambda s: s.get("state") != "running", timeout=4)


def package_statements(rows: list[dict], package_id: str) -> list[dict]:
    """The outbox's statements about one package (its own activity or one of its items)."""
    def about(row: dict) -> bool:
        ids = [row.get("object", {}).get("id", "")]
        ids += [a.get("id", "") for a in row.get("context", {}).get("contextActivities", {}).get("parent", [])]
        return any(i.rstrip("/").endswith("/" + package_id) or f"/{package_id}/" in i for i in ids)
    return [row for row in rows if about(row)]


def verbs(rows: list[dict]) -> list[str]:
    return [row["verb"]["id"].rsplit("/", 1)[-1] for row in rows]
