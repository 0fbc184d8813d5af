"""Theme tagging of free-text comments (see docs/themes.md).

    from etl.themes import Tagger
    tags = Tagger.default().tag("Pysäköintimaksu oli kallis, mutta hoitajat olivat ihania.")
"""
from etl.themes import native

native.install()      # before the modules it may load compiled (etl/themes/native.py)

from etl.themes.emerging import emerging_words  # noqa: E402
from etl.themes.question import question_kind  # noqa: E402
from etl.themes.resources import DEFAULT_TAXONOMY, THEME_KEYS, TaxonomyError  # noqa: E402
from etl.themes.tagger import CommentTags, Tagger, ThemeTag  # noqa: E402

__all__ = ["Tagger", "CommentTags", "ThemeTag", "emerging_words", "TaxonomyError", "THEME_KEYS",
           "DEFAULT_TAXONOMY", "question_kind"]
