"""Tagging on both cores while the file is still parsed (issue 13, item 6: the import side).

A template file's comment column comes ahead from the parse worker and is redacted and
tagged in the importing process (and a forked helper) while the worker normalises the rest.
Whatever path the tags take - ahead, after, on one core or two, cut into any chunks - the
warehouse must hold exactly what the plain one-core path gives; a tagging process that dies
is a clear message and nothing of the file is loaded; a kill -9 while tagging leaves the
warehouse as it was.
"""
from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from etl import pipeline, sandbox
from etl.normalise import tag_ahead, tag_pool
from etl.normalise.annotate import redact_frame, tag_frame
from etl.normalise.redact import redact_cell, redact_series
from etl.normalise.tag_ahead import TagAhead
from etl.themes import Tagger

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

HEADERS = ["Päivämäärä", "Yksikkö", "Kanava", "Arvio", "Tyyppi", "Palaute", "Vastaus toivottu", "Kieli"]
_SHORT = ["Kiitos!", "Ei mitään.", "-", "Hyvä", "N/A", "Nothing.", "Inget.", "kiitos", "Tack!"]


def _comments(n: int, seed: int) -> list[str]:
    from distinct_comments import distinct_comments
    return distinct_comments(n, seed=seed)


def _workbook(path: Path, n: int, seed: int = 1) -> Path:
    """A nurse's template workbook: distinct comments with the things real columns hold, each
    drawn on its own - padding, blank cells and white space, one-word answers that recur,
    a phone number left for a reply, a formula error, a pasted document, rows without a date
    or unit (rejected, some among the first rows), a language column now and then."""
    from openpyxl import Workbook
    rnd = random.Random(seed)
    texts = _comments(n, seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Palautteet")
    ws.append(HEADERS)
    for i in range(n):
        c = texts[i]
        if rnd.random() < 0.06:
            c = "  " + c + "   "
        if rnd.random() < 0.05:                       # pasted from Word or a web form
            c = rnd.choice(["\u00a0", "\u3000", "\u2009 "]) + c + rnd.choice(["\u00a0", " \u00a0", "\u202f"])
        if rnd.random() < 0.03:
            c = c + f" Soittakaa 040 123 45{i % 100:02d}"
        if rnd.random() < 0.01:
            c = (c + " ") * 300
        roll = rnd.random()
        if roll < 0.02:
            c = "\t"
        elif roll < 0.03:
            c = "#N/A"
        elif roll < 0.1:
            c = rnd.choice(_SHORT)
        elif roll < 0.2:
            c = None
        day = date(2025, 1, 1) + timedelta(days=i % 300)
        if (i < 300 and rnd.random() < 0.1) or rnd.random() < 0.01:
            day = None
        unit = None if rnd.random() < 0.005 else f"Osasto {1 + i % 6}"
        ws.append([day, unit, "paperi", 1 + rnd.randrange(5), rnd.choice([None, None, "kiitos", "moite"]), c,
                   "kyllä" if rnd.random() < 0.1 else None, rnd.choice([None, None, None, "fi", "sv"])])
    wb.save(path)
    return path


def _contents(db: Path) -> dict[str, list]:
    """Every table a file's import writes, as sorted rows (time columns left out)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in ("responses", "comment_tags", "rejected_rows", "duplicate_rows", "reply_cases",
                      "reply_contacts", "monthly_rollup", "theme_rollup", "units", "unit_aliases"):
            cols = [c for c, ty in con.execute(
                "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position", [table]).fetchall()
                    if not ty.startswith("TIMESTAMP") and c not in ("created_at", "due_on")]
            rows = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in cols)} FROM "{table}"').fetchall()
            out[table] = sorted(map(repr, rows))
        out["batch"] = con.execute("SELECT rows_read, rows_loaded, rows_rejected, redactions FROM import_batches").fetchall()
        return out
    finally:
        con.close()


class _Recording(TagAhead):
    made: list[TagAhead] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _Recording.made.append(self)


@pytest.fixture
def recorded(monkeypatch):
    _Recording.made = []
    monkeypatch.setattr(pipeline, "TagAhead", _Recording)
    return _Recording.made


def test_worker_sends_the_comment_column_ahead_as_the_frame_will_hold_it(tmp_path):
    path = _workbook(tmp_path / "palautteet.xlsx", 400, seed=3)
    sent = []
    parsed = sandbox.parse_file_isolated(path, on_comments=sent.append)
    assert len(sent) == 1 and sent[0]["question"] == "Palaute"
    texts = sent[0]["texts"].to_pylist()
    assert len(texts) == 400                              # one per row, rejected rows too
    frame = parsed.frame
    ahead = [texts[r - 2] for r in frame["source_row"]]
    same = [a == c for a, c in zip(ahead, frame["comment"].tolist()) if isinstance(c, str)]
    assert len(same) > 250 and all(same)                  # trimmed and cut as the frame's
    assert not any(t is not None and (t.startswith(" ") or t.endswith(" ")) for t in texts)
    assert max(len(t) for t in texts if t) <= 10_000


def test_tags_do_not_depend_on_how_the_column_is_cut(monkeypatch):
    tagger = Tagger.default()
    # a bilingual column (no language has 60 %) and a Finnish one
    mixed = [t for pair in zip(_comments(600, 11), ["Staff were kind and the ward was clean.", "Kiitos!",
                                                      "Personalen var vänlig.", "Long wait in A&E."] * 150)
             for t in pair]
    monkeypatch.setattr(tag_pool, "CHUNK", 70)
    for texts in (list(dict.fromkeys(mixed)), _comments(900, 12)):
        for prior in (None, "fi"):
            one_by_one = tag_pool.compact([tagger.tag(t, None, "improve", prior) for t in texts])
            assert tag_pool.tag_texts(tagger, texts, "improve", prior) == one_by_one
            assert tag_pool.tag_texts(tagger, texts, "improve", prior, parallel_from=0) == one_by_one


def test_a_held_caller_leaves_the_chunks_to_the_forked_helper(monkeypatch):
    tagger = Tagger.default()
    texts = _comments(500, 13)
    monkeypatch.setattr(tag_pool, "CHUNK", 50)
    expected = tag_pool.tag_texts(tagger, texts, None, "fi")
    local = threading.Event()          # cleared: the calling thread must not tag
    out = {}
    worker = threading.Thread(target=lambda: out.update(
        r=tag_pool.tag_texts(tagger, texts, None, "fi", parallel_from=0, local=local)))
    worker.start()
    worker.join(60)
    assert not worker.is_alive() and out["r"] == expected
    # alone until the parse is done, then with the helper
    parse_done = threading.Event()
    threading.Timer(0.3, parse_done.set).start()
    assert tag_pool.tag_texts(tagger, texts * 1, None, "fi", parallel_from=0, helper_from=parse_done) == expected


def test_redaction_worked_out_ahead_is_the_same_redaction():
    values = ["Soita 040 123 4567 kiitos", "Hyvä hoito", None, "hetu 131052-308T ja maili a.b@c.fi", "  ", "0401234567"]
    series = pd.Series(values * 3, dtype="str")
    memo = {v: redact_cell(v) for v in values[:2]}      # part of the texts known: the rest worked out now
    plain, n_plain = redact_series(series)
    with_memo, n_memo = redact_series(series, memo)
    assert n_plain == n_memo == 3 * 4
    pd.testing.assert_series_equal(plain, with_memo)
    assert "[PUHELIN]" in plain.iloc[0] and plain.iloc[1] == "Hyvä hoito"


def _frame(texts, question="Palaute"):
    return pd.DataFrame({"comment": pd.Series(texts, dtype="str"), "feedback_type": None, "type_source": None,
                         "language": None, "comment_question": question})


def _reference(frame: pd.DataFrame, tagger) -> tuple[list, list, list]:
    """What tag_frame must give, the slow obvious way: each commented row tagged on its own
    under its question and its question group's prior, in row order."""
    from etl.themes import question_kind
    from etl.themes.text import dominant_language
    comments = frame["comment"].tolist()
    questions = frame["comment_question"].tolist() if "comment_question" in frame else [None] * len(frame)
    has = [isinstance(c, str) and c.strip() != "" for c in comments]
    groups: dict = {}
    for c, q, h in zip(comments, questions, has):
        if h:
            groups.setdefault(q if isinstance(q, str) else "", {}).setdefault(c, None)
    priors = {q: dominant_language(list(texts)) for q, texts in groups.items()}
    types, langs, tags = list(frame["feedback_type"]), list(frame["language"]), []
    for pos, (c, q, h) in enumerate(zip(comments, questions, has)):
        if not h:
            continue
        q = q if isinstance(q, str) else ""
        r = tagger.tag(c, None, question_kind(q or None), priors[q])
        if pd.isna(types[pos]) and r.type is not None:
            types[pos] = r.type
        if pd.isna(langs[pos]) and r.language is not None:
            langs[pos] = r.language
        tags += [(pos, t.theme, t.polarity, t.sentence, list(t.triggers)) for t in r.themes]
    return types, langs, tags


def test_tag_frame_gives_each_row_its_own_tags_in_row_order(monkeypatch):
    tagger = Tagger.default()
    texts = _comments(900, 15)
    rnd = random.Random(2)
    rows = [rnd.choice(texts[:600] + _SHORT + ["   ", None]) for _ in range(1500)] + texts[600:]
    questions = [rnd.choice(["Mitä voisimme parantaa?", "Mikä oli hyvää?", None, "Vad kan vi göra bättre?"])
                 for _ in rows]
    given = [rnd.choice([None, None, "praise", "complaint"]) for _ in rows]
    frame = pd.DataFrame({"comment": pd.Series(rows, dtype="str"),
                          "feedback_type": pd.Series(given, dtype="str"),
                          "type_source": pd.Series(["source" if g else None for g in given], dtype="str"),
                          "language": pd.Series([rnd.choice([None, None, "sv"]) for _ in rows], dtype="object"),
                          "comment_question": questions})
    monkeypatch.setattr(tag_pool, "CHUNK", 64)
    for variant in (frame, frame.drop(columns=["comment_question"]), frame.set_axis([7] * len(frame))):
        types, langs, expected = _reference(variant, tagger)
        for parallel in (10**9, 0):
            monkeypatch.setattr(tag_pool, "PARALLEL_FROM", parallel)
            out, tags = tag_frame(variant, tagger)
            assert out["feedback_type"].tolist() == types
            assert out["language"].tolist() == langs
            assert [tuple(r[:5]) for r in tags.itertuples(index=False)] == [tuple(t) for t in expected]
            assert set(tags["taxonomy_version"]) <= {tagger.taxonomy_version}


def test_tag_frame_takes_from_ahead_only_what_was_tagged_the_same_way():
    tagger = Tagger.default()
    texts = _comments(3000, 14)
    frame, _ = redact_frame(_frame(texts[:2500] + ["Kiitos!"] * 20))   # as the import does, first
    plain = tag_frame(frame, tagger)
    cases = [(texts[:2500] + ["Kiitos!"] * 20, "Palaute", "all"),       # the very texts
             (texts[100:3000], "Palaute", "some"),                       # rows rejected, others added
             (texts[:2500], "Mitä voisimme parantaa?", None)]            # another question: not used
    for sent, question, served in cases:
        ahead = TagAhead(lambda: tagger, min_comments=1)
        ahead.offer({"question": question, "texts": pa.array(sent)})
        ahead.wait()
        assert ahead.error is None
        got = tag_frame(frame, tagger, ahead=ahead)
        assert ahead.served == served
        pd.testing.assert_frame_equal(got[0], plain[0])
        pd.testing.assert_frame_equal(got[1], plain[1])


def test_import_tagged_ahead_on_two_cores_loads_what_one_core_loads(tmp_path, monkeypatch, recorded):
    path = _workbook(tmp_path / "iso.xlsx", 3000)
    monkeypatch.setattr(tag_pool, "PARALLEL_FROM", 10**9)
    monkeypatch.setattr(tag_ahead, "AHEAD_FROM", 10**9)
    plain = pipeline.import_file(path, db_path=tmp_path / "plain.duckdb")
    assert plain.status == "loaded", plain.error_en
    assert not recorded[-1].started
    monkeypatch.setattr(tag_pool, "PARALLEL_FROM", 300)   # this small file on both cores
    monkeypatch.setattr(tag_pool, "CHUNK", 90)
    monkeypatch.setattr(tag_ahead, "AHEAD_FROM", 1000)
    both = pipeline.import_file(path, db_path=tmp_path / "both.duckdb")
    assert both.status == "loaded", both.error_en
    assert recorded[-1].started and recorded[-1].served == "some"   # early rows were rejected
    assert (both.rows_loaded, both.rows_rejected, both.redactions) == (plain.rows_loaded, plain.rows_rejected,
                                                                       plain.redactions)
    assert plain.rows_rejected > 20 and plain.redactions > 20
    assert _contents(tmp_path / "both.duckdb") == _contents(tmp_path / "plain.duckdb")


def test_tagging_ahead_that_fails_costs_time_not_tags(tmp_path, monkeypatch, recorded):
    path = _workbook(tmp_path / "kaatuu.xlsx", 2500, seed=4)
    plain = pipeline.import_file(path, db_path=tmp_path / "plain.duckdb")

    def broken():
        raise RuntimeError("word tables unreadable")

    monkeypatch.setattr(pipeline, "_loaded_tagger", broken)
    again = pipeline.import_file(path, db_path=tmp_path / "again.duckdb")
    assert again.status == "loaded", again.error_en
    assert isinstance(recorded[-1].error, RuntimeError)
    assert _contents(tmp_path / "again.duckdb") == _contents(tmp_path / "plain.duckdb")


def test_a_tagging_process_that_dies_is_a_clear_message_and_nothing_is_loaded(tmp_path, monkeypatch):
    path = _workbook(tmp_path / "kuolee.xlsx", 2500, seed=5)
    db = tmp_path / "w.duckdb"
    monkeypatch.setattr(tag_pool, "PARALLEL_FROM", 200)
    monkeypatch.setattr(tag_ahead, "AHEAD_FROM", 10**9)  # tagged after the parse, with a helper at once
    monkeypatch.setenv("KOKEMUS_FAULT", "tag_child")     # the forked helper is killed (SIGKILL)
    result = pipeline.import_file(path, db_path=db)
    assert result.status == "failed"
    assert result.error_details["code"] == "tagging_failed"
    assert "kuolee.xlsx" in result.error_fi and "Mitään ei tuotu" in result.error_fi
    assert "kuolee.xlsx" in result.error_en and "Nothing was imported" in result.error_en
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM import_batches").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM responses").fetchall() == [(0,)]
    finally:
        con.close()
    monkeypatch.delenv("KOKEMUS_FAULT")
    assert pipeline.import_file(path, db_path=db).status == "loaded"   # and the next try loads


def test_import_killed_while_tagging_ahead_leaves_the_warehouse_as_it_was(tmp_path):
    path = _workbook(tmp_path / "tappo.xlsx", 2600, seed=6)
    db = tmp_path / "w.duckdb"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KOKEMUS_")}
    env.update({"KOKEMUS_LANG": "en", "KOKEMUS_FAULT": "tagging_ahead"})
    cli = [sys.executable, "-m", "etl", "import", str(path), "--db", str(db)]
    killed = subprocess.run(cli, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -9
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM import_batches").fetchall() == [(0,)]
    finally:
        con.close()
    del env["KOKEMUS_FAULT"]
    done = subprocess.run(cli, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
