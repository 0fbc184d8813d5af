"""Sentence analysis: clauses, negation, polarity and the feedback type.

Why clauses: "the nurses were lovely but parking was expensive" is one sentence with two
opinions; splitting at contrast words ("mutta", "men", "but") lets each theme carry the
polarity of its own clause. Concessive clauses ("vaikka", "trots att", "although") are
kept for theme polarity but do not decide the comment's type, because the writer's point
is the main clause ("she was lovely, although the ward was busy" is praise).

Weights: strong cue words count 1, weak cues 0.5. A lone weak cue ("jono", "odottaa")
never makes a comment mixed and never turns a plain question into a complaint.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from etl.themes.lemmas import WordInfo

NEGATION_REACH = 3       # words after "ei"/"not" that the negation covers
PHRASE_WINDOW = 4        # max distance between the words of a theme phrase


@dataclass
class Clause:
    concessive: bool = False
    pos: float = 0.0
    neg: float = 0.0
    themes: dict[str, list[str]] = field(default_factory=dict)

    def add_theme(self, theme: str, trigger: str) -> None:
        triggers = self.themes.setdefault(theme, [])
        if trigger not in triggers:
            triggers.append(trigger)


@dataclass
class Sentence:
    clauses: list[Clause]
    question: bool = False
    why: bool = False
    suggestion: bool = False
    counterfactual: bool = False


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


def analyse_sentence(text: str, infos: list[WordInfo], breaks: list[bool], lex_phrases, theme_phrases,
                     lex_sizes: list[int], theme_sizes: list[int], first_word_question: bool) -> Sentence:
    # Lexicon phrases lend their role to their first word ("would be" -> suggestion).
    extra_roles: dict[int, set[str]] = {}
    covered: set[int] = set()
    if any(i.role_parts for i in infos):
        for pid, positions in _phrase_matches(infos, "role_parts", lex_sizes, adjacent=True):
            extra_roles.setdefault(positions[0], set()).add(lex_phrases[pid][0])
            covered.update(positions[1:])

    sent = Sentence(clauses=[Clause()])
    sent.question = text.rstrip().endswith("?")
    if infos:
        first = infos[0].roles
        if "question_words" in first and (sent.question or first_word_question):
            sent.question = True
        sent.why = "why_words" in first
    clause_of: list[int] = []
    reach = 0
    too_before = -1
    negated_hit = False
    negation_clause: Clause | None = None

    def close_negation() -> None:
        nonlocal reach, negated_hit, negation_clause
        if negation_clause is not None and not negated_hit:
            negation_clause.neg += 1.0   # "puhelimeen ei vastattu": a service that did not happen
        reach, negated_hit, negation_clause = 0, False, None

    for pos, info in enumerate(infos):
        roles = info.roles | extra_roles[pos] if pos in extra_roles else info.roles
        clause = sent.clauses[-1]
        if pos + 1 < len(infos) and "concession_after" in infos[pos + 1].roles:
            close_negation()   # "kiireestä huolimatta": this word is the concession
            clause = Clause(concessive=True)
            sent.clauses.append(clause)
        elif pos and "concession_after" in roles:
            clause = Clause()
            sent.clauses.append(clause)
        elif pos and ("contrast" in roles or "concession" in roles):
            close_negation()
            clause = Clause(concessive="concession" in roles)
            sent.clauses.append(clause)
        elif "concession" in roles:
            clause.concessive = True
        elif breaks[pos] and reach:
            close_negation()
        clause_of.append(len(sent.clauses) - 1)
        for theme in info.themes:
            clause.add_theme(theme, info.surface)
        if pos in covered:
            continue
        if "suggestion" in roles or info.conditional:
            sent.suggestion = True
        if "counterfactual_aux" in roles and (
                any(i.participle for i in infos[pos + 1:pos + 3])
                or "counterfactual_aux" in extra_roles.get(pos, ())):
            sent.counterfactual = True
            clause.neg += 1.0
        if "negators" in roles:
            before = infos[pos - 1] if pos else None
            if ("negates_previous" in roles and before is not None and before.positive
                    and not reach and "negators" not in before.roles):
                clause.pos -= before.positive     # "fungerade inte"
                clause.neg += 1.0
                continue
            if negation_clause is None:
                negation_clause = clause
            reach = NEGATION_REACH
            continue
        if "abessive" in roles:
            clause.neg += 0.5
        if "too" in roles:     # "liian nopeasti", "too short": a complaint whatever follows
            clause.neg += 1.0
            too_before = pos + 1
            continue
        positive = 1.0 if "positive" in roles else 0.5 if "positive_weak" in roles else 0.0
        if too_before == pos:
            positive = 0.0
        negative = 1.0 if "negative" in roles else 0.5 if "negative_weak" in roles else 0.0
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

    if theme_sizes and any(i.theme_parts for i in infos):
        for pid, positions in _phrase_matches(infos, "theme_parts", theme_sizes, adjacent=False):
            theme = theme_phrases[pid][0]
            clause = sent.clauses[clause_of[min(positions)]]
            for p in sorted(positions):
                clause.add_theme(theme, infos[p].surface)
    if sent.counterfactual:
        sent.suggestion = False
    return sent


def comment_type(sentences: list[Sentence]) -> str | None:
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
        return "praise"
    return None


def theme_polarity(sent: Sentence, clauses: list[Clause], ctype: str | None) -> str:
    """Polarity of one theme in one sentence, from the clauses that mention it.

    In a suggestion or a plain question the positive words describe the wished-for state
    ("olisi hyvä, jos parkkipaikkoja olisi enemmän"), so only a clear negative counts.
    """
    pos = sum(c.pos for c in clauses)
    neg = sum(c.neg for c in clauses)
    if (sent.suggestion or sent.question) and not sent.counterfactual:
        return "negative" if neg >= 1 else "neutral"
    if neg > pos:
        return "negative"
    if pos > neg:
        return "positive"
    return {"praise": "positive", "complaint": "negative"}.get(ctype or "", "neutral")
