"""Telling signal from noise: NHS "Making Data Count" statistical process control.

A manager looking at a monthly score wants to know whether this month is different or
just the usual wobble. XmR charts (any measure) and p-charts (shares with varying monthly
n) give limits from the data's own variation; four rules then mark special causes, and
two icons summarise the chart as Making Data Count does. The reference implementation is
NHSRplotthedots; where this module differs it says so in ``docs/metrics.md``.

Everything is positional over one ordered series (oldest first). Missing values (months
with no data or suppressed figures) are skipped: they neither get limits flags nor break
or extend runs, because a hidden month is unknown, not average.
"""
from __future__ import annotations

from typing import Iterable, Literal, Sequence

import numpy as np
import pandas as pd

LIMIT_FACTOR = 2.66                 # 3 / d2, d2 = 1.128 for moving ranges of two
NEAR_FACTOR = LIMIT_FACTOR * 2 / 3  # 1.7733: the "two sigma" line
MR_SCREEN_FACTOR = 3.267            # D4 for n = 2: moving ranges above this x mean are outliers
D2 = 1.128
MIN_POINTS = 12                     # fewer baseline points: limits are trial limits
RUN_LENGTH = 7
TREND_LENGTH = 7

Direction = Literal["increase", "decrease", "neutral"]

COLOURS = {
    "improvement": "#00b0f0",
    "concern": "#e46c0a",
    "neutral": "#490092",
    "common": "#a6a6a6",
}
VARIATION_ICONS = (
    "improvement_high", "improvement_low", "concern_high", "concern_low",
    "neutral_high", "neutral_low", "common_cause",
)
ASSURANCE_ICONS = ("pass", "fail", "hit_and_miss")
LIMIT_COLUMNS = ("centre", "upper", "lower", "upper_near", "lower_near")


# ---------------------------------------------------------------------------- segments

def segment_ids(length: int, rebase_at: Iterable[int] | None = None) -> np.ndarray:
    """Segment number per position; a new segment starts at each position in rebase_at.

    Limits are recalculated per segment so a deliberate change (a new form, a new way of
    working) gets its own baseline instead of being judged against the old one.
    """
    starts = np.zeros(length, dtype=int)
    for pos in rebase_at or ():
        if 0 < int(pos) < length:
            starts[int(pos)] = 1
    return np.cumsum(starts)


def rebase_positions(x: Sequence, change_dates: Iterable | None) -> list[int]:
    """Positions in the ordered x (months) where each change date's segment begins: the
    first x on or after the date. Lets pages speak in dates while the maths speaks in
    positions."""
    xs = pd.to_datetime(pd.Series(list(x)))
    out = []
    for d in change_dates or ():
        hits = np.flatnonzero((xs >= pd.Timestamp(d)).to_numpy())
        if hits.size and hits[0] > 0:
            out.append(int(hits[0]))
    return sorted(set(out))


def _as_float(values) -> np.ndarray:
    # Plain numeric arrays and Series (what the pages pass) skip the object round trip,
    # which cost more than the chart maths on a 24-month series.
    dtype = getattr(values, "dtype", None)
    if isinstance(values, (np.ndarray, pd.Series)) and isinstance(dtype, np.dtype) and dtype.kind in "fiub":
        return np.array(values, dtype=float)
    return pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan)


def _baseline_mask(observed: np.ndarray, seg: np.ndarray, fix_after: int | None) -> np.ndarray:
    """Which observed points set the limits: all of a segment, or its first fix_after."""
    mask = observed.copy()
    if fix_after:
        for s in np.unique(seg):
            idx = np.flatnonzero((seg == s) & observed)
            mask[idx[int(fix_after):]] = False
    return mask


# ------------------------------------------------------------------------------- limits

def xmr_limits(values: Sequence, fix_after: int | None = None,
               rebase_at: Iterable[int] | None = None, min_points: int = MIN_POINTS,
               screen_outliers: bool = False) -> pd.DataFrame:
    """XmR (individuals) chart limits, one row per input value.

    centre = mean; limits = centre +- 2.66 x mean moving range; near limits +- 1.773 x.
    Moving ranges are taken between consecutive observed points of a segment, so one
    hidden month does not throw away two moving ranges. ``fix_after`` freezes the
    limits on each segment's first n points (NHSRplotthedots ``fix_after_n_points``);
    ``screen_outliers`` drops moving ranges above 3.267 x their mean before the final
    mean, as NHSRplotthedots offers. ``trial`` is True where the baseline has fewer than
    ``min_points`` points.

    Columns: value, segment, moving_range, centre, upper, lower, upper_near, lower_near,
    trial.
    """
    y = _as_float(values)
    seg = segment_ids(len(y), rebase_at)
    observed = ~np.isnan(y)
    base = _baseline_mask(observed, seg, fix_after)
    # Filled as arrays and framed once: per-segment .loc writes dominated the cost.
    col = {c: np.full(len(y), np.nan) for c in ("moving_range", *LIMIT_COLUMNS)}
    trial = np.zeros(len(y), bool)
    for s in np.unique(seg):
        in_seg = seg == s
        obs_idx = np.flatnonzero(in_seg & observed)
        col["moving_range"][obs_idx[1:]] = np.abs(np.diff(y[obs_idx]))
        base_idx = np.flatnonzero(in_seg & base)
        base_mr = np.abs(np.diff(y[base_idx]))
        centre = y[base_idx].mean() if base_idx.size else np.nan
        amr = base_mr.mean() if base_mr.size else np.nan
        if screen_outliers and base_mr.size:
            kept = base_mr[base_mr < MR_SCREEN_FACTOR * amr]
            amr = kept.mean() if kept.size else amr
        rows = np.flatnonzero(in_seg)
        col["centre"][rows] = centre
        col["upper"][rows] = centre + LIMIT_FACTOR * amr
        col["lower"][rows] = centre - LIMIT_FACTOR * amr
        col["upper_near"][rows] = centre + NEAR_FACTOR * amr
        col["lower_near"][rows] = centre - NEAR_FACTOR * amr
        trial[rows] = base_idx.size < min_points
    return pd.DataFrame({"value": y, "segment": seg, **col, "trial": trial})


def p_chart_limits(k: Sequence, n: Sequence, fix_after: int | None = None,
                   rebase_at: Iterable[int] | None = None, min_points: int = MIN_POINTS,
                   laney: bool = False, scale: float = 1.0) -> pd.DataFrame:
    """p-chart limits for a share k/n with a different n each month.

    centre = sum k / sum n over the baseline; each point gets its own limits
    centre +- 3 sqrt(centre(1 - centre)/n_i) (near: +- 2 x), clipped to 0..1 because a
    share cannot leave that range. ``laney=True`` widens them by sigma_z, the moving-range
    spread of the points' z-scores (Laney p'), for very large n where the plain limits
    flag every month. ``scale=100`` gives percentages. Months with n = 0 get no value
    and no limits (the centre line continues through them).

    Columns: value, n, segment, centre, upper, lower, upper_near, lower_near, sigma_z,
    trial.
    """
    kk, nn = _as_float(k), _as_float(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(nn > 0, kk / nn, np.nan)
    seg = segment_ids(len(p), rebase_at)
    observed = ~np.isnan(p)
    base = _baseline_mask(observed, seg, fix_after)
    col = {c: np.full(len(p), np.nan) for c in LIMIT_COLUMNS}
    sigma_col = np.ones(len(p))
    trial = np.zeros(len(p), bool)
    for s in np.unique(seg):
        rows = np.flatnonzero(seg == s)
        base_idx = np.flatnonzero((seg == s) & base)
        total_n = nn[base_idx].sum() if base_idx.size else 0.0
        centre = kk[base_idx].sum() / total_n if total_n > 0 else np.nan
        with np.errstate(divide="ignore", invalid="ignore"):
            sigma = np.sqrt(centre * (1 - centre) / nn[rows])
        sigma_z = 1.0
        if laney and base_idx.size > 1:
            with np.errstate(divide="ignore", invalid="ignore"):
                z = (p[base_idx] - centre) / np.sqrt(centre * (1 - centre) / nn[base_idx])
            z = z[np.isfinite(z)]
            if z.size > 1:
                sigma_z = float(np.abs(np.diff(z)).mean() / D2)
        sigma = np.where(observed[rows], sigma * sigma_z, np.nan)
        col["centre"][rows] = centre
        col["upper"][rows] = np.clip(centre + 3 * sigma, 0, 1)
        col["lower"][rows] = np.clip(centre - 3 * sigma, 0, 1)
        col["upper_near"][rows] = np.clip(centre + 2 * sigma, 0, 1)
        col["lower_near"][rows] = np.clip(centre - 2 * sigma, 0, 1)
        sigma_col[rows] = sigma_z
        trial[rows] = base_idx.size < min_points
    if scale != 1.0:
        p = p * scale
        col = {c: v * scale for c, v in col.items()}
    return pd.DataFrame({"value": p, "n": nn, "segment": seg, **col, "sigma_z": sigma_col, "trial": trial})


# ------------------------------------------------------------------------------- rules

def _runs(keys: np.ndarray) -> list[tuple[int, int, int]]:
    """(start, stop, key) for each maximal run of equal consecutive keys."""
    runs, start = [], 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            runs.append((start, i, int(keys[start])))
            start = i
    return runs


def _rules_for_sequence(y, centre, upper, lower, upper_near, lower_near,
                        run_length: int, trend_length: int) -> dict[str, np.ndarray]:
    """The four rules over one segment's observed points, in order."""
    m = len(y)
    side = np.sign(y - centre).astype(int)
    outside = (y > upper) | (y < lower)

    shift = np.zeros(m, bool)
    for a, b, key in _runs(side):
        if key != 0 and b - a >= run_length:
            shift[a:b] = True

    # A trend of L points is L - 1 steps in one direction; an equal step (0) breaks it.
    trend = np.zeros(m, bool)
    trend_dir = np.zeros(m, int)
    steps = np.sign(np.diff(y)).astype(int)
    for a, b, key in _runs(steps):
        if key != 0 and (b - a) + 1 >= trend_length:
            trend[a:b + 1] = True
            trend_dir[a:b + 1] = key

    two = np.zeros(m, bool)
    for beyond in (y > upper_near, y < lower_near):
        for i in range(max(0, m - 2)):
            window = beyond[i:i + 3]
            if window.sum() >= 2:
                two[i:i + 3] |= window
    return {"outside": outside, "shift": shift, "trend": trend, "two_of_three": two,
            "side": side, "trend_dir": trend_dir}


def special_causes(values: Sequence, centre: Sequence, upper: Sequence, lower: Sequence,
                   upper_near: Sequence, lower_near: Sequence, run_length: int = RUN_LENGTH,
                   trend_length: int = TREND_LENGTH,
                   improvement_direction: Direction = "increase",
                   segment: Sequence | None = None) -> pd.DataFrame:
    """Making Data Count special-cause rules, point by point.

    * outside: beyond a process limit (strictly);
    * shift: ``run_length`` or more consecutive points on one side of the centre; a point
      exactly on the centre belongs to neither side and breaks the run;
    * trend: ``trend_length`` or more consecutive points each strictly above (or below)
      the one before; an equal value breaks it;
    * two_of_three: in any 3 consecutive points, 2 or more beyond the same near limit
      (points past the process limit count as beyond it); those points are flagged.

    Every point of a qualifying run is flagged, as NHSRplotthedots does. Rules run within
    each ``segment`` (recalculated limits), over observed points only.

    Columns: outside, shift, trend, two_of_three, special, side (+1 high, -1 low, 0 none:
    where the signal points), variation (improvement | concern | neutral | common, None
    for a missing value), colour (hex, None for a missing value).
    """
    return pd.DataFrame(_special_columns(values, centre, upper, lower, upper_near, lower_near,
                                         run_length, trend_length, improvement_direction, segment))


def _special_columns(values, centre, upper, lower, upper_near, lower_near, run_length: int,
                     trend_length: int, improvement_direction: Direction, segment) -> dict[str, object]:
    y = _as_float(values)
    cols = {name: _as_float(v) for name, v in zip(
        LIMIT_COLUMNS, (centre, upper, lower, upper_near, lower_near))}
    seg = np.zeros(len(y), int) if segment is None else np.asarray(list(segment))
    flags = {name: np.zeros(len(y), bool) for name in ("outside", "shift", "trend", "two_of_three")}
    signal_side = np.zeros(len(y), int)
    observed = ~np.isnan(y)
    for s in pd.unique(seg):
        idx = np.flatnonzero((seg == s) & observed)
        if not idx.size:
            continue
        r = _rules_for_sequence(y[idx], *(cols[c][idx] for c in LIMIT_COLUMNS),
                                run_length=run_length, trend_length=trend_length)
        for name in flags:
            flags[name][idx] = r[name]
        by_level = r["outside"] | r["shift"] | r["two_of_three"]
        signal_side[idx] = np.where(by_level, r["side"], np.where(r["trend"], r["trend_dir"], 0))

    return _flag_columns(flags, signal_side, observed, improvement_direction)


def _flag_columns(flags: dict[str, np.ndarray], signal_side: np.ndarray, observed: np.ndarray,
                  improvement_direction: Direction) -> dict[str, object]:
    """special_causes' columns as arrays (one frame is built from them, not column by column)."""
    special = flags["outside"] | flags["shift"] | flags["trend"] | flags["two_of_three"]
    side = np.where(special, signal_side, 0)
    variation = [None if not obs else _variation(bool(sp), int(sd), improvement_direction)
                 for obs, sp, sd in zip(observed, special, side)]
    return {**flags, "special": special, "side": side,
            "variation": pd.Series(variation, dtype=object),
            "colour": pd.Series([None if v is None else COLOURS[v] for v in variation], dtype=object)}


def _variation(special: bool, side: int, direction: Direction) -> str:
    if not special:
        return "common"
    if direction == "neutral" or side == 0:
        return "neutral"
    good = 1 if direction == "increase" else -1
    return "improvement" if side == good else "concern"


# -------------------------------------------------------------------------------- icons

def variation_icon(flags: pd.DataFrame) -> str | None:
    """The Making Data Count variation icon for the latest observed point.

    Takes the output of :func:`special_causes` (or :func:`spc_table`). "high"/"low" says
    which way the signal points, so an improvement in a measure where lower is better is
    'improvement_low'. None when there is no observed point.
    """
    seen = flags[flags["variation"].notna()]
    if seen.empty:
        return None
    last = seen.iloc[-1]
    if last["variation"] == "common":
        return "common_cause"
    return f"{last['variation']}_{'high' if last['side'] > 0 else 'low'}"


def assurance_icon(target, upper, lower, direction: Direction) -> str | None:
    """Will the process meet the target? From where the target sits against the limits.

    Increasing is better: target below the lower limit -> 'pass' (every month passes),
    above the upper -> 'fail', in between -> 'hit_and_miss'. Mirrored when decreasing is
    better. None without a target, without limits, or for a neutral measure.
    """
    vals = [target, upper, lower]
    if direction == "neutral" or any(v is None or pd.isna(v) for v in vals):
        return None
    target, upper, lower = (float(v) for v in vals)
    if lower <= target <= upper:
        return "hit_and_miss"
    below = target < lower
    if direction == "increase":
        return "pass" if below else "fail"
    return "fail" if below else "pass"


# ------------------------------------------------------------------------- one-call API

def spc_table(x: Sequence, values: Sequence | None = None, *, k: Sequence | None = None,
              n: Sequence | None = None, chart: Literal["xmr", "p"] = "xmr",
              improvement_direction: Direction = "increase",
              change_dates: Iterable | None = None, rebase_at: Iterable[int] | None = None,
              fix_after: int | None = None, run_length: int = RUN_LENGTH,
              trend_length: int = TREND_LENGTH, min_points: int = MIN_POINTS,
              screen_outliers: bool = False, laney: bool = False, scale: float = 1.0,
              target: float | None = None) -> pd.DataFrame:
    """Limits and rules in one frame, ready for :func:`kokemus.charts.spc_chart`.

    XmR: pass ``values`` (e.g. monthly NPS or mean score). p-chart: pass ``k`` and ``n``
    (e.g. satisfied and scored; ``scale=100`` for percentages). ``x`` is the ordered
    months. Recalculate limits at ``change_dates`` (dates) or ``rebase_at`` (positions).

    Columns: x, value, segment, centre, upper, lower, upper_near, lower_near, trial,
    outside, shift, trend, two_of_three, special, side, variation, colour, target; the
    p-chart adds n. Icons: ``variation_icon(table)`` and
    ``assurance_icon(target, table.upper.iloc[-1], table.lower.iloc[-1], direction)``,
    or :func:`icons`.
    """
    x = list(x)
    positions = sorted(set(rebase_positions(x, change_dates)) | set(rebase_at or ()))
    if chart == "p":
        if k is None or n is None:
            raise ValueError("a p-chart needs k and n")
        lim = p_chart_limits(k, n, fix_after=fix_after, rebase_at=positions,
                             min_points=min_points, laney=laney, scale=scale)
    elif chart == "xmr":
        if values is None:
            raise ValueError("an XmR chart needs values")
        lim = xmr_limits(values, fix_after=fix_after, rebase_at=positions,
                         min_points=min_points, screen_outliers=screen_outliers)
        if n is not None:
            lim["n"] = _as_float(n)
    else:
        raise ValueError(f"unknown chart {chart!r}")
    if len(x) != len(lim):
        raise ValueError("x and the values differ in length")
    flags = _special_columns(lim["value"], *(lim[c] for c in LIMIT_COLUMNS), run_length,
                             trend_length, improvement_direction, lim["segment"])
    columns = {"x": x, **{c: lim[c] for c in lim.columns if c not in ("moving_range", "sigma_z")},
               **flags, "target": np.full(len(x), np.nan if target is None else float(target))}
    return pd.DataFrame(columns)


def icons(table: pd.DataFrame, improvement_direction: Direction,
          target: float | None = None) -> tuple[str | None, str | None]:
    """(variation icon, assurance icon) for a :func:`spc_table`; assurance uses the limits
    of the latest segment at its last observed point."""
    seen = table[table["value"].notna()]
    if seen.empty:
        return None, None
    last = seen.iloc[-1]
    return variation_icon(table), assurance_icon(target, last["upper"], last["lower"],
                                                 improvement_direction)
