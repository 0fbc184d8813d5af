"""Issue 13 items 1-3 in Finnish, Swedish and English: the question above a comment is
context for its type; "nothing to improve" answers are never complaints; negated complaint
cues and counterfactual praise come out right; theme boundaries follow the NHS framework;
a column's dominant language is the prior for its short comments."""
from __future__ import annotations

import pandas as pd
import pytest

from etl.normalise.annotate import QUESTION_COLUMN, tag_frame
from etl.themes import Tagger, question_kind


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.default()


@pytest.mark.parametrize("question,kind", [
    ("Mitä voisimme parantaa?", "improve"), ("Mikä ei mennyt hyvin?", "improve"),
    ("Vad kan vi göra bättre?", "improve"), ("What could we improve?", "improve"),
    ("Mikä oli hyvää?", "good"), ("Vad var bra?", "good"), ("What went well?", "good"),
    ("Vapaa palaute", None), ("What was good and what could be improved?", None), (None, None),
])
def test_question_kind(question, kind):
    assert question_kind(question) == kind


NOTHING = ["Ei mitään.", "Ei mitään parannettavaa.", "ei oikeastaan mitään", "Ei ole.",
           "Inget.", "Inget att förbättra.", "Ingenting särskilt",
           "Nothing.", "Nothing to improve", "Nothing really", "No.", "Can't think of anything", "None"]


@pytest.mark.parametrize("text", NOTHING)
@pytest.mark.parametrize("question", [None, "Mitä voisimme parantaa?", "Vad kan vi göra bättre?",
                                      "What could be improved?"])
def test_nothing_to_improve_is_never_a_complaint(tagger, text, question):
    r = tagger.tag(text, question=question_kind(question))
    assert r.type in ("praise", None) and r.type != "complaint", r.to_json()
    assert r.themes == []


@pytest.mark.parametrize("text", ["-", "N/A", "n/a", "x", "..."])
def test_no_answer_has_no_type(tagger, text):
    assert tagger.tag(text, question="improve").type is None


@pytest.mark.parametrize("text", ["Ei mitään.", "Inget.", "Nothing."])
def test_bare_nothing_to_what_was_good_is_a_complaint(tagger, text):
    assert tagger.tag(text, question="good").type == "complaint"


@pytest.mark.parametrize("text", [
    "Ei valittamista.", "Ei ollut mitään valittamista, kiitos.", "En voi moittia mitään.",
    "Henkilökunta oli asiallista, ei moitittavaa.",
    "Inget att klaga på.", "Personalen var trevlig, inget att klaga på.",
    "No complaints.", "No complaints at all, the nurses were great.", "I cannot fault the care I received.",
    "Nothing was too much trouble for the nurses.",
])
def test_negated_complaint_cues_are_praise(tagger, text):
    assert tagger.tag(text).type == "praise", tagger.tag(text).to_json()


@pytest.mark.parametrize("text", [
    "Ei olisi voinut paremmin mennä.", "Hoito oli ensiluokkaista, ei olisi voinut olla parempi.",
    "Vården kunde inte ha varit bättre.", "Det kunde inte ha gått bättre.",
    "Could not have been better.", "The care could not have been better, thank you.",
    "Couldn't have asked for more.",
])
def test_counterfactual_praise(tagger, text):
    assert tagger.tag(text).type == "praise", tagger.tag(text).to_json()


@pytest.mark.parametrize("text", ["Olisi pitänyt kertoa etukäteen.", "Ni borde ha ringt tillbaka.",
                                  "You should have told me earlier."])
def test_regret_is_still_not_praise(tagger, text):
    assert tagger.tag(text).type in ("complaint", "suggestion")


@pytest.mark.parametrize("question,text,kind", [
    ("Mitä voisimme parantaa?", "Lisää parkkipaikkoja", "suggestion"),
    ("Vad kan vi göra bättre?", "Fler parkeringsplatser", "suggestion"),
    ("What could we improve?", "More parking spaces", "suggestion"),
    ("What could we improve?", "Friendlier reception staff", "suggestion"),
    ("Mikä oli hyvää?", "Hoitajat", "praise"),
    ("Vad var bra?", "Personalen", "praise"),
    ("What was good?", "The nurses", "praise"),
    ("What was good?", "Nothing, the doctor was rude", "complaint"),
])
def test_the_question_is_context_for_plain_answers(tagger, question, text, kind):
    assert tagger.tag(text, question=question_kind(question)).type == kind


def test_the_question_reaches_the_tagger_through_the_frame(tagger):
    frame = pd.DataFrame({
        "comment": ["Ei mitään.", "Lisää parkkipaikkoja", "Ei mitään.", "Hoitajat"],
        QUESTION_COLUMN: ["Mitä voisimme parantaa?", "Mitä voisimme parantaa?", "Mikä oli hyvää?",
                          "Mikä oli hyvää?"],
        "feedback_type": [None] * 4, "type_source": [None] * 4, "language": [None] * 4})
    tagged, _ = tag_frame(frame, tagger)
    assert tagged["feedback_type"].tolist() == ["praise", "suggestion", "complaint", "praise"]


@pytest.mark.parametrize("text,theme,not_theme", [
    ("The staff were very helpful and professional.", "interaction", "care"),
    ("Personalen var hjälpsam och professionell.", "interaction", "care"),
    ("Seen quickly, the ambulance arrived within minutes.", "access", None),
    ("Pääsin nopeasti hoitoon.", "access", None),
    ("The doctor was competent and the pain relief worked.", "care", "interaction"),
    ("Nobody answered the phone for hours.", "phone", None),
    ("Puhelimeen ei vastattu, jonotin tunnin.", "phone", None),
    ("Ingen svarade i telefon.", "phone", None),
    ("Henkilökunta oli ystävällistä ja kohteliasta.", "interaction", "care"),
    ("Lääkäri oli osaava ja kipulääkitys auttoi.", "care", "interaction"),
    ("Läkaren var kompetent och smärtlindringen fungerade.", "care", "interaction"),
    ("Jag fick tid genast.", "access", None),
    ("Personalen hade bråttom hela natten.", "staffing", None),
    ("Hoitajilla oli kiire koko yön.", "staffing", None),
    ("They really helped me and I was looked after very well.", "care", None),
    ("Toinen potilas kiusasi minua koko viikon.", "safety", None),
    ("En annan patient var hotfull och aggressiv.", "safety", None),
    ("I was bullied by another patient.", "safety", None),
    ("There is never enough staff.", "staffing", None),
    ("The location was convenient, close to home.", "parking", None),
])
def test_theme_boundaries(tagger, text, theme, not_theme):
    keys = tagger.tag(text).theme_keys
    assert theme in keys, keys
    if not_theme:
        assert not_theme not in keys, keys


@pytest.mark.parametrize("text,theme", [
    ("The doctor phoned me with the results, very clear.", "phone"),
    ("Lääkäri soitti minulle tulokset.", "phone"),
    ("The physio trained me to walk again.", "parking"),
    ("They kept me busy with activities on the ward.", "staffing"),
    ("They kept me busy with activities on the ward.", "facilities"),
    ("My husband drove me home afterwards.", "relatives"),
    ("The food was nice.", "interaction"),
    ("Läkaren ringde mig med provsvaren.", "phone"),
    ("Hoitaja soitti kotiin jälkikäteen ja kysyi vointia.", "phone"),
    ("Sain tietoa puhelimitse isän voinnista.", "phone"),
    ("Min man körde mig hem efteråt.", "relatives"),
    ("The health visitor was lovely.", "relatives"),
    ("Thank you from a grateful family.", "relatives"),
    ("All staff from cleaners to consultants were kind.", "facilities"),
    ("The mental health team saw me.", "care"),
    ("Tilanne oli kiusallinen.", "safety"),
])
def test_word_senses_are_checked_against_their_neighbours(tagger, text, theme):
    assert theme not in tagger.tag(text).theme_keys, tagger.tag(text).to_json()


@pytest.mark.parametrize("text,theme", [
    ("The staff were busy all night.", "staffing"),
    ("I could not get through on the phone line.", "phone"),
    ("My husband was not allowed to stay with me.", "relatives"),
    ("Min make fick inte stanna hos mig.", "relatives"),
    ("Omaiset eivät saaneet tietoa voinnista.", "relatives"),
    ("Visitors were not allowed on the ward.", "relatives"),
    ("My family were kept informed every day.", "relatives"),
    ("Soitin neuvontaan ja sain heti vastauksen.", "phone"),
    ("Jag kom inte fram på telefon på hela dagen.", "phone"),
    ("Mikään ei toiminut: ei puhelin, ei ajanvaraus eikä lähete.", "phone"),
])
def test_the_same_words_with_the_right_neighbours_still_count(tagger, text, theme):
    assert theme in tagger.tag(text).theme_keys, tagger.tag(text).to_json()


@pytest.mark.parametrize("prior,texts", [
    ("en", ["Nothing.", "Very good", "Staff lovely", "Great"]),
    ("sv", ["Bra!", "Inget.", "Tack", "Mycket bra"]),
    ("fi", ["Hyvä", "Kiitos!", "Ok", "Ei mitään"]),
])
def test_short_comments_keep_the_columns_language(tagger, prior, texts):
    longer = {"en": "The nurses were very kind and the doctor explained everything to me.",
              "sv": "Personalen var mycket vänlig och läkaren förklarade allt för mig.",
              "fi": "Hoitajat olivat todella ystävällisiä ja lääkäri selitti kaiken hyvin."}[prior]
    column = [longer] * 6 + texts
    results = tagger.tag_many(column)
    assert [r.language for r in results[6:]] == [prior] * len(texts)


def test_a_long_comment_in_another_language_still_switches(tagger):
    column = ["Hoitajat olivat todella ystävällisiä ja lääkäri selitti kaiken hyvin."] * 6
    column.append("The staff were very kind and the doctor explained everything to me clearly.")
    assert tagger.tag_many(column)[-1].language == "en"


def test_an_imported_column_header_is_the_question(tmp_db, tmp_path):
    """End to end: the header of the column mapped to the comment reaches the tagger."""
    from etl import pipeline
    from kokemus import db
    path = tmp_path / "kysely.csv"
    path.write_text("Päivämäärä;Yksikkö;Arvio;Mitä voisimme parantaa?\n"
                    "3.3.2024;Osasto 7;5;Ei mitään.\n"
                    "4.3.2024;Osasto 7;3;Lisää parkkipaikkoja\n", encoding="utf-8")
    r = pipeline.import_file(path, db_path=tmp_db, mapping={"Mitä voisimme parantaa?": "comment"})
    assert r.status == "loaded", r.error_en
    with db.connect(tmp_db) as con:
        got = dict(con.execute("SELECT comment, feedback_type FROM responses").fetchall())
    assert got == {"Ei mitään.": "praise", "Lisää parkkipaikkoja": "suggestion"}
