"""The sidebar filters and their URL state, shared by every page.

Takes the URL's query parameters (``lang``, ``years``, ``province``, ``city``, ``county``,
``kind``, ``level``, ``bureau``, ``meeting``, plus page parameters such as ``report``) and the
bureaus in the database; gives a ``Filters`` value (language, ``queries.Scope``, bureau labels
and colours, meeting mode, the filters in force as one line of text) and keeps the URL in step
with the widgets, so a copied link reproduces the view.

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
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from app import db, queries
from app.charts import BureauStyle
from app.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, SESSION_KEY, label, t

LEVELS = ("province", "city", "county")
STORE = "_url_state"
RAW = "_raw"
URL_KEYS = ("lang", "years", "province", "city", "county", "kind", "level", "bureau", "meeting")
MEETING_KEY = "_meeting"
SUMMARY_KEY = "_summary"


@dataclass(frozen=True, eq=False)
class Filters:
    """What the sidebar selected."""

    lang: str
    scope: queries.Scope
    style: BureauStyle
    bureaus: pd.DataFrame  # bureaus within the selected region (and year range), for page-level pickers
    year_bounds: tuple[int, int] | None
    meeting: bool = False
    summary: str = ""  # the filters in force, one line, for chart titles in meeting mode and exports
    options: pd.DataFrame | None = None  # the bureaus the sidebar listed or picked (queries.bureau_options)
    unit: str = "bureau"  # what a chart series is: a bureau, or a region (queries.unit_level)


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
        "kind": one("kind"),
        "level": one("level"),
        "bureau": [b for b in raw.get("bureau", []) if b],
        "meeting": one("meeting") in ("1", "true", "on"),
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
    store = _store()
    st.session_state[MEETING_KEY] = bool(store.get("meeting"))
    return store["lang"]


def meeting_mode() -> bool:
    """Whether the session presents in meeting mode (``meeting=1`` in the URL)."""
    return bool(_store().get("meeting"))


def set_meeting(on: bool) -> None:
    """Switch meeting mode (a button callback); the URL follows on the next run."""
    st.session_state[STORE]["meeting"] = on
    st.session_state[MEETING_KEY] = on
    if "w_meeting" in st.session_state:
        st.session_state["w_meeting"] = on


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


def keep_in_url(values: dict[str, str | list[str] | None]) -> None:
    """Write page parameters to the URL (``None`` removes one)."""
    _write_url(values)


def _language_switch(store: dict[str, Any]) -> str:
    _seed("lang", store["lang"] if store["lang"] in LANGS else DEFAULT_LANG)
    st.sidebar.segmented_control(
        t("sidebar.lang"), list(LANGS), key="w_lang", required=True, format_func=LANG_NAMES.__getitem__,
        on_change=_keep("lang"),
    )
    st.session_state[SESSION_KEY] = store["lang"]
    return store["lang"]


def _choice(name: str, label_key: str, options: Sequence[str], store: dict[str, Any],
            format_func: Callable[[str], str] = str) -> str | None:
    value = store.get(name)
    _seed(name, value if value in options else None)
    st.sidebar.selectbox(t(label_key), list(options), index=None, key="w_" + name, format_func=format_func,
                         placeholder=t("sidebar.all"), on_change=_keep(name))
    return store[name]


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


def _meeting_switch(store: dict[str, Any]) -> bool:
    _seed("meeting", bool(store.get("meeting")))
    st.sidebar.toggle(t("sidebar.meeting"), key="w_meeting", on_change=_keep("meeting"),
                      help=t("sidebar.meeting_help"))
    on = bool(store["meeting"])
    st.session_state[MEETING_KEY] = on
    if on:
        st.button(t("meeting.exit"), key="meeting_exit", icon=":material/close_fullscreen:", type="tertiary",
                  on_click=set_meeting, args=(False,))
    return on


def _region(store: dict[str, Any], years: tuple[int, int] | None, lang: str) -> queries.Scope:
    """Draw the province → city → county, kind and level boxes; gives the region they select.

    Each box lists what exists under the boxes above it (``queries.region_choices``). A stored value
    that is not among its options (a city of another province) is dropped, and the lists are asked
    for again, so the boxes below follow.
    """
    fields = ("province", "city", "county", "kind", "level")
    base = queries.Scope(year_from=years[0] if years else None, year_to=years[1] if years else None)
    while True:
        scope = replace(base, **{k: store.get(k) for k in fields})
        choices = queries.region_choices(scope)
        stale = [k for k in fields if store.get(k) is not None and store[k] not in choices[k]]
        if not stale:
            break
        store[stale[0]] = None
    formats = {"kind": lambda k: label("bkind", k, lang), "level": lambda lv: label("level", lv, lang)}
    for k in fields:
        options = [lv for lv in LEVELS if lv in choices[k]] if k == "level" else choices[k]
        _choice(k, f"sidebar.{k}", options, store, **({"format_func": formats[k]} if k in formats else {}))
    return replace(base, **{k: store.get(k) for k in fields})


def summary(lang: str, years: tuple[int, int] | None, region: Sequence[str | None], kind: str | None,
            level: str | None, chosen: Sequence[str], style: BureauStyle) -> str:
    """The filters in force as one line: years · region · kind · level · bureaus."""
    parts = []
    if years is not None:
        parts.append(str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}")
    place = "".join(p for p in region if p)
    parts.append(place or t("summary.all_regions", lang))
    if kind:
        parts.append(label("bkind", kind, lang))
    if level:
        parts.append(label("level", level, lang))
    if chosen:
        names = [style.label(b) for b in chosen]
        parts.append("、".join(names) if len(names) <= 3 else t("summary.n_bureaus", lang, n=len(names)))
    return " · ".join(parts)


def link(page: str, **params: str) -> str:
    """A relative link to ``page`` that carries the sidebar's filters (as in the URL now) and ``params``."""
    qp = st.query_params
    pairs = [(k, v) for k in URL_KEYS if k in qp for v in qp.get_all(k)]
    pairs += [(k, v) for k, v in params.items() if v is not None]
    query = urlencode(pairs)
    return f"./{page}" + (f"?{query}" if query else "")


def sidebar() -> Filters:
    """Draw the sidebar (language, meeting mode, years, province → city → county, kind, level, bureaus).

    Returns the selection. When the database file is missing, shows how to build it and stops the page.
    """
    _through_navigation()
    store = _store()
    lang = _language_switch(store)
    meeting = _meeting_switch(store)

    if not db.database_exists():
        _write_url({"lang": None if lang == DEFAULT_LANG else lang, "meeting": "1" if meeting else None})
        st.info(t("msg.no_db", path=str(db.database_path())))
        st.stop()
    if not queries.has_summary():
        st.warning(t("msg.old_db", path=str(db.database_path())))
        st.stop()

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

    region = _region(store, years, lang)
    province, city, county, kind, level = region.province, region.city, region.county, region.kind, region.level
    in_region = queries.bureau_options(region)  # at most MAX_PICKABLE + 1 rows
    wanted = list(store.get("bureau") or [])
    picked = queries.bureau_options(replace(region, bureaus=tuple(wanted))) if wanted else in_region.iloc[0:0]
    known = pd.concat([in_region, picked], ignore_index=True).drop_duplicates("bureau_id")
    style = BureauStyle.from_options(known, lang)
    chosen = [b for b in wanted if b in set(picked["bureau_id"])]
    ids = list(in_region["bureau_id"])
    if len(ids) > queries.MAX_PICKABLE:  # a browser list of every bureau in the country helps nobody
        st.sidebar.caption(t("scope.too_many_bureaus", n=f"{queries.bureaus_in_scope(region):,}"))
        ids = chosen
    _seed("bureau", chosen)
    st.sidebar.multiselect(t("sidebar.bureau"), ids, key="w_bureau", format_func=style.label,
                           placeholder=t("sidebar.all_bureaus"), on_change=_keep("bureau"))
    chosen = list(store["bureau"])
    st.sidebar.caption(t("sidebar.link"))

    full_range = bounds is None or years is None or years == bounds
    _write_url({
        "lang": None if lang == DEFAULT_LANG else lang,
        "years": None if full_range else [str(years[0]), str(years[1])],  # type: ignore[index]
        "province": province, "city": city, "county": county, "kind": kind, "level": level, "bureau": chosen,
        "meeting": "1" if meeting else None,
    })
    scope = queries.Scope(
        year_from=years[0] if years else None, year_to=years[1] if years else None,
        province=province, city=city, county=county, kind=kind, level=level,
        bureaus=tuple(chosen),
    )
    shown = known[known["bureau_id"].isin(chosen)] if chosen else in_region.head(queries.MAX_PICKABLE)
    text = summary(lang, years, (province, city, county), kind, level, chosen, style)
    st.session_state[SUMMARY_KEY] = text
    unit = queries.unit_level(scope)
    if unit != "bureau" and not meeting:
        st.caption(t("scope.regions", n=f"{queries.bureaus_in_scope(scope):,}", max=queries.MAX_BUREAUS,
                     unit=t(f"unit.{unit}")))
    return Filters(lang=lang, scope=scope, style=style, bureaus=shown.reset_index(drop=True), year_bounds=bounds,
                   meeting=meeting, summary=text, options=known, unit=unit)


def requested(name: str) -> str | None:
    """The page parameter's value asked for: this session's choice, else the URL's at session start."""
    store = st.session_state[STORE]
    if name in store:
        return store[name]
    raw = store.get(RAW, {}).get(name) or []
    return raw[-1] if raw else None


def _page_value(name: str, options: Sequence[str], default: str | None) -> str | None:
    """The page parameter's value: this session's choice, else the URL's at session start, else ``default``."""
    store = st.session_state[STORE]
    store[name] = requested(name)
    value = store[name] if store[name] in options else default
    _seed(name, value)
    return value


def page_choice(name: str, label_text: str, options: Sequence[str], *,
                format_func: Callable[[str], str] = str, none_label: str | None = None,
                where: Any = None, preferred: str | None = None) -> str | None:
    """A page-level selectbox kept in the URL under ``name`` (e.g. ``report`` on the sources page).

    With ``none_label`` the box may be empty (meaning "all"); otherwise ``preferred`` (when among the
    options) or the first option is the default and the box cannot be emptied.
    """
    fallback = options[0] if options else None
    default = None if none_label is not None else preferred if preferred in options else fallback
    _page_value(name, options, default)
    index = None if default is None else list(options).index(default)
    (where or st).selectbox(label_text, list(options), index=index, key="w_" + name,
                            format_func=format_func, placeholder=none_label or "", on_change=_keep(name))
    value = st.session_state[STORE][name]
    _write_url({name: None if value == default else value})
    return value


def page_multi(name: str, label_text: str, options: Sequence[str], default: Sequence[str], *,
               max_selections: int | None = None, format_func: Callable[[str], str] = str,
               where: Any = None) -> list[str]:
    """A page-level multiselect kept in the URL under ``name`` (repeated); ``default`` when the URL has none."""
    store = st.session_state[STORE]
    if name not in store:
        raw = [v for v in store.get(RAW, {}).get(name) or [] if v]
        store[name] = raw or None
    wanted = store[name] if store[name] is not None else list(default)
    value = [v for v in dict.fromkeys(wanted) if v in set(options)][:max_selections]
    _seed(name, value)
    (where or st).multiselect(label_text, list(options), key="w_" + name, format_func=format_func,
                              max_selections=max_selections, on_change=_keep(name))
    value = list(st.session_state[STORE][name] or [])
    _write_url({name: None if value == list(default) else value})
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
