"""Theme tagging of free-text comments (see docs/themes.md).

    from etl.themes import Tagger
    tags = Tagger.default().tag("Pysäköintimaksu oli kallis, mutta hoitajat olivat ihania.")
"""
from etl.themes.emerging import emerging_words
from etl.themes.question import question_kind
from etl.themes.resources import DEFAULT_TAXONOMY, THEME_KEYS, TaxonomyError
from etl.themes.tagger import CommentTags, Tagger, ThemeTag

__all__ = ["Tagger", "CommentTags", "ThemeTag", "emerging_words", "TaxonomyError", "THEME_KEYS",
           "DEFAULT_TAXONOMY", "question_kind"]
