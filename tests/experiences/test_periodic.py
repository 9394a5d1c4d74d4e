"""The periodic background job shared by the disk guard, content sync and share uploads."""
from __future__ import annotations

import threading

from experiences.periodic import PeriodicTask


def test_a_failing_run_is_logged_and_the_job_goes_on(caplog):
    runs = []
    third = threading.Event()

    def job():
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("disk vanished")
        if len(runs) >= 3:
            third.set()

    task = PeriodicTask(job, 0.001, "yuedu-test", "test job").start()
    assert task.start() is task  # a second start while running starts no second thread
    assert third.wait(10)
    task.stop()
    task.stop()  # twice is harmless
    assert "test job failed" in caplog.text and "disk vanished" in caplog.text
    count = len(runs)
    assert [t for t in threading.enumerate() if t.name == "yuedu-test"] == []
    assert len(runs) == count  # stopped means stopped
