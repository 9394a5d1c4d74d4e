"""Command-line mistakes said in 中文 and English: an ArgumentParser whose errors are bilingual.

argparse words its errors in English only ("unrecognized arguments: --bogus"); staff and curators read the
Chinese line first. The common patterns are put into Chinese; any other message is shown as argparse gave it.
Every sub-command parser inherits the class (add_subparsers makes its parsers of the parent's type).
"""
from __future__ import annotations

import argparse
import errno
import re
import sys

_HAN = re.compile(r"[\u4e00-\u9fff]")
_PATTERNS = (
    (re.compile(r"^the following arguments are required: (?P<names>.+)$"), "required"),
    (re.compile(r"^unrecognized arguments: (?P<names>.+)$"), "unrecognized"),
    (re.compile(r"^argument (?P<argument>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)$"),
     "invalid_choice"),
    (re.compile(r"^argument (?P<argument>\S+): invalid (?P<type>int|float) value: (?P<value>.+)$"), "invalid_value"),
    (re.compile(r"^argument (?P<argument>\S+): expected one argument$"), "expected_one"),
    (re.compile(r"^argument (?P<argument>\S+): expected at least one argument$"), "expected_more"),
)


def bilingual(prog: str, message: str) -> str:
    """`prog: 命令行有误：…` then argparse's English, then where to read the usage."""
    from experiences.i18n import t

    if _HAN.search(message):  # our own type checks already say it in both languages
        return "\n".join((f"{prog}: {message}", t("cli.hint", "zh-CN", prog=prog)))
    reason_zh = t("cli.other", "zh-CN", message=message)
    for pattern, key in _PATTERNS:
        found = pattern.match(message)
        if found:
            values = found.groupdict()
            if "type" in values:
                values["type"] = t(f"cli.types.{values['type']}", "zh-CN")
            reason_zh = t(f"cli.{key}", "zh-CN", **values)
            break
    return "\n".join((t("cli.error", "zh-CN", prog=prog, reason=reason_zh), f"{prog}: error: {message}",
                      t("cli.hint", "zh-CN", prog=prog)))


class BilingualArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's contract: print, then exit 2
        self.print_usage(sys.stderr)
        self.exit(2, bilingual(self.prog, message) + "\n")


# errno → message key: what staff can do something about (a path, a permission, a full disk, a busy port).
_OS_ERRORS = {
    errno.ENOENT: "no_such_path", errno.ENOTDIR: "no_such_path", errno.EACCES: "no_permission",
    errno.EPERM: "no_permission", errno.EROFS: "no_permission", errno.ENOSPC: "disk_full",
    errno.EISDIR: "is_a_folder", errno.EADDRINUSE: "port_busy", errno.EADDRNOTAVAIL: "no_such_address",
    errno.ECONNREFUSED: "refused",
}


def explain(exc: BaseException) -> str | None:
    """A command's failure that is the set-up's, not the code's, in 中文 / English; None for anything else
    (a bug keeps its traceback). Database URLs are shown without their password."""
    from experiences.i18n import both

    found = explain_key(exc)
    return None if found is None else both(found[0], **found[1])


def explain_key(exc: BaseException) -> tuple[str, dict] | None:
    """(message key, values) for `explain`, for callers that put it inside a sentence of their own."""
    module = type(exc).__module__ or ""
    if module.startswith("sqlalchemy"):
        name = type(exc).__name__
        if name in ("ArgumentError", "NoSuchModuleError"):
            return "cli.database_url", {"reason": _first_line(exc)}
        if name in ("OperationalError", "InterfaceError"):
            return "cli.database_unreachable", {"reason": _first_line(getattr(exc, "orig", None) or exc)}
        return None
    if isinstance(exc, OSError) and exc.errno in _OS_ERRORS:
        where = exc.filename if exc.filename is not None else ""
        return f"cli.os.{_OS_ERRORS[exc.errno]}", {"where": where, "reason": exc.strerror or str(exc)}
    return None


def _first_line(exc) -> str:
    text = str(exc).strip().splitlines()
    return _hide_password(text[0] if text else type(exc).__name__)[:300]


def _hide_password(text: str) -> str:
    return re.sub(r"(://[^:/@\s]+):[^@\s]+@", r"\1:***@", text)
