"""Headers written as the question itself: "Miten tyytyväinen olit saamaasi palveluun?",
"Kerro vapaasti kokemuksestasi", "Millä terveysasemalla asioit?", "Haluan, että minuun
otetaan yhteyttä", "Vill bli kontaktad".

The synonym list (:mod:`etl.detect.synonyms`) knows short column names; a question is
read word by word through the lemmatiser instead, so "terveysasemalla" is "terveysasema"
and "kokemuksestasi" is "kokemus". Used only when the synonym list found nothing.
"""
from __future__ import annotations

import re

from etl.detect.unit_names import head_of, lemma

# lemma -> field; a header names the field when one of its words' lemmas is listed.
# Order of FIELDS_BY_PRIORITY decides between a header that has words of two fields.
_LEMMAS: dict[str, tuple[str, ...]] = {
    "wants_reply": ("yhteys", "yhteydenotto", "yhteydenottopyyntö", "kontakta", "kontaktad",
                    "kontakt", "contact", "contacted", "reply", "vastaus toivottu", "svar"),
    "nps": ("suositella", "suosittelu", "suosittelisit", "rekommendera", "recommend"),
    "feedback_type": ("tyyppi", "laji", "typ", "type"),
    "score": ("tyytyväinen", "tyytyväisyys", "arvio", "arvioida", "arvosana", "nöjd", "nöjdhet",
              "satisfied", "satisfaction", "rate", "rating", "betyg", "kokonaisarvio",
              "onnistua", "experience"),
    "comment": ("kertoa", "kerro", "vapaasti", "terveiset", "kommentti", "kommentoida", "palaute",
                "berätta", "kommentar", "tell", "comment", "comments", "feedback", "improve",
                "better", "paremmin", "parantaa", "kehittää", "toive", "toivoa", "vapaa"),
    "submitted_on": ("päivämäärä", "päivä", "milloin", "when", "datum", "date"),
}
_PRIORITY = ("wants_reply", "nps", "feedback_type", "submitted_on", "unit", "score", "comment")
_PHRASES = (
    (re.compile(r"ottaa yhteyttä|otetaan yhteyttä|otamme yhteyttä|yhteyttä minuun|vill bli kontaktad|"
                r"kontakta mig|contact me|like (us )?to contact|vastaus toivottu|haluan vastauksen|"
                r"svar önskas", re.I), "wants_reply"),
    (re.compile(r"typ av (feedback|respons)|type of feedback|palautteen (laji|tyyppi|aihe)", re.I),
     "feedback_type"),
    (re.compile(r"how was your experience|overall.*experience", re.I), "score"),
)
_WORD = re.compile(r"[\wåäöÅÄÖ-]+")


def match_question(header: object) -> tuple[str, str] | None:
    """(field, the word that decided) for a question-like header, else None."""
    text = str(header or "").strip()
    if len(text) < 4:
        return None
    for pattern, fld in _PHRASES:
        m = pattern.search(text)
        if m:
            return fld, m.group(0)
    found: dict[str, str] = {}
    for k, word in enumerate(_WORD.findall(text)):
        w = word.lower()
        lem = lemma(w)
        if k < 2 and head_of(w) is not None and "unit" not in found and len(w) > 3:
            found["unit"] = word   # "Millä terveysasemalla asioit?", "Yksikkö, jossa kävit"
        for fld, lemmas in _LEMMAS.items():
            if fld not in found and (w in lemmas or lem in lemmas):
                found[fld] = word
    for fld in _PRIORITY:
        if fld in found:
            if fld == "comment" and "score" in found and text.rstrip().endswith("?") \
                    and found["comment"].lower() not in ("kerro", "kertoa", "tell", "berätta"):
                return "score", found["score"]
            return fld, found[fld]
    return None
