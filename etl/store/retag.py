"""Recompute theme tags and inferred feedback types for the whole warehouse.

Run when the taxonomy changes; original files are not needed because comments are stored
(already redacted). Types given by the source are never touched. Each organisation's
learned model (from people's corrections) is combined with the lexicon, and then every
correction is applied again, so a person's decision outlives any retag.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from etl.normalise.annotate import apply_learned, tag_frame
from etl.store.corrections import apply_corrections, learned_models
from etl.store.load import refresh_rollups
from etl.themes import Tagger


def retag(con: duckdb.DuckDBPyConnection, tagger: Tagger | None = None, progress=None) -> dict:
    tagger = tagger or Tagger.default()
    frame = con.execute(
        "SELECT r.response_id, r.batch_id, r.comment, "
        "CASE WHEN r.type_source = 'source' THEN r.feedback_type END AS feedback_type, "
        "CASE WHEN r.type_source = 'source' THEN r.type_source END AS type_source, r.language, "
        "coalesce(sa.organisation_id, 0) AS organisation_id "
        "FROM responses r JOIN units u USING (unit_id) "
        "LEFT JOIN service_areas sa ON sa.service_area_id = u.service_area_id "
        "WHERE r.comment IS NOT NULL ORDER BY r.response_id").df()
    frame["feedback_type"] = frame["feedback_type"].astype("object")
    frame["type_source"] = frame["type_source"].astype("object")
    tagged, tags = tag_frame(frame.drop(columns=["organisation_id"]), tagger, progress=progress)
    orgs = frame["organisation_id"].to_numpy()
    for org, model in learned_models(con, tagger).items():
        rows = [i for i in range(len(frame)) if orgs[i] == org]
        tagged, tags = apply_learned(tagged, tags, model, rows)
    tags["response_id"] = frame["response_id"].to_numpy()[tags["_idx"].to_numpy()] if len(tags) else []
    tags["batch_id"] = frame["batch_id"].to_numpy()[tags["_idx"].to_numpy()] if len(tags) else []
    updates = pd.DataFrame({"response_id": frame["response_id"], "feedback_type": tagged["feedback_type"],
                            "type_source": tagged["type_source"]})
    con.execute("BEGIN TRANSACTION").fetchall()
    try:
        con.register("tags_in", tags)
        con.register("type_updates", updates)
        con.execute("DELETE FROM comment_tags").fetchall()
        con.execute("INSERT INTO comment_tags SELECT response_id, batch_id, theme, polarity, sentence, "
                    "triggers, taxonomy_version FROM tags_in").fetchall()
        con.execute("UPDATE responses SET feedback_type = u.feedback_type, type_source = u.type_source "
                    "FROM type_updates u WHERE responses.response_id = u.response_id "
                    "AND coalesce(responses.type_source, '') <> 'source'").fetchall()
        apply_corrections(con)
        con.execute("CREATE OR REPLACE TEMP TABLE affected AS SELECT DISTINCT unit_id, month FROM responses").fetchall()
        refresh_rollups(con)
        con.execute("COMMIT").fetchall()
    except BaseException:
        con.execute("ROLLBACK").fetchall()
        raise
    finally:
        for v in ("tags_in", "type_updates"):
            try:
                con.unregister(v)
            except Exception:
                pass
    return {"comments": len(frame), "tags": len(tags), "taxonomy_version": tagger.taxonomy_version}
