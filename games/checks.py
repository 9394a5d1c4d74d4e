"""Check hooks of the idiom kinds: the data files a package's [content] names, record by record.

The validator calls `check(package, report)` after the schema passed; problems go to
`report.error/warning(file, field, code, **params)` with texts under validation.<code> in games/messages.
"""
from __future__ import annotations

from collections import Counter

from experiences.validation.content_file import read_content_json
from games.idioms.records import HAN, record_problems

MAX_PER_CODE = 10  # a 30,000-entry file must not drown the curator: examples, then one summary line


class _Limited:
    """Forwards to the validator's report, keeping at most MAX_PER_CODE problems per (file, code)."""

    def __init__(self, report):
        self.report = report
        self.counts: Counter = Counter()

    def emit(self, level: str, file: str, field: str, code: str, **params) -> None:
        self.counts[(level, file, code)] += 1
        if self.counts[(level, file, code)] <= MAX_PER_CODE:
            getattr(self.report, level)(file, field, code, **params)

    def summarise(self) -> None:
        for (level, file, code), count in sorted(self.counts.items()):
            if count > MAX_PER_CODE:
                getattr(self.report, level)(file, "", "idiom-more-problems",
                                            problem=code, shown=MAX_PER_CODE, total=count)


def _load_array(package, field: str, out: _Limited):
    """The JSON array named by [content].<field>, or None after reporting why it cannot be read."""
    loaded = read_content_json(package, field)
    name, data = loaded.name, loaded.data
    if loaded.missing:
        out.emit("error", name, f"content.{field}", "idiom-file-missing", path=name)
    elif loaded.not_json:
        out.emit("error", name, "", "idiom-file-not-json", detail=loaded.not_json)
    if not loaded.ok:
        return None, name  # (no name: the schema already reported it)
    if not isinstance(data, list) or not data:
        out.emit("error", name, "", "idiom-file-not-list")
        return None, name
    return data, name


def _check_records(records: list, name: str, out: _Limited, *, four_only: bool, strict: bool) -> None:
    """strict: every problem is an error (the asked idioms); otherwise pinyin slips are warnings (dictionary)."""
    seen: Counter = Counter()
    for index, record in enumerate(records):
        for field, code, params in record_problems(record, four_only=four_only):
            level = "error" if strict or code in ("idiom-record-not-object", "idiom-field-not-text") \
                or (code == "idiom-field-missing" and field in ("word", "pinyin")) else "warning"
            out.emit(level, name, f"[{index}].{field}" if field else f"[{index}]", code, index=index, **params)
        if isinstance(record, dict) and isinstance(record.get("word"), str):
            seen[record["word"].strip()] += 1
    for word, count in seen.items():
        if count > 1:
            out.emit("error" if strict else "warning", name, "word", "idiom-duplicate", word=word, count=count)


def _check_dictionary_reference(package, out: _Limited) -> None:
    wanted = package.manifest.content.get("dictionary")
    if isinstance(wanted, str) and wanted not in {r.id for r in package.manifest.requires}:
        out.emit("error", "experience.toml", "requires", "idiom-dictionary-not-required", dictionary=wanted)


def check_dictionary(package, report) -> None:
    out = _Limited(report)
    records, name = _load_array(package, "idioms", out)
    if records is not None:
        _check_records(records, name, out, four_only=False, strict=False)
    out.summarise()


def check_lanterns(package, report) -> None:
    out = _Limited(report)
    _check_dictionary_reference(package, out)
    records, name = _load_array(package, "idioms", out)
    if records is not None:
        _check_records(records, name, out, four_only=True, strict=True)
        rounds = package.manifest.content.get("rounds", 1)
        if isinstance(rounds, int) and len(records) < rounds:
            out.emit("error", name, "", "idiom-too-few", count=len(records), needed=rounds)
        _check_audio(package, records, out)
    out.summarise()


def _check_audio(package, records: list, out: _Limited) -> None:
    """[content].audio: a folder of recordings named after the idioms; every file must match one."""
    folder = package.manifest.content.get("audio")
    if not isinstance(folder, str):
        return
    prefix = folder.rstrip("/") + "/"
    files = [n for n in package.source.names() if n.startswith(prefix)]
    if not files:
        out.emit("error", folder, "content.audio", "idiom-file-missing", path=folder)
        return
    words = {r["word"].strip() for r in records if isinstance(r, dict) and isinstance(r.get("word"), str)}
    for name in files:
        stem, dot, ext = name[len(prefix):].rpartition(".")
        if not dot or ext.lower() not in ("ogg", "wav", "mp3") or stem not in words:
            out.emit("warning", name, "content.audio", "idiom-audio-unmatched", name=name)


def check_chain(package, report) -> None:
    out = _Limited(report)
    _check_dictionary_reference(package, out)
    words, name = _load_array(package, "preferred", out)
    if words is not None:
        seen: Counter = Counter()
        for index, word in enumerate(words):
            if not isinstance(word, str) or len(word) != 4 or len(HAN.findall(word)) != 4:
                out.emit("error", name, f"[{index}]", "idiom-not-four-characters",
                         index=index, word=str(word), length=len(word) if isinstance(word, str) else 0)
            else:
                seen[word] += 1
        for word, count in seen.items():
            if count > 1:
                out.emit("warning", name, "", "idiom-duplicate", word=word, count=count)
    out.summarise()
