"""The theme tagger: lemmas and compounds, negation, suggestions, mixed comments,
Swedish and English, empty input, taxonomy edits, emerging words."""
from __future__ import annotations

from pathlib import Path

import pytest

from etl.themes import THEME_KEYS, CommentTags, Tagger, TaxonomyError, ThemeTag, emerging_words
from etl.themes.resources import DEFAULT_TAXONOMY


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.default()


def polarity(result: CommentTags, theme: str) -> str:
    found = [t.polarity for t in result.themes if t.theme == theme]
    assert found, f"{theme} not found in {result.to_json()}"
    return found[0]


def test_default_taxonomy_has_exactly_the_agreed_theme_keys(tagger):
    assert tagger.theme_keys == list(THEME_KEYS)
    for key in THEME_KEYS:
        theme = tagger.taxonomy.themes[key]
        assert theme.nhs_category and set(theme.names) >= {"fi", "sv", "en"}


def test_compound_word_triggers_both_of_its_parts(tagger):
    r = tagger.tag("Pysäköintimaksu oli kallis, mutta hoitajat olivat ihania.")
    assert r.language == "fi"
    assert {"parking", "billing", "interaction"} <= set(r.theme_keys)
    assert polarity(r, "parking") == "negative"
    assert polarity(r, "interaction") == "positive"
    assert "pysäköintimaksu" in [t for tag in r.themes if tag.theme == "billing" for t in tag.triggers]


@pytest.mark.parametrize("text", [
    "Jonotusaika oli kohtuuton.",
    "Odotusajat ovat venyneet kuukausiin.",
    "Pysäköintimaksuja pitäisi kohtuullistaa.",     # inflected compound unknown to the lemmatiser
])
def test_inflected_and_compound_forms(tagger, text):
    keys = tagger.tag(text).theme_keys
    assert ("access" in keys) or ("parking" in keys and "billing" in keys)


def test_lemmas_make_inflections_searchable(tagger):
    assert "odotusaika" in tagger.lemmas("Odotusajat olivat pitkiä.")
    assert "hoitaja" in tagger.lemmas("Hoitajat olivat ihania.")
    assert tagger.lemmas(None) == [] and tagger.lemmas("[HETU]") == []


@pytest.mark.parametrize("text,theme", [
    ("Puhelimeen ei vastattu koko päivänä.", "phone"),
    ("Kukaan ei kertonut tutkimusten tuloksista.", "communication"),
    ("Lääkäri ei kuunnellut minua.", "interaction"),
])
def test_negation_makes_the_theme_negative(tagger, text, theme):
    r = tagger.tag(text)
    assert polarity(r, theme) == "negative"
    assert r.type == "complaint"


def test_negated_positive_word_flips_and_negated_problem_is_praise(tagger):
    assert polarity(tagger.tag("Ruoka ei ollut hyvää."), "food") == "negative"
    r = tagger.tag("Hoitoon pääsyä ei tarvinnut odottaa lainkaan.")
    assert r.type == "praise" and polarity(r, "access") == "positive"


@pytest.mark.parametrize("text", [
    "Olisi hyvä, jos parkkipaikkoja olisi enemmän.",
    "Ajanvarauksen voisi tehdä myös netissä.",
    "Toivoisin, että odotusajasta kerrottaisiin.",
    "Kannattaisi lisätä iltavastaanottoja.",
    "Ni borde ha fler sjukskötare på natten.",
    "You should offer evening appointments.",
])
def test_conditional_means_suggestion(tagger, text):
    assert tagger.tag(text).type == "suggestion"


def test_regret_in_conditional_perfect_is_a_complaint_not_a_suggestion(tagger):
    assert tagger.tag("Olisi pitänyt kertoa etukäteen, että toimenpide maksaa.").type == "complaint"


def test_mixed_comment_gets_two_themes_with_different_polarity(tagger):
    r = tagger.tag("Ruoka oli erinomaista, mutta huoneessa oli kova meteli koko yön.")
    assert r.type == "mixed"
    assert polarity(r, "food") == "positive"
    assert polarity(r, "facilities") == "negative"


def test_tags_are_per_sentence(tagger):
    r = tagger.tag("Hoitajat olivat ystävällisiä. Parkkipaikkoja ei löytynyt.")
    by_theme = {t.theme: t.sentence for t in r.themes}
    assert by_theme["interaction"] == 0 and by_theme["parking"] == 1


def test_swedish_comment(tagger):
    r = tagger.tag("Personalen var vänlig men väntetiden var alldeles för lång.")
    assert r.language == "sv" and r.type == "mixed"
    assert polarity(r, "access") == "negative" and polarity(r, "interaction") == "positive"
    assert tagger.tag("Appen fungerade inte.").type == "complaint"


def test_english_comment(tagger):
    r = tagger.tag("Nobody answered the phone and the bill arrived twice.")
    assert r.language == "en" and r.type == "complaint"
    assert {"phone", "billing"} <= set(r.theme_keys)
    assert tagger.tag("When will I get my test results?").type == "question"


@pytest.mark.parametrize("text", [None, "", "   ", "[HETU] [PUHELIN]", "12345"])
def test_empty_input(tagger, text):
    r = tagger.tag(text)
    assert (r.language, r.type, r.themes) == (None, None, [])
    assert r.to_json() == {"language": None, "type": None, "themes": []}


def test_placeholders_never_become_triggers(tagger):
    r = tagger.tag("Soittakaa numeroon [PUHELIN] tai [SÄHKÖPOSTI], puhelimeen ei vastata.")
    assert all("puhelin" != w and "sähköposti" != w for t in r.themes for w in t.triggers)


def test_to_json_shape(tagger):
    out = tagger.tag("Parkkipaikkoja on liian vähän.").to_json()
    assert out["language"] == "fi" and out["type"] == "complaint"
    assert out["themes"][0] == {"theme": "parking", "polarity": "negative", "triggers": ["parkkipaikkoja"],
                                "sentence": 0}


def test_tag_many_matches_tag_and_accepts_known_languages(tagger):
    texts = ["Ruoka oli hyvää.", None, "Maten var kall."]
    assert [r.to_json() for r in tagger.tag_many(texts)] == [tagger.tag(t).to_json() for t in texts]
    forced = tagger.tag_many(["Maten var kall."], languages=["sv"])
    assert forced[0].language == "sv" and "food" in forced[0].theme_keys


def test_taxonomy_edit_changes_tags_and_version(tmp_path: Path, tagger):
    text = "Uusi potilastietojärjestelmä Apotti hidasti kaikkea."
    assert "safety" not in tagger.tag(text).theme_keys
    edited = DEFAULT_TAXONOMY.read_text(encoding="utf-8").replace(
        'fi = ["turva", ', 'fi = ["apotti", "turva", ', 1)
    path = tmp_path / "taxonomy.toml"
    path.write_text(edited, encoding="utf-8")
    custom = Tagger.load(path)
    assert custom.taxonomy_version != tagger.taxonomy_version
    assert "safety" in custom.tag(text).theme_keys
    assert [t.triggers for t in custom.tag(text).themes if t.theme == "safety"] == [["apotti"]]


def test_exclusion_entry_removes_a_word_from_a_theme(tmp_path: Path):
    path = tmp_path / "taxonomy.toml"
    path.write_text('version = "t1"\n[themes.food]\nnhs_category = "x"\n'
                    'name = { fi = "Ruoka", sv = "Mat", en = "Food" }\n'
                    'fi = ["*ruoka*", "!ruokahalu*"]\n', encoding="utf-8")
    custom = Tagger.load(path)
    assert custom.taxonomy_version.startswith("t1+")
    assert custom.tag("Ruokalista oli hyvä.").theme_keys == ["food"]
    assert custom.tag("Ruokahalu oli hyvä.").theme_keys == []


def test_broken_taxonomy_fails_loudly(tmp_path: Path):
    path = tmp_path / "taxonomy.toml"
    path.write_text('version = "x"\n[themes.food]\nfi = "ruoka"\nname = { fi = "Ruoka" }\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="food"):
        Tagger.load(path)


def test_emerging_words_finds_the_new_problem(tagger):
    baseline = ["Hoitajat olivat ystävällisiä ja ruoka hyvää."] * 30 + ["Jonot olivat pitkät."] * 10
    latest = (["Hoitajat olivat ystävällisiä."] * 10
              + ["Uusi potilastietojärjestelmä kaatuili koko ajan."] * 8
              + ["Jonot olivat pitkät."] * 3)
    rows = emerging_words(latest, baseline, tagger, top=5)
    top_score = rows[0][3]
    leaders = {r[0]: r for r in rows if r[3] == top_score}
    assert "potilastietojärjestelmä" in leaders
    _, latest_rate, baseline_rate, score = leaders["potilastietojärjestelmä"]
    assert latest_rate == pytest.approx(8 / 21) and baseline_rate == 0 and score > 0
    words = [r[0] for r in rows]
    assert "olla" not in words and "hoitaja" not in words   # stopword; a word that fell
    assert emerging_words([], baseline, tagger) == []


def test_theme_tag_is_a_value():
    assert ThemeTag("food", "positive", 0, ["ruoka"]) == ThemeTag("food", "positive", 0, ["ruoka"])
