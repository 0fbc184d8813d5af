"""What the form asked above a comment column: context for the feedback type.

"Ei mitään." under "Mitä voisimme parantaa?" is praise (nothing to improve); under "Mikä
oli hyvää?" it is a complaint. A plain answer with no cue words ("Lisää parkkipaikkoja")
under an improvement question is a suggestion; under a what-was-good question, praise.
"""
from __future__ import annotations

import re

# Word stems, matched at the start of any word of the question, lower-cased.
_IMPROVE = re.compile(
    r"\b(paran|parem|kehit|ehdot|toivo|huono|epäonnist|muutt|korjat|moit|"   # fi
    r"förbättr|bättre|utveckl|förslag|dålig|ändra|"                            # sv
    r"improv|better|differently|change|suggest|wrong|worse|bad)", re.IGNORECASE)
_GOOD = re.compile(
    r"\b(hyvää|hyvin|hyvä|onnistu|pidit|kiitet|positiivi|parasta|"             # fi
    r"bra|positiv|uppskatt|bäst|"                                              # sv
    r"good|well|like|positive|best|enjoy)", re.IGNORECASE)
_BOTH_NEGATED_GOOD = re.compile(r"\b(ei|not|inte|\w+n't)\s+(\w+\s+)?(hyv|good|well|bra)", re.IGNORECASE)


def question_kind(text: str | None) -> str | None:
    """"improve" | "good" | None (no question, a general one, or both asked at once)."""
    if not text or not isinstance(text, str):
        return None
    improve = bool(_IMPROVE.search(text)) or bool(_BOTH_NEGATED_GOOD.search(text))
    good = bool(_GOOD.search(_BOTH_NEGATED_GOOD.sub(" ", text)))
    if improve and not good:
        return "improve"
    if good and not improve:
        return "good"
    return None
