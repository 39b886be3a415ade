"""Meeting pack: pick charts, get a PPTX with one slide per chart (static images through kaleido) and an
XLSX of the data behind them, both titled with the filters in force."""

from __future__ import annotations

import streamlit as st

from app import catalog, filters, images, meeting, ui
from app.i18n import t

f = filters.sidebar()
ui.header("meeting.title", "meeting.intro")

names = list(catalog.CHARTS)
default = [n for n in names if n != "compare" or 2 <= len(f.scope.bureaus) <= 6]
picked = filters.page_multi("charts", t("meeting.charts"), names, default,
                            format_func=lambda n: catalog.title(n, f.lang))
st.caption(t("meeting.filters", filters=f.summary))
if not images.available():
    st.warning(t("meeting.no_chromium"), icon=":material/warning:")

KEY = "_meeting_pack"
stamp = (tuple(picked), f.summary, f.lang)
if st.button(t("meeting.build"), type="primary", icon=":material/co_present:", disabled=not picked):
    with st.spinner(t("meeting.building")):
        items = []
        for name in picked:
            c = catalog.build(name, f)
            if c is not None:
                items.append(meeting.PackItem(name, catalog.title(name, f.lang), c))
        pack = meeting.build(items, t("meeting.pack_title"), f.summary, f.lang)
        st.session_state[KEY] = (stamp, pack, [i.title for i in items])

saved = st.session_state.get(KEY)
if saved is not None and saved[0] == stamp:
    _, pack, titles = saved
    st.success(t("meeting.ready", n=len(titles)))
    if not pack.images:
        st.caption(t("meeting.no_image"))
    row = st.container(horizontal=True, gap="small")
    row.download_button(t("meeting.pptx"), pack.pptx, file_name="meeting_pack.pptx", key="dl_pack_pptx",
                        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                        icon=":material/slideshow:", on_click="ignore")
    row.download_button(t("meeting.xlsx"), pack.xlsx, file_name="meeting_pack.xlsx", key="dl_pack_xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        icon=":material/table_view:", on_click="ignore")
    st.markdown("\n".join(f"{i + 1}. {title}" for i, title in enumerate(titles)))
