"""Which words of a title, sheet name or file name name a unit, and which name a period or a
device instead.

Nurses write units as compounds and glued forms ("Keuhkotautiosasto 2", "Ortopedian
vuodeosasto 6", "Silmätautipoliklinikka", "osasto7C_2021.xlsx", "TK-osasto 3", "Os 9",
"Avdelning 7"). A longer regular expression never catches them all; a word is a unit word
when its lemma (simplemma, which strips the case endings: "terveysasemalla" ->
"terveysasema") is, or ends with, one of the head words below (Finnish compounds put the
head last: "keuhkotauti|osasto"). The registry's own unit names are tried first.

Every answer carries the reason a person is shown ("yksikkö otsikosta ...").
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from etl.detect.units import alias_key

# Head words of unit names, fi / sv / en. Longest first so "vuodeosasto" wins over "osasto".
UNIT_HEADS = tuple(sorted((
    "osasto", "vuodeosasto", "poliklinikka", "pkl", "terveysasema", "terveyskeskus", "päivystys",
    "yhteispäivystys", "neuvola", "vastaanotto", "klinikka", "sairaala", "hoitola", "kotihoito",
    "palvelukeskus", "yksikkö", "asema", "os", "ta", "tk", "tk-osasto", "avo", "kuntoutus",
    "avdelning", "avd", "mottagning", "hälsostation", "hälsocentral", "jour", "poliklinik",
    "vårdavdelning", "enhet", "rådgivning",
    "ward", "clinic", "unit", "department", "practice", "surgery", "centre", "center", "hospital",
), key=len, reverse=True))
# Heads that alone say nothing about which unit ("Osasto" - which one?).
LONE_GENERIC = frozenset({
    "osasto", "os", "yksikkö", "ta", "tk", "pkl", "poliklinikka", "vuodeosasto", "asema", "avo",
    "avdelning", "avd", "enhet", "mottagning", "ward", "clinic", "unit", "department", "practice",
    "surgery", "centre", "center", "hospital", "klinikka", "sairaala",
})
ABBREVIATIONS = {"ta": "TA", "tk": "TK", "pkl": "PKL", "os": "Os", "avd": "Avd"}
# Words of titles and file names that are about the file, not the unit.
FILLER = re.compile(
    r"^(asiakas|potilas)?(palaute|palautteet|palautteita|palautekysely|kysely|kyselyn|vastaukset|"
    r"vastaus|tulokset|raportti|seuranta|taulukko|yhteenveto|lomake|lomakepalautteet|koonti|tilasto|"
    r"data|export|raakadata|webropol|forms|feedback|respons|enkät|svar|survey|responses|results|report|"
    r"fft|friends|family|test|kiitokset|vuosi|year|år|kk|vko|viikko|sheet|taul\d*|blad\d*)$",
    re.IGNORECASE)
_CODE = re.compile(r"^(\d{1,3}\s?[a-zåäö]?|[a-zåäö]\d{0,2}|[ivx]{1,4})$", re.IGNORECASE)
_YEAR = re.compile(r"^(19[89]\d|20\d\d)$")
_SPLIT = re.compile(r"\s[-–—|]\s|[–—|:;,()\[\]]|\s-|-\s")
_GLUED = re.compile(r"(?<=[a-zåäö])(?=\d)", re.IGNORECASE)   # "osasto7C" -> "osasto 7C"

# Device or channel names: set the channel, never the unit.
DEVICE_HEADS = ("hymiölaite", "laite", "pääte", "päätte", "kioski", "happyornot", "tabletti",
                "terminal", "terminaali", "kiosk", "tablet", "smiley", "hymiö", "hymiöt",
                "device", "enhet-terminal")


@dataclass(frozen=True)
class UnitClue:
    name: str
    reason: str          # registry | compound | head | code
    source: str          # the text it came from


@functools.lru_cache(maxsize=1)
def _lemmatizer():
    try:
        import simplemma
    except ImportError:  # pragma: no cover - pinned in requirements.txt
        return None
    return simplemma


@functools.lru_cache(maxsize=20000)
def lemma(word: str) -> str:
    """Finnish (then Swedish) base form of one word, lower case; the word itself when the
    lemmatiser does not know it. libvoikko would split compounds better; it is used when
    installed."""
    w = word.lower()
    voikko = _voikko()
    if voikko is not None:
        analyses = voikko.analyze(w)
        if analyses and analyses[0].get("BASEFORM"):
            return analyses[0]["BASEFORM"].lower()
    sm = _lemmatizer()
    if sm is None or not w.isalpha():
        return w
    for ending in ("arna", "erna", "en", "et", "ar", "er"):   # Swedish: "avdelningen", "mottagningen"
        if w.endswith(ending) and w[: -len(ending)] in UNIT_HEADS:
            return w[: -len(ending)]
    from etl.themes.lemma_store import default_lemmas
    return default_lemmas()(w, "fi")   # simplemma's lemma, from the memory-mapped tables


@functools.lru_cache(maxsize=1)
def _voikko():
    try:
        import libvoikko  # type: ignore[import-not-found]
        return libvoikko.Voikko("fi")
    except Exception:  # noqa: BLE001 - not installed here: simplemma does the work
        return None


def head_of(word: str, heads=UNIT_HEADS) -> tuple[str, bool] | None:
    """(head, is_compound) when ``word`` (or its lemma) is or ends with a head word.

    "Keuhkotautiosastolla" -> ("osasto", True); "Os" -> ("os", False)."""
    w = word.lower().strip(".-")
    if not w:
        return None
    for cand in (w, None):
        if cand is None:       # the lemmatiser only when the word as written says nothing
            cand = lemma(w)
            if cand == w:
                break
        if cand in heads:
            return cand, False
        if "-" in cand:
            last = cand.rsplit("-", 1)[1]
            if last in heads or lemma(last) in heads:
                return (last if last in heads else lemma(last)), True
        for h in heads:
            if len(h) >= 5 and cand.endswith(h) and len(cand) - len(h) >= 3:
                return h, True
    return None


def _words(text: str) -> list[str]:
    text = _GLUED.sub(" ", text.replace("_", " "))
    return [w for w in re.split(r"\s+", text) if w]


def _display(words: list[str], from_file_name: bool) -> str:
    out = []
    for i, w in enumerate(words):
        bare = w.strip(".")
        low = bare.lower()
        if from_file_name and low in ABBREVIATIONS:
            out.append(ABBREVIATIONS[low])
        elif from_file_name and w.islower() and not _CODE.match(w):
            out.append(w[:1].upper() + w[1:])
        elif from_file_name and _CODE.match(w):
            out.append(w.upper())
        else:
            out.append(w)
    return " ".join(out).strip(" -.")


def _stop(word: str) -> bool:
    from etl.detect.periods import is_period_word
    w = word.strip(".,").lower()
    return (not w or bool(_YEAR.match(w)) or bool(FILLER.match(w)) or is_period_word(w)
            or device_word(w) or bool(re.search(r"(palaute|palautteet|kysely|vastaukset)$", w)))


def _phrase(words: list[str], i: int) -> list[str]:
    """The unit phrase around the head word at ``i``: modifiers before it ("Ortopedian",
    "Keskustan", "Lasten"), a code or a place name after it ("5B", "Pohjoinen")."""
    start = i
    while start > 0 and not _stop(words[start - 1]) and not _CODE.match(words[start - 1]) \
            and head_of(words[start - 1]) is None and words[start - 1][:1].isalpha() \
            and (words[start - 1][:1].isupper() or words[start - 1].lower().endswith("n")):
        start -= 1
    end = i + 1
    while end < len(words) and not _stop(words[end]):
        w = words[end]
        if _CODE.match(w) or (w[:1].isalpha() and head_of(w) is None):
            end += 1
            if _CODE.match(w) and not re.fullmatch(r"\d{1,3}", w):
                break
            if _CODE.match(w) and end < len(words) and re.fullmatch(r"[a-zåäö]", words[end], re.I):
                end += 1  # "5 B"
                break
            continue
        break
    return words[start:end]


def find_unit(text: object, *, known: dict[str, str] | None = None,
              from_file_name: bool = False) -> UnitClue | None:
    """The unit ``text`` names, or None. ``known`` maps alias keys of registry units to
    their names; a registry name inside the text wins over everything else."""
    s = str(text or "").strip()
    if not s:
        return None
    if from_file_name:
        s = re.sub(r"\.(xlsx|xlsm|xls|ods|csv|tsv|txt)$", "", s, flags=re.IGNORECASE)
    if known:
        key = f" {alias_key(_GLUED.sub(' ', s.replace('_', ' ')))} "
        hits = [(k, n) for k, n in known.items() if k and f" {k} " in key]
        if hits:
            k, n = max(hits, key=lambda kn: len(kn[0]))
            if k not in {alias_key(g) for g in LONE_GENERIC}:
                return UnitClue(n, "registry", str(text))
    for part in _SPLIT.split(s):
        words = _words(part)
        for i, w in enumerate(words):
            head = head_of(w)
            if head is None or device_word(w.lower()):
                continue
            phrase = _phrase(words, i)
            if not phrase:
                continue
            low = [p.lower().strip(".") for p in phrase]
            if len(low) == 1 and head[0] in LONE_GENERIC and not head[1]:
                continue
            lower = from_file_name or "_" in str(text) or part.islower()
            return UnitClue(_display(phrase, lower), "compound" if head[1] else "head", str(text))
    if re.fullmatch(r"\d{1,3}\s?[a-zåäö]?", s, re.IGNORECASE):
        return UnitClue(s, "code", str(text))
    return None


def device_word(word: str) -> bool:
    w = word.lower().strip(".,")
    if not w:
        return False
    if w in DEVICE_HEADS or lemma(w) in DEVICE_HEADS:
        return True
    return any(len(h) >= 5 and w.endswith(h) for h in DEVICE_HEADS)


def device_channel(name: object) -> str | None:
    """"Hymiölaite", "HappyOrNot", "Kioski 2", "Palautepääte": the kiosk channel."""
    words = _words(str(name or ""))
    if words and any(device_word(w) for w in words) and find_unit(name) is None:
        return "kiosk"
    return None
