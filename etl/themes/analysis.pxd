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
