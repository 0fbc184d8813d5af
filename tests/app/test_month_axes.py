"""Every plotly chart with months on its x axis names them from the catalogue.

Plotly writes date ticks in the browser's own month names ("Oct 2024" in an English
browser, on a Finnish page), so a monthly axis must carry its tick texts. This walks the
charts each page draws rather than the chart builders, so a new figure built without
``charts.month_axis`` fails here too.
"""
from __future__ import annotations

import json
import re

import pytest

from kokemus import charts
from tests.conftest import open_app_page

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
PAGES = ["overview", "trends", "problems", "actions"]


def _date_axes(spec: dict) -> list[str]:
    """The x axes (layout names) that carry dates in some trace."""
    axes = set()
    for trace in spec.get("data", []):
        xs = trace.get("x") or []
        if isinstance(xs, list) and any(isinstance(x, str) and ISO_DATE.match(x) for x in xs):
            ref = trace.get("xaxis", "x")
            axes.add("xaxis" + ref[1:])
    return sorted(axes)


@pytest.mark.parametrize("lang", ["fi", "sv"])
@pytest.mark.parametrize("page", PAGES)
def test_monthly_axes_use_the_page_language(demo_db, page, lang):
    at = open_app_page(page, lang=lang, timeout=90)
    names = {charts.month_name(f"2024-{m:02d}-01", lang) for m in range(1, 13)}
    checked = 0
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for axis in _date_axes(spec):
            layout = spec["layout"].get(axis, {})
            texts = layout.get("ticktext")
            assert layout.get("tickmode") == "array" and texts, (page, axis, layout)
            words = {text.split("<br>")[0] for text in texts}
            assert words <= names, (page, words - names)
            checked += 1
    assert checked, f"no monthly chart found on {page}"
