"""The HTTP server in front of the app: waitress (keep-alive, a fixed pool of worker threads), stoppable anywhere.

Used by `launcher.py serve` and by the kiosk's embedded service; `server.wsgi:app` remains for gunicorn and the like.
"""
from __future__ import annotations

import logging
import re
import sys
import threading
import time

DEFAULT_THREADS = 4
# Open connections at once: kiosks' senders and every lobby screen keep one open between requests (waitress's
# default is 100). poll(), not select(): select() fails once a descriptor number passes 1024.
CONNECTION_LIMIT = 500


class HttpServer:
    """One listening socket served by waitress; `port` is the bound port (useful when asked for port 0)."""

    def __init__(self, app, host: str, port: int, threads: int = DEFAULT_THREADS,
                 keep_proxy_headers: bool = False) -> None:
        from waitress.server import create_server  # here, not at the top: the launcher imports this module early

        # waitress logs "Exception while serving <path>": no token into a log file through it.
        if not any(isinstance(f, RedactingFilter) for f in logging.getLogger("waitress").filters):
            logging.getLogger("waitress").addFilter(RedactingFilter())
        self._map: dict = {}
        # ident: the Server header names no product. X-Forwarded-* headers are dropped (waitress's safe default)
        # unless the app trusts a proxy (PROXY_HOPS): then werkzeug's ProxyFix picks the proxy's own entries.
        self._server = create_server(app, map=self._map, host=host, port=port, threads=threads, ident="yuedu",
                                     clear_untrusted_proxy_headers=not keep_proxy_headers,
                                     connection_limit=CONNECTION_LIMIT, asyncore_use_poll=True)
        self.port = int(self._server.effective_port)
        self._stopping = threading.Event()
        self._stopped = threading.Event()

    def serve_forever(self) -> None:
        """Serve until stop() (from another thread) or KeyboardInterrupt; then finish requests in hand and close."""
        try:
            while not self._stopping.is_set():
                # One poll at a time (not waitress's run()) so that stop() ends the loop within this thread.
                self._server.asyncore.loop(timeout=self._server.adj.asyncore_loop_timeout, map=self._map, count=1,
                                           use_poll=True)
        except KeyboardInterrupt:
            pass
        finally:
            from waitress.wasyncore import close_all

            # Workers finish the request they hold (up to 5 s), queued ones are cancelled, then every socket closes.
            self._server.task_dispatcher.shutdown(timeout=5)
            close_all(self._map)
            self._stopped.set()

    def stop(self, timeout: float = 10) -> bool:
        """Ask the loop to end and wait for it; True when it has closed everything."""
        self._stopping.set()
        try:
            self._server.pull_trigger()  # wakes the poll now rather than at its next 1 s timeout
        except OSError:
            pass  # already closed
        return self._stopped.wait(timeout)


# Capabilities that travel in URLs: the wall's ?token= and a family's share link /s/<token>[/audio|/delete].
_SECRET_QUERY = re.compile(r"((?:^|[?&;\s])token=)[^&;\s\"]*")
_SHARE_PATH = re.compile(r"(/s/)(?!api/)[^/?\s\"]+")


def redact(text: str) -> str:
    """`text` with the tokens of wall and share URLs replaced by [redacted]: logs must not open the wall."""
    return _SHARE_PATH.sub(r"\1[redacted]", _SECRET_QUERY.sub(r"\1[redacted]", text))


class RedactingFilter(logging.Filter):
    """For the loggers that name a request's path (waitress's, Flask's): the message with its tokens redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def access_log(app, stream=None):
    """WSGI middleware printing one line per request (Common Log Format, no size) on `stream` (default stderr);
    wall and share tokens are redacted."""

    def logged(environ, start_response):
        def start(status, headers, exc_info=None):
            stamp = time.strftime("%d/%b/%Y %H:%M:%S")
            path = redact(environ.get("PATH_INFO", "") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING")
                                                          else ""))
            print(f'{environ.get("REMOTE_ADDR", "-")} - - [{stamp}] "{environ.get("REQUEST_METHOD")} {path} '
                  f'{environ.get("SERVER_PROTOCOL")}" {status.split(" ", 1)[0]}', file=stream or sys.stderr, flush=True)
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return logged
