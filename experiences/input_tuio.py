"""TUIO 1.1 over OSC/UDP (motion sensors, touch frames, tracking software) as kiosk input, on a daemon thread.

`TuioReceiver(size, host, port).start()`; the frame loop calls `drain()` for the InputEvents that came in.
Parsing lives in `experiences.tuio_frames`; this module is only the socket edge.
"""
from __future__ import annotations

import collections
import logging
import threading

from pythonosc import osc_packet
from pythonosc.dispatcher import Dispatcher
from pythonosc.osc_server import BlockingOSCUDPServer

from experiences.runtime import InputEvent
from experiences.tuio_frames import TuioFormatError, TuioFrames

log = logging.getLogger("yuedu.input.tuio")

DEFAULT_PORT = 3333  # the TUIO convention
MAX_QUEUED = 4096  # a frame loop that stalls drops the oldest events rather than growing without bound
MAX_LOGGED_ERRORS = 20  # a sender spraying garbage must not flood the kiosk log


class _TuioDispatcher(Dispatcher):
    """Feeds every message of a packet to the TUIO parser; a bad packet or message is logged and dropped."""

    def __init__(self, receiver: "TuioReceiver"):
        super().__init__()
        self.receiver = receiver

    def call_handlers_for_packet(self, data: bytes, client_address) -> list:
        try:
            messages = [timed.message for timed in osc_packet.OscPacket(data).messages]
        except osc_packet.ParseError as exc:
            self.receiver._bad_input(f"unreadable OSC packet from {client_address[0]}: {exc}")
            return []
        for message in messages:
            self.receiver._on_message(message.address, message.params)
        return []  # TUIO never answers


class TuioReceiver:
    """Listens for TUIO on UDP (127.0.0.1:3333 by default: only local tracking software may send input)."""

    def __init__(self, size: tuple[int, int], host: str = "127.0.0.1", port: int = DEFAULT_PORT, *,
                 aim: bool = True):
        self.host = host
        self.port = port
        self.frames = TuioFrames(size, aim=aim)
        self._queue: collections.deque[InputEvent] = collections.deque(maxlen=MAX_QUEUED)
        self._arrived = threading.Condition()
        self._lock = threading.Lock()  # the parser is used by the server thread and by stop()
        self._server: BlockingOSCUDPServer | None = None
        self._thread: threading.Thread | None = None
        self.errors = 0
        self.received = 0

    @property
    def address(self) -> tuple[str, int]:
        """Where it listens (the real port when 0 asked for any free one)."""
        if self._server is None:
            return self.host, self.port
        return self._server.server_address[:2]

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def set_size(self, size: tuple[int, int]) -> None:
        """The window changed size: later events are scaled to it."""
        self.frames.size = size

    def start(self) -> "TuioReceiver":
        """Bind and serve on a daemon thread; raises OSError if the port cannot be bound."""
        if self._server is not None:
            return self
        self._server = BlockingOSCUDPServer((self.host, self.port), _TuioDispatcher(self))
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.2},
                                        name="tuio-receiver", daemon=True)
        self._thread.start()
        log.info("TUIO input listening on %s:%d", *self.address)
        return self

    def stop(self) -> None:
        """Stop listening; cursors still down are released (queued as pointer_up) so nothing stays pressed."""
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None
        with self._lock:
            self._put(self.frames.release_all())

    def drain(self) -> list[InputEvent]:
        """Everything received since the last call, oldest first. Cheap: the frame loop calls it every frame."""
        events = []
        while True:
            try:
                events.append(self._queue.popleft())
            except IndexError:
                return events

    def wait(self, timeout: float, count: int = 1) -> bool:
        """Block until `count` events are queued or `timeout` seconds pass; True if they are (tests, tools)."""
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self._queue) >= count, timeout)

    # --- server thread ------------------------------------------------------------------------------------
    def _on_message(self, address: str, params) -> None:
        self.received += 1
        try:
            with self._lock:
                events = self.frames.feed(address, params)
        except TuioFormatError as exc:
            self._bad_input(str(exc))
            return
        except Exception:  # the listener must outlive any packet a sender can make
            log.exception("TUIO message %s %r could not be handled", address, list(params)[:12])
            return
        self._put(events)

    def _put(self, events: list[InputEvent]) -> None:
        if events:
            with self._arrived:
                self._queue.extend(events)
                self._arrived.notify_all()

    def _bad_input(self, why: str) -> None:
        self.errors += 1
        if self.errors <= MAX_LOGGED_ERRORS:
            log.warning("ignored malformed TUIO input: %s", why)
        elif self.errors == MAX_LOGGED_ERRORS + 1:
            log.warning("more malformed TUIO input: no longer logged (counted in TuioReceiver.errors)")


def start_from_config(config, size: tuple[int, int]) -> TuioReceiver | None:
    """The kiosk's receiver if `[input] tuio_enabled`; None if disabled or the port is taken (logged)."""
    section = config.input
    if not section.tuio_enabled:
        return None
    receiver = TuioReceiver(size, section.tuio_host, section.tuio_port)
    try:
        return receiver.start()
    except OSError as exc:
        log.error("TUIO input not started: cannot listen on %s:%d (%s)", section.tuio_host, section.tuio_port, exc)
        return None
