"""The sidebar filters and their URL state, shared by every page.

Takes the URL's query parameters (``lang``, ``years``, ``province``, ``city``, ``county``,
``bureau``, plus page parameters such as ``report``) and the bureaus in the database; gives a
``Filters`` value (language, ``queries.Scope``, bureau labels and colours) and keeps the URL in
step with the widgets, so a copied link reproduces the view.

Why not ``bind="query-params"`` alone: Streamlit 1.67 drops every query parameter when the user
follows a navigation link, and bound parameters of the previous page are filtered out, so bound
filters would reset on each page switch (checked in Chromium). Instead the values live in one
session-state dict (``STORE``), read from the URL when the session starts or the browser moves
through its history; each widget is seeded from that dict and writes back to it, and the URL is
rewritten from it on every run, on whichever page is showing. The URL parameter names are the
stable keys listed above; widgets use ``w_``-prefixed keys.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app import db, queries
from app.charts import BureauStyle
from app.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, SESSION_KEY, t

STORE = "_url_state"
RAW = "_raw"
URL_KEYS = ("lang", "years", "province", "city", "county", "bureau")


@dataclass(frozen=True, eq=False)
class Filters:
    """What the sidebar selected."""

    lang: str
    scope: queries.Scope
    style: BureauStyle
    bureaus: pd.DataFrame  # bureaus within the selected region (and year range), for page-level pickers
    year_bounds: tuple[int, int] | None


def _url_values() -> dict[str, list[str]]:
    qp = st.query_params
    return {k: qp.get_all(k) for k in qp}


def _from_url(raw: dict[str, list[str]]) -> dict[str, Any]:
    def one(key: str) -> str | None:
        vals = raw.get(key) or []
        return vals[-1] if vals and vals[-1] != "" else None

    years: tuple[int, int] | None = None
    ys = [y for y in raw.get("years", []) if y.strip().lstrip("-").isdigit()]
    if ys:
        nums = [int(y) for y in ys]
        years = (min(nums), max(nums))
    lang = one("lang")
    return {
        "lang": lang if lang in LANGS else DEFAULT_LANG,
        "years": years,
        "province": one("province"),
        "city": one("city"),
        "county": one("county"),
        "bureau": [b for b in raw.get("bureau", []) if b],
        RAW: raw,
    }


def _store() -> dict[str, Any]:
    """The session's filter values, (re)read from the URL at session start and on back/forward."""
    ctx = get_script_run_ctx()
    history = bool(ctx is not None and getattr(ctx, "is_history_navigation", False))
    if STORE not in st.session_state or history:
        st.session_state[STORE] = _from_url(_url_values())
    store: dict[str, Any] = st.session_state[STORE]
    st.session_state[SESSION_KEY] = store["lang"]
    return store


def init() -> str:
    """Read the URL state if this session has none yet; return the language. Called by ``dashboard.py``."""
    return _store()["lang"]


def _keep(name: str) -> Callable[[], None]:
    def callback() -> None:
        st.session_state[STORE][name] = st.session_state["w_" + name]
        if name == "lang":
            st.session_state[SESSION_KEY] = st.session_state["w_lang"]
    return callback


def _seed(name: str, value: Any) -> None:
    st.session_state[STORE][name] = value
    st.session_state["w_" + name] = value


def _write_url(wanted: dict[str, str | list[str] | None]) -> None:
    """Set or remove each parameter in ``wanted`` whose URL value differs; others are left alone."""
    qp = st.query_params
    for key, value in wanted.items():
        current = qp.get_all(key) if key in qp else None
        if value is None or value == [] or value == "":
            if current is not None:
                del qp[key]
            continue
        target = value if isinstance(value, list) else [value]
        if current != target:
            qp[key] = target if len(target) > 1 else target[0]


def _language_switch(store: dict[str, Any]) -> str:
    _seed("lang", store["lang"] if store["lang"] in LANGS else DEFAULT_LANG)
    st.sidebar.segmented_control(
        t("sidebar.lang"), list(LANGS), key="w_lang", required=True, format_func=LANG_NAMES.__getitem__,
        on_change=_keep("lang"),
    )
    st.session_state[SESSION_KEY] = store["lang"]
    return store["lang"]


def _choice(name: str, label_key: str, options: Sequence[str], store: dict[str, Any]) -> str | None:
    value = store.get(name)
    _seed(name, value if value in options else None)
    st.sidebar.selectbox(t(label_key), list(options), index=None, key="w_" + name,
                         placeholder=t("sidebar.all"), on_change=_keep(name))
    return store[name]


def _distinct(values: pd.Series) -> list[str]:
    return sorted({str(v) for v in values if isinstance(v, str) and v})


def _through_navigation() -> None:
    """Make sure the page runs under ``dashboard.py``'s ``st.navigation``.

    Streamlit starts every server in the legacy mode of a ``pages/`` folder and leaves it only once
    ``st.navigation`` has run. If the first visitor after a start opens a deep link (``/volume``),
    the page script is run on its own and the whole server stays in legacy mode, with the folder's
    file names as navigation. Leaving that mode and rerunning sends the run through ``dashboard.py``.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def sidebar() -> Filters:
    """Draw the sidebar (language, years, province → city → county, bureaus) and return the selection.

    When the database file is missing, shows how to build it and stops the page.
    """
    _through_navigation()
    store = _store()
    lang = _language_switch(store)

    if not db.database_exists():
        _write_url({"lang": None if lang == DEFAULT_LANG else lang})
        st.info(t("msg.no_db", path=str(db.database_path())))
        st.stop()

    options = queries.bureau_options()
    bounds = queries.year_bounds()
    st.sidebar.header(t("sidebar.header"))

    years: tuple[int, int] | None = None
    if bounds is not None:
        lo, hi = bounds
        wanted = store.get("years") or (lo, hi)
        years = (max(lo, min(wanted[0], hi)), min(hi, max(wanted[1], lo)))
        if lo < hi:
            _seed("years", years)
            st.sidebar.slider(t("sidebar.years"), min_value=lo, max_value=hi, step=1, format="%d",
                              key="w_years", on_change=_keep("years"))
            years = tuple(store["years"])  # type: ignore[assignment]
        else:
            store["years"] = years
            st.sidebar.caption(t("sidebar.one_year", year=lo))

    in_years = options
    if years is not None:
        in_years = options[(options["last_year"] >= years[0]) & (options["first_year"] <= years[1])]
    province = _choice("province", "sidebar.province", _distinct(in_years["province"]), store)
    in_region = in_years if province is None else in_years[in_years["province"] == province]
    city = _choice("city", "sidebar.city", _distinct(in_region["city"]), store)
    if city is not None:
        in_region = in_region[in_region["city"] == city]
    county = _choice("county", "sidebar.county", _distinct(in_region["county"]), store)
    if county is not None:
        in_region = in_region[in_region["county"] == county]

    style = BureauStyle.from_options(options, lang)
    ids = list(in_region["bureau_id"])
    chosen = [b for b in store.get("bureau") or [] if b in set(ids)]
    _seed("bureau", chosen)
    st.sidebar.multiselect(t("sidebar.bureau"), ids, key="w_bureau", format_func=style.label,
                           placeholder=t("sidebar.all_bureaus"), on_change=_keep("bureau"))
    chosen = list(store["bureau"])
    st.sidebar.caption(t("sidebar.link"))

    full_range = bounds is None or years is None or years == bounds
    _write_url({
        "lang": None if lang == DEFAULT_LANG else lang,
        "years": None if full_range else [str(years[0]), str(years[1])],  # type: ignore[index]
        "province": province, "city": city, "county": county, "bureau": chosen,
    })
    scope = queries.Scope(
        year_from=years[0] if years else None, year_to=years[1] if years else None,
        province=province, city=city, county=county,
        bureaus=tuple(chosen),
    )
    shown = in_region[in_region["bureau_id"].isin(chosen)] if chosen else in_region
    return Filters(lang=lang, scope=scope, style=style, bureaus=shown.reset_index(drop=True), year_bounds=bounds)


def _page_value(name: str, options: Sequence[str], default: str | None) -> str | None:
    """The page parameter's value: this session's choice, else the URL's at session start, else ``default``."""
    store = st.session_state[STORE]
    if name not in store:
        raw = store.get(RAW, {}).get(name) or []
        store[name] = raw[-1] if raw else None
    value = store[name] if store[name] in options else default
    _seed(name, value)
    return value


def page_choice(name: str, label_text: str, options: Sequence[str], *,
                format_func: Callable[[str], str] = str, none_label: str | None = None,
                where: Any = None) -> str | None:
    """A page-level selectbox kept in the URL under ``name`` (e.g. ``report`` on the sources page).

    With ``none_label`` the box may be empty (meaning "all"); otherwise the first option is the default
    and the box cannot be emptied.
    """
    default = None if none_label is not None or not options else options[0]
    _page_value(name, options, default)
    (where or st).selectbox(label_text, list(options), index=None if default is None else 0, key="w_" + name,
                            format_func=format_func, placeholder=none_label or "", on_change=_keep(name))
    value = st.session_state[STORE][name]
    _write_url({name: None if value == default else value})
    return value


def page_toggle(name: str, label_text: str, options: Sequence[str], *,
                format_func: Callable[[str], str] = str, where: Any = None) -> str:
    """A page-level segmented control kept in the URL under ``name``; the first option is the default."""
    default = options[0]
    _page_value(name, options, default)
    (where or st).segmented_control(label_text, list(options), key="w_" + name, required=True,
                                    format_func=format_func, on_change=_keep(name))
    value = st.session_state[STORE][name] or default
    _write_url({name: None if value == default else value})
    return value
