# Cython's view of chunks.py (etl/themes/native.py): ChunkTokens as a C struct, and the
# compiled copy's chunk index (_Index) with the C types of its scan. Python never reads
# this file; the plain path (str.split and a dict) stays in chunks.py and the tests compare
# both copies' entries.

cimport cython
from libc.stdint cimport uint64_t
from cpython.object cimport PyObject
from cpython.ref cimport Py_INCREF, Py_XDECREF
from cpython.unicode cimport PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ, Py_UNICODE_ISSPACE
from libc.stdlib cimport calloc, free
from libc.string cimport memcmp

cdef struct Slot:
    uint64_t hash              # of the chunk's code points (_HASH_START, _HASH_STEP)
    Py_ssize_t size            # code points
    PyObject *chunk            # the chunk as written (owned); NULL: an empty slot
    PyObject *entry            # its entry (owned)
    PyObject *evidence         # entry[2] (owned), NULL when it is empty
    Py_ssize_t words           # entry[1]

ctypedef Slot *SlotP

cdef uint64_t _HASH_START, _HASH_STEP
cdef Py_ssize_t _INDEX_START

cdef class _Index:
    cdef Slot *slots
    cdef Py_ssize_t mask, used

    @cython.locals(i=Py_ssize_t, s=SlotP, ckind=int, cdata=cython.p_void, j=Py_ssize_t)
    cdef Slot *find(self, int kind, void *data, Py_ssize_t start, Py_ssize_t size, uint64_t h) noexcept
    @cython.locals(old=SlotP, old_size=Py_ssize_t, k=Py_ssize_t, i=Py_ssize_t,
                   s=SlotP)
    cdef int grow(self) except -1


cdef class ChunkTokens:
    cdef object _findall, _table
    cdef Py_ssize_t _slots
    cdef list _line_break

    @cython.locals(n=Py_ssize_t, length=Py_ssize_t, i=Py_ssize_t, start=Py_ssize_t, c=Py_UCS4, h=uint64_t,
                   kind=int, data=cython.p_void, s=SlotP)
    cdef Py_ssize_t _scan(self, str text, _Index index, list entries, list evidence) except -1
    @cython.locals(s=SlotP, chunk=str, entry=list, found=tuple)
    cdef Slot *_new(self, str text, int kind, void *data, Py_ssize_t start, Py_ssize_t end, uint64_t h,
                    _Index index) except NULL
