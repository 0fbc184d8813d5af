"""Redaction and theme tagging of a parsed frame, before anything reaches the warehouse.

Redaction runs first so neither the warehouse nor the tags ever hold an identity code,
phone number or e-mail address. Tagging fills the feedback type only where the source had
none (an explicit type always wins) and returns one tag row per theme found.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from etl.normalise.redact import redact_series
from etl.themes import Tagger, question_kind
from etl.themes.text import dominant_language

TAG_COLUMNS = ["_idx", "theme", "polarity", "sentence", "triggers", "taxonomy_version"]


def redact_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    if "comment" not in frame or frame["comment"].isna().all():
        return frame, 0
    comments, total = redact_series(frame["comment"])
    frame = frame.copy()
    frame["comment"] = comments
    return frame, int(total)


PARALLEL_FROM = 20_000      # distinct comments: below this a second process costs more than it saves
QUESTION_COLUMN = "comment_question"   # optional frame column: the question/header above the comment


def tag_frame(frame: pd.DataFrame, tagger: Tagger | None = None,
              progress=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (frame with inferred type/language filled, tags DataFrame keyed by _idx).

    The optional ``comment_question`` column (the column header or question text the
    comment answered, e.g. "Mitä voisimme parantaa?") is context for the feedback type;
    comments are tagged per question so each column also gets its own language prior.
    """
    tagger = tagger or Tagger.default()
    frame = frame.copy()
    frame["_idx"] = range(len(frame))
    has_comment = frame["comment"].notna() & (frame["comment"].astype("string").str.strip() != "")
    idx = frame.index[has_comment.fillna(False).astype(bool)]
    comments = frame.loc[idx, "comment"]
    questions = (frame.loc[idx, QUESTION_COLUMN].astype("object").where(lambda s: s.notna(), None)
                 if QUESTION_COLUMN in frame else pd.Series([None] * len(idx), index=idx, dtype="object"))
    # "Kiitos!" and its like recur thousands of times: tag each distinct (question, text) once
    q_all = questions.fillna("").to_numpy(dtype=object)
    c_all = comments.to_numpy(dtype=object)
    # row -> its distinct (question, text), numbered in order of first appearance
    if len(set(q_all)) <= 1:
        codes = pd.factorize(c_all)[0]
    else:
        codes = pd.DataFrame({"q": q_all, "comment": c_all}).groupby(["q", "comment"], sort=False).ngroup().to_numpy()
    _, first = np.unique(codes, return_index=True)
    q_first, c_first = q_all[first], c_all[first]
    types: list = []
    langs: list = []
    rows: list = []
    done = 0
    order: list[int] = []
    for q in dict.fromkeys(q_first.tolist()):       # question by question, as they first appear
        group = np.flatnonzero(q_first == q)
        kind = question_kind(q or None)
        t, lg, r = tag_distinct(tagger, c_first[group].tolist(), kind,
                                progress=_sub_progress(progress, done, len(group), len(first)))
        offset = len(types)
        types.extend(t)
        langs.extend(lg)
        rows.extend(r if not offset else [(offset + i, *rest) for i, *rest in r])
        order.extend(group.tolist())
        done += len(group)
    # distinct text -> its place in the tagging order (question by question)
    place = np.empty(len(order), dtype=np.int64)
    place[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
    row_text = place[codes]
    version = tagger.taxonomy_version
    if len(idx):
        # per distinct text, then spread to rows by position: a million-row file must not
        # loop in Python per row
        inferred = pd.Series(np.asarray(types, dtype=object)[row_text], index=idx, dtype="object")
        missing = frame.loc[idx, "feedback_type"].isna() & inferred.notna()
        fill = missing[missing].index
        frame.loc[fill, "feedback_type"] = inferred[fill]
        frame.loc[fill, "type_source"] = "inferred"
        lang = pd.Series(np.asarray(langs, dtype=object)[row_text], index=idx, dtype="object")
        lang_missing = frame.loc[idx, "language"].isna() & lang.notna()
        lfill = lang_missing[lang_missing].index
        frame.loc[lfill, "language"] = lang[lfill]
    text_tags = pd.DataFrame(rows, columns=["_text", *TAG_COLUMNS[1:-1]])
    if len(text_tags):
        text_tags["taxonomy_version"] = version
        # every row's text's tags, rows in order and each text's tags in their order
        of_text = text_tags["_text"].to_numpy()
        by_text = np.argsort(of_text, kind="stable")
        count = np.bincount(of_text, minlength=len(order))
        start = np.cumsum(count) - count
        per_row = count[row_text]
        ends = np.cumsum(per_row)
        within = np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - per_row, per_row)
        taken = by_text[np.repeat(start[row_text], per_row) + within]
        tags = text_tags.take(taken).reset_index(drop=True)
        tags.insert(0, "_idx", np.repeat(frame.loc[idx, "_idx"].to_numpy(), per_row))
        tags = tags[TAG_COLUMNS]
    else:
        tags = pd.DataFrame(columns=TAG_COLUMNS)
    # the question has done its job; the warehouse stores types, not headers
    return frame.drop(columns=["_idx", QUESTION_COLUMN], errors="ignore"), tags


def add_comment_questions(frame: pd.DataFrame, sheets) -> pd.DataFrame:
    """Fill ``comment_question`` from what detection decided: the source header mapped to
    the comment field of each sheet ("Mitä voisimme parantaa?"). Rows that already carry a
    question (a reader set it) keep theirs."""
    headers = {r.name: h for r in sheets or [] for h, field_ in (r.columns or {}).items() if field_ == "comment"}
    if not headers or "comment" not in frame or "source_sheet" not in frame:
        return frame
    found = frame["source_sheet"].map(headers)
    if QUESTION_COLUMN in frame:
        found = frame[QUESTION_COLUMN].where(frame[QUESTION_COLUMN].notna(), found)
    frame = frame.copy()
    frame[QUESTION_COLUMN] = found.astype("object")
    return frame


def _sub_progress(progress, done: int, size: int, total: int):
    if progress is None or not total:
        return None
    return lambda frac: progress(min(1.0, (done + frac * size) / total))


def _compact(results, first: int = 0) -> tuple[list, list, list]:
    """(types, languages, tag rows) of tagged comments; tag rows are numbered from ``first``."""
    types = [r.type for r in results]
    langs = [r.language for r in results]
    rows = [(i, t.theme, t.polarity, t.sentence, list(t.triggers))
            for i, r in enumerate(results, first) for t in r.themes]
    return types, langs, rows


_worker_tagger: Tagger | None = None


def _worker(texts: list, question: str | None, prior: str | None, first: int = 0):
    return _compact(_worker_tagger.tag_many(texts, question=question, prior=prior), first)


def tag_distinct(tagger: Tagger, texts: list, question: str | None = None, progress=None,
                 parallel_from: int = PARALLEL_FROM) -> tuple[list, list, list]:
    """Tag one column's distinct comments: (types, languages, tag rows (i, theme, polarity,
    sentence, triggers)). A large column is split with a forked second process, which
    inherits the loaded word tables, so a big import uses both cores."""
    prior = dominant_language(texts)
    step = 20_000
    if len(texts) >= parallel_from and (os.cpu_count() or 1) > 1 and "fork" in mp.get_all_start_methods():
        global _worker_tagger
        _worker_tagger = tagger
        half = len(texts) // 2
        with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork")) as pool:
            future = pool.submit(_worker, texts[half:], question, prior, half)
            first = []
            for start in range(0, half, step):
                first.extend(tagger.tag_many(texts[start:min(start + step, half)], question=question, prior=prior))
                if progress:
                    progress(0.5 * min(1.0, (start + step) / max(half, 1)))
            t1, l1, r1 = _compact(first)
            t2, l2, r2 = future.result()
        if progress:
            progress(1.0)
        return t1 + t2, l1 + l2, r1 + r2
    results = []
    for start in range(0, len(texts), step):
        results.extend(tagger.tag_many(texts[start:start + step], question=question, prior=prior))
        if progress and texts:
            progress(min(1.0, (start + step) / len(texts)))
    return _compact(results)


def apply_learned(frame: pd.DataFrame, tags: pd.DataFrame, model, rows=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Combine the lexicon's tags with a learned model (etl.themes.learned) for the rows
    ``rows`` (positions; default all rows with a comment). Added themes get polarity from
    the type and taxonomy_version "learned"; inferred types may change, source types never."""
    from etl.themes.learned import LEARNED_VERSION

    if model is None or model.empty:
        return frame, tags
    comments = frame["comment"]
    if rows is None:
        rows = [i for i, c in enumerate(comments.tolist()) if isinstance(c, str) and c.strip()]
    if not len(rows):
        return frame, tags
    by_row: dict[int, list[str]] = {}
    for i, theme in zip(tags["_idx"].tolist(), tags["theme"].tolist()):
        by_row.setdefault(int(i), []).append(theme)
    types = frame["feedback_type"].tolist()
    lexicon = [(types[i], list(dict.fromkeys(by_row.get(i, [])))) for i in rows]
    combined = model.combine([str(comments.iloc[i]) for i in rows], lexicon)
    frame = frame.copy()
    sources = frame["type_source"].tolist() if "type_source" in frame else [None] * len(frame)
    new_types = list(types)
    added_rows, dropped = [], set()
    for i, (ctype, _themes, added, removed) in zip(rows, combined):
        if sources[i] != "source" and ctype is not None and ctype != types[i]:
            new_types[i] = ctype
            sources[i] = "inferred"
        polarity = {"praise": "positive", "complaint": "negative"}.get(new_types[i] or "", "neutral")
        added_rows.extend((i, th, polarity, None, [], LEARNED_VERSION) for th in added)
        dropped.update((i, th) for th in removed)
    frame["feedback_type"] = pd.Series(new_types, index=frame.index, dtype="object")
    frame["type_source"] = pd.Series(sources, index=frame.index, dtype="object")
    if dropped:
        keep = [(int(i), th) not in dropped for i, th in zip(tags["_idx"].tolist(), tags["theme"].tolist())]
        tags = tags[keep]
    if added_rows:
        tags = pd.concat([tags, pd.DataFrame(added_rows, columns=TAG_COLUMNS)], ignore_index=True)
    return frame, tags
