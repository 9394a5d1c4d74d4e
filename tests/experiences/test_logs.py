"""Logs rotate by size with a bounded total, go to console too, and catch uncaught exceptions from threads."""
from __future__ import annotations

import io
import logging
import sys
import threading

import pytest

from experiences import datadir
from experiences.logs import MAX_RECORD_CHARS, reset_logging, setup_logging


@pytest.fixture(autouse=True)
def restore_logging():
    root = logging.getLogger()
    level, hooks = root.level, (sys.excepthook, threading.excepthook)
    yield
    reset_logging()
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks
    logging.captureWarnings(False)


def our_handlers():
    return [h for h in logging.getLogger().handlers if getattr(h, "_yuedu_handler", False)]


def test_logs_go_to_the_data_directory_and_console(data_dir):
    console = io.StringIO()
    path = setup_logging(level="debug", name="kiosk", console_stream=console)
    assert path == datadir.logs_dir() / "kiosk.log" and path.parent.parent == data_dir
    logging.getLogger("yuedu.test").debug("画蛇添足 %d", 42)
    for handler in our_handlers():
        handler.flush()
    assert "DEBUG yuedu.test [MainThread] 画蛇添足 42" in path.read_text(encoding="utf-8")
    line = console.getvalue().strip()
    assert line.endswith("画蛇添足 42") and line[:4].isdigit() and "Z " in line  # UTC ISO timestamp


def test_rotation_keeps_the_total_size_bounded(tmp_path):
    path = setup_logging(tmp_path, "INFO", max_bytes=2000, backups=3, console=False)
    log = logging.getLogger("yuedu.soak")
    for n in range(2000):
        log.info("cycle %05d attract → experience → reset", n)
    files = sorted(tmp_path.glob("yuedu.log*"))
    assert [f.name for f in files] == ["yuedu.log", "yuedu.log.1", "yuedu.log.2", "yuedu.log.3"]
    assert all(f.stat().st_size <= 2000 for f in files)
    assert sum(f.stat().st_size for f in files) <= 4 * 2000
    assert "cycle 01999" in path.read_text(encoding="utf-8")  # the newest line is in the current file


def test_a_huge_record_is_cut_and_old_extra_backups_removed(tmp_path):
    for n in (1, 5, 9):
        (tmp_path / f"server.log.{n}").write_text("old")
    (tmp_path / "server.log.notes").write_text("not ours")
    path = setup_logging(tmp_path, name="server", backups=4, console=False)
    assert sorted(f.name for f in tmp_path.glob("server*")) == ["server.log", "server.log.1", "server.log.notes"]
    logging.getLogger("yuedu.test").warning("x" * (MAX_RECORD_CHARS * 3))
    for handler in our_handlers():
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert len(text) < MAX_RECORD_CHARS + 200 and "characters cut" in text


def test_setting_up_twice_replaces_the_handlers(tmp_path):
    setup_logging(tmp_path / "a", console=True, console_stream=io.StringIO())
    setup_logging(tmp_path / "b", console=True, console_stream=io.StringIO())
    handlers = our_handlers()
    assert len(handlers) == 2
    assert any(getattr(h, "baseFilename", "").startswith(str(tmp_path / "b")) for h in handlers)


def test_uncaught_exception_in_a_thread_is_logged_with_traceback(tmp_path):
    path = setup_logging(tmp_path, console=False)

    def broken_experience():
        raise ZeroDivisionError("frame 17")

    worker = threading.Thread(target=broken_experience, name="experience")
    worker.start()
    worker.join()
    for handler in our_handlers():
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "uncaught exception in thread experience" in text
    assert "ZeroDivisionError: frame 17" in text and "broken_experience" in text


def test_bad_settings_are_refused(tmp_path):
    with pytest.raises(ValueError, match="log level"):
        setup_logging(tmp_path, "chatty")
    with pytest.raises(ValueError):
        setup_logging(tmp_path, max_bytes=10)
