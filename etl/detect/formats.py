"""Survey platform exports, recognised by their header signature.

Each platform writes its own bookkeeping columns (Qualtrics' three header rows, REDCap's
``record_id`` and ``*_complete``, Forms' start/completion times). Knowing them tells us
which column is the response id and the timestamp, and which columns to ignore, instead
of guessing from the dictionary alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from etl.detect import tally
from etl.detect.synonyms import match_field, normalise_header

SCAN_ROWS = 10

# THL national statements: a keyword in the statement text -> the question's short name.
THL_STATEMENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("saatavuus", ("saatavuus", "pääsin hoitoon", "hoitoon pääsy", "sain ajan", "sain palvelua",
                   "tavoitin", "riittävän nopeasti")),
    ("kohtaaminen", ("kohtaaminen", "kohdel", "kohdattiin", "kuunneltiin", "osallistu")),
    ("turvallisuus", ("turvalli",)),
    ("tiedonsaanti", ("tiedonsaanti", "sain tietoa", "ymmärrettäv", "sain riittävästi tietoa")),
    ("hyödyllisyys", ("hyöty", "hyödy", "hyödylli", "sain apua")),
)


@dataclass
class FormatMatch:
    name: str
    header_row: int
    data_start: int
    mapping: dict[str, str] = field(default_factory=dict)   # header text -> field
    channel: str | None = None
    word_scale: str | None = None
    date_order: str | None = None      # the order ambiguous slash dates take when nothing tells


def thl_statement(header: str) -> str | None:
    h = normalise_header(header)
    for name, keys in THL_STATEMENTS:
        if any(k in h for k in keys):
            return name
    return None


def _norms(row: list[Any]) -> list[str]:
    return [normalise_header(v) if isinstance(v, str) else "" for v in row]


def _texts(row: list[Any]) -> list[str]:
    return [v.strip() if isinstance(v, str) else "" for v in row]


def _find(texts: list[str], norms: list[str], *names: str, prefix: bool = False) -> str | None:
    for t, n in zip(texts, norms):
        if n and any(n == x or (prefix and n.startswith(x)) for x in names):
            return t
    return None


def _qualtrics(rows, i) -> FormatMatch | None:
    n = _norms(rows[i])
    if "startdate" in n and "responseid" in n and len(rows) > i + 2 and any(
            isinstance(v, str) and v.replace(" ", "").lower().startswith('{"importid"') for v in rows[i + 2]):
        texts = _texts(rows[i + 1])
        labels = _norms(rows[i + 1])
        mapping = {t: "ignore" for t, code in zip(texts, n) if t and code in (
            "startdate", "enddate", "status", "ipaddress", "progress", "duration", "finished",
            "responseid", "recordeddate", "userlanguage", "distributionchannel",
            "locationlatitude", "locationlongitude", "recipientlastname", "recipientfirstname",
            "recipientemail", "externalreference")}
        for t, code in zip(texts, n):
            if code == "responseid":
                mapping[t] = "external_id"
            elif code == "recordeddate":
                mapping[t] = "submitted_on"
            elif code == "userlanguage":
                mapping[t] = "language"
        del labels
        return FormatMatch("qualtrics", i + 1, i + 3, mapping, channel="web")
    return None


def _redcap(rows, i) -> FormatMatch | None:
    texts, n = _texts(rows[i]), _norms(rows[i])
    if "record id" not in n or not any(x.endswith("timestamp") or x.endswith("complete") for x in n):
        return None
    mapping = {}
    for t, x in zip(texts, n):
        if x == "record id":
            mapping[t] = "external_id"
        elif x.endswith("timestamp"):
            mapping[t] = "submitted_on"
        elif x.endswith("complete") or x in ("redcap survey identifier", "survey identifier"):
            mapping[t] = "ignore"
    return FormatMatch("redcap", i, i + 1, mapping, channel="web")


def _msforms(rows, i) -> FormatMatch | None:
    texts, n = _texts(rows[i]), _norms(rows[i])
    done = _find(texts, n, "completion time", "valmistumisaika", "slutförandetid")
    start = _find(texts, n, "start time", "aloitusaika", "starttid")
    rid = _find(texts, n, "id", "tunnus")
    if not (done and start and rid):
        return None
    mapping = {done: "submitted_on", start: "ignore", rid: "external_id"}
    for t, x in zip(texts, n):
        if x in ("email", "sähköposti", "e-post", "name", "nimi", "namn", "last modified time",
                 "viimeisin muokkausaika", "senaste ändringstid"):
            mapping[t] = "ignore"
    return FormatMatch("msforms", i, i + 1, mapping, channel="web")


def _googleforms(rows, i) -> FormatMatch | None:
    texts, n = _texts(rows[i]), _norms(rows[i])
    if not n or n[0] not in ("timestamp", "aikaleima", "tidsstämpel", "tidstämpel"):
        return None
    mapping = {texts[0]: "submitted_on"}
    for t, x in zip(texts, n):
        if x in ("email address", "sähköpostiosoite", "e-postadress", "score", "pisteet"):
            mapping[t] = "ignore"
    # a US-locale sheet writes its Timestamp M/d/yyyy H:mm:ss
    return FormatMatch("googleforms", i, i + 1, mapping, channel="web", date_order="mdy")


def _webropol(rows, i) -> FormatMatch | None:
    texts, n = _texts(rows[i]), _norms(rows[i])
    who = _find(texts, n, "vastaajan numero", "vastaaja", "vastaajan id", "respondent",
                "respondent number", "svarande", "svarandens nummer")
    when = _find(texts, n, "vastausaika", "vastattu", "vastauspäivä", "vastauspäivämäärä",
                 "answered", "response time", "date of response", "svarstid", "besvarad")
    if not (who and when):
        return None
    return FormatMatch("webropol", i, i + 1, {who: "external_id", when: "submitted_on"},
                       channel="web")


def _happyornot(rows, i) -> FormatMatch | None:
    texts, n = _texts(rows[i]), _norms(rows[i])
    button = _find(texts, n, "button", "smiley", "painike", "hymiö", "knapp", "response", "vastaus")
    place = _find(texts, n, "touchpoint", "survey", "kysely", "terminal", "laite", "location",
                  "sijainti", "enkät")
    if not (button and place):
        return None
    col = texts.index(button)
    answers = [r[col] for r in rows[i + 1:i + 30] if col < len(r) and r[col] is not None]
    if not answers or not all(tally.answer_rank(a) is not None for a in answers):
        return None
    mapping = {button: "score"}
    for t, x in zip(texts, n):
        if x in ("touchpoint", "location", "sijainti", "terminal", "laite"):
            mapping[t] = "unit"
        elif x in ("survey", "kysely", "enkät", "question", "kysymys"):
            mapping[t] = "ignore"
    return FormatMatch("happyornot", i, i + 1, mapping, channel="kiosk", word_scale="smiley4")


def _fft(rows, i) -> FormatMatch | None:
    texts, n = _texts(rows[i]), _norms(rows[i])
    q = next((t for t, x in zip(texts, n) if "how was your experience" in x or x.startswith("fft")
              or x in ("friends and family test", "recommend score", "fft question")), None)
    if q is None:
        return None
    return FormatMatch("fft", i, i + 1, {q: "score"}, word_scale="words")


def _thl(rows, i) -> FormatMatch | None:
    texts = _texts(rows[i])
    statements = {t: f"question:{thl_statement(t)}" for t in texts if t and thl_statement(t)
                  and match_field(t)[0] != "nps"}
    has_nps = any(match_field(t)[0] == "nps" for t in texts if t)
    if has_nps and len(statements) >= 2:
        return FormatMatch("thl", i, i + 1, statements)
    return None


DETECTORS = (_qualtrics, _redcap, _msforms, _googleforms, _webropol, _happyornot, _fft, _thl)


def detect_format(rows: list[list[Any]]) -> FormatMatch | None:
    """The first platform whose signature appears in one of the first rows of the sheet.
    THL statement columns are mapped as questions whatever platform carried the form."""
    for i in range(min(SCAN_ROWS, len(rows))):
        for detector in DETECTORS:
            match = detector(rows, i)
            if match is None:
                continue
            if match.name != "thl":
                thl = _thl(rows, match.header_row)
                if thl:
                    match.mapping = {**thl.mapping, **match.mapping}
            return match
    return None
