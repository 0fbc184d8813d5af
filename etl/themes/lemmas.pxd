# Cython's view of lemmas.py (etl/themes/native.py): WordInfo as a C struct with read-only
# fields, so the per-comment pass (analysis.py) reads a word's flags in C. Python never
# reads this file. Keep the fields in step with WordInfo.__init__ (the tests compare both
# copies' tags).

cdef class WordInfo:
    cdef readonly str surface, lemma
    cdef readonly tuple themes, theme_parts
    cdef readonly frozenset roles
    cdef readonly tuple role_parts
    cdef readonly bint conditional, participle
    cdef readonly long long flags
    cdef readonly tuple weak_themes, context_for
    cdef readonly long long marks
    cdef readonly bint busy
