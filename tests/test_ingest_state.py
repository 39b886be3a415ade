"""The names and content hashes an ingest keeps for every file (``etl.ingest_state``)."""

from __future__ import annotations

import numpy as np
import pytest

from etl import ingest_state
from etl.ingest_state import NAMES_PER_BLOCK, DigestIndex, NameList, digest_key
from etl.readers import content_hash

NOT_UTF8 = "-\udcff"  # a name byte that is not UTF-8, as the OS gives it (surrogateescape)


def _names(n: int) -> list[str]:
    # folder names as reports come: Chinese, spaces, and now and then a byte that is not UTF-8
    return [f"data/raw/四川省 成都市/{i:07d}{NOT_UTF8 if i % 500 == 7 else ''}.txt" for i in range(n)]


def test_names_come_back_in_order_by_index_and_by_iteration():
    names = _names(2 * NAMES_PER_BLOCK + 3)
    kept = NameList()
    for name in names:
        kept.append(name)
    assert len(kept) == len(names)
    assert list(kept) == names
    for index in (0, 7, NAMES_PER_BLOCK - 1, NAMES_PER_BLOCK, 2 * NAMES_PER_BLOCK + 2):
        assert kept[index] == names[index]
    with pytest.raises(IndexError):
        kept[len(names)]
    with pytest.raises(IndexError):
        kept[-1]


def test_names_are_kept_in_a_tenth_of_their_length():
    kept = NameList()
    names = _names(10 * NAMES_PER_BLOCK)
    for name in names:
        kept.append(name)
    stored = sum(len(block) for block in kept._blocks)
    assert stored * 10 < sum(len(name.encode("utf-8", "surrogateescape")) for name in names)


def test_a_hash_gives_the_number_it_was_added_with_before_and_after_the_merge(monkeypatch):
    monkeypatch.setattr(ingest_state, "RECENT_LIMIT", 4)
    digests = [content_hash(f"报告 {i}".encode()) for i in range(11)]
    seen = DigestIndex()
    for index, digest in enumerate(digests):
        assert seen.get(digest) is None
        seen.add(digest, index)
    assert len(seen._recent) == 3 and len(seen._keys) == 8  # two merges, three waiting
    assert [seen.get(d) for d in digests] == list(range(11))
    assert content_hash("报告 11".encode()) not in seen
    assert len(seen) == 11


def test_the_hashes_of_a_previous_database_are_found_by_report_id():
    digests = [content_hash(f"年报 {i}".encode()) for i in range(5)]
    report_ids = [d[:16] for d in digests[:3]]  # what the reports table stores
    old = DigestIndex(np.array([int(r, 16) for r in report_ids], dtype=np.uint64))
    assert [d in old for d in digests] == [True, True, True, False, False]
    assert old.get(digests[0]) == -1
    assert digest_key("ffffffffffffffff" + "0" * 48) == 2**64 - 1
    assert "ffffffffffffffff" + "0" * 48 not in old


def test_hashes_that_share_the_filter_bit_are_told_apart():
    first, second = "00000000aa123456" + "1" * 48, "00000000bb123456" + "2" * 48  # same low 24 bits
    seen = DigestIndex()
    seen.add(first, 0)
    assert seen.get(second) is None
    seen.add(second, 1)
    assert (seen.get(first), seen.get(second)) == (0, 1)
    old = DigestIndex(np.array([digest_key(first)], dtype=np.uint64))
    assert first in old and second not in old
