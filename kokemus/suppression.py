"""The small-number rule: hide figures that could point at one patient.

A share computed from two or three answers says little and may let a colleague guess who
wrote what, so figures from fewer than ``kokemus.config.min_n()`` responses are hidden
(NHS Friends and Family Test publishes ``*`` for 1-4). Hiding one figure is not enough
when its siblings add up to a shown total - the hidden one is then total minus the rest -
so the next-smallest sibling is hidden as well (secondary suppression).
"""
from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from kokemus import config
from kokemus.metrics import KPI_DENOMINATORS

PRIMARY = "primary"
SECONDARY = "secondary"


def default_value_cols(df: pd.DataFrame) -> list[str]:
    """The measures :func:`kokemus.metrics.add_kpis` adds, with their intervals."""
    return [c for kpi in KPI_DENOMINATORS for c in (kpi, f"{kpi}_lo", f"{kpi}_hi") if c in df.columns]


def suppress(df: pd.DataFrame, n_col: str = "n", value_cols: Sequence[str] | None = None,
             threshold: int | None = None, group_cols: Sequence[str] | None = None, *,
             secondary: bool = True, flag_col: str = "suppressed",
             reason_col: str | None = "suppression") -> pd.DataFrame:
    """Copy of ``df`` with ``value_cols`` blanked where ``n_col`` is below ``threshold``.

    Primary: 0 < n < threshold (n = 0 has no figure to hide). Missing values become NaN in
    float columns and None in others - pandas' "missing", which charts skip and tables
    show empty. Secondary: rows sharing ``group_cols`` are siblings of one total (units of
    one month, months of one unit); ``group_cols=None`` makes the whole frame one group.
    When exactly one sibling is hidden, the visible sibling with the smallest n > 0 is
    hidden too. ``n_col`` itself stays visible (show n beside every figure); put it in
    ``value_cols`` to hide it as well.

    Adds ``flag_col`` (bool) and, unless ``reason_col`` is None, 'primary' /
    'secondary' / None saying why.
    """
    threshold = config.min_n() if threshold is None else int(threshold)
    value_cols = default_value_cols(df) if value_cols is None else list(value_cols)
    out = df.copy()
    n = pd.to_numeric(out[n_col], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    primary = (n > 0) & (n < threshold)
    second = np.zeros(len(out), bool)
    if secondary and len(out):
        keys = (np.zeros(len(out), int) if not group_cols
                else out.groupby(list(group_cols), sort=False, dropna=False).ngroup().to_numpy())
        for key in np.unique(keys):
            idx = np.flatnonzero(keys == key)
            if primary[idx].sum() != 1:
                continue
            visible = idx[~primary[idx] & (n[idx] > 0)]
            if visible.size:
                second[visible[np.argmin(n[visible])]] = True
    hidden = primary | second
    for col in value_cols:
        if pd.api.types.is_float_dtype(out[col]):
            out.loc[hidden, col] = np.nan
        else:
            out[col] = out[col].astype(object)
            out.loc[hidden, col] = None
    out[flag_col] = hidden
    if reason_col:
        out[reason_col] = pd.Series(
            np.where(primary, PRIMARY, np.where(second, SECONDARY, None)), index=out.index, dtype=object)
    return out


def suppress_kpis(df: pd.DataFrame, threshold: int | None = None,
                  group_cols: Sequence[str] | None = None,
                  kpis: Iterable[str] | None = None) -> pd.DataFrame:
    """Suppress each measure of :func:`kokemus.metrics.add_kpis` on its own denominator.

    NPS rests on those who answered the 0-10 question, % satisfied on the scored answers,
    so a unit may show one and hide the other. Adds ``<kpi>_suppressed`` per measure and
    ``suppressed`` = any of them.
    """
    out = df
    flags = []
    for kpi in kpis or KPI_DENOMINATORS:
        if kpi not in out.columns:
            continue
        cols = [c for c in (kpi, f"{kpi}_lo", f"{kpi}_hi") if c in out.columns]
        flag = f"{kpi}_suppressed"
        out = suppress(out, n_col=KPI_DENOMINATORS[kpi], value_cols=cols, threshold=threshold,
                       group_cols=group_cols, flag_col=flag, reason_col=None)
        flags.append(flag)
    out = out.copy() if out is df else out
    out["suppressed"] = out[flags].any(axis=1) if flags else False
    return out
