"""Chart builders return figures with the expected traces, locale and gaps."""
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from kokemus import charts, spc

NAN = float("nan")


def months(k, start="2024-01-01"):
    return list(pd.date_range(start, periods=k, freq="MS"))


def trace(fig, meta):
    found = [tr for tr in fig.data if tr.meta == meta]
    assert found, f"no trace {meta!r} in {[tr.meta for tr in fig.data]}"
    return found[0]


def roles(fig):
    return [tr.meta for tr in fig.data]


# ---------------------------------------------------------------------------- locale bits

def test_finnish_month_ticks_carry_the_year_where_it_changes():
    vals, texts = charts.month_ticks(months(4, "2024-11-01"), "fi")
    assert texts == ["marras<br>2024", "joulu", "tammi<br>2025", "helmi"]
    assert vals[0] == pd.Timestamp("2024-11-01")


def test_month_ticks_thin_out_on_long_axes():
    vals, texts = charts.month_ticks(months(36), "fi", max_ticks=12)
    assert len(vals) == 12
    assert texts[0] == "tammi<br>2024" and texts[1] == "huhti"


def test_month_names_in_each_language():
    assert [charts.month_name(m, "fi") for m in months(12)] == [
        "tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys", "loka",
        "marras", "joulu"]
    assert charts.month_label("2025-03-01", "sv") == "mars 2025"
    assert charts.month_label("2025-05-01", "en") == "May 2025"


def test_separators_follow_the_language():
    assert charts.separators("fi") == ",\u202f"
    assert charts.separators("sv") == ",\u202f"
    assert charts.separators("en") == ".,"


# ---------------------------------------------------------------------------- trend chart

def test_trend_chart_has_volume_band_and_line_with_gaps():
    df = pd.DataFrame({"month": months(4), "value": [80.0, NAN, 75.0, 90.0],
                       "n": [30, 3, 25, 40], "lo": [70.0, NAN, 65.0, 80.0],
                       "hi": [88.0, NAN, 83.0, 96.0]})
    fig = charts.trend_chart(df, "fi", lo="lo", hi="hi", y_suffix=" %")
    assert isinstance(fig, go.Figure)
    assert roles(fig) == ["volume", "interval", "value"]
    assert list(trace(fig, "volume").y) == [30, 3, 25, 40]  # the hidden month's bar stays
    assert list(trace(fig, "value").y) == [80.0, None, 75.0, 90.0]
    assert trace(fig, "value").connectgaps is False
    assert trace(fig, "value").yaxis == "y2" and trace(fig, "volume").yaxis == "y"
    assert fig.layout.separators == ",\u202f"
    assert fig.layout.xaxis.ticktext[0] == "tammi<br>2024"
    json.loads(fig.to_json())  # serialisable for Streamlit


def test_trend_chart_sorts_months_and_works_without_n():
    df = pd.DataFrame({"month": months(3)[::-1], "value": [3.0, 2.0, 1.0]})
    fig = charts.trend_chart(df, "en", n=None)
    assert roles(fig) == ["value"]
    assert list(trace(fig, "value").y) == [1.0, 2.0, 3.0]
    assert fig.layout.separators == ".,"


# ------------------------------------------------------------------------------ SPC chart

def spc_table_with_signals():
    # 12 steady months fix the limits, then a fall far below them in the last month
    values = [80, 82, 79, 81, 80, 82, 79, 81, 80, 82, 79, 81, 40]
    return spc.spc_table(months(13), values, n=[30] * 13, target=85, fix_after=12)


def test_spc_chart_draws_limits_and_points_by_variation():
    table = spc_table_with_signals()
    fig = charts.spc_chart(table, "Keskiarvo", "fi", ".1f")
    assert roles(fig)[:5] == ["value_line", "centre", "limits", "near_limits", "target"]
    common = trace(fig, "points_common")
    concern = trace(fig, "points_concern")
    assert len(common.x) == 12 and list(concern.y) == [40.0]
    assert concern.marker.color == spc.COLOURS["concern"]
    assert concern.marker.symbol != common.marker.symbol  # not colour alone
    assert trace(fig, "limits").line.dash == "dot"
    assert trace(fig, "near_limits").line.dash == "dot"
    assert fig.layout.title.text == "Keskiarvo"
    assert not fig.layout.annotations  # 12+ points: not trial limits
    json.loads(fig.to_json())


@pytest.mark.parametrize("lang, n, text", [("fi", 1200, "1\u202f200 vastausta"), ("fi", 1, "1 vastaus"),
                                           ("sv", 30, "30 svar"), ("en", 1200, "1,200 responses")])
def test_counts_are_words_not_n_equals(lang, n, text):
    table = spc.spc_table(months(13), [80, 82, 79, 81, 80, 82, 79, 81, 80, 82, 79, 81, 40],
                          n=[n] * 13, fix_after=12)
    fig = charts.spc_chart(table, "Keskiarvo", lang, ".1f")
    hover = [row[1] for tr in fig.data if (tr.meta or "").startswith("points_") for row in tr.customdata]
    assert hover and set(hover) == {text}
    bars = trace(charts.bar_ranked(pd.DataFrame({"unit": ["Osasto 5B"], "value": [90.0], "n": [n]}),
                                   lang=lang, lo=None, hi=None, min_n=1), "bars")
    assert list(bars.y) == [f"Osasto 5B ({text})"]
    assert "n =" not in fig.to_json() and "n =" not in bars.y[0]
    cases = charts.spc_chart(table, "Lupaus", lang, ".1f", n_key="chart_n_cases_due")
    assert all("n =" not in row[1] for tr in cases.data if (tr.meta or "").startswith("points_")
               for row in tr.customdata)


def test_spc_chart_limits_cover_upper_and_lower_and_break_at_a_rebase():
    table = spc.spc_table(months(8), [1, 2, 1, 2, 10, 11, 10, 11], rebase_at=[4])
    fig = charts.spc_chart(table, None, "fi")
    centre = trace(fig, "centre")
    assert list(centre.y) == pytest.approx([1.5] * 4 + [None] + [10.5] * 4)
    limits = trace(fig, "limits")
    assert sum(v is None for v in limits.y) == 3  # two segments x (upper, lower) = 3 breaks
    assert max(v for v in limits.y if v is not None) == pytest.approx(10.5 + 2.66)


def test_spc_chart_notes_trial_limits():
    table = spc.spc_table(months(6), [1, 2, 3, 2, 1, 2])
    fig = charts.spc_chart(table, None, "fi")
    assert "Alustavat rajat" in fig.layout.annotations[0].text
    assert "target" not in roles(fig)


def test_spc_chart_skips_hidden_months_and_shows_improvement_shapes():
    values = [1.0] * 7 + [NAN] + [-1.0] * 5
    table = spc.spc_table(months(13), values)
    fig = charts.spc_chart(table, None, "sv")
    xs = [x for tr in fig.data if str(tr.meta).startswith("points_") for x in tr.x]
    assert len(xs) == 12
    assert trace(fig, "points_improvement").marker.symbol == charts.SYMBOLS["improvement"]
    assert trace(fig, "value_line").y[7] is None
    assert trace(fig, "points_improvement").name == "Förbättring"


# ------------------------------------------------------------------------------ sparkline

def test_sparkline_is_a_plain_list_with_gaps():
    assert charts.sparkline([1.234, NAN, None, 3, np.float64(2.5)]) == [1.23, None, None, 3.0, 2.5]
    assert charts.sparkline([]) == []


# -------------------------------------------------------------------------------- heatmap

def test_heatmap_orders_themes_by_total_and_keeps_suppressed_cells_empty():
    df = pd.DataFrame({
        "month": months(3) * 2,
        "theme": ["queues"] * 3 + ["phone"] * 3,
        "count": [1.0, 2.0, NAN, 5.0, 6.0, 7.0],
    })
    fig = charts.heatmap(df, lang="fi", y_labels={"queues": "Jonot", "phone": "Puhelinpalvelu"})
    hm = trace(fig, "heatmap")
    assert list(hm.y) == ["Puhelinpalvelu", "Jonot"]
    assert [list(r) for r in hm.z] == [[5.0, 6.0, 7.0], [1.0, 2.0, None]]
    assert fig.layout.xaxis.ticktext == ("tammi<br>2024", "helmi", "maalis")


def test_heatmap_of_nothing_is_an_empty_figure():
    fig = charts.heatmap(pd.DataFrame(columns=["month", "theme", "count"]))
    assert len(trace(fig, "heatmap").y) == 0


# ----------------------------------------------------------------------------- bar ranked

def test_bar_ranked_keeps_order_shows_n_and_notes_hidden_rows():
    df = pd.DataFrame({"unit": ["Osasto 5B", "Päivystys", "Neuvola"],
                       "value": [92.0, NAN, 70.0], "n": [1200, 3, 40],
                       "lo": [90.0, NAN, 60.0], "hi": [93.5, NAN, 80.0]})
    fig = charts.bar_ranked(df, lang="fi", x_suffix=" %", highlight="Neuvola", min_n=5)
    bars = trace(fig, "bars")
    assert list(bars.y) == ["Osasto 5B (1\u202f200 vastausta)", "Päivystys (3 vastausta)", "Neuvola (40 vastausta)"]
    assert list(bars.x) == [92.0, 0.0, 70.0]
    assert bars.texttemplate[1] == "piilotettu (alle 5)"
    assert list(bars.error_x.array) == pytest.approx([1.5, 0.0, 10.0])
    assert list(bars.error_x.arrayminus) == pytest.approx([2.0, 0.0, 10.0])
    assert bars.marker.color[2] != bars.marker.color[0]
    assert fig.layout.yaxis.autorange == "reversed"  # first row on top
    json.loads(fig.to_json())
