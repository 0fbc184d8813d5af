"""A big file's comments redacted and tagged while the parse worker is still busy.

The parse worker reads a template file's columns in a second or so and then spends as long
again normalising dates, scores and rejects. Its comment column is final by then, so it
sends that column ahead (:func:`etl.sandbox.parse_file_isolated`, ``on_comments``) and this
module redacts and tags it in a thread of the importing process while the worker finishes,
so the core that sat idle during the parse now tags (the worker keeps its own core: its time
limit is wall clock in the dashboard); once the worker is done, a forked helper tags on its
core (etl.normalise.tag_pool).

Nothing here is trusted to be the answer. What it found is kept per text: the redaction of
each comment as sent, the tags of each redacted text under the question and prior language
it was tagged with. The import then redacts and tags the parsed frame as always, taking a
comment's result from here only when the very same text was tagged under the very same
question and prior (:func:`etl.normalise.annotate.tag_frame`); anything else (a row the
worker rejected, a question or prior that came out different) is worked out then. So the
tags are those of the plain path whatever the worker sent, and a failure here costs time,
never a wrong tag: the import then tags everything itself.
"""
from __future__ import annotations

import logging
import threading

from etl import faults, priority
from etl.normalise.redact import candidate_positions, redact_cell
from etl.normalise.tag_pool import Stopped, TagRows, tag_texts
from etl.themes import question_kind
from etl.themes.text import dominant_language

log = logging.getLogger(__name__)

AHEAD_FROM = 2_000
"""Comments in the column from which tagging ahead pays for its thread (a file of a few
hundred rows is tagged in well under the time the worker takes to finish)."""


class TagAhead:
    """Started by :meth:`offer` (from the parse loop), read by the import once it has the
    parsed frame: :attr:`redactions` for :func:`etl.normalise.annotate.redact_frame`,
    :meth:`tags_for` for :func:`etl.normalise.annotate.tag_frame`."""

    def __init__(self, tagger_source, *, nice: int = 0, min_comments: int | None = None):
        self._tagger_source = tagger_source   # a callable: the loaded tagger (may wait for it)
        self._nice = nice
        self._min = min_comments
        self._thread: threading.Thread | None = None
        self._redacted = threading.Event()
        self._stop = threading.Event()
        self._local = threading.Event()   # cleared: the import's own thread needs the interpreter
        self._local.set()
        self._parsed = threading.Event()  # set: the worker is done, its core free for a helper
        self.redactions: dict[str, tuple[object, int]] = {}
        self.error: BaseException | None = None
        self.fraction = 0.0
        self._key: tuple | None = None
        self._texts: list[str] = []
        self._tags: TagRows | None = None
        self._by_text: dict[str, int] | None = None
        self.served: str | None = None   # "all" | "some": what tag_frame took from here (tests read it)

    @property
    def started(self) -> bool:
        return self._thread is not None

    def offer(self, payload: dict) -> None:
        """The worker's comment column (``{"question": header, "texts": pyarrow array}``).
        Returns at once; the work runs in a thread."""
        texts = payload.get("texts")
        least = AHEAD_FROM if self._min is None else self._min
        if self._thread is not None or texts is None or len(texts) - texts.null_count < least:
            return
        self._sent = [payload.get("question"), texts]
        self._thread = threading.Thread(target=self._run, name="kokemus-tag-ahead", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        priority.lower_self(self._nice)   # this thread only; its forked helper inherits it
        question, texts = self._sent
        self._sent = None
        try:
            try:
                # only the cells the patterns could change (redact.candidate_positions, found
                # in Arrow); redact_series looks up no other text either
                look = texts.take(candidate_positions(texts)).to_pylist()
                memo = {t: redact_cell(t) for t in dict.fromkeys(look)}
                self.redactions = memo
                del look
            finally:
                self._redacted.set()
            # as the import will see them: a comment of only white space is no comment
            raw = [t for t in dict.fromkeys(texts.to_pylist()) if t is not None and t.strip()]
            del texts   # the column as sent, no longer needed
            distinct = list(dict.fromkeys([memo[t][0] if t in memo else t for t in raw]))
            del raw
            kind = question_kind(question or None)
            prior = dominant_language(distinct)
            tagger = self._tagger_source()
            faults.point("tagging_ahead")
            tags = tag_texts(tagger, distinct, kind, prior, progress=self._progress, stop=self._stop,
                             local=self._local, helper_from=self._parsed)
            self._texts, self._tags = distinct, tags
            self._key = (tagger.taxonomy_version, kind, prior)
        except BaseException as exc:  # noqa: BLE001 - the import then tags everything itself
            self.error = exc

    def _progress(self, fraction: float) -> None:
        self.fraction = fraction

    def redactions_ready(self) -> dict[str, tuple[object, int]]:
        """:attr:`redactions` once worked out (they come first, in a fraction of the time
        the tags take); empty when nothing was started or it failed."""
        if self._thread is None:
            return {}
        self._redacted.wait()
        return self.redactions

    def parsed(self) -> None:
        """The worker is done. Until now this thread tagged alone, beside the worker; now a
        forked helper takes the worker's core, and while the import's own thread works on the
        parsed frame this thread tags no chunk itself, only keeps the helper busy (until
        :meth:`wait`), so the import's thread has the interpreter."""
        self._local.clear()
        self._parsed.set()

    def stop(self) -> None:
        """End the work early (the file failed) and wait for the thread."""
        self._stop.set()
        self._local.set()
        self._parsed.set()
        if self._thread is not None:
            self._thread.join()

    def wait(self, progress=None, every: float = 0.2) -> None:
        """Until the thread is done; ``progress(fraction)`` meanwhile, from this thread."""
        if self._thread is None:
            return
        self._local.set()
        self._parsed.set()
        while self._thread.is_alive():
            self._thread.join(every)
            if progress:
                progress(self.fraction)
        if self.error is not None and not isinstance(self.error, Stopped):
            from etl.sandbox import where
            log.warning("tagging ahead of the parse failed, tagging after it: %s", where(self.error))

    def tags_for(self, version: str, question: str | None, prior: str | None, texts: list[str]):
        """What was found for ``texts`` tagged by taxonomy ``version`` under ``question``
        and ``prior``:
        (the :class:`TagRows` of exactly ``texts``, when they are the texts tagged here, in
        the same order; else None) and a text -> position look-up into :meth:`result_of`
        (None when nothing here was tagged that way)."""
        if self._tags is None or self._key != (version, question, prior):
            return None, None
        if texts == self._texts:
            self.served = "all"
            return self._tags, None
        self.served = "some"
        if self._by_text is None:
            self._by_text = {t: i for i, t in enumerate(self._texts)}
        return None, self._by_text

    def result_of(self, position: int) -> tuple[object, object, list]:
        """(type, language, [(theme, polarity, sentence, triggers), ...]) of one text tagged
        here, by its position in :meth:`tags_for`'s look-up."""
        if self._rows_by_text is None:
            rows: dict[int, list] = {}
            for i, *rest in self._tags[2]:
                rows.setdefault(i, []).append(tuple(rest))
            self._rows_by_text = rows
        return self._tags[0][position], self._tags[1][position], self._rows_by_text.get(position, [])

    _rows_by_text: dict[int, list] | None = None
