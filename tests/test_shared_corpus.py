"""The shared dev corpus and real PDF through the project's scorers (skipped without ../shared)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
pytestmark = pytest.mark.skipif(not (SHARED / "tools" / "score_extraction.py").exists(),
                                reason="../shared (the dev corpus and scorers) is not next to this checkout")


def _extract(files: list[Path], out: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "etl", "extract", "--jsonl", *map(str, files)],
                            cwd=ROOT, capture_output=True, text=True, check=True)
    out.write_text(result.stdout, encoding="utf-8")


def _score(tool: str, gold: Path, pred: Path) -> str:
    result = subprocess.run([sys.executable, str(SHARED / "tools" / tool), str(gold), str(pred)],
                            capture_output=True, text=True, check=False)
    return result.stdout


def _numeric(summary: str) -> tuple[float, float]:
    last = summary.strip().splitlines()[-1]  # numeric fields: precision P recall R (...)
    words = last.split()
    return float(words[words.index("precision") + 1]), float(words[words.index("recall") + 1])


def test_dev_corpus_headline_values(tmp_path):
    files = sorted((SHARED / "corpus" / "dev").glob("0*"))
    pred = tmp_path / "pred.jsonl"
    _extract(files, pred)
    precision, recall = _numeric(_score("score_extraction.py", SHARED / "corpus" / "dev" / "gold.jsonl", pred))
    assert precision >= 0.97 and recall >= 0.85


def test_dev_corpus_table_cells(tmp_path):
    files = sorted((SHARED / "corpus" / "dev").glob("0*"))
    pred = tmp_path / "pred.jsonl"
    _extract(files, pred)
    last = _score("score_cells.py", SHARED / "corpus" / "dev" / "gold.jsonl", pred).strip().splitlines()[-1]
    assert float(last.split()[-1]) >= 0.95, last


def test_real_pdf_headline_values(tmp_path):
    pred = tmp_path / "pred.jsonl"
    _extract(sorted((SHARED / "corpus" / "pdf").glob("*.pdf")), pred)
    record = json.loads(pred.read_text(encoding="utf-8").splitlines()[0])
    assert record["year"] == 2024 and record["bureau"] == "淮安市人民政府"
    assert record["applications_received"] == 3119
    assert (record["reconsideration"], record["litigation"]) == (351, 46)
    precision, recall = _numeric(_score("score_extraction.py", SHARED / "corpus" / "pdf" / "gold.jsonl", pred))
    assert precision >= 0.97 and recall >= 0.85
