"""Where lobby screens open the wall: its token, kept in the data directory, and the address the service listens on.

The token is made on first use (`serve`, the kiosk's embedded service, `server.wsgi`, `launcher.py config`) and kept
in `<data dir>/server/wall-token` (mode 0600); YUEDU_WALL_TOKEN, when set, wins. `serve` and the embedded service
note where they listen in `<data dir>/server/wall-address.json`, so `launcher.py config` can show the wall's URL.
No Flask here: the launcher's config command uses it.
"""
from __future__ import annotations

import ipaddress
import json
import os
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path

TOKEN_FILE = "wall-token"
ADDRESS_FILE = "wall-address.json"
TOKEN_ENV = "YUEDU_WALL_TOKEN"
DEFAULT_PORT = 8400  # serve's default, for the URL shown before the service has run
ANY_ADDRESS = ("0.0.0.0", "::", "")
PLACEHOLDER = "<this-machine's-address>"


def _write_private(path: Path, text: str) -> None:
    """Write `text` to a new file only this user can read; an existing file is left as it is (FileExistsError)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.link(tmp, path)  # atomic, and fails if another process made it first
    finally:
        tmp.unlink()


def wall_token(server_dir: Path, environ=os.environ) -> str:
    """The wall's token: YUEDU_WALL_TOKEN if set, else the one kept in `server_dir`, made on first use."""
    if environ.get(TOKEN_ENV):
        return environ[TOKEN_ENV]
    path = Path(server_dir) / TOKEN_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            _write_private(path, secrets.token_urlsafe(18) + "\n")
        except FileExistsError:  # another process (a gunicorn worker) made it just now: use theirs
            pass
    token = path.read_text(encoding="utf-8").strip()
    if not token:
        raise ValueError(f"{path} 是空文件，删除后会生成新的令牌 / is empty: delete it and a new wall token is made")
    return token


def record_address(server_dir: Path, host: str, port: int, embedded: bool) -> None:
    """Note where the service listens (replaced at every start); never holds the token."""
    path = Path(server_dir) / ADDRESS_FILE
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps({"host": host, "port": port, "embedded": embedded}), encoding="utf-8")
    tmp.replace(path)


def recorded_address(server_dir: Path) -> dict | None:
    try:
        return json.loads((Path(server_dir) / ADDRESS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def machine_addresses() -> list[str]:
    """This machine's IPv4 addresses other screens may reach (not loopback); empty when none is found."""
    found: list[str] = []
    try:
        # Which address would carry traffic to another network (a UDP "connect" sends nothing).
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.append(info[4][0])
    except OSError:
        pass
    usable = []
    for address in found:
        if not ipaddress.ip_address(address).is_loopback and address not in usable:
            usable.append(address)
    return usable


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class WallAddress:
    """The wall's URLs (with the token) and which note goes with them (a message key of server/messages)."""

    urls: list[str]
    note: str  # "only_here" | "only_here_embedded" | "network" | "no_address" | "host"


def _url(host: str, port: int, token: str) -> str:
    if ":" in host:  # an IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}/wall?token={token}"


def wall_address(host: str, port: int, token: str, embedded: bool = False, addresses=None) -> WallAddress:
    """Where lobby screens open the wall of a service listening on `host`:`port`."""
    if is_loopback(host):
        return WallAddress([_url("127.0.0.1", port, token)], "only_here_embedded" if embedded else "only_here")
    if host in ANY_ADDRESS:
        found = machine_addresses() if addresses is None else addresses
        if not found:
            return WallAddress([_url(PLACEHOLDER, port, token)], "no_address")
        return WallAddress([_url(address, port, token) for address in found], "network")
    return WallAddress([_url(host, port, token)], "host")


def hide_token(url: str) -> str:
    """The URL as it may go into a log: the token replaced by … (the full one: `launcher.py config`)."""
    return url.split("?token=", 1)[0] + "?token=…"


def for_this_machine(server_dir: Path, kiosk_server_url: str = "", environ=os.environ) -> dict:
    """What `launcher.py config` shows: {"urls": [...], "notes": [message keys], "values": {...}}.

    A kiosk that sends to a library server has its wall there; otherwise the service runs here (serve or the
    kiosk's embedded one) and its last recorded address is used, or serve's on all addresses before it first ran.
    """
    recorded = recorded_address(server_dir)
    if kiosk_server_url and (recorded is None or recorded.get("embedded")):
        return {"urls": [], "notes": ["wall_elsewhere"], "values": {"url": kiosk_server_url}}
    token = wall_token(server_dir, environ)
    if recorded is None:
        address = wall_address("0.0.0.0", DEFAULT_PORT, token)
        return {"urls": address.urls, "notes": ["wall_not_started", f"wall_note_{address.note}"], "values": {}}
    address = wall_address(str(recorded.get("host", "")), int(recorded.get("port", DEFAULT_PORT)), token,
                           bool(recorded.get("embedded")))
    return {"urls": address.urls, "notes": [f"wall_note_{address.note}"], "values": {}}
