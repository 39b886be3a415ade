"""The synthetic report generator (bench.generate): reproducible, marked, and right about its arithmetic.

The arithmetic is checked twice: on the generator's own cells, and by running the real extractor
(``etl.extract.extract_file``) on written files and comparing its cells and validation issues with
the manifest.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import generate as gen
from etl.extract import extract_file

ARITHMETIC = {"V1", "V2", "V3", "V4", "parts_categories"}


@pytest.fixture(scope="module")
def sample() -> list[gen.Synthetic]:
    return list(gen.generate(600, seed=11, inconsistent=0.3))


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_whatever_the_workers(tmp_path: Path) -> None:
    one = tmp_path / "one"
    two = tmp_path / "two"
    gen.write_corpus(one, 60, seed=5, jobs=1, cells=True)
    gen.write_corpus(two, 60, seed=5, jobs=2, cells=True)
    first, second = _tree(one), _tree(two)
    assert len([k for k in first if k.endswith(".txt")]) == 60
    assert first == second
    other = tmp_path / "other"
    gen.write_corpus(other, 60, seed=6, jobs=1)
    assert _tree(other)["reports/0000/0000000.txt"] != first["reports/0000/0000000.txt"]


def test_every_file_is_marked_synthetic(tmp_path: Path) -> None:
    manifest = gen.write_corpus(tmp_path / "c", 40, seed=1, jobs=1)
    rows = gen.read_manifest(manifest)
    assert len(rows) == 40
    for row in rows:
        text = (tmp_path / "c" / row["file"]).read_bytes().decode("utf-8")
        assert text.startswith(gen.MARKER + "\n") or text.startswith(gen.MARKER + "\r\n")
        assert row["synthetic"] == "1"


def test_refuses_the_bundled_data_folder() -> None:
    with pytest.raises(SystemExit):
        gen.check_output_dir(gen.PROTECTED / "synthetic")
    with pytest.raises(SystemExit):
        gen.check_output_dir(gen.PROTECTED)


def test_covers_every_province_both_eras_and_versions(sample: list[gen.Synthetic]) -> None:
    assert {s.truth["province"] for s in sample} == {p.name for p in gen.gazetteer()}
    assert len(gen.gazetteer()) == 31
    assert {s.truth["template_version"] for s in sample} == {"", "2019", "2021"}
    assert {s.truth["level"] for s in sample} == {"province", "city", "county"}
    assert len({s.truth["kind"] for s in sample}) >= 15


def _errors(cells: dict[str, str], version: str) -> set[str]:
    """The template rules the cells break, computed directly (blank cells count as not stated)."""
    def v(key: str) -> int | None:
        raw = cells.get(key, "")
        return int(raw) if raw not in ("", "/") else None

    def total(keys: list[str]) -> int | None:
        values = [x for x in (v(k) for k in keys) if x is not None]
        return sum(values) if values else None

    outcomes = gen.OUTCOMES_2019 if version == "2019" else gen.OUTCOMES_2021
    broken = set()
    for col in gen.T3_COLUMNS:
        left = total([f"table3:R01:{col}", f"table3:R02:{col}"])
        right = total([f"table3:R24:{col}", f"table3:R25:{col}"])
        if left is not None and right is not None and left != right:
            broken.add("V1")
        parts = total([f"table3:{r}:{col}" for r in outcomes])
        if parts is not None and (v(f"table3:R24:{col}") or 0) != parts:
            broken.add("V2")
    for row in ("R01", "R02", *outcomes, "R24", "R25"):
        parts = total([f"table3:{row}:{c}" for c in gen.APPLICANTS])
        if parts is not None and (v(f"table3:{row}:总计") or 0) != parts:
            broken.add("V3")
    for group in gen.T4_GROUPS:
        parts = total([f"table4:{group}:{c}" for c in gen.T4_COLUMNS[:-1]])
        if parts is not None and (v(f"table4:{group}:总计") or 0) != parts:
            broken.add("V4")
    return broken


def test_arithmetic_holds_except_where_the_manifest_says(sample: list[gen.Synthetic]) -> None:
    template = [s for s in sample if s.cells]
    assert {s.truth["broken_rule"] for s in template} >= {"", "V1", "V2", "V3", "V4"}
    for s in template:
        assert _errors(s.cells, s.truth["template_version"]) == set(s.expected_rules), s.relpath
        assert s.truth["consistent"] == (not s.expected_rules)


def _pick(sample: list[gen.Synthetic]) -> list[gen.Synthetic]:
    """A handful: consistent files of each era and version, one broken file per rule, noisy ones."""
    wanted = [
        lambda s: s.truth["template_version"] == "2019" and s.truth["consistent"],
        lambda s: s.truth["template_version"] == "2021" and s.truth["consistent"],
        lambda s: s.truth["template_version"] == "2021" and "tabs" in s.truth["noise"] and s.truth["consistent"],
        lambda s: "blank_zeros" in s.truth["noise"],
        lambda s: "fullwidth" in s.truth["noise"] and bool(s.cells),
        lambda s: s.truth["era"] == "free_text" and s.truth["consistent"],
        lambda s: s.truth["era"] == "free_text" and "split_digits" in s.truth["noise"],
        *(lambda s, r=rule: s.truth["broken_rule"] == r for rule in (*gen.RULES, "parts_categories")),
    ]
    return [next(s for s in sample if want(s)) for want in wanted]


def test_the_extractor_reads_the_cells_and_finds_exactly_the_broken_rules(
        sample: list[gen.Synthetic], tmp_path: Path) -> None:
    for s in _pick(sample):
        path = tmp_path / Path(s.relpath).name
        path.write_bytes(s.text.encode("utf-8"))
        report = extract_file(path)
        t = s.truth
        assert report.year == t["year"], s.relpath
        assert report.era == t["era"] and (report.template_version or "") == t["template_version"], s.relpath
        cells = {f"table{f.table}:{f.row}:{f.column}": f.raw for f in report.facts if f.table}
        assert cells == s.cells, s.relpath
        found = {i.rule for i in report.issues if i.rule in ARITHMETIC}
        assert found == set(s.expected_rules), (s.relpath, found, s.expected_rules)
        for metric in ("proactive_total", "applications_received"):
            fact = report.headline(metric)
            assert fact is not None and fact.value == t[metric], (s.relpath, metric)
