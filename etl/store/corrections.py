"""People correcting a comment's themes and type (the Comments page).

A correction is stored with who, when, before and after (``tag_corrections``), applied at
once to the comment's tags, type and the rollups, re-applied by ``etl retag`` (the latest
correction of a response wins), and read by :mod:`etl.themes.learned` to learn each
organisation's own usage.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from etl.store.load import refresh_rollups, sql_statements

FEEDBACK_TYPES = ("praise", "complaint", "suggestion", "question")


class CorrectionError(ValueError):
    """The correction cannot be stored; fi and en messages for the page."""

    def __init__(self, fi: str, en: str):
        super().__init__(en)
        self.fi, self.en = fi, en


@dataclass(frozen=True)
class Correction:
    correction_id: int
    response_id: int
    corrected_by: str
    corrected_at: datetime
    type_before: str | None
    type_after: str | None
    themes_before: list[str]
    themes_after: list[str]


def apply_corrections(con: duckdb.DuckDBPyConnection, response_id: int | None = None) -> None:
    """Re-apply the latest corrections (all, or one response's) inside the caller's
    transaction and refresh the rollups of the months they touch."""
    for i, statement in enumerate(sql_statements("apply_corrections.sql")):
        if "$response_id" in statement:
            con.execute(statement, {"response_id": response_id}).fetchall()
        else:
            con.execute(statement).fetchall()
    refresh_rollups(con)


def current_tags(con: duckdb.DuckDBPyConnection, response_id: int) -> tuple[str | None, list[str]]:
    row = con.execute("SELECT feedback_type FROM responses WHERE response_id = ?", [response_id]).fetchone()
    if row is None:
        raise CorrectionError(f"Palautetta {response_id} ei löydy.", f"Response {response_id} not found.")
    themes = [t for (t,) in con.execute("SELECT DISTINCT theme FROM comment_tags WHERE response_id = ? "
                                        "ORDER BY theme", [response_id]).fetchall()]
    return row[0], themes


def record_correction(con: duckdb.DuckDBPyConnection, response_id: int, *, themes: list[str],
                      feedback_type: str | None, who: str, known_themes: list[str] | None = None) -> Correction:
    """Store one correction and apply it at once (one transaction)."""
    if feedback_type is not None and feedback_type not in FEEDBACK_TYPES:
        raise CorrectionError(f"Tuntematon palautteen tyyppi: {feedback_type}",
                              f"Unknown feedback type: {feedback_type}")
    if known_themes is not None:
        unknown = sorted(set(themes) - set(known_themes))
        if unknown:
            raise CorrectionError(f"Tuntematon teema: {', '.join(unknown)}", f"Unknown theme: {', '.join(unknown)}")
    if not who or not who.strip():
        raise CorrectionError("Korjaajan nimi puuttuu.", "The name of the person correcting is missing.")
    themes = sorted(dict.fromkeys(themes))
    con.execute("BEGIN TRANSACTION").fetchall()
    try:
        type_before, themes_before = current_tags(con, response_id)
        row = con.execute(
            "INSERT INTO tag_corrections (response_id, corrected_by, type_before, type_after, themes_before, "
            "themes_after) VALUES (?, ?, ?, ?, ?, ?) RETURNING correction_id, corrected_at",
            [response_id, who.strip(), type_before, feedback_type, themes_before, themes]).fetchone()
        apply_corrections(con, response_id)
        con.execute("COMMIT").fetchall()
    except BaseException:
        con.execute("ROLLBACK").fetchall()
        raise
    return Correction(int(row[0]), response_id, who.strip(), row[1], type_before, feedback_type, themes_before,
                      themes)


def corrections_history(con: duckdb.DuckDBPyConnection, response_id: int) -> pd.DataFrame:
    return con.execute("SELECT correction_id, corrected_by, corrected_at, type_before, type_after, themes_before, "
                       "themes_after FROM tag_corrections WHERE response_id = ? ORDER BY corrected_at DESC, "
                       "correction_id DESC", [response_id]).df()


def training_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The latest correction of every response, with its comment, language and
    organisation: what the learned model is fitted on."""
    return con.execute(
        "SELECT c.response_id, r.comment, r.language, coalesce(o.organisation_id, 0) AS organisation_id, "
        "c.type_after, c.themes_after, c.type_before, c.themes_before "
        "FROM tag_corrections c JOIN responses r USING (response_id) JOIN units u USING (unit_id) "
        "LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id "
        "LEFT JOIN organisations o ON o.organisation_id = sa.organisation_id "
        "WHERE r.comment IS NOT NULL "
        "QUALIFY row_number() OVER (PARTITION BY c.response_id ORDER BY c.corrected_at DESC, "
        "c.correction_id DESC) = 1 ORDER BY c.response_id").df()


_model_cache: dict[tuple, dict] = {}


def learned_models(con: duckdb.DuckDBPyConnection, tagger=None) -> dict[int, object]:
    """organisation_id -> LearnedModel fitted on that organisation's corrections (empty
    when scikit-learn is missing or there are too few). Cached on the corrections' count
    and newest id, so an import or retag refits only after new corrections."""
    from etl.themes import learned

    # corrections first: importing scikit-learn costs seconds, a warehouse without any
    # corrections (a first import, a small upload) must not pay it
    n, newest = con.execute("SELECT count(*), max(correction_id) FROM tag_corrections").fetchone()
    if not n or not learned.available():
        return {}
    if tagger is None:
        from etl.themes import Tagger
        tagger = Tagger.default()
    key = (tagger.taxonomy_version, int(n), int(newest))
    if key not in _model_cache:
        rows = training_rows(con)
        models = {}
        for org, group in rows.groupby("organisation_id"):
            model = learned.LearnedModel.fit(group["comment"].tolist(), [list(t) for t in group["themes_after"]],
                                             [t if isinstance(t, str) else None for t in group["type_after"]],
                                             tagger)
            if not model.empty:
                models[int(org)] = model
        _model_cache.clear()
        _model_cache[key] = models
    return _model_cache[key]


def model_for_import(con: duckdb.DuckDBPyConnection, tagger=None):
    """The learned model a new file gets: the organisation's, when the warehouse holds one
    organisation with a model (the usual case: one wellbeing area per warehouse)."""
    models = learned_models(con, tagger)
    return next(iter(models.values())) if len(models) == 1 else None
