"""Recompute theme tags and inferred feedback types for the whole warehouse.

Run when the taxonomy changes; original files are not needed because comments are stored
(already redacted). Types given by the source are never touched.
"""
from __future__ import annotations

import duckdb
import pandas as pd

from etl.normalise.annotate import tag_frame
from etl.store.load import refresh_rollups
from etl.themes import Tagger


def retag(con: duckdb.DuckDBPyConnection, tagger: Tagger | None = None, progress=None) -> dict:
    tagger = tagger or Tagger.default()
    frame = con.execute(
        "SELECT response_id, batch_id, comment, "
        "CASE WHEN type_source = 'source' THEN feedback_type END AS feedback_type, "
        "CASE WHEN type_source = 'source' THEN type_source END AS type_source, language "
        "FROM responses WHERE comment IS NOT NULL ORDER BY response_id").df()
    frame["feedback_type"] = frame["feedback_type"].astype("object")
    frame["type_source"] = frame["type_source"].astype("object")
    tagged, tags = tag_frame(frame, tagger, progress=progress)
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
