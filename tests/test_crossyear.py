"""Cross-year checks: the bounded V9 comparison gives difflib's verdict, and known pairs are not compared again."""

import random
import shutil
from difflib import SequenceMatcher
from pathlib import Path

import pytest

import etl.crossyear as crossyear
from etl.crossyear import similar
from etl.load import build_database
from tests.dbrows import rows

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "raw" / "samples"


def _mutated(text: str, rate: float, rnd: random.Random) -> str:
    chars = list(text)
    for _ in range(int(len(chars) * rate)):
        pos = rnd.randrange(len(chars) + 1)
        if rnd.random() < 0.5 and pos < len(chars):
            chars[pos] = rnd.choice(text)
        else:
            chars.insert(pos, rnd.choice(text))
    return "".join(chars)


@pytest.mark.parametrize("rate", [0.0, 0.02, 0.05, 0.1, 0.3])
def test_similar_gives_the_verdict_of_ratio(rate):
    rnd = random.Random(7)
    for path in sorted(SAMPLES.glob("*.txt"))[:6]:
        a = path.read_text(encoding="utf-8")
        b = _mutated(a, rate, rnd)
        ratio = SequenceMatcher(None, a, b).ratio()
        for threshold in (0.5, 0.9, ratio, min(1.0, ratio + 1e-9)):
            assert similar(a, b, threshold) == (ratio >= threshold)


def test_similar_on_short_and_empty_texts():
    for a, b in [("", ""), ("a", ""), ("abc", "abc"), ("ab" * 300, "ba" * 300), ("甲乙丙", "甲乙丁")]:
        assert similar(a, b) == (SequenceMatcher(None, a, b).ratio() >= 0.9)


def test_subsequence_bound_is_the_longest_common_subsequence():
    rnd = random.Random(3)
    for _ in range(200):
        a = "".join(rnd.choice("abc") for _ in range(rnd.randrange(80)))
        b = "".join(rnd.choice("abcd") for _ in range(rnd.randrange(80)))
        table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
        assert crossyear._longest_common_subsequence(a, b) == table[-1][-1]


@pytest.mark.parametrize("rate", [0.0, 0.05, 0.3])
def test_cydifflib_matches_difflib_on_report_texts(rate):
    """V9 is defined by the standard library's ratio; the C implementation must give the same numbers."""
    import cydifflib

    rnd = random.Random(11)
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))[:8]]
    for a, other in zip(texts, texts[1:] + texts[:1], strict=True):
        for b in (_mutated(a, rate, rnd), other):
            assert cydifflib.SequenceMatcher(None, a, b).ratio() == SequenceMatcher(None, a, b).ratio()


def test_an_unchanged_rerun_reuses_the_verdicts_and_a_changed_file_is_compared(tmp_path, monkeypatch):
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLES, raw)
    db = tmp_path / "reports.duckdb"
    build_database([raw], db, workers=1)
    issues = rows(db, "SELECT * FROM validation_issues ORDER BY ALL")
    compared: list[tuple[str, str]] = []
    original = crossyear.similar
    monkeypatch.setattr(crossyear, "similar", lambda a, b, *rest: compared.append((a, b)) or original(a, b, *rest))
    build_database([raw], db, workers=1)
    assert compared == []
    assert rows(db, "SELECT * FROM validation_issues ORDER BY ALL") == issues
    changed = sorted(raw.glob("*.txt"))[1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n本年度另有说明。\n", encoding="utf-8")
    build_database([raw], db, workers=1)
    assert 1 <= len(compared) <= 2  # the changed report with its previous and its next year, at most


def test_a_copied_narrative_is_found_when_the_later_year_is_stored_first(tmp_path):
    # The bodies of a pair are read by the reports' row numbers: a previous year stored after its
    # successor, with another report between them, must still be compared with the right text.
    raw = tmp_path / "raw"
    raw.mkdir()
    text = (SAMPLES / "002.txt").read_text(encoding="utf-8")
    (raw / "a_2018.txt").write_text(text.replace("2017", "2018"), encoding="utf-8")
    shutil.copy(SAMPLES / "009.txt", raw / "b_other.txt")
    (raw / "c_2017.txt").write_text(text, encoding="utf-8")
    db = tmp_path / "reports.duckdb"
    build_database([raw], db, workers=1)
    ids = dict(rows(db, "SELECT year, report_id FROM reports WHERE path LIKE '%_201_.txt'"))
    found = rows(db, "SELECT report_id, refs, message FROM validation_issues WHERE rule = 'V9'")
    assert [(r, refs) for r, refs, _ in found] == [(ids[2018], [ids[2017], ids[2018]])]
    assert "2018 report's text is nearly identical to the 2017 report's" in found[0][2]
