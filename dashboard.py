"""Entry point of the Streamlit dashboard: page configuration and navigation.

Takes the URL (its ``lang`` parameter chooses the language of the page titles); gives the
navigation over the six pages in ``pages/``, with the overview as the default page. Run it with
``make run`` or ``python -m streamlit run dashboard.py``.
"""

from __future__ import annotations

import streamlit as st

from app import filters
from app.i18n import t

PAGES = (
    ("overview", ":material/dashboard:"),
    ("volume", ":material/bar_chart:"),
    ("channels", ":material/share:"),
    ("applications", ":material/gavel:"),
    ("problems", ":material/report:"),
    ("sources", ":material/description:"),
)

st.set_page_config(page_title="政府信息公开年报对比 · Disclosure reports", page_icon=":material/account_balance:",
                   layout="wide")
lang = filters.init()
navigation = st.navigation([
    st.Page(f"pages/{name}.py", title=t(f"nav.{name}", lang), icon=icon, url_path=name, default=i == 0)
    for i, (name, icon) in enumerate(PAGES)
])
st.sidebar.caption(t("app.title", lang))
navigation.run()
