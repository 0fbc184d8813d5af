# Cython's view of analysis.py (etl/themes/native.py): its two classes as C structs, so the
# per-comment pass reads and counts their fields in C. Python never reads this file. Keep
# the fields in step with the classes' __slots__ (the tests compare both copies' tags).

cdef class Clause:
    cdef public bint concessive
    cdef public double pos, neg
    cdef public dict themes
    cdef public Py_ssize_t nothing, other
    cdef public object weak


cdef class Sentence:
    cdef public list clauses
    cdef public bint question, why, suggestion, counterfactual, more, nothing, first_qword


# The role and mark flags as C constants (Python code outside this module does not read them).
cdef long long BREAK, CONDITIONAL, END, HAS_CONC_AFTER, HAS_NOTHING, HAS_ROLE_PARTS, HAS_THEME_PARTS, HAS_WEAK
cdef long long PARTICIPLE, PUNCT, QMARK
cdef long long POS, POS_WEAK, NEG, NEG_WEAK, NEGATOR, NEG_PREV, ABESSIVE, CONTRAST, CONCESSION, CONC_AFTER, TOO
cdef long long SUGGESTION, QWORD, WHY, CF_AUX, NOTHING, FILLER, IMPROVE, COMPARATIVE, MODAL, MORE
cdef long long _SPLITS, _NOT_CUES, CUES

from etl.themes.lemmas cimport WordInfo
