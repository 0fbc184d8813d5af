"""The shapes that pass between ETL stages.

Readers and detectors differ per source; everything after them sees only these shapes, so a
new source format is a new reader/detector and nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

# Columns of the canonical frame (pandas DataFrame) that `normalise` produces and `load`
# consumes. One row per response; tally counts are already expanded (counted=True).
CANONICAL_COLUMNS: dict[str, str] = {
    "unit_name": "object",       # as written in the source; resolved to a unit by etl.detect.units
    "service_area": "object",    # optional, used when creating a new unit
    "submitted_on": "object",    # datetime.date or None
    "month": "object",           # datetime.date, first day of month; required
    "channel": "object",         # paper|kiosk|web|email|sms|phone|None
    "language": "object",        # fi|sv|en|None
    "score_5": "float64",        # normalised 1..5 or NaN
    "scale": "object",           # e.g. "1-5", "4-10", "0-10", "smiley4", "words"
    "raw_score": "object",       # as entered (text)
    "nps": "Int16",              # 0..10 or <NA>
    "feedback_type": "object",   # praise|complaint|suggestion|question|None
    "type_source": "object",     # "source" | "inferred" | None
    "comment": "object",         # already redacted by etl.normalise.redact
    "wants_reply": "boolean",
    "counted": "bool",           # True for rows expanded from a tally sheet
    "external_id": "object",     # response id from a survey platform, when it has one
    "source_sheet": "object",
    "source_row": "Int64",       # 1-based row number as Excel shows it
}

# Optional, not required of any reader: "comment_question", the header or question text of
# the column a comment came from ("Mitä voisimme parantaa?"). etl.normalise.annotate reads it
# as context for the feedback type (docs/themes.md); readers that know it may fill it.
OPTIONAL_COLUMNS: dict[str, str] = {"comment_question": "object"}

FEEDBACK_TYPES = ("praise", "complaint", "suggestion", "question")
CHANNELS = ("paper", "kiosk", "web", "email", "sms", "phone")
LANGUAGES = ("fi", "sv", "en")


@dataclass
class Reject:
    """A row or a single cell that could not be used, with a reason in fi and en.

    ``row_kept`` is True when only the cell was dropped (e.g. an unreadable score) and the
    rest of the row was loaded.
    """
    sheet: str | None
    row: int | None
    column: str | None
    value: Any
    code: str
    fi: str
    en: str
    row_kept: bool = False
    row_values: str | None = None
    # the row's own cells [(header, value), ...] in column order, for a re-uploadable
    # rejects workbook (None where the reader has no headers, e.g. tallies)
    row_cells: list | None = None


@dataclass
class Answer:
    """One per-question answer (wide survey layouts: one column per statement)."""
    sheet: str | None
    row: int
    question: str
    raw_value: str | None
    value: float | None


@dataclass
class SheetReport:
    """What detection decided for one sheet; shown on the upload page and in the CLI."""
    name: str
    used: bool
    kind: str = "records"            # records | tally | skipped
    reason: str | None = None        # why skipped, in English; fi via the catalogue key
    header_row: int | None = None    # 1-based
    columns: dict[str, str] = field(default_factory=dict)  # source column -> field
    unit: str | None = None
    period: str | None = None
    rows: int = 0
    # why each decision was taken: [(catalogue key, params)], shown in the preview and CLI
    decisions: list = field(default_factory=list)
    # source column -> reason code (catalogue key "account_<code>"): nothing dropped unlisted
    not_imported: dict[str, str] = field(default_factory=dict)
    # rows that are not responses, by reason code: date_only, label_only, no_answers, below_totals
    skipped_rows: dict[str, int] = field(default_factory=dict)
    copy_of: str | None = None
    dates_assumed: int = 0
    # source column -> a few of its values (redacted, short) for the mapping editor
    samples: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class ParsedFile:
    """Everything one file yields before it touches the warehouse."""
    file_name: str
    format: str                       # template | legacy | webropol | msforms | ...
    frame: Any                        # pandas.DataFrame with CANONICAL_COLUMNS
    answers: list[Answer] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    sheets: list[SheetReport] = field(default_factory=list)
    redactions: int = 0
    comments_cut: int = 0             # comments longer than etl.limits.COMMENT_MAX_CHARS, cut
    header_signature: str | None = None
    profile: str | None = None
    decisions: list = field(default_factory=list)     # file-level [(catalogue key, params)]

    @property
    def dates_assumed(self) -> int:
        return sum(s.dates_assumed for s in self.sheets)


ProgressCallback = Callable[[float, str], None]
"""progress(fraction 0..1, message) - the CLI draws a bar, the upload page st.progress."""


class ImportError_(Exception):
    """A whole file cannot be imported. Messages name the file (and sheet/row/column when
    known) in Finnish and English; nothing of the file is loaded."""

    def __init__(self, fi: str, en: str, *, file: str | None = None, sheet: str | None = None,
                 row: int | None = None, column: str | None = None, code: str = "error",
                 details: dict | None = None):
        super().__init__(en)
        self.fi, self.en, self.file, self.sheet, self.row, self.column = fi, en, file, sheet, row, column
        self.code = code
        self.details = details or {}


FileImportError = ImportError_
