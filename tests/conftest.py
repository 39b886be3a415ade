"""Fixtures of the dashboard tests: the fixture database and a clean Streamlit cache per test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from dbfixture import build

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _keep_main_module() -> Iterator[None]:
    """Put back ``__main__`` after each test: an AppTest run leaves its page script there, and new
    processes (extraction workers, Dask nannies) would re-run that script."""
    main = sys.modules.get("__main__")
    yield
    if main is not None:
        sys.modules["__main__"] = main


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hand-written database of ``tests/dbfixture.py``, built once per test session."""
    return build(tmp_path_factory.mktemp("dashboard_db") / "fixture.duckdb")


@pytest.fixture()
def dashboard_env(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Repository root as cwd, ``DISCLOSURE_DB`` on the fixture database, Streamlit caches emptied."""
    monkeypatch.chdir(REPO_ROOT)
    monkeypatch.setenv("DISCLOSURE_DB", str(fixture_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield fixture_db
    st.cache_data.clear()
    st.cache_resource.clear()
