"""The dashboard's pages, in navigation order, with their icons.

Takes nothing; gives ``PAGES`` (name → icon; ``pages/<name>.py`` is the page and ``nav.<name>``
its title in ``app.i18n``) and ``available()``, the pages whose file exists: the "add reports"
page joins the navigation once its file is there.
"""

from __future__ import annotations

from pathlib import Path

PAGES_DIR = Path(__file__).resolve().parent.parent / "pages"
PAGES: dict[str, str] = {
    "overview": ":material/dashboard:",
    "volume": ":material/bar_chart:",
    "channels": ":material/share:",
    "applications": ":material/gavel:",
    "problems": ":material/report:",
    "compare": ":material/compare_arrows:",
    "sources": ":material/description:",
    "meeting": ":material/co_present:",
    "sql": ":material/terminal:",
    "add_reports": ":material/upload_file:",
}


def available() -> list[str]:
    """The pages whose file exists, in navigation order."""
    return [name for name in PAGES if (PAGES_DIR / f"{name}.py").is_file()]
