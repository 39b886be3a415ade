"""Entry point of the Streamlit dashboard: page configuration and navigation.

Takes the URL (its ``lang`` parameter chooses the language of the page titles, ``meeting=1``
turns on meeting mode: navigation on top, no sidebar, large type); gives the navigation over
the pages in ``pages/`` listed by ``app.nav``, with the overview as the default page. Run it
with ``make run`` or ``python -m streamlit run dashboard.py``.
"""

from __future__ import annotations

import streamlit as st

from app import filters, nav, ui
from app.i18n import t

st.set_page_config(page_title="政府信息公开年报对比 · Disclosure reports", page_icon=":material/account_balance:",
                   layout="wide")
lang = filters.init()
meeting = filters.meeting_mode()
navigation = st.navigation([
    st.Page(f"pages/{name}.py", title=t(f"nav.{name}", lang), icon=nav.PAGES[name], url_path=name, default=i == 0)
    for i, name in enumerate(nav.available())
], position="top" if meeting else "sidebar")
if meeting:
    ui.meeting_css()
st.sidebar.caption(t("app.title", lang))
navigation.run()
