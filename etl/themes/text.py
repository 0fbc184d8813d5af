"""Splitting a comment into sentences and words, and telling its language.

Redaction placeholders ([HETU], [PUHELIN], [SÄHKÖPOSTI]) are removed first: they are
not the patient's words and must never become themes or "emerging words".
"""
from __future__ import annotations

import re
from functools import lru_cache

PLACEHOLDER = re.compile(r"\[[A-ZÅÄÖ_]+\]")
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=[!?])(?=\S)")
# Words: letters/digits with inner apostrophes ("didn't"); hyphens split compounds on purpose.
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
BREAK = re.compile(r"[,:()–—]")


def clean(text: str | None) -> str:
    if not text:
        return ""
    return PLACEHOLDER.sub(" ", text).replace("’", "'").strip()


def sentences(text: str) -> list[str]:
    return [s for s in (p.strip() for p in SENTENCE_END.split(text)) if s]


def words_with_breaks(sentence: str) -> list[tuple[str, bool]]:
    """(word, comes right after a comma/colon) - commas end a negation's reach."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in WORD.finditer(sentence):
        after_break = bool(BREAK.search(sentence, pos, m.start()))
        out.append((m.group(0), after_break))
        pos = m.end()
    return out


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=False)
    ident.set_languages(["fi", "sv", "en"])
    return ident


# Letters and words that settle the language without the model. Finnish comments are the
# great majority, so answering them cheaply keeps the import fast; anything unclear goes
# to py3langid (about 20 µs a comment). Finnish case endings are a strong, cheap signal.
_SV_WORDS = frozenset("och att det är inte jag var med för som på till mycket tack men hade en ett av "
                      "hela vi ni de den bra".split())
_EN_WORDS = frozenset("the and was were with not very for you they my is to of it a in at be".split())
_FI_WORDS = frozenset("ja oli ei on että mutta kun olla hyvä kiitos en hoitaja lääkäri myös ovat olivat "
                      "se sain koko vaikka todella".split())
_FI_ENDINGS = ("ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "nen", "iin", "ään",
               "aan", "een", "ttiin", "ivat", "ivät", "isi", "mme", "tte", "nsa", "nsä")


def detect_language(text: str, words: list[str] | None = None) -> str | None:
    if not text or not any(ch.isalpha() for ch in text):
        return None
    lowered = [w.lower() for w in (words if words is not None else WORD.findall(text))]
    low_text = text.lower()
    sv = sum(w in _SV_WORDS for w in lowered) + ("å" in low_text) * 2
    en = sum(w in _EN_WORDS for w in lowered)
    fi = sum(w in _FI_WORDS or (len(w) > 4 and w.endswith(_FI_ENDINGS)) for w in lowered)
    if fi >= 2 and sv == 0 and en == 0:
        return "fi"
    if sv >= 2 and fi == 0 and en == 0:
        return "sv"
    if en >= 2 and fi == 0 and sv == 0 and not any(ch in "äöå" for ch in low_text):
        return "en"
    return _identifier().classify(text)[0]
