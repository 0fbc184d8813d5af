# Cython's view of tagger.py (etl/themes/native.py): the result records as C structs, so
# making one costs an allocation, not a dataclass __init__. Python never reads this file.

cdef class ThemeTag:
    cdef readonly str theme, polarity
    cdef readonly Py_ssize_t sentence
    cdef readonly object triggers


cdef class CommentTags:
    cdef public object language, type
    cdef public list themes

from etl.themes.analysis cimport Clause, Sentence
