"""The shared sidebar filters: one state for every page, mirrored in the URL.

Why the state lives in three places:
  * the widgets hold it while a page that draws them runs;
  * ``st.session_state[STATE_KEY]`` keeps it while the user visits a page that does not
    draw them (Streamlit forgets the state of widgets that were not drawn in a run);
  * ``st.query_params`` carries it in the link, so a copied URL reproduces the view.
A query string we did not write ourselves (a shared link, a deep link from another page)
wins over the session; otherwise the session wins and the URL is rewritten from it.

Period presets are anchored on the latest month that has data rather than on today, so
"last 12 months" on a warehouse last fed in March still shows twelve filled months.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Mapping, Sequence
from urllib.parse import urlencode

from etl.contract import CHANNELS, FEEDBACK_TYPES, LANGUAGES

PRESETS = ("last12", "this_year", "last_year", "custom")
DEFAULT_PRESET = "last12"
STATE_KEY = "_kokemus_filters"
WRITTEN_KEY = "_kokemus_filters_query"
DEFAULT_PAGE = "overview"
PAGES = ("overview", "trends", "problems", "comments", "replies", "actions", "report", "upload",
         "import_log")
URL_PATHS = {"overview": "yleiskuva", "trends": "kehitys", "problems": "ongelmat",
             "comments": "kommentit", "replies": "vastattavat", "actions": "me-teimme",
             "report": "raportti", "upload": "tuonti", "import_log": "tuontiloki"}
"""URL path of each page. Finnish words for Finnish users - and deliberately *not* the file
names: Streamlit's legacy pages/ mode (which AppTest re-enters on every run) derives
paths from file names, and a match lets it run a page without the dashboard frame."""

# query-string key -> Filters field holding a tuple of names
_LIST_PARAMS = {"area": "areas", "unit": "units", "channel": "channels", "type": "types",
                "language": "languages"}
QUERY_KEYS = ("period", "from", "to", *_LIST_PARAMS)
_WIDGET = {"preset": "flt_preset", "from": "flt_from", "to": "flt_to", "areas": "flt_areas",
           "units": "flt_units", "channels": "flt_channels", "types": "flt_types",
           "languages": "flt_languages"}


# ------------------------------------------------------------------------------ month maths

def month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> int:
    """Number of months from ``start`` to ``end`` inclusive."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def month_key(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


def parse_month(text: str | None) -> date | None:
    """``YYYY-MM`` (also a full ISO date) -> first day of that month; None if unreadable."""
    if not text:
        return None
    try:
        parts = str(text).strip().split("-")
        return date(int(parts[0]), int(parts[1]), 1)
    except (ValueError, IndexError):
        return None


def preset_bounds(preset: str, anchor: date) -> tuple[date, date]:
    """First and last month (inclusive) of a preset period ending at ``anchor``'s month."""
    anchor = month_start(anchor)
    if preset == "this_year":
        return date(anchor.year, 1, 1), anchor
    if preset == "last_year":
        return date(anchor.year - 1, 1, 1), date(anchor.year - 1, 12, 1)
    return add_months(anchor, -11), anchor


# ---------------------------------------------------------------------------------- options

@dataclass(frozen=True)
class FilterOptions:
    """What the warehouse offers to filter on (loaded once per data version)."""
    first_month: date | None
    last_month: date | None
    units_by_area: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def areas(self) -> tuple[str, ...]:
        """Named service areas ('' holds units not yet placed in one)."""
        return tuple(a for a, _ in self.units_by_area if a)

    def units(self, areas: Sequence[str] = ()) -> tuple[str, ...]:
        chosen = set(areas)
        return tuple(sorted(u for a, us in self.units_by_area if not chosen or a in chosen for u in us))

    def month_range(self) -> list[date]:
        if self.first_month is None or self.last_month is None:
            return []
        return [add_months(self.first_month, i)
                for i in range(months_between(self.first_month, self.last_month))]

    @property
    def anchor(self) -> date:
        return self.last_month or month_start(date.today())


# ---------------------------------------------------------------------------------- filters

def scope_params(scope: Sequence[int] | None) -> dict[str, object]:
    """``$scope_all`` / ``$scope`` for the allowed-units predicate every query carries."""
    return {"scope_all": scope is None, "scope": [int(u) for u in (scope or ())]}


@dataclass(frozen=True)
class Filters:
    """One view of the data: a month range and the organisation/channel/type/language cut.

    Frozen and made of tuples so it is hashable: ``st.cache_data`` keys on it directly.
    Empty tuples mean "all".

    ``scope`` is what the signed-in user may see at all (unit ids; None = every unit): it
    is set by the sidebar from kokemus.auth, bound into every query as ``$scope`` and
    part of every cache key, so no page and no cached figure can reach past it.
    """
    start: date
    end: date
    preset: str = DEFAULT_PRESET
    areas: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    scope: tuple[int, ...] | None = None

    def to_sql_params(self) -> dict[str, object]:
        """Bound parameters for ``kokemus/sql/*.sql`` ($start, $end inclusive months)."""
        return {"start": self.start, "end": self.end, "areas": list(self.areas),
                "units": list(self.units), "channels": list(self.channels),
                "types": list(self.types), "languages": list(self.languages),
                **scope_params(self.scope)}

    @property
    def months(self) -> int:
        return months_between(self.start, self.end)

    def shifted(self, months: int) -> Filters:
        return dataclasses.replace(self, start=add_months(self.start, months),
                                   end=add_months(self.end, months), preset="custom")

    def previous_period(self) -> Filters:
        """The same number of months immediately before this period."""
        return self.shifted(-self.months)

    def year_ago(self) -> Filters:
        return self.shifted(-12)

    def with_units(self, units: Sequence[str]) -> Filters:
        return dataclasses.replace(self, units=tuple(units))

    def to_query(self) -> dict[str, str | list[str]]:
        """Query-string form; presets store only their name so a link stays "last 12
        months" as data arrives, custom ranges store their months."""
        q: dict[str, str | list[str]] = {"period": self.preset}
        if self.preset == "custom":
            q["from"], q["to"] = month_key(self.start), month_key(self.end)
        for key, name in _LIST_PARAMS.items():
            values = getattr(self, name)
            if values:
                q[key] = list(values)
        return q

    @classmethod
    def from_query(cls, query: Mapping[str, str | Sequence[str]], options: FilterOptions,
                   scope: tuple[int, ...] | None = None) -> Filters:
        """Filters from a query string; unknown names are dropped rather than failing, so a
        stale link (a unit renamed since) still opens."""
        def values(key: str) -> list[str]:
            v = query.get(key)
            if v is None:
                return []
            return [v] if isinstance(v, str) else [str(x) for x in v]

        preset = (values("period") or [DEFAULT_PRESET])[0]
        if preset not in PRESETS:
            preset = DEFAULT_PRESET
        start, end = preset_bounds(preset, options.anchor)
        if preset == "custom" or values("from") or values("to"):
            start = parse_month((values("from") or [None])[0]) or start
            end = parse_month((values("to") or [None])[0]) or end
            preset = "custom"
        if start > end:
            start, end = end, start
        known_units = set(options.units())
        return cls(
            start=start, end=end, preset=preset,
            areas=tuple(a for a in values("area") if a in options.areas),
            units=tuple(u for u in values("unit") if u in known_units),
            channels=tuple(c for c in values("channel") if c in CHANNELS),
            types=tuple(x for x in values("type") if x in FEEDBACK_TYPES),
            languages=tuple(x for x in values("language") if x in LANGUAGES),
            scope=scope,
        )


def default_filters(options: FilterOptions) -> Filters:
    return Filters.from_query({}, options)


def page_url(page: str, filters: Filters, **extra: str | Sequence[str]) -> str:
    """A relative link to ``page`` showing ``filters`` (plus page-specific ``extra``
    parameters such as ``theme``), for markdown links, cards and heatmap clicks.

    Relative (no leading slash) so it also works when the app is served under a path.
    """
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}")
    query: dict[str, object] = dict(filters.to_query())
    query.update(extra)
    return f"{page_path(page) or '.'}?{urlencode(query, doseq=True)}"


def absolute_url(base: str | None, page: str, filters: Filters, **extra: str | Sequence[str]) -> str:
    """The full address of ``page`` showing ``filters``, to paste into an e-mail.

    ``base`` is the address the browser has open (``st.context.url``, any page of the app);
    the app's root is taken as everything before the last path segment when that segment is
    one of the page paths. Every value is percent-encoded, so no unit name can break it.
    """
    root = (base or "").split("?", 1)[0].rstrip("/")
    head, _, last = root.rpartition("/")
    if last in URL_PATHS.values() and head.count("/") >= 2:
        root = head
    path = page_path(page)
    query: dict[str, object] = dict(filters.to_query())
    query.update(extra)
    return f"{root}/{path}?{urlencode(query, doseq=True)}" if path else f"{root}/?{urlencode(query, doseq=True)}"


def page_path(page: str) -> str:
    """The path a browser opens ``page`` at. The default page (Overview) lives at the
    app's root: Streamlit gives it the path "" whatever ``url_path`` says, so
    ``/yleiskuva`` would answer "page not found"."""
    return "" if page == DEFAULT_PAGE else URL_PATHS[page]


def page_file(page: str) -> str:
    """The script path ``st.page_link`` / ``st.switch_page`` want for a page name."""
    if page not in PAGES:
        raise ValueError(f"unknown page {page!r}")
    return f"pages/{page}.py"


def page_exists(page: str) -> bool:
    """Pages are written by different people; links to a missing one are left out - and
    to one the signed-in role may not open (it is not in the navigation either)."""
    from pathlib import Path

    from kokemus import auth
    return (Path(__file__).resolve().parent.parent / page_file(page)).exists() and auth.may_open(page)


# ------------------------------------------------------------------------------- streamlit

def _current_query(st) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for key in QUERY_KEYS:
        if key in st.query_params:
            vals = st.query_params.get_all(key)
            out[key] = list(vals) if key in _LIST_PARAMS else vals[-1]
    return out


def _seed_widgets(st, f: Filters, overwrite: bool) -> None:
    """Put ``f`` into the widget keys before the widgets are drawn (the only moment
    Streamlit lets code set a widget's value)."""
    seeds = {"preset": f.preset, "from": month_key(f.start), "to": month_key(f.end),
             "areas": list(f.areas), "units": list(f.units), "channels": list(f.channels),
             "types": list(f.types), "languages": list(f.languages)}
    for name, value in seeds.items():
        key = _WIDGET[name]
        if overwrite or key not in st.session_state:
            st.session_state[key] = value


def _write_query(st, f: Filters) -> None:
    wanted = f.to_query()
    for key in QUERY_KEYS:
        if key in wanted:
            if st.query_params.get_all(key) != ([wanted[key]] if isinstance(wanted[key], str) else wanted[key]):
                st.query_params[key] = wanted[key]
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state[WRITTEN_KEY] = wanted


def current(st=None) -> Filters | None:
    """The filters the sidebar last produced in this session (None before the first)."""
    if st is None:
        import streamlit as st
    return st.session_state.get(STATE_KEY)


def sidebar(lang: str) -> Filters:
    """Draw the shared filters in the sidebar and return the chosen view.

    Every page that shows figures calls this, so the same widgets (same keys) appear on
    each and the choice follows the user from page to page and into the URL.
    """
    import streamlit as st

    from kokemus import auth, cached
    from kokemus.i18n import t

    scope = auth.allowed_unit_ids()
    options = cached.filter_options()
    query = _current_query(st)
    stored: Filters | None = st.session_state.get(STATE_KEY)
    if stored is None or (query and query != st.session_state.get(WRITTEN_KEY)):
        _seed_widgets(st, Filters.from_query(query, options, scope), overwrite=True)
    else:
        _seed_widgets(st, stored, overwrite=False)

    months = [month_key(m) for m in options.month_range()] or [month_key(options.anchor)]
    sb = st.sidebar
    sb.header(t("flt_heading", lang))
    preset = sb.selectbox(t("flt_period", lang), PRESETS, key=_WIDGET["preset"],
                          format_func=lambda p: t(f"flt_period_{p}", lang))
    if preset == "custom":
        for key, fallback in (("from", months[0]), ("to", months[-1])):
            if st.session_state.get(_WIDGET[key]) not in months:
                st.session_state[_WIDGET[key]] = fallback
        left, right = sb.columns(2)
        first = left.selectbox(t("flt_from", lang), months, key=_WIDGET["from"])
        last = right.selectbox(t("flt_to", lang), months, key=_WIDGET["to"])
        start, end = sorted((parse_month(first), parse_month(last)))
    else:
        start, end = preset_bounds(preset, options.anchor)
    sb.caption(t("flt_period_caption", lang, start=month_key(start), end=month_key(end)))

    areas = sb.multiselect(t("flt_area", lang), options.areas, key=_WIDGET["areas"],
                           placeholder=t("flt_all", lang))
    unit_options = options.units(areas)
    st.session_state[_WIDGET["units"]] = [u for u in st.session_state[_WIDGET["units"]] if u in unit_options]
    units = sb.multiselect(t("flt_unit", lang), unit_options, key=_WIDGET["units"],
                           placeholder=t("flt_all", lang))
    channels = sb.multiselect(t("flt_channel", lang), CHANNELS, key=_WIDGET["channels"],
                              format_func=lambda c: t(f"flt_channel_{c}", lang), placeholder=t("flt_all", lang))
    types = sb.multiselect(t("flt_type", lang), FEEDBACK_TYPES, key=_WIDGET["types"],
                           format_func=lambda c: t(f"flt_type_{c}", lang), placeholder=t("flt_all", lang))
    languages = sb.multiselect(t("flt_language", lang), LANGUAGES, key=_WIDGET["languages"],
                               format_func=lambda c: t(f"flt_lang_{c}", lang),
                               placeholder=t("flt_all", lang))

    f = Filters(start=start, end=end, preset=preset, areas=tuple(areas), units=tuple(units),
                channels=tuple(channels), types=tuple(types), languages=tuple(languages),
                scope=scope)
    st.session_state[STATE_KEY] = f
    _write_query(st, f)
    return f
