"""The waitress front: keep-alive between requests, a clean stop with a connection still open, the access log."""
from __future__ import annotations

import http.client
import io
import logging
import threading

import pytest

from server.httpserver import HttpServer, access_log


def _echo_peer(environ, start_response):
    """Answers with the client's port: equal ports on two requests mean one kept-alive connection."""
    body = environ["REMOTE_PORT"].encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]


def _running(app) -> tuple[HttpServer, threading.Thread]:
    server = HttpServer(app, "127.0.0.1", 0, threads=2)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


def test_connection_is_kept_alive_and_stop_closes_it():
    server, thread = _running(_echo_peer)
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    peers = []
    for _ in range(3):
        connection.request("GET", "/")
        response = connection.getresponse()
        assert response.status == 200 and response.getheader("Server") == "yuedu"
        peers.append(response.read())
    assert len(set(peers)) == 1  # one TCP connection served all three
    assert server.stop() is True  # the idle kept-alive connection does not hold the stop
    thread.join(timeout=10)
    assert not thread.is_alive()
    assert server.stop() is True  # twice is harmless
    with pytest.raises((ConnectionError, http.client.HTTPException)):  # its socket was closed, not left half-open
        connection.request("GET", "/")
        connection.getresponse()
    connection.close()


def test_access_log_writes_one_line_per_request():
    stream = io.StringIO()
    server, thread = _running(access_log(_echo_peer, stream))
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", "/xapi/about?x=1")
        connection.getresponse().read()
        connection.close()
    finally:
        server.stop()
        thread.join(timeout=10)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("127.0.0.1 - - [") and lines[0].endswith('"GET /xapi/about?x=1 HTTP/1.1" 200')


def test_access_log_and_server_logs_never_hold_a_token(caplog):
    stream = io.StringIO()
    server, thread = _running(access_log(_echo_peer, stream))
    try:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        for path in ("/wall?token=lobby-secret&lang=en", "/wall/panels?lang=en&token=lobby-secret&have=1",
                     "/s/family-share-token/audio", "/s/api/upload"):
            connection.request("GET", path)
            connection.getresponse().read()
        connection.close()
    finally:
        server.stop()
        thread.join(timeout=10)
    lines = stream.getvalue().splitlines()
    assert [line.split('"')[1] for line in lines] == [
        "GET /wall?token=[redacted]&lang=en HTTP/1.1", "GET /wall/panels?lang=en&token=[redacted]&have=1 HTTP/1.1",
        "GET /s/[redacted]/audio HTTP/1.1", "GET /s/api/upload HTTP/1.1"]
    # waitress's and Flask's own messages name the path of a failed request: redacted the same way.
    caplog.set_level(logging.ERROR)
    logging.getLogger("waitress").error("Exception while serving /s/family-share-token")
    from server import create_app

    app = create_app({"DATABASE_URL": "sqlite://", "TESTING": True})
    app.logger.error("Exception on %s [%s]", "/s/family-share-token/audio", "GET")
    messages = [record.getMessage() for record in caplog.records if "Exception" in record.getMessage()]
    assert messages == ["Exception while serving /s/[redacted]", "Exception on /s/[redacted]/audio [GET]"]


def test_hundreds_of_open_connections_still_leave_room_for_one_more():
    import socket

    server, thread = _running(_echo_peer)
    held = []
    try:
        held = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(300)]
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", "/")
        assert connection.getresponse().status == 200  # waitress's default limit (100) would have stopped accepting
        connection.close()
    finally:
        for sock in held:
            sock.close()
        server.stop()
        thread.join(timeout=10)
