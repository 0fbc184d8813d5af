"""The Finnish caritive ("-ton/-tön", without) of a negative word says the problem was
absent: "kiireettömiä" (not in a hurry) is no staffing problem, "ongelmaton" (problem-free)
no complaint, while the base words keep meaning what they did. Sentences written for these
tests."""
from __future__ import annotations

import pytest

from etl.themes import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.default()


@pytest.mark.parametrize("text", [
    "Hoitajat olivat kiireettömiä.", "Vastaanotto oli kiireetön ja rauhallinen.",
    "Kiireettömyys oli ihanaa.", "Lääkäri tutki kiireettömästi.",
])
def test_without_hurry_is_no_staffing_problem(tagger, text):
    r = tagger.tag(text)
    assert "staffing" not in r.theme_keys, r.to_json()
    assert r.to_json()["type"] != "complaint", r.to_json()


@pytest.mark.parametrize("text", [
    "Käynti oli ongelmaton.", "Kaikki sujui ongelmattomasti.", "Leikkaus meni virheettömästi.",
    "Toimenpide oli virheetön.",
])
def test_problem_free_is_praise_not_a_complaint(tagger, text):
    r = tagger.tag(text)
    assert r.to_json()["type"] == "praise", r.to_json()


@pytest.mark.parametrize("text, theme", [
    ("Hoitajilla oli kova kiire.", "staffing"), ("Osastolla on jatkuvat kiireet.", "staffing"),
])
def test_the_base_words_still_count(tagger, text, theme):
    r = tagger.tag(text)
    assert theme in r.theme_keys and r.to_json()["type"] == "complaint", r.to_json()


@pytest.mark.parametrize("text", ["Ajanvarauksessa oli ongelmia.", "Lääkäri teki virheen."])
def test_problems_and_errors_are_still_complaints(tagger, text):
    assert tagger.tag(text).to_json()["type"] == "complaint"
