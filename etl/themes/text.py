"""Splitting a comment into sentences and words, and telling its language.

Redaction placeholders ([HETU], [PUHELIN], [SÄHKÖPOSTI]) are removed first: they are
not the patient's words and must never become themes or "emerging words".
"""
from __future__ import annotations

import re
from functools import lru_cache

import cython

PLACEHOLDER = re.compile(r"\[[A-ZÅÄÖ_]+\]")
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+|(?<=[!?])(?=\S)")
# Words: letters/digits with inner apostrophes ("didn't"); hyphens split compounds on purpose.
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
BREAK = re.compile(r"[,:()–—]")


# One pass over a lower-cased comment: words, sentence ends (". " "; " "!" "?" line
# breaks) and clause breaks (, : ( ) – —). "12.3." and "klo 7.41" do not end a sentence.
TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[.;]+(?=\s|$)|[!?]+|\n|[,:()–—]")
SENTENCE_CHARS = frozenset(".;!?\n")
BREAK_CHARS = frozenset(",:()–—")


def clean(text: str | None) -> str:
    if not text:
        return ""
    if "[" in text:
        text = PLACEHOLDER.sub(" ", text)
    if "’" in text:
        text = text.replace("’", "'")
    return text.strip()


def split_tokens(tokens: list[str]) -> list[tuple[list[str], list[bool], bool]]:
    """Sentences as (words, after-a-comma flags, ends with "?") from TOKEN.findall."""
    out = []
    words: list[str] = []
    breaks: list[bool] = []
    pending = False
    for tok in tokens:
        c = tok[0]
        if c in SENTENCE_CHARS:
            if words:
                out.append((words, breaks, tok[-1] == "?"))
                words, breaks = [], []
            pending = False
        elif c in BREAK_CHARS:
            pending = True
        else:
            words.append(tok)
            breaks.append(pending)
            pending = False
    if words:
        out.append((words, breaks, False))
    return out


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
    from etl.themes.langid_model import identifier   # py3langid cut to fi/sv/en, cached
    return identifier()


# Letters and words that settle the language without the model. Finnish comments are the
# great majority, so answering them cheaply keeps the import fast; anything unclear goes
# to py3langid (about 20 µs a comment). Finnish case endings are a strong, cheap signal.
_SV_WORDS = frozenset("och att det är inte jag var med för som på till mycket tack men hade en ett av "
                      "hela vi ni de den bra inget ingenting personalen bemötande vänlig trevlig allt "
                      "jättebra väldigt".split())
_EN_WORDS = frozenset("the and was were with not very for you they my is to of it a in at be "
                      "good great staff nothing thank thanks everything excellent nice helpful friendly "
                      "kind really service lovely all no none always".split())
_FI_WORDS = frozenset("ja oli ei on että mutta kun olla hyvä kiitos en hoitaja lääkäri myös ovat olivat "
                      "se sain koko vaikka todella mitään hyvin kaikki kiitokset erittäin ystävällinen "
                      "hoito henkilökunta".split())
_FI_ENDINGS = ("ssa", "ssä", "sta", "stä", "lla", "llä", "lta", "ltä", "lle", "ksi", "nen", "iin", "ään",
               "aan", "een", "ttiin", "ivat", "ivät", "isi", "mme", "tte", "nsa", "nsä")
SHORT_COMMENT = 4        # words: below this, one known word decides and a prior holds


def fi_evidence(word: str) -> bool:
    """A lower-cased word that counts for Finnish when the function words do not settle it."""
    return word in _FI_WORDS or (len(word) > 4 and word.endswith(_FI_ENDINGS))


def _counts(low_text: str, lowered: list[str]) -> tuple[int, int, int]:
    """(Finnish, Swedish, English) evidence of a lower-cased text and its words: distinct
    function words of each language, "å" (two for Swedish), and when the Finnish function
    words do not settle it, distinct Finnish evidence words instead (case endings too)."""
    sv = len(_SV_WORDS.intersection(lowered)) + ("å" in low_text) * 2
    en = len(_EN_WORDS.intersection(lowered))
    fi = len(_FI_WORDS.intersection(lowered))
    if fi < 2 or sv or en:
        fi = sum(map(fi_evidence, set(lowered)))
    return fi, sv, en


# A word's language evidence as bits (:func:`evidence_bits`), kept per chunk by the
# tagger's chunk table so a comment's evidence is counted from its few evidence words.
SV_WORD, EN_WORD, FI_WORD, FI_EVIDENCE = 1, 2, 4, 8


def evidence_bits(word: str) -> int:
    """Which of the counts of :func:`_counts` a lower-cased word adds to (0 for most words)."""
    return ((SV_WORD if word in _SV_WORDS else 0) | (EN_WORD if word in _EN_WORDS else 0)
            | (FI_WORD if word in _FI_WORDS else 0) | (FI_EVIDENCE if fi_evidence(word) else 0))


@cython.locals(sv=cython.Py_ssize_t, en=cython.Py_ssize_t, fi=cython.Py_ssize_t, fe=cython.Py_ssize_t,
               bits=cython.long, n=cython.Py_ssize_t, k=cython.Py_ssize_t, j=cython.Py_ssize_t, pair=tuple,
               word=str, other=str, prior_pair=tuple, evidence=list, few=cython.bint, SV_=cython.long, EN_=cython.long, FI_=cython.long,
               FE_=cython.long)
def evidence_counts(low_text: str, evidence: list) -> tuple[int, int, int]:
    """:func:`_counts` from ``evidence``: (word, :func:`evidence_bits`) of every word of the
    text with evidence bits, repeats allowed (a word counts once, as in ``_counts``).
    ``low_text`` may be the text as written: its "Å" and "Å" (the ångström sign) count as
    the "å" lower-casing makes of them.
    A comment has a handful of evidence words, so a repeat is found by comparing each word
    with the ones before it, in C when compiled; only a long list goes through a dict."""
    sv = en = fi = fe = 0
    SV_, EN_, FI_, FE_ = SV_WORD, EN_WORD, FI_WORD, FI_EVIDENCE     # C constants when compiled
    n = len(evidence)
    few = n <= 16
    if not few:
        evidence = list(dict(evidence).items())
        n = len(evidence)
    for k in range(n):
        pair = evidence[k]
        if few:
            word = pair[0]
            for j in range(k):
                prior_pair = evidence[j]
                other = prior_pair[0]
                # equal words have equal lengths and (cached) hashes: most pairs differ there,
                # in C when compiled, without a string comparison
                if other is word or (len(other) == len(word) and hash(other) == hash(word) and other == word):
                    break
            else:
                j = -1
            if j >= 0:
                continue        # counted already
        bits = pair[1]
        if bits & SV_:
            sv += 1
        if bits & EN_:
            en += 1
        if bits & FI_:
            fi += 1
        if bits & FE_:
            fe += 1
    if "å" in low_text or "Å" in low_text or "\u212b" in low_text:
        sv += 2
    if fi < 2 or sv or en:
        fi = fe
    return fi, sv, en


def detect_language(text: str, words: list[str] | None = None, prior: str | None = None) -> str | None:
    """fi | sv | en | None. ``prior`` is the file's or column's dominant language: a short
    comment keeps it unless another language's words clearly win, so "Nothing." in an
    English file or "Bra!" in a Swedish one never goes to another language's word lists."""
    if not text or not any(ch.isalpha() for ch in text):
        return None
    low_text = text.lower()
    lowered = [w.lower() for w in words] if words is not None else WORD.findall(low_text)
    return detect_lowered(text, low_text, lowered, prior)


def detect_lowered(text: str, low_text: str, lowered: list[str], prior: str | None = None,
                   n_words: int | None = None) -> str | None:
    """:func:`detect_language` for a text that has a letter, given lower-cased
    (``low_text``, its words ``lowered``)."""
    return detect_counts(text, low_text, _counts(low_text, lowered),
                         prior, len(lowered) if n_words is None else n_words)


@cython.locals(fi=cython.Py_ssize_t, sv=cython.Py_ssize_t, en=cython.Py_ssize_t, top=cython.Py_ssize_t)
def detect_counts(text: str, low_text: str, counts: tuple[int, int, int], prior: str | None,
                  n_words: int) -> str | None:
    """The language from a text's (fi, sv, en) evidence (:func:`_counts`, or
    :func:`evidence_counts` as the tagger finds them) and its word count. ``low_text``
    None: ``text`` is as written, and both are its lower-cased text from here on, made only
    when the evidence does not settle it (the tagger does not lower-case every comment)."""
    fi, sv, en = counts
    if prior is not None:
        # the common case, decided in C when compiled: the prior holds when nothing beats it
        top = max(fi, sv, en)
        if (fi if prior == "fi" else sv if prior == "sv" else en if prior == "en" else -1) >= top:
            return prior
    if low_text is None:
        text = low_text = text.lower()
    scores = {"fi": fi, "sv": sv, "en": en}
    if prior in scores:
        if scores[prior] >= max(fi, sv, en):
            return prior        # (the common case, decided without ranking)
        best = max(scores, key=scores.__getitem__)
        lead = scores[best] - scores[prior]
        if best == prior or lead <= 0:
            return prior
        if lead >= 2 or (n_words >= SHORT_COMMENT and scores[best] >= 2 and scores[prior] == 0):
            return best
        return prior
    if fi >= 2 and sv == 0 and en == 0:
        return "fi"
    if sv >= 2 and fi == 0 and en == 0:
        return "sv"
    if en >= 2 and fi == 0 and sv == 0 and not any(ch in "äöå" for ch in low_text):
        return "en"
    if n_words < SHORT_COMMENT:
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if ranked[0][1] >= 1 and ranked[0][1] > ranked[1][1]:
            return ranked[0][0]
    return _identifier().classify(text)[0]


def dominant_language(texts: list[str], sample: int = 300, detect=None) -> str | None:
    """The language most comments of a column are in (at least 60 % of a sample of its
    longer comments, five or more), used as the prior for its short ones; None when mixed.
    ``detect``: a cleaned comment's language, :func:`detect_language` unless a tagger passes
    its own way to the same answer (``Tagger._language_of``, through its chunk table)."""
    if detect is None:
        detect = detect_language
    longer = [t for t in texts if t and len(t) >= 25][:sample] or [t for t in texts if t][:sample]
    if not longer:
        return None
    found: dict[str, int] = {}
    for t in longer:
        lang = detect(clean(t))
        if lang:
            found[lang] = found.get(lang, 0) + 1
    if not found:
        return None
    lang, n = max(found.items(), key=lambda kv: kv[1])
    return lang if len(longer) >= 5 and n >= 0.6 * len(longer) else None
