"""Redaction and theme tagging of a parsed frame, before anything reaches the warehouse.

Redaction runs first so neither the warehouse nor the tags ever hold an identity code,
phone number or e-mail address. Tagging fills the feedback type only where the source had
none (an explicit type always wins) and returns one tag row per theme found.
"""
from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter

import numpy as np
import pandas as pd
import pyarrow as pa

from etl.normalise.redact import redact_series
from etl.normalise.tag_pool import TagRows, compact, tag_texts
from etl.themes import Tagger, question_kind
from etl.themes.text import dominant_language

TAG_COLUMNS = ["_idx", "theme", "polarity", "sentence", "triggers", "taxonomy_version"]


def redact_frame(frame: pd.DataFrame, memo: dict | None = None) -> tuple[pd.DataFrame, int]:
    """``memo``: text -> its redaction, worked out already (etl.normalise.tag_ahead)."""
    if "comment" not in frame or frame["comment"].isna().all():
        return frame, 0
    comments, total = redact_series(frame["comment"], memo)
    frame = frame.copy(deep=False)   # copy-on-write: a changed column is copied, the rest shared
    frame["comment"] = comments
    return frame, int(total)


QUESTION_COLUMN = "comment_question"   # optional frame column: the question/header above the comment


@dataclass
class TagPlan:
    """What :func:`tag_frame` works out from the frame alone, before any tag: the rows with a
    comment (by position), each row's distinct (question, text), and per question its distinct
    texts, the question's kind and the prior language (the dominant one of those texts). The
    import makes it while the comments are still being tagged ahead, so only the tags' own
    work is left after the wait."""
    pos: np.ndarray
    codes: np.ndarray
    groups: list   # [(distinct text numbers, texts, question kind, prior language)], one per question
    n_texts: int


def plan_tags(frame: pd.DataFrame) -> TagPlan:
    """The :class:`TagPlan` of ``frame`` (it needs no tagger: it can be made while the tagger works)."""
    comment = frame["comment"]
    has_comment = _has_text(comment)
    pos = np.flatnonzero(has_comment)          # rows with a comment, by position
    # "Kiitos!" and its like recur thousands of times: tag each distinct (question, text) once
    if QUESTION_COLUMN in frame:
        q_all = frame[QUESTION_COLUMN].to_numpy(dtype=object)[pos]
        q_all[pd.isna(q_all)] = ""
    else:
        q_all = np.full(len(pos), "", dtype=object)
    # row -> its distinct (question, text), numbered in order of first appearance
    if len(set(q_all)) <= 1:
        codes, c_first = _factorize(comment, pos)       # distinct texts in order of first appearance
        first = np.zeros(len(c_first), dtype=np.int64)  # only q_first needs it: one question
    else:
        c_all = comment.to_numpy(dtype=object)[pos]
        codes = pd.DataFrame({"q": q_all, "comment": c_all}).groupby(["q", "comment"], sort=False).ngroup().to_numpy()
        _, first = np.unique(codes, return_index=True)
        c_first = c_all[first]
    q_first = q_all[first]
    groups = []
    for q in dict.fromkeys(q_first.tolist()):       # question by question, as they first appear
        group = np.flatnonzero(q_first == q)
        texts = c_first[group].tolist()
        groups.append((group, texts, question_kind(q or None), dominant_language(texts)))
    return TagPlan(pos, codes, groups, len(first))


def _factorize(comment: pd.Series, pos: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize`` of the comments at ``pos``: (each one's number, the distinct texts in
    order of first appearance). An Arrow text column is numbered in Arrow (its dictionary is
    in order of first appearance too), without a Python string for every row."""
    if str(comment.dtype) in ("str", "string") and hasattr(comment.array, "__arrow_array__") and len(pos):
        chosen = pa.chunked_array(pa.array(comment.array)).take(pa.array(pos)).combine_chunks()
        encoded = chosen.dictionary_encode()
        return (encoded.indices.to_numpy(zero_copy_only=False).astype(np.intp),
                encoded.dictionary.to_numpy(zero_copy_only=False))
    return pd.factorize(comment.to_numpy(dtype=object)[pos])


def tag_frame(frame: pd.DataFrame, tagger: Tagger | None = None,
              progress=None, ahead=None, plan: TagPlan | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (frame with inferred type/language filled, tags DataFrame keyed by _idx).

    The optional ``comment_question`` column (the column header or question text the
    comment answered, e.g. "Mitä voisimme parantaa?") is context for the feedback type;
    comments are tagged per question so each column also gets its own language prior.
    ``ahead``: an :class:`etl.normalise.tag_ahead.TagAhead` that tagged the comments while
    the file was parsed; a text's tags are taken from it only when it tagged the same text
    under the same question and prior. ``plan``: :func:`plan_tags` of this very frame, when
    made already.
    """
    tagger = tagger or Tagger.default()
    plan = plan if plan is not None else plan_tags(frame)
    frame = frame.copy(deep=False)   # copy-on-write (pandas 3): only the filled columns are copied
    pos, codes = plan.pos, plan.codes
    idx = frame.index[pos]
    types: list = []
    langs: list = []
    rows: list = []
    done = 0
    order: list[int] = []
    for group, texts, kind, prior in plan.groups:
        t, lg, r = tag_distinct(tagger, texts, kind, prior=prior,
                                progress=_sub_progress(progress, done, len(group), plan.n_texts), ahead=ahead)
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
    if len(idx) and {"feedback_type", "type_source", "language"} <= set(frame.columns):
        # per distinct text, then spread to rows by position: a million-row file must not
        # loop in Python per row
        inferred = np.asarray(types, dtype=object)[row_text]
        at = pos[frame["feedback_type"].isna().to_numpy()[pos] & pd.notna(inferred)]
        frame.iloc[at, frame.columns.get_loc("feedback_type")] = inferred[np.searchsorted(pos, at)]
        frame.iloc[at, frame.columns.get_loc("type_source")] = "inferred"
        lang = np.asarray(langs, dtype=object)[row_text]
        at = pos[frame["language"].isna().to_numpy()[pos] & pd.notna(lang)]
        frame.iloc[at, frame.columns.get_loc("language")] = lang[np.searchsorted(pos, at)]
    elif len(idx):
        inferred = pd.Series(np.asarray(types, dtype=object)[row_text], index=idx, dtype="object")
        missing = frame.loc[idx, "feedback_type"].isna() & inferred.notna()
        fill = missing[missing].index
        frame.loc[fill, "feedback_type"] = inferred[fill]
        frame.loc[fill, "type_source"] = "inferred"
        lang = pd.Series(np.asarray(langs, dtype=object)[row_text], index=idx, dtype="object")
        lang_missing = frame.loc[idx, "language"].isna() & lang.notna()
        lfill = lang_missing[lang_missing].index
        frame.loc[lfill, "language"] = lang[lfill]
    tags = _tag_rows(rows, row_text, len(order), pos, version)
    # the question has done its job; the warehouse stores types, not headers
    return frame.drop(columns=["_idx", QUESTION_COLUMN], errors="ignore"), tags


def _has_text(comment: pd.Series) -> np.ndarray:
    """Per row: a comment with something besides white space in it. An Arrow text column is
    classified in Arrow (as ``str.strip() != ""`` there: the same Unicode white space)."""
    if str(comment.dtype) in ("str", "string") and hasattr(comment.array, "__arrow_array__"):
        import pyarrow as pa
        import pyarrow.compute as pc
        arr = pa.array(comment.array)
        blank = pc.or_(pc.equal(pc.utf8_length(arr), 0), pc.utf8_is_space(arr))
        return pc.fill_null(pc.invert(blank), False).to_numpy(zero_copy_only=False).astype(bool)
    text = comment.astype("string")
    return (comment.notna() & (text.str.strip() != "")).fillna(False).astype(bool).to_numpy()


def _tag_rows(rows: list, row_text: np.ndarray, n_texts: int, pos: np.ndarray, version: str) -> pd.DataFrame:
    """The tags DataFrame (TAG_COLUMNS): every row's text's tags, rows in order and each
    text's tags in their order. ``rows``: tag rows per distinct text (its place first);
    ``row_text``: each commented row's text; ``pos``: those rows' positions in the frame.
    Its text columns are pandas' ``str``, built from Arrow arrays (left to the DataFrame, each
    column's cells were inferred and converted one by one)."""
    if not rows:
        return pd.DataFrame(columns=TAG_COLUMNS)
    of_text, themes, polarities, sentences, triggers = (list(map(itemgetter(k), rows)) for k in range(5))
    n = len(rows)
    of_text = np.fromiter(of_text, dtype=np.int64, count=n)
    count = np.bincount(of_text, minlength=n_texts)
    per_row = count[row_text]
    if len(row_text) == n_texts and (row_text == np.arange(n_texts)).all() and (np.diff(of_text) >= 0).all():
        taken = None        # each text on one row, in order: the tags are in row order already
    else:
        by_text = np.argsort(of_text, kind="stable")
        start = np.cumsum(count) - count
        ends = np.cumsum(per_row)
        within = np.arange(ends[-1] if len(ends) else 0) - np.repeat(ends - per_row, per_row)
        taken = by_text[np.repeat(start[row_text], per_row) + within]

    def column(values, dtype=object):
        out = np.fromiter(values, dtype=dtype, count=n)
        return out if taken is None else out[taken]

    def text(values) -> pd.Series:
        return _str_series(pa.array(column(values), pa.large_string(), from_pandas=True))

    of_row = np.repeat(pos.astype(np.int64), per_row)
    return pd.DataFrame({"_idx": of_row, "theme": text(themes), "polarity": text(polarities),
                         "sentence": column(sentences, np.int64),
                         "triggers": pd.Series(column(triggers), dtype=object),
                         "taxonomy_version": _str_series(pa.repeat(pa.scalar(version, pa.large_string()), len(of_row)))})


def _str_series(arr) -> pd.Series:
    """The column pandas infers for a large_string array's values: ``str`` (Arrow-backed, NaN
    for a missing value), or ``object`` of None when no value is there."""
    if arr.null_count == len(arr):
        return pd.Series(np.full(len(arr), None, dtype=object), dtype=object)
    dtype = pd.StringDtype("pyarrow", na_value=np.nan)
    return pd.Series(dtype.__from_arrow__(arr), dtype=dtype)


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
    frame = frame.copy(deep=False)
    frame[QUESTION_COLUMN] = found.astype("object")
    return frame


def _sub_progress(progress, done: int, size: int, total: int):
    if progress is None or not total:
        return None
    return lambda frac: progress(min(1.0, (done + frac * size) / total))


_compact = compact


_WORK_IT_OUT = object()


def tag_distinct(tagger: Tagger, texts: list, question: str | None = None, progress=None,
                 parallel_from: int | None = None, ahead=None, prior=_WORK_IT_OUT) -> TagRows:
    """Tag one column's distinct comments: (types, languages, tag rows (i, theme, polarity,
    sentence, triggers)). The column's dominant language is the prior of all of them; a
    large column is tagged on both cores (etl.normalise.tag_pool). ``ahead``: see
    :func:`tag_frame`; ``prior``: the column's dominant language, when worked out already."""
    if prior is _WORK_IT_OUT:
        prior = dominant_language(texts)
    found, where = (ahead.tags_for(tagger.taxonomy_version, question, prior, texts) if ahead is not None
                    else (None, None))
    if found is not None:
        if progress:
            progress(1.0)
        return found
    if where is None:
        return tag_texts(tagger, texts, question, prior, progress=progress, parallel_from=parallel_from)
    # some texts were tagged ahead (rows the worker later rejected change the list): the rest now
    missing = [i for i, text in enumerate(texts) if text not in where]
    new_t, new_l, new_r = tag_texts(tagger, [texts[i] for i in missing], question, prior,
                                    progress=progress, parallel_from=parallel_from)
    fresh = {i: (new_t[k], new_l[k], []) for k, i in enumerate(missing)}
    for k, *rest in new_r:
        fresh[missing[k]][2].append(tuple(rest))
    types, langs, rows = [], [], []
    for i, text in enumerate(texts):
        ctype, lang, tags = fresh[i] if i in fresh else ahead.result_of(where[text])
        types.append(ctype)
        langs.append(lang)
        rows.extend((i, *tag) for tag in tags)
    return types, langs, rows


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
