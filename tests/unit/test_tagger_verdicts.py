"""Issue 13 item 2, general verdicts: a comment that praises or criticises the people
("the nurses were wonderful", "kiitos henkilökunnalle", "tack till personalen") is about the
encounter (interaction), one that judges the care is about care, and a verdict with no topic
word ("Great service", "Kaikki meni hyvin", "Allt var bra") gets no theme. A staff word that
nobody judges ("the nurse phoned me") is no verdict. Sentences written for these tests, in
Finnish, Swedish and English."""
from __future__ import annotations

import pytest

from etl.themes import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.default()


@pytest.mark.parametrize("text", [
    "The nurses were wonderful.", "Great team, thank you all.", "Thanks to the staff on the night shift.",
    "Our midwife was brilliant.", "She was lovely from start to finish.", "The doctors were awful.",
    "Henkilökunta oli loistavaa.", "Kiitos hoitajille!", "Lääkäri oli tosi huono.", "Upeat kätilöt.",
    "Läkaren var toppen.", "Tack till personalen!", "Sjuksköterskorna var underbara.",
])
def test_a_verdict_on_the_people_is_interaction(tagger, text):
    r = tagger.tag(text)
    assert "interaction" in r.theme_keys, r.to_json()


@pytest.mark.parametrize("text", [
    "Excellent care throughout.", "The care was poor at night.", "Hyvää hoitoa, kiitos.", "Bra vård.",
])
def test_a_verdict_on_the_care_is_care(tagger, text):
    r = tagger.tag(text)
    assert r.theme_keys == ["care"], r.to_json()


@pytest.mark.parametrize("text", [
    "Great service.", "Everything was good.", "All lovely, thank you.", "Wonderful!", "They were great.",
    "Todella hyvää palvelua.", "Kaikki meni hyvin.", "Allt var bra.", "Toppen, tack!",
])
def test_a_verdict_with_no_topic_word_has_no_theme(tagger, text):
    r = tagger.tag(text)
    assert r.theme_keys == [], r.to_json()
    assert r.type == "praise"


@pytest.mark.parametrize("text", [
    "The nurse phoned me the next day.", "A doctor came to see me in the evening.",
    "Hoitaja soitti seuraavana päivänä.", "Lääkäri kävi illalla.",
    "Sjuksköterskan ringde dagen efter.", "Läkaren kom på kvällen.",
])
def test_a_staff_word_nobody_judges_is_no_verdict(tagger, text):
    assert "interaction" not in tagger.tag(text).theme_keys, tagger.tag(text).to_json()


@pytest.mark.parametrize("text", [
    "Fysioterapeutti oli ammattitaitoinen.", "The surgeon was very skilled.", "Läkaren var kompetent.",
])
def test_competence_stays_care(tagger, text):
    keys = tagger.tag(text).theme_keys
    assert "care" in keys and "interaction" not in keys, keys


def test_the_reason_names_the_people_word(tagger):
    tags = [t for t in tagger.tag("The staff were fantastic.").themes if t.theme == "interaction"]
    assert tags and "staff" in tags[0].triggers and tags[0].polarity == "positive"


@pytest.mark.parametrize("text,theme", [
    ("I would like to be seen more often.", "access"),
    ("Appointments should be more frequent.", "access"),
    ("Toivoisin pääseväni vastaanotolle useammin.", "access"),
    ("Jag skulle vilja få komma oftare.", "access"),
    ("The doctors were disrespectful.", "interaction"),
    ("Läkaren var nedlåtande mot mig.", "interaction"),
    ("Hoitaja vähätteli oireitani.", "interaction"),
    ("She put me at ease straight away.", "interaction"),
    ("Coming here made a real difference to my life.", "care"),
    ("We were short of staff all week.", "staffing"),
    ("Agency nurses covered most shifts.", "staffing"),
])
def test_counterparts_across_languages(tagger, text, theme):
    assert theme in tagger.tag(text).theme_keys, tagger.tag(text).to_json()


@pytest.mark.parametrize("text,theme", [
    ("It was a short stay and the staff were attentive.", "staffing"),
    ("They contacted other agencies for me.", "staffing"),
    ("Because of social distancing the lounge was closed.", "parking"),
])
def test_senses_that_are_not_the_theme(tagger, text, theme):
    assert theme not in tagger.tag(text).theme_keys, tagger.tag(text).to_json()


@pytest.mark.parametrize("text,interaction", [
    ("The nurses were really helpful.", True),
    ("She was helpful and explained everything.", True),
    ("Reception staff were unhelpful.", True),
    ("The leaflet was very helpful.", False),
    ("It would be helpful to have the letter in plain English.", False),
    ("Very helpful.", False),
])
def test_helpful_is_manner_only_about_people(tagger, text, interaction):
    """English "helpful" is said of people (manner, Swedish "hjälpsam") and of things
    (useful): only next to a word for people is it interaction."""
    assert ("interaction" in tagger.tag(text).theme_keys) is interaction, tagger.tag(text).to_json()
