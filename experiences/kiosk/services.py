"""The kiosk's background services: the durable statement outbox, its sender, the embedded server and the
free-disk guard.

`start_services(config, data_dir)` returns at once with a sink the shell can use; the embedded server and
the sender start on a background thread so the attract screen is never kept waiting.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from experiences.diskguard import DiskGuard
from experiences.engagement import StatementSink
from experiences.outbox import Outbox
from experiences.sender import Sender

log = logging.getLogger(__name__)


@dataclass
class Services:
    sink: StatementSink
    _stoppers: list[Callable[[], None]] = field(default_factory=list)
    _thread: threading.Thread | None = None
    server_url: str = ""
    sync: object | None = None  # experiences.sync.ContentSync when a portal is configured
    motion: object | None = None  # experiences.motion.receiver.MotionReceiver when [input] camera is set
    auth: tuple[str, str] = ("", "")  # the key and secret statements are sent with (what-next picks use them too)

    def endpoint(self) -> tuple[str, str, str] | None:
        """(server url, key, secret) once the sender knows them, else None."""
        return (self.server_url, *self.auth) if self.server_url else None

    def stop(self, timeout: float = 5.0) -> None:
        """Stop sender and server, then close the outbox (reverse start order); safe to call twice."""
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        while self._stoppers:
            stopper = self._stoppers.pop()
            try:
                stopper()
            except Exception:  # stopping one service must not keep the others running
                log.exception("stopping a kiosk service failed")

    def wait_started(self, timeout: float | None = None) -> None:
        """Block until the background start finished (tests; the shell never waits)."""
        if self._thread is not None:
            self._thread.join(timeout)


def start_services(config, data_dir: Path, *, background: bool = True) -> Services:
    """Open the outbox now; start the embedded server (if no server URL is configured) and the sender later."""
    outbox = Outbox(Path(data_dir) / "outbox.sqlite3")
    services = Services(sink=outbox)
    services._stoppers.append(outbox.close)

    def start_rest() -> None:
        try:  # before the sender: statements an older kiosk left are mended first (once each)
            repaired = outbox.repair_old_statements()
            if repaired:
                log.info("outbox: repaired %d statements an older version left (extension keys), sending them", repaired)
        except Exception:
            log.exception("outbox repair failed; the statements stay as they were")
        try:
            _start_sender(config, Path(data_dir), outbox, services)
        except Exception:  # offline or misconfigured: statements wait in the outbox
            log.exception("statement sender could not start; statements stay in the outbox")
        try:
            _start_sync(config, outbox, services)
        except Exception:
            log.exception("content sync could not start; the installed content keeps running")
        try:
            _start_disk_guard(config, services)
        except Exception:
            log.exception("disk guard could not start")

    if background:
        services._thread = threading.Thread(target=start_rest, name="yuedu-services", daemon=True)
        services._thread.start()
    else:
        start_rest()
    return services


def _start_sender(config, data_dir: Path, outbox, services: Services) -> None:
    url, key, secret = config.server.url, config.server.key, config.server.secret
    if not url:
        from server.embedded import start_embedded  # Flask loads here, after the attract screen is up

        embedded = start_embedded(data_dir)
        services._stoppers.append(embedded.stop)
        url, key, secret = embedded.url, embedded.key, embedded.secret
        log.info("embedded engagement service at %s", url)
    services.auth = (key, secret)
    services.server_url = url
    sender = Sender(outbox, url, key, secret)
    sender.start()
    services._stoppers.append(lambda: sender.stop(5.0))


def _start_disk_guard(config, services: Services) -> None:
    """Old recordings and caches go first when the disk fills; the outbox is never touched."""
    guard = DiskGuard.from_config(config).start(interval=600)
    services._stoppers.append(guard.stop)


def _start_sync(config, outbox, services: Services, interval: float = 300.0) -> None:
    """Content from the curator portal, when the kiosk has a server and a credential (not the embedded one)."""
    if not (config.server.url and config.server.key):
        return
    import shutil

    from experiences import datadir
    from experiences.sync import ContentSync

    def health() -> dict:
        free = shutil.disk_usage(datadir.data_dir()).free // (1024 * 1024)
        motion = getattr(services, "motion", None)  # 体感 camera: working, or the kiosk is on touch only
        return {"outbox_unsent": outbox.unsent_count(), "disk_free_mb": free, "kiosk": config.kiosk.name,
                **({"motion": motion.heartbeat()} if motion is not None else {})}

    sync = ContentSync(config.server.url, config.server.key, config.server.secret)
    services.sync = sync
    sync.start(interval, health)
    services._stoppers.append(sync.stop)
    from experiences.share import ShareUploader

    uploader = ShareUploader(config.server.url, config.server.key, config.server.secret,
                             keep_days=config.storage.recordings_keep_days).start()
    services._stoppers.append(uploader.stop)
