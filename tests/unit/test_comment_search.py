"""Comments search finds inflected and stem-changing forms through the tagger's lemmatiser."""
from __future__ import annotations

from datetime import date

import pytest

from etl import pipeline
from kokemus import comment_queries as cq
from kokemus.filters import Filters
from tests.conftest import write_template_csv

COMMENTS = [
    "Soitin monta kertaa, mutta puhelimeen ei vastattu.",
    "Jonotin puhelimessa lähes tunnin.",
    "Ajanvarauspuhelin oli aina varattu.",
    "Odotin jonossa kaksi tuntia.",
    "Jonot olivat pitkät aamulla.",
    "Hoitajat olivat ystävällisiä.",
    "Lääkäri kuunteli hyvin.",
    "Olin 100% tyytyväinen (kiitos).",
]


@pytest.fixture
def search_db(tmp_path):
    db = tmp_path / "k.duckdb"
    rows = [{"Päivämäärä": f"{i + 1}.2.2025", "Yksikkö": "Päivystys", "Arvio": "3", "Palaute": c}
            for i, c in enumerate(COMMENTS)]
    assert pipeline.import_file(write_template_csv(tmp_path / "s.csv", rows), db_path=db).rows_loaded == 8
    return db


def found(db, text: str) -> set[str]:
    f = Filters(start=date(2025, 1, 1), end=date(2025, 12, 1), preset="custom")
    rows = cq.export_rows(f, cq.CommentFilters(text=text), db_path=db, lemmatise=cq.default_lemmatiser())
    return set(rows["comment"])


@pytest.mark.parametrize("query, expected", [
    ("puhelin", {0, 1, 2}),          # puhelimeen, puhelimessa: the stem changes (-n -> -m-)
    ("Puhelimessa", {0, 1, 2}),     # an inflected query word finds the other forms too
    ("jono", {1, 3, 4}),            # jonossa, jonot (and "Jonotin" holds the word)
    ("jonossa", {1, 3, 4}),
    ("odottaa", {3}),               # odotin
    ("hoitaja", {5}),
    ("puhelin jono", {1}),          # every word must match
    ("100%", {7}),                  # special characters are literal
    ("(kiitos)", {7}),
])
def test_search_finds_every_form_of_the_word(search_db, query, expected):
    assert found(search_db, query) == {COMMENTS[i] for i in expected}
