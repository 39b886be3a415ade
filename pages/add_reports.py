"""Add reports: upload report files, preview what each would add, and load them after signing in."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from app import auth, db, filters, queries, upload
from app.upload import plain, tr

CACHE = "_upload_previews"
ROUND = "_upload_round"
OUTCOMES = "_upload_outcomes"

lang = filters.sidebar().lang if db.database_exists() else filters.init()
st.title(tr("title", lang))
st.caption(tr("intro", lang))
if not db.database_exists():
    st.info(tr("no_db", lang), icon=":material/info:")

user = auth.require_user(lang, key="add_auth")

outcomes = st.session_state.get(OUTCOMES)
if outcomes:
    st.subheader(tr("results", lang))
    upload.render_outcomes(outcomes, lang)
    if st.button(tr("clear_results", lang), key="upload_clear_results"):
        st.session_state.pop(OUTCOMES, None)
        st.rerun()

if user is None:
    st.stop()

files = st.file_uploader(
    tr("uploader", lang), type=list(upload.UPLOAD_TYPES), accept_multiple_files=True,
    key=f"upload_files_{st.session_state.setdefault(ROUND, 0)}", max_upload_size=upload.MAX_UPLOAD_MB,
    help=tr("uploader_help", lang, mb=upload.MAX_UPLOAD_MB),
) or []
cache: dict[str, upload.Preview] = st.session_state.setdefault(CACHE, {})
for stale in set(cache) - {f.file_id for f in files}:
    del cache[stale]
if not files:
    st.stop()

with st.spinner(tr("summary", lang)):
    for f in files:
        if f.file_id not in cache:
            found = upload.refuse_size(f.name, f.size, lang) or upload.preview(f.name, f.getvalue(), lang)
            cache[f.file_id] = replace(found, data=b"")
previews = upload.annotate([cache[f.file_id] for f in files], db.database_path())
chosen = upload.render_previews(previews, lang)
ready = sum(upload.is_chosen(p, chosen) for p in previews)

if not ready:
    st.caption(tr("confirm_disabled", lang))
if st.button(tr("confirm", lang, n=ready), type="primary", disabled=not ready, key="upload_confirm",
             icon=":material/upload:"):
    full = [p if f.size > upload.MAX_BYTES else replace(p, data=f.getvalue()) for f, p in zip(files, previews,
                                                                                             strict=True)]
    bounds = queries.year_bounds() if db.database_exists() else None
    try:
        with st.spinner(tr("loading", lang)):
            result = upload.confirm(full, db.database_path(), chosen=chosen, lang=lang)
    except Exception as exc:
        st.error(plain(tr("error", lang, reason=upload.one_line(exc))), icon=":material/error:")
    else:
        st.cache_data.clear()
        store = st.session_state.get(filters.STORE)
        if isinstance(store, dict) and (store.get("years") is None or tuple(store["years"]) == bounds):
            store["years"] = None  # the full year range, widened by the new reports
        st.session_state[OUTCOMES] = result
        st.session_state[ROUND] += 1
        cache.clear()
        st.rerun()
