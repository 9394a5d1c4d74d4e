"""Family mode (两人轮读): which reader read which line, and a short, kind summary per reader from the scorer's
per-line details. Pure logic: the booth's score screen draws what these return."""
from __future__ import annotations


def readers_of_lines(rows: list[list[int]], line_count: int) -> list[int]:
    """Reader 0 (甲) or 1 (乙) for each verse line: readers take turns by displayed row, as the poem shows them."""
    readers = [0] * line_count
    for row_number, row in enumerate(rows):
        for index in row:
            if 0 <= index < line_count:
                readers[index] = row_number % 2
    return readers


def reader_summaries(lines: list[dict], readers: list[int]) -> list[dict]:
    """Per reader: characters heard of expected, lines left out, long pauses (≥ 0.7 s), mean tone fit (or None).

    `lines` are ScoreReport.lines (index, heard, expected, pauses, tones); readers with no line are left out."""
    summaries = []
    for reader in (0, 1):
        own = [line for line in lines if 0 <= line["index"] < len(readers) and readers[line["index"]] == reader]
        if not own:
            continue
        tones = [line["tones"] for line in own if line.get("tones") is not None]
        summaries.append({
            "reader": reader,
            "heard": sum(line["heard"] for line in own),
            "expected": sum(line["expected"] for line in own),
            "lines_left_out": sum(1 for line in own if line["heard"] == 0),
            "long_pauses": sum(1 for line in own for pause in line["pauses"] if pause["seconds"] >= 0.7),
            "tones": round(sum(tones) / len(tones)) if tones else None,
        })
    return summaries


def summary_key(summary: dict) -> str:
    """The message for a reader's summary: praise when everything was read, else what to try next time."""
    if summary["lines_left_out"]:
        return "recite.ui.reader_left_out"
    if summary["heard"] < summary["expected"]:
        return "recite.ui.reader_some_missing"
    if summary["long_pauses"]:
        return "recite.ui.reader_pauses"
    return "recite.ui.reader_all_read"
