"""Word order and word senses by neighbours (taxonomy 2026.4): quoted phrases match in
order, '!two words' takes a theme back from its words, and the boundaries that use them.
Sentences written here, in fi, sv and en."""
from __future__ import annotations

from pathlib import Path

import pytest

from etl.themes import Tagger
from etl.themes.patterns import LabelledPatterns, is_ordered
from etl.themes.resources import TaxonomyError, load_lexicon


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.default()


def themes(tagger: Tagger, text: str, lang: str) -> set[str]:
    return set(tagger.tag(text, lang).theme_keys)


@pytest.mark.parametrize("text, lang, theme, expected", [
    # staff numbers are said in this order in English and Swedish
    ("We need more staff on the night shift.", "en", "staffing", True),
    ("Please get more night staff.", "en", "staffing", True),
    ("There are never enough nurses at weekends.", "en", "staffing", True),
    ("I would like the staff to be more patient.", "en", "staffing", False),
    ("The staff were lovely, I could not ask for more.", "en", "staffing", False),
    ("I can't thank the nurses enough.", "en", "staffing", False),
    ("Avdelningen behöver mer personal på kvällarna.", "sv", "staffing", True),
    ("Personalen kunde vara mer närvarande.", "sv", "staffing", False),
    ("Hoitajia ei ole tarpeeksi iltaisin.", "fi", "staffing", True),
    # continuity: the same nurse / samma sköterska / sama hoitaja
    ("It would help to see the same nurse each visit.", "en", "staffing", True),
    ("Jag vill träffa samma sköterska varje gång.", "sv", "staffing", True),
    ("Toivoisin, että sama hoitaja kävisi joka kerta.", "fi", "staffing", True),
    # "busy" of the staff, not "kept me busy"
    ("The ward was so busy that the nurses had no time.", "en", "staffing", True),
    ("They kept us busy with crafts, the nurse joined in.", "en", "staffing", False),
    # the veto takes back only its own words: a genuine "busy" in the same clause stays
    ("The ward was so busy and they kept me busy with crafts.", "en", "staffing", True),
    ("The ward was so busy. They kept me busy with crafts.", "en", "staffing", True),
])
def test_staff_numbers_and_continuity(tagger, text, lang, theme, expected):
    assert (theme in themes(tagger, text, lang)) is expected, text


@pytest.mark.parametrize("text, lang, theme, expected", [
    # "understanding" of a person is manner, understanding of a thing is not
    ("The doctor was very understanding.", "en", "interaction", True),
    ("The group gave me a better understanding of my diabetes.", "en", "interaction", False),
    ("Lääkäri oli ymmärtäväinen ja lämmin.", "fi", "interaction", True),
    ("Lääkäri oli ymmärtäväinen ja lämmin.", "fi", "communication", False),
    ("Läkaren var förstående.", "sv", "interaction", True),
    # patience, being easy to talk to, being involved in decisions are the encounter
    ("The nurse showed so much patience with my father.", "en", "interaction", True),
    ("Hoitaja oli kärsivällinen ja rauhallinen.", "fi", "interaction", True),
    ("Sköterskan var tålmodig med mig.", "sv", "interaction", True),
    ("The counsellor was very easy to talk to.", "en", "interaction", True),
    ("Terapeutille oli helppo puhua.", "fi", "interaction", True),
    ("I was involved in every decision about my treatment.", "en", "interaction", True),
    ("Jag fick vara delaktig i alla beslut.", "sv", "interaction", True),
    ("Sain osallistua hoitoani koskeviin päätöksiin.", "fi", "interaction", True),
    # a health visitor is a profession; relatives need what was done for them
    ("The health visitor came every week and was supportive.", "en", "relatives", False),
    ("My wife was allowed to stay overnight.", "en", "relatives", True),
    # figures of speech are not safety
    ("Knowing I can ring them is a safety net for me.", "en", "safety", False),
    ("I always felt safe on the ward.", "en", "safety", True),
    # an infection caught here or its prevention is safety; the illness one came with is not
    ("I caught an infection on the ward after the operation.", "en", "safety", True),
    ("Infection control was good, everyone washed their hands.", "en", "safety", True),
    ("I was admitted with a chest infection.", "en", "safety", False),
    ("Sain infektion osastolla leikkauksen jälkeen.", "fi", "safety", True),
    ("Minua hoidettiin infektion vuoksi kolme päivää.", "fi", "safety", False),
    ("Jag fick en infektion på avdelningen.", "sv", "safety", True),
    ("Jag behandlades för en infektion i en vecka.", "sv", "safety", False),
    # an eating disorder is a condition, not a meal
    ("The eating disorder team saw my son within a week.", "en", "food", False),
    ("Syömishäiriöyksikkö auttoi tytärtämme.", "fi", "food", False),
    ("Ätstörningsenheten hjälpte vår dotter.", "sv", "food", False),
    ("The toast and biscuits were always stale.", "en", "food", True),
    ("Leipä oli kuivaa ja jäätelö sulanut.", "fi", "food", True),
    ("Brödet var torrt och glassen smält.", "sv", "food", True),
    # "journey" and "drive" about getting somewhere; "local" is where the service is
    ("The journey to the clinic took over an hour by bus.", "en", "parking", True),
    ("It has been a long journey to getting better.", "en", "parking", False),
    ("The new manager will drive things forward.", "en", "parking", False),
    ("I would prefer to be seen at my local hospital.", "en", "parking", True),
    ("The biopsy was done under local anaesthetic.", "en", "parking", False),
    ("Olisi parempi, jos vastaanotto olisi lähellä kotia.", "fi", "parking", True),
    ("Det var skönt att mottagningen låg nära hemmet.", "sv", "parking", True),
    # "fasting" is not "fast"; being referred is access
    ("Fasting before the scan was hard.", "en", "access", False),
    ("My GP referred me and I was seen within a week.", "en", "access", True),
    ("Jag remitterades till fysioterapin.", "sv", "access", True),
])
def test_senses_by_neighbours(tagger, text, lang, theme, expected):
    assert (theme in themes(tagger, text, lang)) is expected, text


@pytest.mark.parametrize("text, lang, theme, expected", [
    # how much service one gets is access, beside "more often" (NHS "Provision of services")
    ("I wish there had been more sessions with the physio.", "en", "access", True),
    ("We needed more home visits after the operation.", "en", "access", True),
    ("Toivoisin lisää käyntejä fysioterapeutille.", "fi", "access", True),
    ("Jag hade önskat fler samtal med kuratorn.", "sv", "access", True),
    ("More visits from my family would have been nice.", "en", "access", False),
    # continuity synonyms
    ("It helped to have regular staff who knew me.", "en", "staffing", True),
    ("The team was very consistent from week to week.", "en", "staffing", True),
    ("Jag vill ha en fast läkare.", "sv", "staffing", True),
    # aids and adaptations are equipment
    ("The walking aids and the hoist arrived the next day.", "en", "facilities", True),
    ("Apuvälineet tuotiin kotiin nopeasti.", "fi", "facilities", True),
    ("Hjälpmedlen kom hem till mig direkt.", "sv", "facilities", True),
])
def test_amount_of_service_continuity_and_aids(tagger, text, lang, theme, expected):
    assert (theme in themes(tagger, text, lang)) is expected, text


@pytest.mark.parametrize("text, lang, theme, expected", [
    # the room's amenities and its sensory side
    ("It was far too hot at night and there were no fans.", "en", "facilities", True),
    ("The wifi kept dropping and the radio was broken.", "en", "facilities", True),
    ("Lights on all night and alarms going off every hour.", "en", "facilities", True),
    ("Huoneessa ei ollut tuuletinta eikä wifi toiminut.", "fi", "facilities", True),
    ("Det fanns ingen fläkt och dörrarna smällde hela natten.", "sv", "facilities", True),
    ("I am a big fan of this team.", "en", "facilities", False),
    # "bed" only with comfort, cleanliness or room words, "signs" only with way-finding
    ("The bed was hard and the sheets were not clean.", "en", "facilities", True),
    ("All I wanted was to be home in my own bed.", "en", "facilities", False),
    ("There were no signs to the unit from the main entrance.", "en", "facilities", True),
    ("The nurse spotted the early signs of infection.", "en", "facilities", False),
    # "building" the noun, not building confidence; "lifted my mood"; "stay clean"
    ("The building is old and the corridors are dark.", "en", "facilities", True),
    ("The group is building my confidence week by week.", "en", "facilities", False),
    ("She really lifted my mood.", "en", "facilities", False),
    ("They helped me stay clean from drugs.", "en", "facilities", False),
    # "get through" a hard time is not getting through on the phone
    ("The team helped me get through the worst year of my life.", "en", "phone", False),
    ("I rang five times and never got through.", "en", "phone", True),
    # clarity of information
    ("More clarity about the next steps would have helped.", "en", "communication", True),
    ("Lääkäri selvensi vielä jatkohoidon.", "fi", "communication", True),
    ("Läkaren förtydligade planen för mig.", "sv", "communication", True),
    # a waiting room is a room; "can't wait" is eagerness
    ("The waiting room had no chairs left.", "en", "access", False),
    ("I can't wait to start the next course.", "en", "access", False),
    ("We had to wait three hours to be seen.", "en", "access", True),
])
def test_facilities_and_waiting_senses(tagger, text, lang, theme, expected):
    assert (theme in themes(tagger, text, lang)) is expected, text


@pytest.mark.parametrize("text, lang, care, safety", [
    # medication is care; a medication error is safety (in each language)
    ("The new tablets have really helped my sleep.", "en", True, False),
    ("Uusi lääkitys auttoi unettomuuteen.", "fi", True, False),
    ("Den nya medicinen hjälpte mig att sova.", "sv", True, False),
    ("I was given the wrong medication twice.", "en", False, True),
    ("Sain väärän lääkkeen kahdesti.", "fi", False, True),
    ("Jag fick fel medicin två gånger.", "sv", False, True),
])
def test_medication_is_care_and_its_errors_safety(tagger, text, lang, care, safety):
    found = themes(tagger, text, lang)
    assert ("care" in found, "safety" in found) == (care, safety), (text, found)


def test_quoted_phrase_is_ordered_and_veto_is_a_phrase():
    assert is_ordered('"more staff"') and is_ordered('!"keep busy"')
    assert not is_ordered("more staff") and not is_ordered('"')
    patterns = LabelledPatterns()
    patterns.add("staffing", '"more staff"')
    patterns.add("staffing", '!"keep busy"')
    patterns.add("staffing", "!busyness")
    (label, parts, _, ordered, veto), (_, _, _, ordered2, veto2) = patterns.phrases
    assert (label, [p.text for p in parts], ordered, veto) == ("staffing", ["more", "staff"], True, False)
    assert (ordered2, veto2) == (True, True)
    # a single excluded word stays an exclusion, not a phrase
    assert len(patterns.phrases) == 2 and patterns.labels_for("busyness", "busyness") == ()


def test_lexicon_rejects_an_excluded_phrase(tmp_path: Path):
    path = tmp_path / "lexicon.toml"
    path.write_text('[en]\npositive = ["good", "!not good"]\n', encoding="utf-8")
    with pytest.raises(TaxonomyError, match="not good"):
        load_lexicon(path)


# Taxonomy 2026.5: boundaries sharpened from a reading of false positives (NHS train half), in
# sentences written here. Each row of the first table failed on the 2026.4 lists.
@pytest.mark.parametrize("text, lang, theme, expected", [
    # relatives only when what was done for or told to the relative is the point
    ("Puolisoni ajoi minut sairaalaan aamulla.", "fi", "relatives", False),
    ("Kiitos koko perheen puolesta hyvästä hoidosta.", "fi", "relatives", False),
    ("Tack från hela familjen för den fina vården.", "sv", "relatives", False),
    ("Waiting here was short relative to other hospitals I have visited.", "en", "relatives", False),
    ("My son was kept together with the other boys on the ward.", "en", "relatives", False),
    # a crashed system, a case, being sure, a fall one came in with, one's own mistake: no safety
    ("Ajanvarausjärjestelmä kaatui kesken varauksen.", "fi", "safety", False),
    ("Kaatumisen jälkeen sain kotiin hyvää kuntoutusta.", "fi", "safety", False),
    ("Se oli oma virheeni, hoitajat olivat ihania.", "fi", "safety", False),
    ("I så fall vill jag hellre träffa en annan läkare.", "sv", "safety", False),
    ("Jag är inte säker på att jag förstod allt.", "sv", "safety", False),
    ("Det var mitt eget misstag att jag kom fel dag.", "sv", "safety", False),
    ("Efter fallet hemma fick jag bra rehabilitering.", "sv", "safety", False),
    ("My plan to move clinics fell through in the end.", "en", "safety", False),
    ("I was admitted after a fall in the garden.", "en", "safety", False),
    ("It was my own mistake, I came on the wrong day.", "en", "safety", False),
    ("Stay safe and thanks to everyone.", "en", "safety", False),
    # a speed word that times a feeling is not access; "refer to me as" is speech
    ("Jag kände mig genast välkommen på mottagningen.", "sv", "access", False),
    ("The nurse put my daughter at ease straight away.", "en", "access", False),
    ("I immediately felt welcome in the group.", "en", "access", False),
    ("The therapist kept referring to me as Mrs, which I am not.", "en", "access", False),
    # "local" only about a place; a transfer inside the hospital is not getting there
    ("The local feedback form was far too long.", "en", "parking", False),
    ("I was transported to the ward on a trolley.", "en", "parking", False),
    ("Patienten transporterades till avdelningen i säng.", "sv", "parking", False),
    # a hurried discharge is the patient journey, not staff numbers
    ("I felt I was rushed home before I could walk.", "en", "staffing", False),
    ("Minut kotiutettiin liian kiireellä.", "fi", "staffing", False),
    ("Det var bråttom hem, jag fick knappt packa.", "sv", "staffing", False),
    # people skills and caring about someone are manner, not clinical care
    ("The consultant has excellent people skills.", "en", "care", False),
    ("They really care about the people on this ward.", "en", "care", False),
    ("Läkaren har god social kompetens.", "sv", "care", False),
    # the social climate is not the premises
    ("It was a safe and supportive environment to talk in.", "en", "facilities", False),
])
def test_2026_5_senses_no_longer_tagged(tagger, text, lang, theme, expected):
    assert (theme in themes(tagger, text, lang)) is expected, text


@pytest.mark.parametrize("text, lang, theme, expected", [
    # the boundaries' other side still holds
    ("Puolisoni sai jäädä yöksi osastolle.", "fi", "relatives", True),
    ("Perheelleni ei kerrottu mitään leikkauksen jälkeen.", "fi", "relatives", True),
    ("Min familj fick stanna hos mig hela natten.", "sv", "relatives", True),
    ("Nobody told my family where I had been moved.", "en", "relatives", True),
    ("The support for carers here is really good.", "en", "relatives", True),
    ("Kaaduin osastolla yöllä, eikä kukaan tullut.", "fi", "safety", True),
    ("Hoitaja teki virheen lääkkeissäni.", "fi", "safety", True),
    ("Jag föll i duschen på avdelningen.", "sv", "safety", True),
    ("Jag kände mig säker på avdelningen.", "sv", "safety", True),
    ("I fell on the ward and nobody came for an hour.", "en", "safety", True),
    ("Jag fick genast hjälp när jag kom in.", "sv", "access", True),
    ("I was seen straight away.", "en", "access", True),
    ("I would rather be seen at my local hospital.", "en", "parking", True),
    ("The staff were rushed off their feet all night.", "en", "staffing", True),
    ("Hoitajilla oli koko ajan kiire.", "fi", "staffing", True),
    ("The surgeon was very skilled.", "en", "care", True),
    ("Läkaren var mycket kompetent.", "sv", "care", True),
    ("The care on the ward was excellent.", "en", "care", True),
    ("The environment was clean and bright.", "en", "facilities", True),
    # and the manner side gains what care gave up, in each language
    ("The consultant has excellent people skills.", "en", "interaction", True),
    ("They really care about the people on this ward.", "en", "interaction", True),
    ("Läkaren har god social kompetens.", "sv", "interaction", True),
    ("Personalen brydde sig verkligen om mig.", "sv", "interaction", True),
    ("Hoitajalla oli hyvät vuorovaikutustaidot.", "fi", "interaction", True),
])
def test_2026_5_boundaries_keep_their_other_side(tagger, text, lang, theme, expected):
    assert (theme in themes(tagger, text, lang)) is expected, text


# Taxonomy 2026.6 (issue 13 item 2): safety only for safety events, relatives only when the
# relative's own support is the point, speed of the service is access, "all the time" is no
# appointment time. Sentences written here; each row failed on the 2026.5 lists.
@pytest.mark.parametrize("text, lang, theme, expected", [
    # being "in safe hands" is trust in the people's competence: care, not a safety event
    ("I felt in safe hands throughout.", "en", "safety", False),
    ("I felt in safe hands throughout.", "en", "care", True),
    ("Olin turvallisissa käsissä koko ajan.", "fi", "safety", False),
    ("Olin turvallisissa käsissä koko ajan.", "fi", "care", True),
    ("Jag kände mig i trygga händer.", "sv", "safety", False),
    ("Jag kände mig i trygga händer.", "sv", "care", True),
    ("The atmosphere was calm and non-threatening.", "en", "safety", False),
    # the support a relative who is the patient received is not relatives
    ("The support my mum received was great.", "en", "relatives", False),
    ("Puolisoni sai hyvää tukea hoitajilta.", "fi", "relatives", False),
    ("Min make fick bra stöd av personalen.", "sv", "relatives", False),
    # slow service, speeding up, opening hours: access
    ("Sometimes slow to respond.", "en", "access", True),
    ("Vastaus tuli hitaasti.", "fi", "access", True),
    ("Vården var långsam.", "sv", "access", True),
    ("Speed up contact with all agencies.", "en", "access", True),
    ("Palvelua pitäisi nopeuttaa.", "fi", "access", True),
    ("Ni borde snabba upp handläggningen.", "sv", "access", True),
    ("The opening hours are too short.", "en", "access", True),
    ("Aukioloajat ovat liian lyhyet.", "fi", "access", True),
    ("Öppettiderna är för korta.", "sv", "access", True),
    # "all the time" is no appointment got
    ("Sain ruotsinkielistä palvelua koko ajan.", "fi", "access", False),
    ("Familjen fick stöd hela tiden.", "sv", "access", False),
])
def test_2026_6_boundaries(tagger, text, lang, theme, expected):
    assert (theme in themes(tagger, text, lang)) is expected, text


@pytest.mark.parametrize("text, lang, theme, expected", [
    ("I felt safe on the ward.", "en", "safety", True),
    ("Tunsin oloni turvalliseksi osastolla.", "fi", "safety", True),
    ("Jag kände mig trygg hela tiden.", "sv", "safety", True),
    ("They supported us as a family.", "en", "relatives", True),
    ("Perhettämme tuettiin koko ajan.", "fi", "relatives", True),
    ("Familjen fick stöd hela tiden.", "sv", "relatives", True),
    ("Vi anhöriga fick bra stöd under hela vårdtiden.", "sv", "relatives", True),
    ("The support for carers here is really good.", "en", "relatives", True),
    # slow walking is no slow service
    ("She was very slow at walking.", "en", "access", False),
    ("Hon går långsamt.", "sv", "access", False),
    ("Sain ajan nopeasti.", "fi", "access", True),
    ("Jag fick en tid direkt.", "sv", "access", True),
])
def test_2026_6_boundaries_keep_their_other_side(tagger, text, lang, theme, expected):
    assert (theme in themes(tagger, text, lang)) is expected, text


@pytest.mark.parametrize("text, lang", [
    ("Palvelu oli hidasta.", "fi"),
    ("Servicen var långsam.", "sv"),
])
def test_slow_is_a_complaint_in_every_language(tagger, text, lang):
    """"slow" was a negative word in English only."""
    assert tagger.tag(text, lang).type == "complaint", text


# Taxonomy 2026.6, phone and food senses: the phone is the point only when reaching the
# service by phone is; eating as a health topic is not the meals served. Each row failed on
# the 2026.5 lists (or, for soittokello, on "!word" not reaching the theme's ~words).
@pytest.mark.parametrize("text, lang, theme, expected", [
    ("Soittokello ei toiminut yöllä.", "fi", "phone", False),
    ("Answering call bells at night takes too long.", "en", "phone", False),
    ("Videopuhelu ei toiminut.", "fi", "phone", False),
    ("Telefonbesöket var bra, läkaren svarade på allt.", "sv", "phone", False),
    ("I had to wait for a phone appointment.", "en", "phone", False),
    ("Please do not ask me to hold on while you speak to someone else on your calls.", "en", "phone", False),
    ("The nurse was very understanding about my diagnosis.", "en", "communication", False),
    ("The course gave us good advice on healthy eating.", "en", "food", False),
    ("I learnt a lot about my eating habits.", "en", "food", False),
    ("I had to wait until after lunch for my tablets.", "en", "food", False),
    ("Sain hyviä neuvoja terveelliseen ruokavalioon.", "fi", "food", False),
    ("Ruokatottumukseni ovat parantuneet.", "fi", "food", False),
    ("Odotin lounaan jälkeen lääkäriä.", "fi", "food", False),
    ("Jag fick råd om hälsosam kost.", "sv", "food", False),
    ("Jag fick råd om hälsosam kost.", "sv", "billing", False),
    ("Jag väntade till efter lunch på läkaren.", "sv", "food", False),
    ("They lost my hearing aids.", "en", "facilities", False),
])
def test_2026_6_phone_and_food_senses(tagger, text, lang, theme, expected):
    assert (theme in themes(tagger, text, lang)) is expected, text


@pytest.mark.parametrize("text, lang, theme, expected", [
    ("Puhelimeen ei vastattu koko aamupäivänä.", "fi", "phone", True),
    ("Ingen svarade i telefon på hela förmiddagen.", "sv", "phone", True),
    ("Telefonbesöket blev inställt, ingen ringde tillbaka.", "sv", "phone", True),
    ("I was on hold for an hour.", "en", "phone", True),
    ("I waited all day for the phone appointment and nobody called.", "en", "phone", True),
    ("Videopuhelu ei toiminut.", "fi", "digital", True),
    ("The food was cold and bland.", "en", "food", True),
    ("More healthy food options on the menu please.", "en", "food", True),
    ("Ruoka oli kylmää.", "fi", "food", True),
    ("Kost och dryck var bra.", "sv", "food", True),
    ("Det kostar för mycket.", "sv", "billing", True),
    ("The walking aids have made a big difference.", "en", "facilities", True),
])
def test_2026_6_phone_and_food_keep_their_other_side(tagger, text, lang, theme, expected):
    assert (theme in themes(tagger, text, lang)) is expected, text


@pytest.mark.parametrize("text, lang, theme, expected", [
    # chair exercises are exercise (care), not furniture; exercises are care in every language
    ("I enjoyed the chair exercises with the physio.", "en", "facilities", False),
    ("Tuolijumppa oli mukavaa.", "fi", "facilities", False),
    ("Tuolijumppa oli mukavaa.", "fi", "care", True),
    ("Sain hyvät kotiharjoitteet fysioterapeutilta.", "fi", "care", True),
    ("Övningarna från fysioterapeuten var bra.", "sv", "care", True),
    # figures of speech are no speed of help, a cannula no access to care
    ("Can't immediately think of anything.", "en", "access", False),
    ("I hope we get back to normal sooner rather than later.", "en", "access", False),
    ("They struggled to get IV access.", "en", "access", False),
])
def test_2026_6_exercise_and_speed_senses(tagger, text, lang, theme, expected):
    assert (theme in themes(tagger, text, lang)) is expected, text


@pytest.mark.parametrize("text, lang, theme, expected", [
    ("The chairs in the waiting room are uncomfortable.", "en", "facilities", True),
    ("Tuolit olivat epämukavia.", "fi", "facilities", True),
    ("I was seen immediately.", "en", "access", True),
    ("Access to the clinic was easy.", "en", "access", True),
    ("Harjoittelija oli mukava.", "fi", "care", False),
])
def test_2026_6_exercise_and_speed_keep_their_other_side(tagger, text, lang, theme, expected):
    assert (theme in themes(tagger, text, lang)) is expected, text
