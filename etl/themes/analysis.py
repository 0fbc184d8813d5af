"""Sentence analysis: clauses, negation, polarity and the feedback type.

Why clauses: "the nurses were lovely but parking was expensive" is one sentence with two
opinions; splitting at contrast words ("mutta", "men", "but") lets each theme carry the
polarity of its own clause. Concessive clauses ("vaikka", "trots att", "although") are
kept for theme polarity but do not decide the comment's type, because the writer's point
is the main clause ("she was lovely, although the ward was busy" is praise).

Weights: strong cue words count 1, weak cues 0.5. A lone weak cue ("jono", "odottaa")
never makes a comment mixed and never turns a plain question into a complaint.

Speed: this runs once per sentence of every imported comment, so words carry their roles
as bit flags (``WordInfo.flags``) and a word without roles costs one test. The module is
compiled with Cython (etl/themes/native.py); the ``cython.locals`` declarations make the
pass's counters and flags C integers there and mean nothing to Python. The flags need 35
bits and the counters are word positions, so C's integers give Python's very results.
"""
from __future__ import annotations

import cython

from etl.themes.lemmas import (BREAK, CONDITIONAL, END, HAS_CONC_AFTER, HAS_NOTHING, HAS_ROLE_PARTS, HAS_THEME_PARTS, HAS_WEAK, PARTICIPLE,
                               PUNCT, QMARK, ROLE_FLAGS, WordInfo, flags_of)

NEGATION_REACH = 3       # words after "ei"/"not" that the negation covers
PHRASE_WINDOW = 4        # max distance between the words of a theme phrase
ORDERED_REACH = 3        # a quoted phrase's next word comes at most this many words later

_F = ROLE_FLAGS
POS, POS_WEAK, NEG, NEG_WEAK = _F["positive"], _F["positive_weak"], _F["negative"], _F["negative_weak"]
NEGATOR, NEG_PREV, ABESSIVE = _F["negators"], _F["negates_previous"], _F["abessive"]
CONTRAST, CONCESSION, CONC_AFTER, TOO = _F["contrast"], _F["concession"], _F["concession_after"], _F["too"]
SUGGESTION, QWORD, WHY, CF_AUX = _F["suggestion"], _F["question_words"], _F["why_words"], _F["counterfactual_aux"]
NOTHING, FILLER, IMPROVE = _F["nothing"], _F["filler"], _F["improve"]
COMPARATIVE, MODAL, MORE = _F["comparative"], _F["modal"], _F["more"]
_SPLITS = CONTRAST | CONCESSION | CONC_AFTER
_NOT_CUES = _F["stopwords"] | _F["filler"] | _F["nothing"] | _F["question_words"] | _F["why_words"]
CUES = ~_NOT_CUES       # a word with no other flag only moves a negation's reach on

_int, _flags, _bool = cython.typedef(cython.Py_ssize_t), cython.typedef(cython.longlong), cython.typedef(cython.bint)


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
    __slots__ = ("clauses", "question", "why", "suggestion", "counterfactual", "more", "nothing", "first_qword")

    def __init__(self, clauses: list[Clause]):
        self.clauses = clauses
        self.question = False
        self.why = False
        self.suggestion = False
        self.counterfactual = False
        self.more = False       # "more", "better", "lisää": a wish when the question asks what to improve
        self.nothing = False    # a "nothing (to improve)" clause
        self.first_qword = False


@cython.ccall
@cython.locals(positions=list, start=cython.Py_ssize_t, best=cython.Py_ssize_t, p=cython.Py_ssize_t)
def _nearest(positions: list[int], start: int) -> int:
    """The first of the positions nearest to ``start`` (as ``min`` with a distance key; a
    loop, not a lambda: compiled, a lambda is an allocation per call)."""
    best = positions[0]
    for p in positions:
        if abs(p - start) < abs(best - start):
            best = p
    return best


@cython.ccall
@cython.locals(pos=cython.Py_ssize_t, p=cython.Py_ssize_t)
def _has_near(positions, pos: int) -> bool:
    """Whether another position than ``pos`` is at most PHRASE_WINDOW words from it."""
    for p in positions:
        if p != pos and abs(p - pos) <= PHRASE_WINDOW:
            return True
    return False


@cython.ccall
@cython.locals(seen=set, twice=set, pairs=tuple, pair=tuple)
def _named_twice(parts_at):
    """The phrase indexes that come twice or more among the (position, (phrase, part)
    pairs), or None when none does: every phrase has two parts or more, so only these can
    be complete."""
    seen = set()
    twice = None
    for _, pairs in parts_at:
        for pair in pairs:
            pid = pair[0]
            if pid in seen:
                if twice is None:
                    twice = set()
                twice.add(pid)
            else:
                seen.add(pid)
    return twice


@cython.ccall
@cython.locals(parts_at=list, where=dict, at=dict, parts=dict, found=list, pairs=tuple, chosen=list, n=_int,
               k=_int, start=_int, prev=_int, p=_int, twice=set)
def _phrase_matches(parts_at, n_phrases_parts: list[int],
                    phrases=None) -> list[tuple[int, list[int]]]:
    """Find theme phrases: (phrase index, token positions) from ``parts_at``, the (position,
    (phrase, part) pairs) of the words that can fill a phrase, in position order (only
    those: most words fill none). Lexicon cues ("olisi hyvä"), whose words follow each other,
    are :func:`_adjacent_matches`'. Theme phrases may come in any order within
    PHRASE_WINDOW words ("vastaanotolle pääsee" = "päästä vastaanotto"), except quoted
    ones (``phrases[pid][3]``: '"more staff"'), whose words come in order, each at most
    ORDERED_REACH words after the one before."""
    # every phrase has two parts or more: a phrase named once cannot be complete, so only
    # the phrases named twice get a table (in the order they first come, as before)
    twice = _named_twice(parts_at)
    if twice is None:
        return []
    where: dict[int, dict[int, list[int]]] = {}
    for pos, pairs in parts_at:
        for pid, part in pairs:
            if pid not in twice:
                continue
            at = where.get(pid)
            if at is None:
                where[pid] = {part: [pos]}
            else:
                found = at.get(part)
                if found is None:
                    at[part] = [pos]
                else:
                    found.append(pos)
    found = []
    for pid, parts in where.items():
        n = n_phrases_parts[pid]
        if len(parts) < n:
            continue
        if phrases is not None and phrases[pid][3]:
            for start in parts.get(0, ()):
                chosen = [start]
                for k in range(1, n):
                    prev = chosen[-1]
                    nxt = [p for p in parts.get(k, ()) if prev < p <= prev + ORDERED_REACH]
                    if not nxt:
                        break
                    chosen.append(nxt[0])
                else:
                    found.append((pid, chosen))
                    break
        else:
            for start in parts[0]:
                chosen = [start]
                for k in range(1, n):
                    near = [p for p in parts[k] if abs(p - start) <= PHRASE_WINDOW and p not in chosen]
                    if not near:
                        break
                    chosen.append(_nearest(near, start))
                else:
                    found.append((pid, chosen))
                    break
    return found




@cython.ccall
@cython.locals(infos=list, sizes=list, n=_int, p=_int, k=_int, size=_int, info=WordInfo, nxt=WordInfo, pair=tuple,
               done=set, found=list)
def _adjacent_matches(infos: list[WordInfo], sizes: list[int]) -> list[tuple[int, list[int]]]:
    """Lexicon phrases ("olisi hyvä", "would be") of a comment: (phrase index, token
    positions) of the first place where each phrase's words follow each other in order,
    (``tests/unit/test_tagger_engine.py`` checks it against a matcher on a table of parts),
    reading the words' parts in place: no table of parts to build,
    and only a word that can start a phrase is looked at."""
    n = len(infos)
    found = []
    done = None
    for p in range(n):
        info = infos[p]
        if not info.role_parts:
            continue
        for pair in info.role_parts:
            if pair[1] != 0:
                continue
            pid = pair[0]
            if done is not None and pid in done:
                continue
            size = sizes[pid]
            if p + size > n:
                continue
            for k in range(1, size):
                nxt = infos[p + k]
                if (pid, k) not in nxt.role_parts:
                    break
            else:
                found.append((pid, list(range(p, p + size))))
                if done is None:
                    done = set()
                done.add(pid)
    return found


@cython.cfunc
@cython.locals(c=Clause, concessive=_bool)
def _new_clause(concessive):
    """``Clause(concessive)`` without the Python call (compiled: an allocation and five
    stores; the fields are those ``Clause.__init__`` sets)."""
    c = Clause.__new__(Clause)
    c.concessive = concessive
    c.pos = 0.0
    c.neg = 0.0
    c.themes = {}
    c.nothing = 0
    c.other = 0
    return c


@cython.cfunc
@cython.locals(s=Sentence, clauses=list)
def _new_sentence(clauses):
    """``Sentence(clauses)`` without the Python call (see :func:`_new_clause`)."""
    s = Sentence.__new__(Sentence)
    s.clauses = clauses
    s.question = False
    s.why = False
    s.suggestion = False
    s.counterfactual = False
    s.more = False
    s.nothing = False
    s.first_qword = False
    return s


@cython.cfunc
@cython.locals(clause=Clause, triggers=list)
def _add_theme(clause, theme: str, trigger: str):
    """``clause.add_theme(theme, trigger)`` as a C call when compiled."""
    triggers = clause.themes.get(theme)
    if triggers is None:
        clause.themes[theme] = [trigger]
    elif trigger not in triggers:
        triggers.append(trigger)


@cython.cfunc
@cython.locals(clause=Clause, hit=_bool, by_nothing=_bool)
def _close_negation(clause, hit, by_nothing):
    """A negation's reach ends (the caller resets its state). A negation that met no cue
    word says a service did not happen ("puhelimeen ei vastattu"); but "Nothing." or
    "Ei mitään," alone is an answer ("nothing to improve"), not a complaint. A C function
    when compiled, not a closure: the negation's state stays in C variables."""
    if clause is not None and not hit:
        if not (by_nothing and clause.other == 0):
            clause.neg += 1.0


@cython.locals(n=_int, marks=_flags, m=_flags, post=_flags, POST_=_flags, track_nothing=_flags, look_ahead=_flags,
               PUNCT_=_flags, BREAK_=_flags, QMARK_=_flags, QWORD_=_flags, WHY_=_flags, SPLITS_=_flags,
               CONC_AFTER_=_flags, CONTRAST_=_flags, CONCESSION_=_flags, NOTHING_=_flags, FILLER_=_flags,
               CUES_=_flags, POS_=_flags, POS_WEAK_=_flags, NEG_=_flags, NEG_WEAK_=_flags, NEGATOR_=_flags,
               NEG_PREV_=_flags, ABESSIVE_=_flags, TOO_=_flags, SUGGEST_=_flags, MORE_=_flags, MODAL_=_flags,
               CF_AUX_=_flags, COMPARATIVE_=_flags, IMPROVE_=_flags, HAS_WEAK_=_flags,
               start=_int, words=_int, after_break=_bool, sent_post=_flags, too_before=_int,
               negator_clause=_int, modal_seen=_bool,
               cf_praise_at=_int, prev=_int, pos=_int, gap=_int, f=_flags, xf=_flags, brk=_bool,
               positive=cython.double, negative=cython.double, clause=Clause, sent=Sentence, p=_int,
               busy=list, info=WordInfo, word=WordInfo, before=WordInfo, k=_int, nvisit=_int, reach=_int,
               negated_hit=_bool, negation_by_nothing=_bool, negation_clause=Clause, infos=list)
def analyse_comment(infos: list[WordInfo], lex_phrases, theme_phrases, lex_sizes: list[int],
                    theme_sizes: list[int], first_word_question: bool) -> list[Sentence]:
    """One pass over a comment's tokens (words and punctuation, see ``text.TOKEN``)."""
    n = len(infos)
    # Lexicon phrases lend their role to their first word ("would be" -> suggestion).
    extra: dict[int, int] | None = None
    covered: set[int] | None = None
    # what the comment's words need beyond the one pass, and which words it visits: one
    # loop (C when compiled; as fast as two map() passes in Python)
    marks = 0
    busy = []
    for p in range(n):
        word = infos[p]
        marks |= word.marks
        if word.busy:
            busy.append(p)
    if marks & HAS_ROLE_PARTS:
        for pid, positions in _adjacent_matches(infos, lex_sizes):
            if extra is None:
                extra, covered = {}, set()
            extra[positions[0]] = extra.get(positions[0], 0) | flags_of((lex_phrases[pid][0],))
            covered.update(positions[1:])
    post = marks & (HAS_THEME_PARTS | HAS_WEAK)
    POST_ = HAS_THEME_PARTS | HAS_WEAK
    track_nothing = marks & HAS_NOTHING
    look_ahead = marks & HAS_CONC_AFTER
    # local names: this loop runs for every word of every imported comment
    PUNCT_, BREAK_, QMARK_, QWORD_, WHY_, SPLITS_ = PUNCT, BREAK, QMARK, QWORD, WHY, _SPLITS
    CONC_AFTER_, CONTRAST_, CONCESSION_, NOTHING_, FILLER_, CUES_ = (CONC_AFTER, CONTRAST, CONCESSION, NOTHING,
                                                                   FILLER, CUES)
    POS_, POS_WEAK_, NEG_, NEG_WEAK_, NEGATOR_, NEG_PREV_, ABESSIVE_, TOO_ = (POS, POS_WEAK, NEG, NEG_WEAK, NEGATOR,
                                                                           NEG_PREV, ABESSIVE, TOO)
    SUGGEST_, MORE_, MODAL_, CF_AUX_, COMPARATIVE_, IMPROVE_, HAS_WEAK_ = (SUGGESTION | CONDITIONAL, MORE, MODAL,
                                                                         CF_AUX, COMPARATIVE, IMPROVE, HAS_WEAK)

    sentences: list[Sentence] = []
    clause = _new_clause(False)
    clauses = [clause]
    sent = _new_sentence(clauses)
    start = 0                 # index of the sentence's first token
    words = 0                 # words so far in the sentence
    after_break = False
    clause_of: dict[int, int] = {}   # token -> clause, for the words phrases and ~words need
    sent_post = 0             # HAS_THEME_PARTS | HAS_WEAK of the sentence's words
    sent_parts: list = []     # (position in sentence, theme parts) of its phrase words
    reach = 0
    too_before = -1
    negated_hit = False
    negation_clause: Clause | None = None
    negation_by_nothing = False
    negator_clause = -1       # first clause with a negator (for "ei olisi voinut paremmin")
    modal_seen = False
    cf_praise_at = -1

    # Only busy words (roles, themes, punctuation) are visited; the plain words between two
    # of them are counted in one step, as the word-by-word steps would count them. With a
    # "huolimatta" word the word before it matters, so every word is visited then.
    nvisit = n if look_ahead else len(busy)
    prev = -1
    for k in range(nvisit + 1):
        # the visited positions, then n (the end of the comment)
        pos = n if k == nvisit else k if look_ahead else busy[k]
        gap = pos - prev - 1
        prev = pos
        if gap:
            # `gap` plain words: each counts, is "other" than a nothing word, and moves a
            # negation's reach on (a plain word is never inside a lexicon phrase)
            if reach and after_break:
                _close_negation(negation_clause, negated_hit, negation_by_nothing)
                reach, negated_hit, negation_clause, negation_by_nothing = 0, False, None, False
            after_break = False
            words += gap
            if track_nothing:
                clause.other += gap
            if reach:
                if gap >= reach:
                    _close_negation(negation_clause, negated_hit, negation_by_nothing)
                    reach, negated_hit, negation_clause, negation_by_nothing = 0, False, None, False
                else:
                    reach -= gap
        info = infos[pos] if pos < n else None
        f = info.flags if info is not None else END
        if f & PUNCT_:
            if f & BREAK_:
                after_break = True
                continue
            if words:
                if negation_clause is not None:
                    _close_negation(negation_clause, negated_hit, negation_by_nothing)
                    reach, negated_hit, negation_clause, negation_by_nothing = 0, False, None, False
                if sent_post:
                    # (a phrase needs two of its words; a lone phrase word has nothing to do)
                    if sent_post & HAS_WEAK_ or len(sent_parts) >= 2:
                        _sentence_themes(infos, start, pos, clauses, clause_of, theme_phrases, theme_sizes,
                                         sent_post, sent_parts)
                    sent_post = 0
                    sent_parts = []
                    clause_of = {}
                if sent.counterfactual or cf_praise_at >= 0 or track_nothing:
                    _finish(sent, clauses, negator_clause, cf_praise_at)
                if f & QMARK_:
                    sent.question = True
                sentences.append(sent)
                if pos + 1 < n:     # (no sentence after the last one)
                    clause = _new_clause(False)
                    clauses = [clause]
                    sent = _new_sentence(clauses)
                words = 0
                too_before = -1
                negator_clause = cf_praise_at = -1
                modal_seen = False
            start = pos + 1
            after_break = False
            continue
        xf = 0
        if extra:
            xf = extra.get(pos, 0)
            f |= xf
        if not f & CUES_ and not look_ahead:
            # the short way for most words (plain words, stopwords, theme words): no cue of
            # their own, so only counting, themes and the negation's reach; same steps as below
            if not words:
                if f & QWORD_:
                    sent.question = first_word_question
                    sent.first_qword = True
                sent.why = bool(f & WHY_)
            if reach and after_break:
                _close_negation(negation_clause, negated_hit, negation_by_nothing)
                reach, negated_hit, negation_clause, negation_by_nothing = 0, False, None, False
            after_break = False
            words += 1
            m = info.marks
            if post and m & POST_:
                clause_of[pos] = len(clauses) - 1
                sent_post |= m
                if info.theme_parts:
                    sent_parts.append((pos - start, info.theme_parts))
            if info.themes:
                for theme in info.themes:
                    _add_theme(clause, theme, info.surface)
            if track_nothing:
                if f & NOTHING_:
                    clause.nothing += 1
                elif not f & FILLER_:
                    clause.other += 1
            if reach and not (covered and pos in covered):
                reach -= 1
                if reach == 0:
                    _close_negation(negation_clause, negated_hit, negation_by_nothing)
                    reach, negated_hit, negation_clause, negation_by_nothing = 0, False, None, False
            continue
        brk = after_break
        after_break = False
        if not words:
            if f & QWORD_:
                sent.question = first_word_question    # "Miksi ..." without "?" (Finnish)
                sent.first_qword = True
            sent.why = bool(f & WHY_)
        if look_ahead and pos + 1 < n and infos[pos + 1].flags & CONC_AFTER_:
            # "kiireestä huolimatta": this word is the concession
            _close_negation(negation_clause, negated_hit, negation_by_nothing)
            reach, negated_hit, negation_clause, negation_by_nothing = 0, False, None, False
            clause = _new_clause(True)
            clauses.append(clause)
        elif f & SPLITS_:
            if words and f & CONC_AFTER_:
                clause = _new_clause(False)
                clauses.append(clause)
            elif words and f & (CONTRAST_ | CONCESSION_):
                _close_negation(negation_clause, negated_hit, negation_by_nothing)
                reach, negated_hit, negation_clause, negation_by_nothing = 0, False, None, False
                clause = _new_clause(bool(f & CONCESSION_))
                clauses.append(clause)
            elif f & CONCESSION_:
                clause.concessive = True
            elif reach and brk:
                _close_negation(negation_clause, negated_hit, negation_by_nothing)
                reach, negated_hit, negation_clause, negation_by_nothing = 0, False, None, False
        elif reach and brk:
            _close_negation(negation_clause, negated_hit, negation_by_nothing)
            reach, negated_hit, negation_clause, negation_by_nothing = 0, False, None, False
        words += 1
        m = info.marks
        if post and m & POST_:
            clause_of[pos] = len(clauses) - 1
            sent_post |= m
            if info.theme_parts:
                sent_parts.append((pos - start, info.theme_parts))
        if info.themes:
            for theme in info.themes:
                _add_theme(clause, theme, info.surface)
        if track_nothing:
            if f & NOTHING_:
                clause.nothing += 1
            elif not f & FILLER_:
                clause.other += 1
        if covered and pos in covered:
            continue
        if not f & CUES_:
            if reach:
                reach -= 1
                if reach == 0:
                    _close_negation(negation_clause, negated_hit, negation_by_nothing)
                    reach, negated_hit, negation_clause, negation_by_nothing = 0, False, None, False
            continue
        if f & SUGGEST_:
            sent.suggestion = True
        if f & MORE_:
            sent.more = True
        if f & MODAL_:
            modal_seen = True
        if f & CF_AUX_ and (xf & CF_AUX_ or any(i.flags & PARTICIPLE for i in infos[pos + 1:pos + 3])):
            sent.counterfactual = True
            modal_seen = True
            clause.neg += 1.0
        if f & COMPARATIVE_:
            sent.more = True
            if negator_clause >= 0 and modal_seen:
                cf_praise_at = len(clauses) - 1     # "could not have been better"
        if f & NEGATOR_:
            before = infos[pos - 1] if words > 1 else None
            if (f & NEG_PREV_ and before is not None and before.flags & (POS | POS_WEAK)
                    and not reach and not before.flags & NEGATOR):
                clause.pos -= before.positive     # "fungerade inte"
                clause.neg += 1.0
                continue
            if negator_clause < 0:
                negator_clause = len(clauses) - 1
            if negation_clause is None:
                negation_clause = clause
                negation_by_nothing = bool(f & NOTHING_)
            reach = NEGATION_REACH
            continue
        if f & IMPROVE_ and reach:
            # "ei valittamista", "no complaints", "inget att klaga på": praise
            clause.pos += 1.0
            negated_hit = True
            reach -= 1
            if reach == 0:
                _close_negation(negation_clause, negated_hit, negation_by_nothing)
                reach, negated_hit, negation_clause, negation_by_nothing = 0, False, None, False
            continue
        if f & ABESSIVE_:
            clause.neg += 0.5
        if f & TOO_:     # "liian nopeasti", "too short": a complaint whatever follows ...
            if not reach:   # ... unless negated: "nothing was too much trouble"
                clause.neg += 1.0
            too_before = pos + 1
            continue
        positive = 1.0 if f & POS_ else 0.5 if f & POS_WEAK_ else 0.0
        if too_before == pos:
            positive = 0.0
        negative = 1.0 if f & NEG_ else 0.5 if f & NEG_WEAK_ else 0.0
        if reach:
            if positive:
                clause.neg += 1.0
                negated_hit = True
            elif negative:
                clause.pos += 0.5
                negated_hit = True
            reach -= 1
            if reach == 0:
                _close_negation(negation_clause, negated_hit, negation_by_nothing)
                reach, negated_hit, negation_clause, negation_by_nothing = 0, False, None, False
        else:
            clause.pos += positive
            clause.neg += negative
    return sentences


@cython.ccall
@cython.locals(sent=Sentence, clauses=list, c=Clause)
def _finish(sent: Sentence, clauses: list[Clause], negator_clause: int, cf_praise_at: int) -> None:
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


@cython.ccall
@cython.locals(infos=list, start=_int, end=_int, clauses=list, post=_flags, target=Clause)
def _sentence_themes(infos, start, end, clauses, clause_of, theme_phrases, theme_sizes, post, parts_at) -> None:
    """Theme phrases ("saada aika") and context-checked ~words of one sentence. ``post``:
    what its words need (HAS_THEME_PARTS, HAS_WEAK); ``parts_at``: (position in the
    sentence, theme parts) of the words that fill phrase parts."""
    vetoes = None
    if post & HAS_THEME_PARTS and theme_sizes and len(parts_at) >= 2:
        for pid, positions in _phrase_matches(parts_at, theme_sizes, theme_phrases):
            theme, _, _, _, veto = theme_phrases[pid]
            if veto:
                vetoes = (vetoes or []) + [(theme, positions)]
                continue
            target = clauses[clause_of.get(start + min(positions), 0)]
            for p in sorted(positions):
                _add_theme(target, theme, infos[start + p].surface)
    if post & HAS_WEAK:
        _weak_themes(infos, start, end, clauses, clause_of)
    if vetoes:
        _apply_vetoes(vetoes, infos[start:end], start, clauses, clause_of)


def _apply_vetoes(vetoes, span, start, clauses, clause_of) -> None:
    """A veto phrase ("!keep busy", '!"better understanding"') takes its theme back from
    the words it is made of: in "they kept me busy" the word "busy" is no staffing word,
    in "a better understanding of my condition" "understanding" is no manner word. A clause
    keeps the word as a trigger when it also stands there outside every veto phrase of the
    theme ("the ward was so busy and they kept me busy"): triggers are kept once per word,
    so taking it back would take the genuine one too."""
    vetoed: dict[str, set[int]] = {}
    for theme, positions in vetoes:
        vetoed.setdefault(theme, set()).update(positions)
    for theme, positions in vetoes:
        for p in positions:
            at = clause_of.get(start + p, 0)
            clause = clauses[at]
            triggers = clause.themes.get(theme)
            surface = span[p].surface
            if not triggers or surface not in triggers:
                continue
            if any(q not in vetoed[theme] and clause_of.get(start + q, 0) == at and span[q].surface == surface
                   for q in range(len(span))):
                continue
            triggers.remove(surface)
            if not triggers:
                del clause.themes[theme]


@cython.ccall
@cython.locals(infos=list, start=_int, end=_int, clauses=list, c=Clause, info=WordInfo, pos=_int)
def _weak_themes(infos: list[WordInfo], start: int, end: int, clauses: list[Clause], clause_of: dict[int, int]) -> None:
    """A ~word counts for its theme only with one of the theme's context words at most
    PHRASE_WINDOW words away (or the theme found otherwise in the sentence): "busy" next
    to "staff" is staffing; "kept me busy with activities on the ward" is not. The
    sentence is ``infos[start:end]``; positions are counted from its start."""
    strong: set[str] = set()
    for c in clauses:
        strong.update(c.themes)
    near: dict[str, list[int]] = {}
    for pos in range(end - start):
        info = infos[start + pos]
        for theme in info.context_for:
            near.setdefault(theme, []).append(pos)
    for pos in range(end - start):
        info = infos[start + pos]
        for theme in info.weak_themes:
            # the word is never its own context ("visitor" is not "visit*" next to itself)
            if theme in strong or _has_near(near.get(theme, ()), pos):
                _add_theme(clauses[clause_of.get(start + pos, 0)], theme, info.surface)


@cython.locals(s=Sentence, c=Clause, pos=cython.double, neg=cython.double, cpos=cython.double,
               cneg=cython.double, weighed=_bool, suggestion=_bool, asked=_bool, rhetorical_cue=_bool)
def comment_type(sentences: list[Sentence], question: str | None = None) -> str | None:
    """The feedback type. ``question`` is what the form asked above the comment:
    "improve" ("Mitä voisimme parantaa?"), "good" ("What was good?") or None."""
    # one loop instead of a list and a sum per measure: this runs for every comment
    pos = neg = 0           # main clauses, in order (as sum() adds them)
    cpos = cneg = 0         # concessive clauses
    weighed = suggestion = asked = rhetorical_cue = False
    for s in sentences:
        if s.suggestion:
            suggestion = True
        if s.question:
            asked = True
            if s.why:
                rhetorical_cue = True
        for c in s.clauses:
            if c.concessive:
                cpos += c.neg
                cneg += c.pos
            else:
                if c.pos or c.neg:
                    weighed = True
                pos += c.pos
                neg += c.neg
    if not weighed:
        # "A, vaikka B": B runs against A, so a negative concession implies a positive
        # point and vice versa ("sain palvelua ruotsiksi, vaikka oli kiire").
        pos, neg = cpos, cneg
    if suggestion:
        return "suggestion"
    if asked:
        rhetorical = rhetorical_cue and neg > 0
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


@cython.locals(c=Clause, pos=cython.double, neg=cython.double)
def theme_polarity(sent: Sentence, clauses: list[Clause], ctype: str | None) -> str:
    """Polarity of one theme in one sentence, from the clauses that mention it.

    In a suggestion or a plain question the positive words describe the wished-for state
    ("olisi hyvä, jos parkkipaikkoja olisi enemmän"), so only a clear negative counts.
    """
    pos = neg = 0
    for c in clauses:
        pos += c.pos
        neg += c.neg
    if (sent.suggestion or sent.question or ctype == "suggestion") and not sent.counterfactual:
        return "negative" if neg >= 1 else "neutral"
    if neg > pos:
        return "negative"
    if pos > neg:
        return "positive"
    return {"praise": "positive", "complaint": "negative"}.get(ctype or "", "neutral")
