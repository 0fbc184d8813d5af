"""Redaction and theme tagging of a parsed frame, before anything reaches the warehouse.

Redaction runs first so neither the warehouse nor the tags ever hold an identity code,
phone number or e-mail address. Tagging fills the feedback type only where the source had
none (an explicit type always wins) and returns one tag row per theme found.
"""
from __future__ import annotations

import pandas as pd

from etl.normalise.redact import redact_series
from etl.themes import Tagger

TAG_COLUMNS = ["_idx", "theme", "polarity", "sentence", "triggers", "taxonomy_version"]


def redact_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    if "comment" not in frame or frame["comment"].isna().all():
        return frame, 0
    comments, total = redact_series(frame["comment"])
    frame = frame.copy()
    frame["comment"] = comments
    return frame, int(total)


def tag_frame(frame: pd.DataFrame, tagger: Tagger | None = None,
              progress=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (frame with inferred type/language filled, tags DataFrame keyed by _idx)."""
    tagger = tagger or Tagger.default()
    frame = frame.copy()
    frame["_idx"] = range(len(frame))
    has_comment = frame["comment"].notna() & (frame["comment"].astype("string").str.strip() != "")
    idx = frame.index[has_comment.fillna(False).astype(bool)]
    texts = frame.loc[idx, "comment"].tolist()
    # "Kiitos!" and its like recur thousands of times: tag each distinct text once
    distinct = list(dict.fromkeys(texts))
    tagged = []
    step = 20000
    for start in range(0, len(distinct), step):
        tagged.extend(tagger.tag_many(distinct[start:start + step]))
        if progress and distinct:
            progress(min(1.0, (start + step) / len(distinct)))
    version = tagger.taxonomy_version
    comments = frame.loc[idx, "comment"]
    if len(idx):
        # per distinct text, then spread to rows with vectorised maps/merges: a million-row
        # file must not loop in Python per row
        inferred = comments.map(dict(zip(distinct, (r.type for r in tagged)))).astype("object")
        missing = frame.loc[idx, "feedback_type"].isna() & inferred.notna()
        fill = missing[missing].index
        frame.loc[fill, "feedback_type"] = inferred[fill]
        frame.loc[fill, "type_source"] = "inferred"
        lang = comments.map(dict(zip(distinct, (r.language for r in tagged)))).astype("object")
        lang_missing = frame.loc[idx, "language"].isna() & lang.notna()
        lfill = lang_missing[lang_missing].index
        frame.loc[lfill, "language"] = lang[lfill]
    text_tags = pd.DataFrame(
        [(text, tag.theme, tag.polarity, tag.sentence, list(tag.triggers), version)
         for text, res in zip(distinct, tagged) for tag in res.themes],
        columns=["comment", *TAG_COLUMNS[1:]])
    if len(text_tags):
        rows_by_text = pd.DataFrame({"_idx": frame.loc[idx, "_idx"].to_numpy(),
                                     "comment": comments.to_numpy(dtype=object)})
        tags = rows_by_text.merge(text_tags, on="comment", how="inner")[TAG_COLUMNS]
    else:
        tags = pd.DataFrame(columns=TAG_COLUMNS)
    return frame.drop(columns=["_idx"]), tags
