"""Kiosk settings: one `kiosk.toml` in the data directory, typed, with defaults and clear errors.

`python launcher.py config` shows the effective values and where each came from.
"""
from __future__ import annotations

import re
import tomllib
import uuid
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from experiences import datadir


class ConfigError(ValueError):
    """kiosk.toml could not be read; the message says where and how to fix it, in zh-CN and en."""


KIOSK_MODES = ("2d", "vr")  # [kiosk] mode


@dataclass
class KioskSection:
    name: str = "kiosk-1"
    kiosk_id: str = ""  # stable pseudonymous id, generated on first run
    library: str = "悦读图书馆"
    branch: str = "main"
    language: str = "zh-CN"
    idle_seconds: float = 90.0
    warning_seconds: float = 10.0
    fullscreen: bool = True
    width: int = 1280
    height: int = 720
    fps: int = 60
    attract_package: str = ""  # id of a package to run as the attract loop (e.g. the e-book waterfall); "": covers
    ask_age_band: bool = True  # 「你几岁啦？」 once per visitor session, before the menu; false: straight to the menu
    mode: str = "2d"  # "vr": a VR corner; every kind with a VR mode starts in it (ctx.vr), the rest run as usual


@dataclass
class ServerSection:
    url: str = ""  # empty: run the embedded service on 127.0.0.1 with SQLite
    key: str = ""
    secret: str = ""
    public_base_url: str = ""  # where families open share links; never 127.0.0.1
    activity_base: str = "https://yuedu.example.org/"  # the library's base IRI for activities and actors


@dataclass
class AudioSection:
    volume_cap: float = 0.8  # 0..1, applied to every sound the kiosk plays


@dataclass
class StorageSection:
    recordings_keep_days: int = 7
    min_free_mb: int = 500  # the disk guard frees old recordings and caches below this


@dataclass
class InputSection:
    tuio_enabled: bool = False  # motion sensors and touch frames speaking TUIO 1.1 over OSC/UDP
    tuio_host: str = "127.0.0.1"  # only local tracking software by default; "0.0.0.0" to accept the network
    tuio_port: int = 3333  # 0: any free port (tests)
    # 体感 motion corner: "off", or a camera: a device index ("0"), a V4L2 path, an RTSP URL or a video file
    camera: str = "off"
    # the one core the tracking process keeps to: "auto" (the last, with 2 or more), "any" (the system's
    # choice) or a core's number (docs/motion.md)
    camera_core: str = "auto"


VR_REFERENCES = ("seated", "standing")  # [vr] reference
VR_AGE_BANDS = ("3-5", "6-8", "9-12", "13+")  # [vr] min_age_band
VR_GRAPHICS = ("auto", "egl", "xlib")  # [vr] graphics


@dataclass
class VRSection:
    """A VR corner's headset settings (docs/vr-headsets.md)."""

    openxr: bool = True  # render into an OpenXR headset when a runtime is installed; false: side-by-side stereo
    reference: str = "seated"  # "seated" (the view starts at the child's eyes) or "standing" (the room's floor)
    min_age_band: str = "9-12"  # headset makers' minimum ages: younger visitors play on the screen instead
    graphics: str = "auto"  # OpenXR binding: "egl" (XR_MNDX_egl_enable), "xlib" (GLX on X11), "auto": EGL if offered
    session_minutes: float = 10.0  # every VR run ends kindly after this (a package's [content] vr_minutes wins)


@dataclass
class KioskConfig:
    kiosk: KioskSection = field(default_factory=KioskSection)
    server: ServerSection = field(default_factory=ServerSection)
    audio: AudioSection = field(default_factory=AudioSection)
    storage: StorageSection = field(default_factory=StorageSection)
    input: InputSection = field(default_factory=InputSection)
    vr: VRSection = field(default_factory=VRSection)
    source: str = "defaults"

    @property
    def embedded_server(self) -> bool:
        return not self.server.url

    def as_dict(self) -> dict:
        data = asdict(self)
        data.pop("source")
        return data


_SECTIONS = {"kiosk": KioskSection, "server": ServerSection, "audio": AudioSection, "storage": StorageSection,
             "input": InputSection, "vr": VRSection}


def _coerce(section: str, name: str, expected, value):
    where = f"[{section}] {name}"
    if expected is bool:
        if isinstance(value, bool):
            return value
    elif expected is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif expected is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif isinstance(value, expected):
        return value
    type_name = {bool: "true/false", float: "数字 number", int: "整数 integer", str: "字符串 string"}[expected]
    raise ConfigError(f"kiosk.toml {where}: 应为 {type_name} / must be {type_name}, 实为 got {value!r}")


def _check_ranges(config: KioskConfig) -> None:
    checks = [
        (config.kiosk.idle_seconds >= 5, "[kiosk] idle_seconds", "至少 5 秒 / at least 5 seconds"),
        (config.kiosk.warning_seconds >= 1, "[kiosk] warning_seconds", "至少 1 秒 / at least 1 second"),
        (0.0 <= config.audio.volume_cap <= 1.0, "[audio] volume_cap", "须在 0 到 1 之间 / must be between 0 and 1"),
        (config.kiosk.language in ("zh-CN", "en"), "[kiosk] language", "只能是 zh-CN 或 en / must be zh-CN or en"),
        (config.kiosk.mode in KIOSK_MODES, "[kiosk] mode",
         f"只能是 \"2d\"（普通屏幕）或 \"vr\"（VR 角，头显）/ must be \"2d\" (a screen) or \"vr\" (a VR corner, "
         f"headsets); 实为 got {config.kiosk.mode!r}"),
        (config.vr.reference in VR_REFERENCES, "[vr] reference",
         f"只能是 \"seated\"（坐着）或 \"standing\"（站着）/ must be \"seated\" or \"standing\"; 实为 got "
         f"{config.vr.reference!r}"),
        (config.vr.min_age_band in VR_AGE_BANDS, "[vr] min_age_band",
         f"只能是 / must be one of {', '.join(VR_AGE_BANDS)}; 实为 got {config.vr.min_age_band!r}"),
        (config.vr.graphics in VR_GRAPHICS, "[vr] graphics",
         f"只能是 / must be one of {', '.join(VR_GRAPHICS)}; 实为 got {config.vr.graphics!r}"),
        (config.vr.session_minutes >= 1, "[vr] session_minutes", "至少 1 分钟 / at least 1 minute"),
        (config.storage.recordings_keep_days >= 0, "[storage] recordings_keep_days", "不能为负 / cannot be negative"),
        (0 <= config.input.tuio_port <= 65535, "[input] tuio_port", "须在 0 到 65535 之间 / must be between 0 and 65535"),
        (config.input.camera_core in ("auto", "any") or re.fullmatch(r"[0-9]{1,4}", config.input.camera_core),
         "[input] camera_core",
         f"只能是 \"auto\"（自动）、\"any\"（不限）或核的编号 / must be \"auto\", \"any\" or a core's number; "
         f"实为 got {config.input.camera_core!r}"),
        (bool(config.input.tuio_host.strip()), "[input] tuio_host",
         "不能为空，本机用 127.0.0.1 / cannot be empty, use 127.0.0.1 for this machine"),
    ]
    for ok, where, why in checks:
        if not ok:
            raise ConfigError(f"kiosk.toml {where}: {why}")
    for url_field in ("url", "public_base_url"):
        value = getattr(config.server, url_field)
        if value and not value.startswith(("http://", "https://")):
            raise ConfigError(f"kiosk.toml [server] {url_field}: 须以 http:// 或 https:// 开头 / must start with http:// or https://")


def parse_config(text: str, source: str = "kiosk.toml") -> KioskConfig:
    """Parse kiosk.toml text into a KioskConfig; unknown keys and wrong types are errors, not surprises."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: TOML 格式错误 / not valid TOML: {exc}") from None
    config = KioskConfig(source=source)
    for section_name, values in raw.items():
        section_type = _SECTIONS.get(section_name)
        if section_type is None or not isinstance(values, dict):
            raise ConfigError(f"{source}: 未知的段 / unknown section [{section_name}]; 可用 / allowed: {', '.join(_SECTIONS)}")
        section = getattr(config, section_name)
        known = {f.name: f.type for f in fields(section_type)}
        for key, value in values.items():
            if key not in known:
                raise ConfigError(f"{source}: [{section_name}] 未知的键 / unknown key {key!r}; 可用 / allowed: {', '.join(known)}")
            expected = {"str": str, "int": int, "float": float, "bool": bool}[known[key]]
            setattr(section, key, _coerce(section_name, key, expected, value))
    _check_ranges(config)
    return config


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def to_toml(config: KioskConfig) -> str:
    lines = ["# Yuedu kiosk settings (悦读 终端设置). `python launcher.py config` shows the effective values.", ""]
    for section_name, values in config.as_dict().items():
        lines.append(f"[{section_name}]")
        lines.extend(f"{key} = {_toml_value(value)}" for key, value in values.items())
        lines.append("")
    return "\n".join(lines)


def load_config(path: Path | None = None, create: bool = True) -> KioskConfig:
    """Load kiosk.toml from the data directory; on first run write one with defaults and a fresh kiosk id."""
    path = path or datadir.config_path()
    if path.exists():
        config = parse_config(path.read_text(encoding="utf-8"), source=str(path))
        if not config.kiosk.kiosk_id and create:
            config.kiosk.kiosk_id = str(uuid.uuid4())
            save_config(config, path)
        return config
    config = KioskConfig(source="defaults")
    config.kiosk.kiosk_id = str(uuid.uuid4())
    if create:
        save_config(config, path)
        config.source = str(path)
    return config


def save_config(config: KioskConfig, path: Path | None = None) -> None:
    path = path or datadir.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(to_toml(config), encoding="utf-8")
    tmp.replace(path)
