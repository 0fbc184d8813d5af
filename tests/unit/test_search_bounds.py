"""A Comments search is bounded in words, length and time (issue 14, item 5): a pasted
paragraph or a shared link carrying one returns at once with a reason, and a slow query is
stopped by DuckDB without spoiling the connection."""
from __future__ import annotations

import time
from datetime import date

import pytest

from etl import pipeline
from kokemus import comment_queries as cq, db, search_bounds
from kokemus.filters import Filters
from tests.conftest import write_template_csv

WORDS = ("hoitaja odotus puhelin jono lääkäri ystävällinen kipu yö aamu ruoka siisti kiire "
         "vastaanotto ajanvaraus pysäköinti").split()


def sentence(n: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] + ("" if i < len(WORDS) else str(i)) for i in range(n))


@pytest.fixture
def comments_db(tmp_path):
    path = tmp_path / "k.duckdb"
    rows = [{"Päivämäärä": f"{1 + i % 28}.3.2025", "Yksikkö": "Osasto 5B", "Arvio": str(1 + i % 5),
             "Palaute": f"Hoitaja oli kiireinen, odotin puhelimessa {i} minuuttia."} for i in range(60)]
    assert pipeline.import_file(write_template_csv(tmp_path / "s.csv", rows), db_path=path).rows_loaded == 60
    return path


FILTERS = Filters(start=date(2025, 1, 1), end=date(2025, 12, 1), preset="custom")


def test_word_and_length_limits():
    assert search_bounds.problem("") is None
    assert search_bounds.problem(sentence(search_bounds.MAX_WORDS)) is None
    too_many = search_bounds.problem(sentence(search_bounds.MAX_WORDS + 1))
    assert too_many.key == "search_too_many_words" and too_many.params["n"] == search_bounds.MAX_WORDS + 1
    assert search_bounds.problem('"odotin puhelimessa pitkään" hoitaja') is None   # a phrase is one word
    too_long = search_bounds.problem("a" * (search_bounds.MAX_CHARS + 1))
    assert too_long.key == "search_too_long" and too_long.params["max"] == search_bounds.MAX_CHARS
    assert search_bounds.problem("  ,  ;  ") is None          # punctuation alone is no word


def test_a_thousand_word_search_is_refused_before_any_query(comments_db):
    t0 = time.monotonic()
    with pytest.raises(cq.SearchStopped) as stopped:
        cq.count_comments(FILTERS, cq.CommentFilters(text=sentence(1000)), comments_db, cq.default_lemmatiser())
    assert time.monotonic() - t0 < 2
    assert stopped.value.key in ("search_too_long", "search_too_many_words")
    with pytest.raises(cq.SearchStopped):
        cq.comments_page(FILTERS, cq.CommentFilters(text=sentence(9)), db_path=comments_db)
    # within the bounds the same words search normally
    assert cq.count_comments(FILTERS, cq.CommentFilters(text="hoitaja puhelin"), comments_db,
                             cq.default_lemmatiser()) == 60


def test_a_slow_search_query_is_stopped_and_the_connection_still_works(comments_db, monkeypatch):
    monkeypatch.setattr(search_bounds, "MAX_SECONDS", 0.2)
    slow = "SELECT count(*) AS n FROM range(4000000000) a WHERE hash(a.range) % 7 = 3"
    with db.one_connection_per_run():
        t0 = time.monotonic()
        with pytest.raises(cq.SearchStopped) as stopped:
            cq._run(slow, {}, comments_db, bounded=True)
        assert time.monotonic() - t0 < 10
        assert stopped.value.key == "search_timeout" and stopped.value.params["seconds"] == "0.2"
        # the run's shared connection has no limit left for the next (unbounded) query
        assert int(cq._run("SELECT count(*) AS n FROM responses", {}, comments_db)["n"].iloc[0]) == 60
        with db.connect(comments_db) as con:
            assert con.execute("SELECT current_setting('max_execution_time')").fetchone()[0] == 0


def test_every_bound_has_a_message_in_three_languages():
    from kokemus.i18n import t
    for key, params in (("search_too_long", {"n": 300, "max": 200}), ("search_too_many_words", {"n": 9, "max": 8}),
                        ("search_timeout", {"seconds": "4"})):
        texts = {lang: t(key, lang, **params) for lang in ("fi", "sv", "en")}
        assert all(v != key and "{" not in v for v in texts.values()), texts
        assert len(set(texts.values())) == 3
