"""Sentence analysis: clauses, negation, polarity and the feedback type.

Why clauses: "the nurses were lovely but parking was expensive" is one sentence with two
opinions; splitting at contrast words ("mutta", "men", "but") lets each theme carry the
polarity of its own clause. Concessive clauses ("vaikka", "trots att", "although") are
kept for theme polarity but do not decide the comment's type, because the writer's point
is the main clause ("she was lovely, although the ward was busy" is praise).

Weights: strong cue words count 1, weak cues 0.5. A lone weak cue ("jono", "odottaa")
never makes a comment mixed and never turns a plain question into a complaint.

Speed: this runs once per sentence of every imported comment, so words carry their roles
as bit flags (``WordInfo.flags``) and a word without roles costs one test.
"""
from __future__ import annotations

from etl.themes.lemmas import PARTICIPLE, ROLE_FLAGS, CONDITIONAL, WordInfo, flags_of

NEGATION_REACH = 3       # words after "ei"/"not" that the negation covers
PHRASE_WINDOW = 4        # max distance between the words of a theme phrase

_F = ROLE_FLAGS
POS, POS_WEAK, NEG, NEG_WEAK = _F["positive"], _F["positive_weak"], _F["negative"], _F["negative_weak"]
NEGATOR, NEG_PREV, ABESSIVE = _F["negators"], _F["negates_previous"], _F["abessive"]
CONTRAST, CONCESSION, CONC_AFTER, TOO = _F["contrast"], _F["concession"], _F["concession_after"], _F["too"]
SUGGESTION, QWORD, WHY, CF_AUX = _F["suggestion"], _F["question_words"], _F["why_words"], _F["counterfactual_aux"]
NOTHING, FILLER, IMPROVE = _F["nothing"], _F["filler"], _F["improve"]
COMPARATIVE, MODAL, MORE = _F["comparative"], _F["modal"], _F["more"]
_SPLITS = CONTRAST | CONCESSION | CONC_AFTER


class Clause:
    __slots__ = ("concessive", "pos", "neg", "themes", "nothing", "other", "weak")

    def __init__(self, concessive: bool = False):
        self.concessive = concessive
        self.pos = 0.0
        self.neg = 0.0
        self.themes: dict[str, list[str]] = {}
        self.nothing = 0      # "nothing" words ("ei mitään", "nothing", "inget")
        self.other = 0        # words that are neither "nothing" words nor fillers

    def add_theme(self, theme: str, trigger: str) -> None:
        triggers = self.themes.get(theme)
        if triggers is None:
            self.themes[theme] = [trigger]
        elif trigger not in triggers:
            triggers.append(trigger)


class Sentence:
    __slots__ = ("clauses", "question", "why", "suggestion", "counterfactual", "more", "nothing")

    def __init__(self, clauses: list[Clause]):
        self.clauses = clauses
        self.question = False
        self.why = False
        self.suggestion = False
        self.counterfactual = False
        self.more = False       # "more", "better", "lisää": a wish when the question asks what to improve
        self.nothing = False    # a "nothing (to improve)" clause


def _phrase_matches(infos: list[WordInfo], attr: str, n_phrases_parts: list[int],
                    adjacent: bool) -> list[tuple[int, list[int]]]:
    """Find phrases: (phrase index, token positions). Adjacent phrases must follow each
    other in order (lexicon cues like "olisi hyvä"); theme phrases may come in any order
    within PHRASE_WINDOW words ("vastaanotolle pääsee" = "päästä vastaanotto")."""
    where: dict[int, dict[int, list[int]]] = {}
    for pos, info in enumerate(infos):
        for pid, part in getattr(info, attr):
            where.setdefault(pid, {}).setdefault(part, []).append(pos)
    found = []
    for pid, parts in where.items():
        n = n_phrases_parts[pid]
        if len(parts) < n:
            continue
        if adjacent:
            for start in parts.get(0, ()):
                if all(start + k in parts.get(k, ()) for k in range(1, n)):
                    found.append((pid, list(range(start, start + n))))
                    break
        else:
            for start in parts[0]:
                chosen = [start]
                for k in range(1, n):
                    near = [p for p in parts[k] if abs(p - start) <= PHRASE_WINDOW and p not in chosen]
                    if not near:
                        break
                    chosen.append(min(near, key=lambda p: abs(p - start)))
                else:
                    found.append((pid, chosen))
                    break
    return found


def analyse_sentence(infos: list[WordInfo], breaks: list[bool], question_mark: bool, lex_phrases,
                     theme_phrases, lex_sizes: list[int], theme_sizes: list[int],
                     first_word_question: bool) -> Sentence:
    n = len(infos)
    # Lexicon phrases lend their role to their first word ("would be" -> suggestion).
    extra: dict[int, int] = {}
    covered: set[int] = set()
    has_theme_parts = False
    has_weak = False
    for i in infos:
        if i.role_parts:
            for pid, positions in _phrase_matches(infos, "role_parts", lex_sizes, adjacent=True):
                extra[positions[0]] = extra.get(positions[0], 0) | flags_of((lex_phrases[pid][0],))
                covered.update(positions[1:])
            break
    for i in infos:
        if i.theme_parts:
            has_theme_parts = True
        if i.weak_themes:
            has_weak = True

    clause = Clause()
    clauses = [clause]
    sent = Sentence(clauses)
    sent.question = question_mark
    if infos:
        first = infos[0].flags | extra.get(0, 0)
        if first & QWORD and (question_mark or first_word_question):
            sent.question = True
        sent.why = bool(first & WHY)
    clause_of: list[int] = []
    reach = 0
    too_before = -1
    negated_hit = False
    negation_clause: Clause | None = None
    negation_by_nothing = False
    negator_clause = -1       # first clause with a negator (for "ei olisi voinut paremmin")
    modal_seen = False
    cf_praise_at = -1

    def close_negation() -> None:
        nonlocal reach, negated_hit, negation_clause, negation_by_nothing
        if negation_clause is not None and not negated_hit:
            # "puhelimeen ei vastattu": a service that did not happen. But "Nothing." or
            # "Ei mitään," alone is an answer ("nothing to improve"), not a complaint.
            if not (negation_by_nothing and negation_clause.other == 0):
                negation_clause.neg += 1.0
        reach, negated_hit, negation_clause, negation_by_nothing = 0, False, None, False

    for pos in range(n):
        info = infos[pos]
        f = info.flags
        xf = extra.get(pos, 0)
        if xf:
            f |= xf
        if pos + 1 < n and infos[pos + 1].flags & CONC_AFTER:
            close_negation()   # "kiireestä huolimatta": this word is the concession
            clause = Clause(concessive=True)
            clauses.append(clause)
        elif f & _SPLITS:
            if pos and f & CONC_AFTER:
                clause = Clause()
                clauses.append(clause)
            elif pos and f & (CONTRAST | CONCESSION):
                close_negation()
                clause = Clause(concessive=bool(f & CONCESSION))
                clauses.append(clause)
            elif f & CONCESSION:
                clause.concessive = True
            elif reach and breaks[pos]:
                close_negation()
        elif reach and breaks[pos]:
            close_negation()
        clause_of.append(len(clauses) - 1)
        for theme in info.themes:
            clause.add_theme(theme, info.surface)
        if f & NOTHING:
            clause.nothing += 1
        elif not f & FILLER:
            clause.other += 1
        if pos in covered:
            continue
        if not f:
            if reach:
                reach -= 1
                if reach == 0:
                    close_negation()
            continue
        if f & (SUGGESTION | CONDITIONAL):
            sent.suggestion = True
        if f & MORE:
            sent.more = True
        if f & MODAL:
            modal_seen = True
        if f & CF_AUX and (xf & CF_AUX or any(i.flags & PARTICIPLE for i in infos[pos + 1:pos + 3])):
            sent.counterfactual = True
            modal_seen = True
            clause.neg += 1.0
        if f & COMPARATIVE:
            sent.more = True
            if negator_clause >= 0 and modal_seen:
                cf_praise_at = len(clauses) - 1     # "could not have been better"
        if f & NEGATOR:
            before = infos[pos - 1] if pos else None
            if (f & NEG_PREV and before is not None and before.flags & (POS | POS_WEAK)
                    and not reach and not before.flags & NEGATOR):
                clause.pos -= before.positive     # "fungerade inte"
                clause.neg += 1.0
                continue
            if negator_clause < 0:
                negator_clause = len(clauses) - 1
            if negation_clause is None:
                negation_clause = clause
                negation_by_nothing = bool(f & NOTHING)
            reach = NEGATION_REACH
            continue
        if f & IMPROVE and reach:
            # "ei valittamista", "no complaints", "inget att klaga på": praise
            clause.pos += 1.0
            negated_hit = True
            reach -= 1
            if reach == 0:
                close_negation()
            continue
        if f & ABESSIVE:
            clause.neg += 0.5
        if f & TOO:     # "liian nopeasti", "too short": a complaint whatever follows
            clause.neg += 1.0
            too_before = pos + 1
            continue
        positive = 1.0 if f & POS else 0.5 if f & POS_WEAK else 0.0
        if too_before == pos:
            positive = 0.0
        negative = 1.0 if f & NEG else 0.5 if f & NEG_WEAK else 0.0
        if reach:
            if positive:
                clause.neg += 1.0
                negated_hit = True
            elif negative:
                clause.pos += 0.5
                negated_hit = True
            reach -= 1
            if reach == 0:
                close_negation()
        else:
            clause.pos += positive
            clause.neg += negative
    close_negation()

    if has_theme_parts and theme_sizes:
        for pid, positions in _phrase_matches(infos, "theme_parts", theme_sizes, adjacent=False):
            theme = theme_phrases[pid][0]
            target = clauses[clause_of[min(positions)]]
            for p in sorted(positions):
                target.add_theme(theme, infos[p].surface)
    if has_weak:
        _weak_themes(infos, clauses, clause_of)
    if sent.counterfactual:
        sent.suggestion = False
    if cf_praise_at >= 0:
        # "ei olisi voinut paremmin", "could not have been better", "kunde inte vara bättre"
        for c in clauses[negator_clause:cf_praise_at + 1]:
            c.neg = 0.0
        clauses[cf_praise_at].pos += 1.0
        sent.counterfactual = sent.suggestion = sent.more = False
    for c in clauses:
        if c.nothing and not c.other:
            sent.nothing = True
            c.neg = 0.0
    return sent


def _weak_themes(infos: list[WordInfo], clauses: list[Clause], clause_of: list[int]) -> None:
    """A ~word counts for its theme only when the sentence has one of the theme's context
    words: "busy" next to "staff" or "ward" is staffing; "kept me busy" is not."""
    confirmed: set[str] = set()
    for info in infos:
        confirmed.update(info.context_for)
    for c in clauses:
        confirmed.update(c.themes)
    for pos, info in enumerate(infos):
        for theme in info.weak_themes:
            if theme in confirmed:
                clauses[clause_of[pos]].add_theme(theme, info.surface)


def comment_type(sentences: list[Sentence], question: str | None = None) -> str | None:
    """The feedback type. ``question`` is what the form asked above the comment:
    "improve" ("Mitä voisimme parantaa?"), "good" ("What was good?") or None."""
    clauses = [c for s in sentences for c in s.clauses]
    main = [c for c in clauses if not c.concessive]
    if any(c.pos or c.neg for c in main):
        pos = sum(c.pos for c in main)
        neg = sum(c.neg for c in main)
    else:
        # "A, vaikka B": B runs against A, so a negative concession implies a positive
        # point and vice versa ("sain palvelua ruotsiksi, vaikka oli kiire").
        conceded = [c for c in clauses if c.concessive]
        pos = sum(c.neg for c in conceded)
        neg = sum(c.pos for c in conceded)
    if any(s.suggestion for s in sentences):
        return "suggestion"
    if any(s.question for s in sentences):
        rhetorical = any(s.question and s.why for s in sentences) and neg > 0
        if not rhetorical and neg <= 1:
            return "question"
    if pos >= 1 and neg >= 1:
        return "mixed"
    if neg > pos:
        return "complaint"
    if pos > neg:
        if question == "improve" and any(s.more for s in sentences):
            return "suggestion"     # "Friendlier reception" under "What could we improve?"
        return "praise"
    if question == "improve" and not any(s.nothing for s in sentences):
        return "suggestion"         # "More parking spaces." answers what to improve
    if question == "good":
        return "praise"             # "The nurses." answers what was good
    return None


def theme_polarity(sent: Sentence, clauses: list[Clause], ctype: str | None) -> str:
    """Polarity of one theme in one sentence, from the clauses that mention it.

    In a suggestion or a plain question the positive words describe the wished-for state
    ("olisi hyvä, jos parkkipaikkoja olisi enemmän"), so only a clear negative counts.
    """
    pos = sum(c.pos for c in clauses)
    neg = sum(c.neg for c in clauses)
    if (sent.suggestion or sent.question or ctype == "suggestion") and not sent.counterfactual:
        return "negative" if neg >= 1 else "neutral"
    if neg > pos:
        return "negative"
    if pos > neg:
        return "positive"
    return {"praise": "positive", "complaint": "negative"}.get(ctype or "", "neutral")
