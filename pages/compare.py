"""Compare bureaus: two to six bureaus side by side on every measure, small multiples over the years, and each
bureau's percentile among the bureaus of the same kind and level."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from app import analysis, charts, export, filters, queries, ui
from app.i18n import label, t

f = filters.sidebar()
ui.header("compare.title", "compare.intro")

ids = list(f.bureaus["bureau_id"])
default = list(f.scope.bureaus) if 2 <= len(f.scope.bureaus) <= 6 else analysis.default_peers(f.bureaus)
if len(ids) >= queries.MAX_PICKABLE:
    st.caption(t("scope.too_many_bureaus", n=f"{len(ids):,}"))
    ids = list(dict.fromkeys([*f.scope.bureaus, *default]))
chosen = filters.page_multi("cmp", t("compare.bureaus"), ids, default, max_selections=6, format_func=f.style.label)
if len(chosen) < 2:
    st.info(t("compare.pick_two"))
    st.stop()

df = queries.measures(replace(f.scope, bureaus=tuple(chosen)))
if df.empty:
    ui.no_data()
    st.stop()
measures = list(queries.MEASURES)
ui.chart(charts.small_multiples(df, f.style, f.lang, measures), "compare_multiples",
         caption=t("compare.multiples_caption"))
ui.values_note()

years = [str(y) for y in sorted({int(y) for y in df["year"]}, reverse=True)]
year = int(filters.page_choice("cmp_year", t("compare.year"), years, preferred=str(analysis.common_year(df)))
           or years[0])
own = df[df["year"] == year]
groups = own[["kind", "level"]].drop_duplicates().dropna()
peers = pd.concat([queries.peer_measures(year, k, lv) for k, lv in groups.itertuples(index=False)]
                  or [own.iloc[0:0]], ignore_index=True)
ranked = analysis.percentiles(own, peers)

st.subheader(t("compare.side_by_side", year=year))
peer_text = []
for bid in chosen:
    row = f.options[f.options["bureau_id"] == bid] if f.options is not None else pd.DataFrame()
    if row.empty:
        continue
    k, lv = row.iloc[0]["kind"], row.iloc[0]["level"]
    n = int(peers[(peers["kind"] == k) & (peers["level"] == lv)]["bureau_id"].nunique()) if len(peers) else 0
    peer_text.append(t("compare.peer_group", bureau=f.style.label(bid), kind=label("bkind", k),
                       level=label("level", lv), n=n))
st.caption(t("compare.percentile_caption") + "\n\n" + "；".join(peer_text))
missing_year = [b for b in chosen if b not in set(own["bureau_id"])]
if missing_year:
    st.caption(t("compare.no_report", year=year, bureaus="、".join(f.style.label(b) for b in missing_year)))
ui.table(export.compare(ranked, f.style, f.lang, measures), "compare_table", sample=ui.any_sample(own), always=True)
if ranked["percentile"].notna().any():
    ui.chart(charts.percentile_dots(ranked, f.style, f.lang, measures, year), "compare_percentiles")
else:
    st.caption(t("compare.no_percentiles"))
