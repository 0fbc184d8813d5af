"""A small per-organisation model learned from people's corrections, beside the lexicon.

Why: every organisation words things its own way ("Apotti" is a records system in one area,
"os. 5" a ward in another); the word lists cannot know that, but the quality managers'
corrections on the Comments page can. One logistic regression per theme (and one for the
feedback type) on lemma and character n-gram features (scikit-learn), fitted on the latest
correction of each corrected comment.

Combining with the lexicon: the lexicon's answer stands unless the model is confident -
a theme is added when its probability is at least ``ADD_AT`` and removed when it is below
``DROP_AT`` (only themes the model has seen both ways); the type is replaced when the type
model's best class reaches ``TYPE_AT``. A learned tag's reason says it was learned
(``LEARNED_VERSION`` in ``comment_tags.taxonomy_version``), so nobody mistakes it for a
word-list hit.
"""
from __future__ import annotations

from dataclasses import dataclass, field

MIN_EXAMPLES = 3          # positives and negatives a theme needs before it is learned
ADD_AT, DROP_AT, TYPE_AT = 0.6, 0.2, 0.6
LEARNED_VERSION = "learned"


def available() -> bool:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class LearnedModel:
    themes: dict = field(default_factory=dict)     # theme -> fitted classifier
    type_model: object | None = None
    features: object | None = None
    n_examples: int = 0

    @classmethod
    def fit(cls, texts: list[str], theme_sets: list[list[str]], types: list[str | None], tagger) -> "LearnedModel":
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        model = cls(n_examples=len(texts))
        if len(texts) < 2 * MIN_EXAMPLES:
            return model
        lemma_vec = TfidfVectorizer(analyzer=lambda t: tagger.content_lemmas(t), min_df=1)
        char_vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True)
        x = hstack([lemma_vec.fit_transform(texts), char_vec.fit_transform(texts)]).tocsr()
        model.features = (lemma_vec, char_vec)
        for theme in sorted({t for ts in theme_sets for t in ts}):
            y = [theme in ts for ts in theme_sets]
            if MIN_EXAMPLES <= sum(y) <= len(y) - MIN_EXAMPLES:
                model.themes[theme] = LogisticRegression(C=4.0, class_weight="balanced", max_iter=500).fit(x, y)
        known = [(i, t) for i, t in enumerate(types) if t]
        counts: dict[str, int] = {}
        for _, t in known:
            counts[t] = counts.get(t, 0) + 1
        if sum(c >= MIN_EXAMPLES for c in counts.values()) >= 2:
            rows = [i for i, t in known if counts[t] >= MIN_EXAMPLES]
            model.type_model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=500).fit(
                x[rows], [types[i] for i in rows])
        return model

    @property
    def empty(self) -> bool:
        return not self.themes and self.type_model is None

    def _x(self, texts: list[str]):
        from scipy.sparse import hstack
        lemma_vec, char_vec = self.features
        return hstack([lemma_vec.transform(texts), char_vec.transform(texts)]).tocsr()

    def combine(self, texts: list[str], lexicon: list[tuple[str | None, list[str]]]
                ) -> list[tuple[str | None, list[str], list[str], list[str]]]:
        """Per text: (type, themes, added themes, removed themes) from the lexicon's
        (type, themes) and the model's probabilities."""
        if self.empty or not texts:
            return [(t, list(th), [], []) for t, th in lexicon]
        x = self._x(texts)
        probs = {theme: clf.predict_proba(x)[:, list(clf.classes_).index(True)]
                 for theme, clf in self.themes.items()}
        type_probs = self.type_model.predict_proba(x) if self.type_model is not None else None
        out = []
        for i, (ctype, found) in enumerate(lexicon):
            added = [th for th, p in probs.items() if p[i] >= ADD_AT and th not in found]
            removed = [th for th in found if th in probs and probs[th][i] < DROP_AT]
            themes = [th for th in found if th not in removed] + added
            if type_probs is not None:
                best = type_probs[i].argmax()
                if type_probs[i][best] >= TYPE_AT:
                    ctype = str(self.type_model.classes_[best])
            out.append((ctype, themes, added, removed))
        return out


def cross_validate(texts: list[str], theme_sets: list[list[str]], types: list[str | None], tagger,
                   folds: int = 5, theme_keys=None) -> dict:
    """Lexicon alone vs lexicon + learned on held-out corrections: theme macro F1 (over
    the themes that occur) and type accuracy, each comment predicted by a model that never
    saw it."""
    lexicon = [(r.type, r.theme_keys) for r in tagger.tag_many(texts)]
    combined: list = [None] * len(texts)
    for k in range(folds):
        train = [i for i in range(len(texts)) if i % folds != k]
        test = [i for i in range(len(texts)) if i % folds == k]
        model = LearnedModel.fit([texts[i] for i in train], [theme_sets[i] for i in train],
                                 [types[i] for i in train], tagger)
        for i, res in zip(test, model.combine([texts[i] for i in test], [lexicon[i] for i in test])):
            combined[i] = (res[0], res[1])
    themes = sorted({t for ts in theme_sets for t in ts} if theme_keys is None else theme_keys)

    def scores(pred):
        f1s = []
        for theme in themes:
            tp = sum(theme in g and theme in p[1] for g, p in zip(theme_sets, pred))
            fp = sum(theme not in g and theme in p[1] for g, p in zip(theme_sets, pred))
            fn = sum(theme in g and theme not in p[1] for g, p in zip(theme_sets, pred))
            f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
        judged = [(g, p[0]) for g, p in zip(types, pred) if g]
        return (sum(f1s) / len(f1s) if f1s else 0.0,
                sum(g == p for g, p in judged) / len(judged) if judged else 0.0)

    lex_f1, lex_type = scores(lexicon)
    comb_f1, comb_type = scores(combined)
    return {"n": len(texts), "themes": len(themes), "lexicon_macro_f1": lex_f1, "lexicon_type": lex_type,
            "combined_macro_f1": comb_f1, "combined_type": comb_type}
