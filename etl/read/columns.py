"""Excel column letters: how a person finds a column, and how a cell reference names it."""
from __future__ import annotations


def column_letter(i: int) -> str:
    """0-based column index -> Excel letters (0 -> "A", 27 -> "AB", 16383 -> "XFD")."""
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def column_index(letters: bytes | str) -> int:
    """Excel letters (as in a cell reference, upper case) -> 0-based index ("A" -> 0)."""
    if isinstance(letters, str):
        letters = letters.encode()
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1
