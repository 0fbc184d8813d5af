"""Column names people and survey platforms use, in Finnish, Swedish and English.

Hand-made workbooks never agree on a header ("Pvm", "Päivämäärä", "Datum", "Date" ...),
so detection compares every header cell with this dictionary instead of expecting one
spelling. Entries are written already normalised (see :func:`normalise_header`).
"""
from __future__ import annotations

import re
import unicodedata

# field -> spellings. Exact matches score highest; a spelling that starts a longer header
# ("Arvio (1-5)", "Kuinka todennäköisesti suosittelisit ...") still counts.
FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "submitted_on": (
        "pvm", "päivämäärä", "päiväys", "päivä", "vastauspäivä", "vastauspvm", "käyntipäivä",
        "käyntipvm", "palautepäivä", "saapumispäivä", "vastausaika", "vastattu", "aikaleima",
        "ajankohta", "aloitusaika", "valmistumisaika", "paivamaara", "paivays", "vastauspaiva",
        "datum", "svarsdatum", "besöksdatum", "tidsstämpel",
        "date", "day", "visit date", "response date", "submitted", "submitted on",
        "submission date", "timestamp", "completion time", "recorded date", "date submitted",
    ),
    "unit": (
        "yksikkö", "osasto", "toimipiste", "toimipaikka", "terveysasema", "poliklinikka",
        "vastaanotto", "klinikka", "yksikön nimi", "palvelupiste", "yksikko",
        "enhet", "avdelning", "mottagning", "hälsostation", "verksamhetsställe",
        "unit", "ward", "department", "site", "clinic", "location", "touchpoint",
    ),
    "service_area": (
        "palvelualue", "vastuualue", "tulosalue", "toimiala", "palvelukokonaisuus",
        "serviceområde", "verksamhetsområde", "service area", "directorate", "division",
    ),
    "channel": ("kanava", "palautekanava", "vastauskanava", "kanal", "channel", "source"),
    "language": ("kieli", "vastauskieli", "asiointikieli", "språk", "language"),
    "score": (
        "arvio", "arvosana", "kouluarvosana", "tyytyväisyys", "kokonaisarvio", "yleisarvio",
        "yleisarvosana", "kokonaistyytyväisyys", "hymiö", "tähdet", "arvio palvelusta",
        "tyytyvaisyys", "betyg", "helhetsbetyg", "nöjdhet", "nöjd",
        "score", "rating", "grade", "satisfaction", "overall rating", "overall satisfaction",
        "overall how was your experience of our service", "fft score", "fft response",
        "button", "smiley",
    ),
    "nps": (
        "suosittelu", "suosittelisitko", "suosittelisit", "suositteluindeksi",
        "suosittelutodennäköisyys", "nps", "kuinka todennäköisesti suosittelisit",
        "rekommendera", "skulle du rekommendera", "hur sannolikt",
        "recommend", "likelihood to recommend", "how likely are you to recommend",
        "would you recommend",
    ),
    "feedback_type": (
        "tyyppi", "palautteen tyyppi", "palautetyyppi", "palautteen laji", "palautelaji",
        "laji", "typ", "responstyp", "type", "feedback type", "kind", "typ av feedback",
        "typ av respons",
    ),
    "comment": (
        "palaute", "vapaa palaute", "avoin palaute", "kommentti", "kommentit", "vapaa sana",
        "sana on vapaa", "risut ja ruusut", "terveiset", "palautteen sisältö", "perustelut",
        "kerro vapaasti", "vapaa kommentti", "muuta palautetta",
        "kommentar", "kommentarer", "respons", "fritext", "öppen respons",
        "comment", "comments", "feedback", "free text", "open feedback", "your feedback",
        "please tell us why", "what was good", "anything else",
    ),
    "wants_reply": (
        "vastaus toivottu", "haluan vastauksen", "toivotko vastausta", "haluatko vastauksen",
        "yhteydenotto", "yhteydenottopyyntö", "haluan yhteydenoton",
        "svar önskas", "vill ha svar", "önskar svar", "vill bli kontaktad", "kontakt önskas",
        "yhteydenottotoive", "yhteydenottopyyntö", "otetaanko yhteyttä", "vastaus toivottu k e",
        "wants reply", "reply requested", "reply wanted", "contact me", "would like a reply",
    ),
    "external_id": (
        "vastaus-id", "vastaus id", "vastausnumero", "vastaajan numero", "vastaajatunnus",
        "vastaaja", "tunniste", "tunnus", "svar-id", "svars-id",
        "id", "response id", "responseid", "record id", "record_id", "respondent id",
        "respondent", "submission id",
    ),
    # Not a mapping target of its own: a "Kuukausi" column sets the period of each row.
    "month": ("kuukausi", "kk", "jakso", "ajanjakso", "månad", "period", "month"),
    # Headers that are recognised as known but carry nothing Kokemus stores.
    "ignore": (
        "kellonaika", "klo", "aika", "tid", "klockslag", "time", "nimi", "name", "namn",
        "sähköposti", "email", "e-mail", "puhelin", "phone", "ip address", "ipaddress",
        "status", "progress", "duration", "duration (in seconds)", "finished", "huom",
        "huomautus", "lisätieto", "kirjaaja", "kirjannut", "käsittelijä", "käsitelty",
        "last modified time", "viimeisin muokkausaika", "start time", "end time",
        "startdate", "enddate", "start date", "end date",
        # the reason column of Kokemus's own rejects workbook (import log), uploaded again
        "hylkäyksen syy", "reason rejected", "orsak till avvisning",
    ),
}

MAPPABLE_FIELDS = (
    "submitted_on", "unit", "service_area", "channel", "language", "score", "nps",
    "feedback_type", "comment", "wants_reply", "external_id", "month", "ignore",
)
"""Fields a ``--map "Column=field"`` option may name (plus ``question:<name>``)."""

TOTALS_WORDS = frozenset({
    "yhteensä", "yht", "yht.", "summa", "keskiarvo", "ka", "ka.", "kaikki yhteensä",
    "total", "totals", "grand total", "sum", "average", "mean",
    "totalt", "summa totalt", "medelvärde", "medeltal", "sammanlagt",
    "vastaajia", "vastaajat yhteensä", "vastauksia yhteensä",
})

# Month names and abbreviations -> month number. Finnish in all the forms nurses use as
# sheet names ("Maalis", "maaliskuu", "Maaliskuu 2023", "maalisk."), Swedish and English.
_FI_MONTHS = ("tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys",
              "loka", "marras", "joulu")
_SV_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
              "september", "oktober", "november", "december")
_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december")


def _month_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for i, stem in enumerate(_FI_MONTHS, start=1):
        for form in (stem, stem + "kuu", stem + "kuussa", stem + "k", stem + "kuuta"):
            words[form] = i
    for names in (_SV_MONTHS, _EN_MONTHS):
        for i, name in enumerate(names, start=1):
            words[name] = i
            words[name[:3]] = i
    words["sept"] = 9
    words["okt"] = 10
    return words


MONTH_WORDS: dict[str, int] = _month_words()

# Sheet names that hold instructions, charts or lists, never responses.
SKIP_SHEET_WORDS = (
    "ohje", "ohjeet", "täyttöohje", "kaavio", "kuvaaja", "kuvio", "graafi", "diagrammi",
    "yhteenveto", "raportti", "koonti", "tiivistelmä", "lista", "listat", "valikot", "asetukset",
    "instruktion", "anvisning", "diagram", "sammanfattning",
    "instructions", "readme", "read me", "chart", "charts", "graph", "summary", "lists",
    "lookup", "settings", "pivot",
    # notes sheets, also inside survey and FFT templates: never data
    "notes", "note", "guidance", "guide", "help", "definitions", "about", "version", "changelog",
    "huomiot", "muistiinpanot", "muistio", "selitteet", "tietoja", "anteckningar", "info",
)

_SPACE = re.compile(r"\s+")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_EDGE_CHARS = " :*?!.,;#_-"
MAX_NORMALISED = 1_000   # characters of a cell that header and word matching look at
MAX_HEADER = 200         # a longer cell is text, never a column header


def normalise_header(text: object) -> str:
    """Lower-case, NFC, no bracketed notes, no edge punctuation, single spaces.

    "Arvio (1-5):" and " ARVIO " both become "arvio", so one dictionary entry serves them.
    """
    if text is None:
        return ""
    # Headers and the words they are compared with are short: a hostile megabyte cell is
    # cut first, so no pattern here ever costs more than a bounded text allows.
    s = unicodedata.normalize("NFC", str(text)[:MAX_NORMALISED]).lower()
    s = _PAREN.sub(" ", s)
    s = s.replace("\u00a0", " ").replace("_", " ").replace("/", " ")
    s = _SPACE.sub(" ", s)
    # str.strip, not a regex anchored at the end: that one is quadratic on a long run of
    # punctuation (a 2 MB cell of ";" took minutes)
    return s.strip(_EDGE_CHARS)


_EXACT: dict[str, str] = {}
for _field, _words in FIELD_SYNONYMS.items():
    for _w in _words:
        _EXACT.setdefault(normalise_header(_w), _field)
_PREFIXES = sorted(((normalise_header(w), f) for f, ws in FIELD_SYNONYMS.items() for w in ws
                    if len(w) >= 4), key=lambda p: -len(p[0]))


def match_field(header: object) -> tuple[str | None, int]:
    """The field a header names and how sure we are (3 exact, 2 prefix, 1 inside, 0 none).

    Long synonyms are tried first so "palautteen tyyppi" is a type, not a comment.
    """
    h = normalise_header(header)
    if not h or len(h) > MAX_HEADER:
        return None, 0
    if h in _EXACT:
        return _EXACT[h], 3
    for word, field in _PREFIXES:
        if h.startswith(word) and (len(h) == len(word) or not h[len(word)].isalnum()):
            return field, 2
    for word, field in _PREFIXES:
        if len(word) >= 6 and re.search(r"(^|\W)" + re.escape(word), h):
            return field, 1
    return None, 0


def month_from_word(word: object) -> int | None:
    """Month number of a month name or abbreviation in fi/sv/en, else None."""
    w = normalise_header(word)
    return MONTH_WORDS.get(w.rstrip("."))


def is_totals_label(value: object) -> bool:
    return isinstance(value, str) and normalise_header(value) in TOTALS_WORDS


def is_skip_sheet_name(name: str) -> bool:
    n = normalise_header(name)
    return any(n == w or n.startswith(w + " ") or n.startswith(w) and len(w) >= 5 for w in SKIP_SHEET_WORDS)
