"""Headline measures of patient experience and their 95 % intervals.

Pure maths on counts, so every page, export and test agrees on one definition (see
``docs/metrics.md``). Scalar functions return ``None`` - never NaN - when there is nothing
to measure, because a page should show "no data" rather than a misleading ``nan`` and
``None`` survives JSON and Streamlit unchanged.

Scales, chosen once so callers never have to guess:
  * NPS on -100..100,
  * percentages (% satisfied, praise share) on 0..100,
  * mean score on the 1..5 scale,
  * :func:`wilson_interval` alone returns a plain proportion 0..1, as statistics texts do.
"""
from __future__ import annotations

import math
from numbers import Real

import numpy as np
import pandas as pd

Z95 = 1.96
SCORE_MIN, SCORE_MAX = 1.0, 5.0

ROLLUP_COUNT_COLUMNS = (
    "responses", "scored", "score_sum", "satisfied", "nps_n", "promoters", "detractors",
    "typed", "praise",
)


def _count(value) -> float | None:
    """A count as float, or None for missing; SQL NULLs arrive as None, NaN or pd.NA."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, Real) and math.isnan(float(value)):
        return None
    return float(value)


def _has_n(n) -> bool:
    n = _count(n)
    return n is not None and n > 0


# ----------------------------------------------------------------------------- point values

def nps(promoters, passives_or_none, detractors, n=None) -> float | None:
    """Net Promoter Score, -100..100: % promoters (9-10) minus % detractors (0-6).

    ``n`` is the number who answered the 0-10 question; passives (7-8) only enlarge it.
    When ``n`` is not given it is promoters + passives + detractors, so passives must then
    be given. Returns None when nobody answered.
    """
    if n is None:
        if passives_or_none is None:
            raise ValueError("nps needs either n or the number of passives")
        n = (_count(promoters) or 0) + (_count(passives_or_none) or 0) + (_count(detractors) or 0)
    if not _has_n(n):
        return None
    p, d, n = _count(promoters) or 0.0, _count(detractors) or 0.0, _count(n)
    if p + d > n:
        raise ValueError(f"promoters + detractors ({p + d:g}) exceed n ({n:g})")
    return 100.0 * (p - d) / n


def pct_satisfied(satisfied, scored) -> float | None:
    """Share (0..100) of scored responses with a normalised score of 4 or 5 out of 5."""
    return _percent(satisfied, scored)


def praise_share(praise, typed) -> float | None:
    """Share (0..100) of praise among feedback whose type is known.

    Untyped feedback is left out of the denominator: an unknown type is a gap in the data,
    not evidence against praise.
    """
    return _percent(praise, typed)


def mean_score(score_sum, scored) -> float | None:
    """Mean normalised score on 1..5 (forms on other scales are normalised by the ETL)."""
    if not _has_n(scored):
        return None
    return _count(score_sum) / _count(scored)


def change(current, previous) -> float | None:
    """Difference current - previous in the measure's own units (percentage points for
    percentages, NPS points for NPS). None when either side is missing, so "no change"
    and "cannot tell" are never confused."""
    c, p = _count(current), _count(previous)
    if c is None or p is None:
        return None
    return c - p


def _percent(k, n) -> float | None:
    if not _has_n(n):
        return None
    return 100.0 * (_count(k) or 0.0) / _count(n)


# ---------------------------------------------------------------------------- 95 % intervals

def wilson_interval(k, n, z: float = Z95) -> tuple[float, float] | None:
    """Wilson score interval for a proportion k/n, as proportions 0..1.

    Wilson rather than the textbook normal interval because unit-level monthly counts are
    small and shares sit near 100 %, where the normal interval spills past 1 and collapses
    to zero width at k = n.
    """
    if not _has_n(n):
        return None
    k, n = _count(k) or 0.0, _count(n)
    p = k / n
    z2 = z * z
    denom = 1.0 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def percent_interval(k, n, z: float = Z95) -> tuple[float, float] | None:
    """:func:`wilson_interval` on the 0..100 scale used for displayed percentages."""
    ci = wilson_interval(k, n, z)
    return None if ci is None else (100.0 * ci[0], 100.0 * ci[1])


def mean_interval(score_sum, scored, score_sq_sum=None, z: float = Z95,
                  lo: float = SCORE_MIN, hi: float = SCORE_MAX) -> tuple[float, float] | None:
    """Normal-approximation interval for the mean score, clipped to the scale lo..hi.

    With the sum of squared scores the sample variance is used. Without it (the monthly
    rollup keeps only sums) the Bhatia-Davis bound (mean - lo)(hi - mean) stands in for
    the variance: it is the largest variance any data on lo..hi with that mean can have,
    so the interval is honest - never narrower than the truth - if somewhat wide.
    """
    m = mean_score(score_sum, scored)
    if m is None:
        return None
    n = _count(scored)
    sq = _count(score_sq_sum)
    if sq is not None and n > 1:
        var = max(0.0, (sq - n * m * m) / (n - 1))
    else:
        var = max(0.0, (m - lo) * (hi - m))
    half = z * math.sqrt(var / n)
    return max(lo, m - half), min(hi, m + half)


def nps_interval(promoters, detractors, n, z: float = Z95) -> tuple[float, float] | None:
    """Normal-approximation interval for NPS on -100..100.

    Each answer scores +1, 0 or -1, so with shares p and d the variance of one answer is
    (p + d) - (p - d)^2 and that of the NPS is that over n.
    """
    if not _has_n(n):
        return None
    n = _count(n)
    p, d = (_count(promoters) or 0.0) / n, (_count(detractors) or 0.0) / n
    var = ((p + d) - (p - d) ** 2) / n
    half = z * math.sqrt(max(0.0, var))
    return max(-100.0, 100.0 * (p - d - half)), min(100.0, 100.0 * (p - d + half))


# ------------------------------------------------------------------------------ vectorised

def _ratio(k: pd.Series, n: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Share k/n and n itself, both NaN where n is 0 or missing."""
    k = pd.to_numeric(k, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    n = pd.to_numeric(n, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n > 0, k / n, np.nan), np.where(n > 0, n, np.nan)


def _wilson_arrays(k: pd.Series, n: pd.Series, z: float) -> tuple[np.ndarray, np.ndarray]:
    p, n = _ratio(k, n)
    z2 = z * z
    with np.errstate(divide="ignore", invalid="ignore"):
        denom = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def add_kpis(df: pd.DataFrame, z: float = Z95) -> pd.DataFrame:
    """Copy of a frame of rollup counts with the headline measures and intervals added.

    Expects the columns of ``monthly_rollup`` summed to any grain (unit x month, area,
    whole organisation ...): responses, scored, score_sum, satisfied, nps_n, promoters,
    detractors, typed, praise; an optional ``score_sq_sum`` narrows the mean interval.
    Adds nps, nps_lo, nps_hi, pct_satisfied(_lo/_hi), mean_score(_lo/_hi),
    praise_share(_lo/_hi) on the same scales as the scalar functions. Rows with nothing
    to measure get NaN (float columns cannot hold None; charts and suppression skip NaN).
    """
    missing = [c for c in ROLLUP_COUNT_COLUMNS if c not in df.columns and c != "responses"]
    if missing:
        raise KeyError(f"add_kpis needs rollup columns {missing}")
    out = df.copy()

    prom, n_nps = _ratio(out["promoters"], out["nps_n"])
    detr, _ = _ratio(out["detractors"], out["nps_n"])
    net = prom - detr
    with np.errstate(invalid="ignore"):
        half = z * np.sqrt(np.maximum(0.0, ((prom + detr) - net ** 2) / n_nps))
    out["nps"] = 100 * net
    out["nps_lo"] = np.clip(100 * (net - half), -100, 100)
    out["nps_hi"] = np.clip(100 * (net + half), -100, 100)

    for name, k, n in (("pct_satisfied", "satisfied", "scored"), ("praise_share", "praise", "typed")):
        share, _ = _ratio(out[k], out[n])
        lo, hi = _wilson_arrays(out[k], out[n], z)
        out[name], out[f"{name}_lo"], out[f"{name}_hi"] = 100 * share, 100 * lo, 100 * hi

    mean, n_sc = _ratio(out["score_sum"], out["scored"])
    bound = np.maximum(0.0, (mean - SCORE_MIN) * (SCORE_MAX - mean))
    if "score_sq_sum" in out.columns:
        sq = pd.to_numeric(out["score_sq_sum"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(divide="ignore", invalid="ignore"):
            sample = np.maximum(0.0, (sq - n_sc * mean ** 2) / (n_sc - 1))
        var = np.where((n_sc > 1) & ~np.isnan(sq), sample, bound)
    else:
        var = bound
    with np.errstate(invalid="ignore"):
        half = z * np.sqrt(var / n_sc)
    out["mean_score"] = mean
    out["mean_score_lo"] = np.clip(mean - half, SCORE_MIN, SCORE_MAX)
    out["mean_score_hi"] = np.clip(mean + half, SCORE_MIN, SCORE_MAX)
    return out


KPI_DENOMINATORS = {
    "nps": "nps_n",
    "pct_satisfied": "scored",
    "mean_score": "scored",
    "praise_share": "typed",
}
"""Which count each measure is computed over: the n to show beside it and to suppress on."""
