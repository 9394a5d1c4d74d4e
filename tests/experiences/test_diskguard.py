"""The disk guard frees space from old recordings, then caches, and never touches the outbox."""
from __future__ import annotations

import os
import uuid

import pytest

from experiences import datadir
from experiences.config import KioskConfig
from experiences.diskguard import CACHE, DAY, MB, RECORDING, Candidate, DiskGuard, plan_cleanup
from experiences.outbox import Outbox

HOUR = 3600.0


def rec(name, mb, age_days):
    return Candidate(f"/data/recordings/{name}", int(mb * MB), age_days * DAY, RECORDING)


def cache(name, mb, age_days):
    return Candidate(f"/data/cache/{name}", int(mb * MB), age_days * DAY, CACHE)


def plan(files, free_mb, min_free_mb=500, keep_days=7, **kwargs):
    return plan_cleanup(files, int(free_mb * MB), min_free_bytes=int(min_free_mb * MB),
                        keep_recordings_seconds=keep_days * DAY, **kwargs)


def names(p):
    return [os.path.basename(c.path) for c in p.delete]


def test_plenty_of_space_and_nothing_expired_deletes_nothing():
    p = plan([rec("a.wav", 50, 1), cache("c.bin", 10, 30)], free_mb=10_000)
    assert p.delete == () and p.short_by == 0 and p.free_after == 10_000 * MB


def test_expired_recordings_always_go_even_with_plenty_of_space():
    p = plan([rec("new.wav", 5, 1), rec("old.wav", 5, 8), rec("older.wav", 5, 30), cache("c", 1, 90)], free_mb=9_999)
    assert names(p) == ["older.wav", "old.wav"] and p.expired == 2 and p.freed == 10 * MB


def test_low_space_takes_oldest_recordings_first_then_caches_and_stops_when_enough():
    files = [rec("r1.wav", 100, 1), rec("r3.wav", 100, 3), rec("r2.wav", 100, 2),
             cache("c-old", 100, 20), cache("c-new", 100, 1)]
    assert names(plan(files, free_mb=250)) == ["r3.wav", "r2.wav", "r1.wav"]
    assert names(plan(files, free_mb=150)) == ["r3.wav", "r2.wav", "r1.wav", "c-old"]
    p = plan(files, free_mb=50)
    assert names(p) == ["r3.wav", "r2.wav", "r1.wav", "c-old", "c-new"] and p.short_by == 0
    assert p.free_after == 550 * MB


def test_files_being_written_and_protected_paths_are_never_planned():
    live = Candidate("/data/recordings/now.wav", 300 * MB, 10.0, RECORDING)  # written 10 s ago
    outbox = Candidate("/data/cache/outbox.sqlite3", 400 * MB, 99 * DAY, CACHE)  # misfiled, still protected
    p = plan([live, outbox, cache("c", 10, 5)], free_mb=0, protected=["/data/cache/outbox.sqlite3"])
    assert names(p) == ["c"] and p.short_by == 490 * MB


def test_keep_zero_days_still_spares_a_recording_in_progress():
    p = plan([rec("done.wav", 1, 0.5), Candidate("/r/now.wav", MB, 30.0, RECORDING)], free_mb=9_999, keep_days=0)
    assert names(p) == ["done.wav"]


def test_unknown_category_is_refused():
    with pytest.raises(ValueError, match="category"):
        plan([Candidate("/x", 1, DAY, "outbox")], free_mb=0)


# --- the filesystem edge -------------------------------------------------------------------------------------
def write(path, size, age_seconds, now):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\0" * size)
    os.utime(path, (now - age_seconds, now - age_seconds))
    return path


def test_run_once_deletes_on_disk_and_spares_the_outbox_with_unsent_statements(data_dir):
    now = 2_000_000_000.0
    recordings, caches = datadir.recordings_dir(), datadir.cache_dir()
    expired = write(recordings / "2026-11-01" / "poem-1.wav", 4000, 20 * DAY, now)
    old = write(recordings / "2026-11-20" / "poem-2.wav", 3000, 3 * DAY, now)
    recent = write(recordings / "2026-11-23" / "poem-3.wav", 3000, 2 * HOUR, now)
    in_progress = write(recordings / "2026-11-23" / "poem-4.wav", 3000, 5.0, now)
    glyphs = write(caches / "glyphs" / "a.png", 2000, 9 * DAY, now)
    # The outbox lives beside them, with statements not yet delivered.
    with Outbox() as box:
        ids = [str(uuid.uuid4()) for _ in range(20)]
        for sid in ids:
            box.put({"id": sid, "actor": {}, "verb": {}, "object": {}})
    outbox_files = [p for p in datadir.data_dir().iterdir() if p.name.startswith("outbox.sqlite3")]
    assert outbox_files

    free = [1000]  # bytes; the guard wants 10,000 free (fake: we cannot fill the real disk in a test)

    def free_bytes():
        return free[0] + sum(size for path, size in deleted_sizes.items() if not path.exists())

    deleted_sizes = {p: p.stat().st_size for p in (expired, old, recent, glyphs)}
    guard = DiskGuard(recordings, [caches], min_free_mb=10_000 / MB, recordings_keep_days=7,
                      free_bytes=free_bytes, clock=lambda: now)
    report = guard.run_once()
    # expired (4000) + old (3000) + recent (3000): 11,000 free ≥ 10,000 — the cache is not needed.
    assert sorted(report.deleted) == sorted(str(p) for p in (expired, old, recent))
    assert report.freed_bytes == 10_000 and report.short_by == 0 and report.errors == []
    assert in_progress.exists() and glyphs.exists()
    assert not (recordings / "2026-11-01").exists()  # the folder it emptied is gone
    assert (recordings / "2026-11-23").exists() and recordings.exists()
    assert all(p.exists() for p in outbox_files)
    with Outbox() as box:
        assert box.unsent_count() == 20


def test_guard_never_deletes_the_outbox_even_if_pointed_at_the_whole_data_dir(data_dir, caplog):
    now = 2_000_000_000.0
    with Outbox() as box:
        box.put({"id": str(uuid.uuid4()), "actor": {}, "verb": {}, "object": {}})
    for path in data_dir.glob("outbox.sqlite3*"):
        os.utime(path, (now - 30 * DAY, now - 30 * DAY))
    guard = DiskGuard(datadir.recordings_dir(), [data_dir], min_free_mb=1, recordings_keep_days=7,
                      free_bytes=lambda: 0, clock=lambda: now)
    with caplog.at_level("WARNING", logger="yuedu.diskguard"):
        report = guard.run_once()
    assert not any("outbox" in p for p in report.deleted)
    with Outbox() as box:
        assert box.unsent_count() == 1
    assert report.short_by == MB and "unsent statements are never deleted" in caplog.text


def test_from_config_uses_storage_settings(data_dir):
    config = KioskConfig()
    config.storage.min_free_mb = 1234
    config.storage.recordings_keep_days = 3
    guard = DiskGuard.from_config(config)
    assert guard.min_free_bytes == 1234 * MB and guard.keep_recordings_seconds == 3 * DAY
    assert guard.recordings_dir == datadir.recordings_dir() and guard.cache_dirs == [datadir.cache_dir()]
    assert str(datadir.outbox_path()) + "-wal" in guard.protected


def test_symlinks_are_not_followed_or_deleted(data_dir, tmp_path):
    now = 2_000_000_000.0
    outside = write(tmp_path / "precious" / "keep.wav", 100, 99 * DAY, now)
    link = datadir.recordings_dir() / "link.wav"
    link.symlink_to(outside)
    (datadir.cache_dir() / "linked-folder").symlink_to(outside.parent, target_is_directory=True)
    guard = DiskGuard(datadir.recordings_dir(), [datadir.cache_dir()], min_free_mb=1, recordings_keep_days=0,
                      free_bytes=lambda: 0, clock=lambda: now)
    assert guard.run_once().deleted == []
    assert outside.exists() and link.is_symlink()
