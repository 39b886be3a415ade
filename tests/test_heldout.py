"""The held-out reports (tests/fixtures/heldout, synthetic) extracted end to end against their gold.

They were written apart from the seeds and the dev corpus to check that the prose extraction
generalises: other bureaus, years and phrasings, and the mess of real pages. Scored like
../shared/tools/score_extraction.py, over the headline numbers the prose gives (the year and the
bureau are other stages' and are not asserted here). Precision is the contract; the recall floor
is pinned at what the extraction reached, so that a change losing values shows up.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from etl.extract import extract_file, to_record

HELDOUT = Path(__file__).resolve().parent / "fixtures" / "heldout"
GOLD = [json.loads(line) for line in (HELDOUT / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
FIELDS = ("proactive_total", "applications_received", "reconsideration", "litigation", "consultations")
MIN_PRECISION = 0.97
MIN_RECALL = 0.98


def _int(value):
    if value is None or isinstance(value, bool):
        return None
    return int(value) if float(value).is_integer() else value


@pytest.fixture(scope="module")
def records() -> dict[str, dict]:
    return {g["id"]: to_record(extract_file(HELDOUT / f"{g['id']}.txt")) for g in GOLD}


def _pairs(gold: dict, record: dict) -> list[tuple[str, object, object]]:
    """(field, gold, predicted) for every scored value, as the shared scorer counts them."""
    pairs = [(f, _int(gold[f]), _int(record.get(f))) for f in FIELDS if f in gold]
    if "channels" in gold:
        gc = {k: _int(v) for k, v in (gold["channels"] or {}).items()}
        pc = {k: _int(v) for k, v in (record.get("channels") or {}).items()}
        pairs += [(f"channels.{k}", gc.get(k), pc.get(k)) for k in sorted(set(gc) | set(pc))]
    return pairs


def test_every_heldout_file_has_gold_and_a_record(records):
    files = {p.stem for p in HELDOUT.glob("h*.txt")}
    assert files == set(records) and 30 <= len(files) <= 40


def test_heldout_headline_values(records):
    tp = fp = fn = 0
    wrong: list[str] = []
    for gold in GOLD:
        for field, g, p in _pairs(gold, records[gold["id"]]):
            if g is None and p is None:
                continue
            if g is not None and p == g:
                tp += 1
                continue
            fp += p is not None
            fn += g is not None
            wrong.append(f"{gold['id']} {field}: gold {g}, got {p}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    detail = "\n".join(wrong)
    assert precision >= MIN_PRECISION, f"precision {precision:.3f}\n{detail}"
    assert recall >= MIN_RECALL, f"recall {recall:.3f}\n{detail}"


@pytest.mark.parametrize("gold", [g for g in GOLD if any(g.get(f) is None and f in g for f in FIELDS)],
                         ids=lambda g: g["id"])
def test_no_value_where_the_report_states_none(gold, records):
    """A value the report never states is the worst error: check every null of the gold by itself."""
    record = records[gold["id"]]
    for field in FIELDS:
        if field in gold and gold[field] is None:
            assert record[field] is None, f"{field}: got {record[field]}"
