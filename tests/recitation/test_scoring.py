"""The scorer against espeak-ng readings: a clean reading scores well; each fault lowers its own sub-score."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from recitation.scoring import score_take
from recitation.fixtures import JINGYESI

DROP = 10


def test_clean_reading_scores_at_least_80(scored):
    report = scored["clean"]
    assert report.overall >= 80, report.to_dict()
    assert report.flags == []
    assert [line["heard"] for line in report.lines] == [5, 5, 5, 5]
    assert report.feedback  # always something kind to say


def test_skipped_line_lowers_completeness_and_is_named(scored):
    clean, skipped = scored["clean"], scored["skipped_line"]
    assert clean.completeness - skipped.completeness >= DROP
    assert [line["heard"] for line in skipped.lines] == [5, 0, 5, 5]
    assert skipped.lines[1]["missing"] == "疑是地上霜"
    assert any("疑是地上霜" in sentence and "漏" in sentence for sentence in skipped.feedback), skipped.feedback


def test_long_hesitation_lowers_fluency_and_says_where(scored):
    clean, halting = scored["clean"], scored["hesitation"]
    assert clean.fluency - halting.fluency >= DROP
    pauses = halting.lines[1]["pauses"]
    assert len(pauses) == 1 and pauses[0]["after"] == 2 and 2.7 <= pauses[0]["seconds"] <= 3.3
    assert "「疑是地上霜」中间停了 3 秒，熟练了就能一口气读下来。" in halting.feedback


def test_far_too_fast_lowers_fluency_or_rhythm(scored):
    clean, fast = scored["clean"], scored["too_fast"]
    assert max(clean.fluency - fast.fluency, clean.rhythm - fast.rhythm) >= DROP
    assert fast.measures["pace"] > 2 * clean.measures["pace"]


def test_no_line_end_pauses_lowers_rhythm(scored):
    assert scored["clean"].rhythm - scored["no_pauses"].rhythm >= DROP
    assert all(line["pause_after"] in (None, 0.0) for line in scored["no_pauses"].lines)


def test_monotone_lowers_expressiveness(scored):
    assert scored["clean"].expressiveness - scored["monotone"].expressiveness >= DROP


def test_wrong_tones_lower_tones(scored):
    assert scored["clean"].tones - scored["wrong_tones"].tones >= DROP
    # Tones weigh gently: the rest of the reading is still fine.
    assert scored["wrong_tones"].completeness == 100


def test_each_fault_lowers_mostly_its_own_score(scored):
    clean = scored["clean"]
    for name in ("skipped_line", "hesitation", "monotone", "no_pauses"):
        assert scored[name].overall < clean.overall, name


def test_heavy_noise_raises_a_flag_rather_than_punishing(scored):
    noisy, clean = scored["noisy"], scored["clean"]
    assert "noisy" in noisy.flags
    assert noisy.overall >= clean.overall - 10
    assert noisy.completeness >= 90
    assert noisy.measures["snr_db"] < 15
    assert any("吵" in sentence for sentence in noisy.feedback)


def test_quiet_and_clipping_are_flagged(scored):
    assert "too_quiet" in scored["quiet"].flags
    assert "clipping" in scored["clipping"].flags
    assert scored["quiet"].completeness == 100  # level-independent


def test_silence_scores_zero_and_says_so():
    rng = np.random.default_rng(1)
    report = score_take(rng.normal(0, 1e-4, 48000 * 3), 48000, JINGYESI)
    assert report.overall == 0 and report.completeness == 0
    assert any("没有听到" in s for s in report.feedback)


def test_report_json_has_the_documented_keys(scored):
    data = json.loads(json.dumps(scored["clean"].to_dict(), ensure_ascii=False))
    for key in ("overall", "completeness", "fluency", "rhythm", "expressiveness", "tones", "flags", "lines",
                "feedback"):
        assert key in data
    assert all(0 <= data[k] <= 100 for k in ("overall", "completeness", "fluency", "rhythm", "expressiveness", "tones"))
    assert set(data["flags"]) <= {"too_quiet", "clipping", "noisy"}
    assert {"text", "expected", "heard", "pauses", "pace"} <= set(data["lines"][0])


def test_english_feedback(readings):
    import soundfile

    samples, sr = soundfile.read(readings["hesitation"])
    report = score_take(samples, sr, JINGYESI, lang="en")
    assert any("stopped for 3 seconds" in s for s in report.feedback), report.feedback


def test_cli_prints_one_json_object(readings, capsys):
    import launcher

    code = launcher.main(["recite", "score", "--text", JINGYESI, "--json", str(readings["skipped_line"])])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["completeness"] <= 80
    assert data["lines"][1]["heard"] == 0
    assert any("疑是地上霜" in s for s in data["feedback"])


def test_cli_reports_an_unreadable_file(tmp_path, capsys):
    import launcher

    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"not audio")
    code = launcher.main(["recite", "score", "--text", JINGYESI, str(bad)])
    assert code == 2 and "cannot read audio" in capsys.readouterr().err


def _imports_of(module_name: str, repo_root) -> set[str]:
    """Every module `module_name` imports, following the project's own modules (recitation.*, experiences.*)."""
    import ast

    seen, todo, external = set(), [module_name], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = repo_root.joinpath(*name.split("."))
        path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
        if not path.is_file():
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for imported in names:
                top = imported.split(".")[0]
                if top in ("recitation", "experiences"):
                    parts = imported.split(".")
                    todo += [".".join(parts[:k]) for k in range(1, len(parts) + 1)]
                else:
                    external.add(top)
    return external


@pytest.mark.parametrize("module", ["recitation.scoring", "recitation.scoring.scorer", "recitation.meter",
                                    "recitation.timing", "recitation.scoring.warm"])
def test_scoring_imports_no_device_or_web_library(module, repo_root):
    external = _imports_of(module, repo_root)
    assert "numpy" in external
    assert not external & {"pygame", "pyaudio", "flask"}, external


@pytest.mark.parametrize("index", [0, 125, 275])  # a 5-character 绝句, a 7-character one, a 宋词
def test_other_poems_clean_and_skipped(index, tmp_path):
    import soundfile

    from recitation.fixtures import Reading, synthesize
    from recitation.scoring import expected_from_paragraphs

    poem = json.loads(open(Path(__file__).resolve().parents[2] / "content" / "poems-recital" / "poems.json", encoding="utf-8").read())[index]
    expected = expected_from_paragraphs(poem["paragraphs"], poem["pinyin"])
    middle = len(expected.lines) // 2
    clean = score_take(*soundfile.read(synthesize(expected, tmp_path / "clean.wav")), expected)
    skipped = score_take(*soundfile.read(synthesize(expected, tmp_path / "skip.wav", Reading(skip_line=middle))),
                         expected)
    assert clean.overall >= 80, (poem["title"], clean.scores)
    assert clean.completeness - skipped.completeness >= 10
    assert sum(line["heard"] == 0 for line in skipped.lines) == 1


def test_stopping_early_is_one_kind_sentence(readings):
    import soundfile

    samples, sr = soundfile.read(readings["clean"])
    half = samples[: int(sr * 4.6)]  # the first two lines only
    report = score_take(half, sr, JINGYESI)
    assert [line["heard"] for line in report.lines] == [5, 5, 0, 0]
    assert report.completeness == 50
    assert "从「举头望明月」开始还没有读，下次试着读完整首诗。" in report.feedback
    assert not any("漏掉" in s for s in report.feedback)
