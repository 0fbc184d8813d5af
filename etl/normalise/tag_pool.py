"""A column's distinct comments tagged on both cores.

The tagger is single-threaded Python, so a big column is cut into chunks that the calling
thread and one forked process take in turn: whichever is free takes the next chunk, so the
two stay even when a third process (the parse worker, a viewer's page) takes part of a core
from one of them. The forked process inherits the loaded word tables instead of loading
them again. Each text is tagged on its own with the column's prior language and question,
so the tags do not depend on how the column was cut (tests/unit/test_tag_ahead.py).
"""
from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor

from etl import faults
from etl.lifetime import die_with_parent

PARALLEL_FROM = 20_000      # distinct comments: below this a second process costs more than it saves
CHUNK = 1_500               # ~60 ms of tagging: small enough that neither side waits long at the end
IN_FLIGHT = 3               # chunks queued for the forked process, so it never waits for the caller

TagRows = tuple[list, list, list]
"""(types, languages, tag rows (i, theme, polarity, sentence, triggers)) of tagged texts."""


def compact(results, first: int = 0) -> TagRows:
    """:class:`TagRows` of tagged comments; tag rows are numbered from ``first``."""
    types = [r.type for r in results]
    langs = [r.language for r in results]
    rows = [(i, t.theme, t.polarity, t.sentence, list(t.triggers))
            for i, r in enumerate(results, first) for t in r.themes]
    return types, langs, rows


def tag_chunk(tagger, texts: list, question: str | None, prior: str | None, first: int = 0) -> TagRows:
    """Each text tagged with the column's ``prior`` (None: no prior, not one worked out
    from this chunk, which would make tags depend on where the column was cut); tag rows
    numbered from ``first`` (the chunk's place in the column, so joining chunks renumbers
    nothing)."""
    if prior is None:
        return compact(tagger.tag_many(texts, [None] * len(texts), question=question), first)
    return compact(tagger.tag_many(texts, question=question, prior=prior), first)


_child_tagger = None


def _child_start(tagger, parent_pid: int) -> None:
    """In the forked process: it dies with the importer (:mod:`etl.lifetime`); its inherited
    objects are never collected (a collection would touch, and so copy, every page it shares
    with the parent); tagging makes no cycles."""
    global _child_tagger
    die_with_parent(parent_pid)
    gc.disable()
    gc.freeze()
    _child_tagger = tagger


def _child_chunk(texts: list, question: str | None, prior: str | None, first: int) -> TagRows:
    faults.point("tag_child")
    return tag_chunk(_child_tagger, texts, question, prior, first)


def can_fork() -> bool:
    return (os.cpu_count() or 1) > 1 and "fork" in mp.get_all_start_methods()


class Stopped(Exception):
    """Tagging was stopped from outside (the file it was for failed to parse)."""


def tag_texts(tagger, texts: list, question: str | None, prior: str | None, *, progress=None,
              parallel_from: int | None = None, stop=None, local=None, helper_from=None) -> TagRows:
    """Tag distinct texts: (types, languages, tag rows numbered by position in ``texts``).
    ``progress(fraction)`` is called from the calling thread; ``stop``: a
    :class:`threading.Event` that ends the work between two chunks (:class:`Stopped`);
    ``local``: an Event that, while cleared, keeps the calling thread from tagging (it only
    keeps the forked process busy), so another thread of this process has the interpreter.
    ``parallel_from``: distinct texts from which a second process helps (:data:`PARALLEL_FROM`);
    ``helper_from``: an Event before which the calling thread tags alone (the parse worker
    has the other core until then)."""
    parallel_from = PARALLEL_FROM if parallel_from is None else parallel_from
    size = CHUNK
    chunks = [texts[start:start + size] for start in range(0, len(texts), size)]
    done: list[TagRows | None] = [None] * len(chunks)
    tagged = 0

    def report(k: int) -> None:
        nonlocal tagged
        if stop is not None and stop.is_set():
            raise Stopped()
        tagged += len(chunks[k])
        if progress and texts:
            progress(min(1.0, tagged / len(texts)))

    was_on = gc.isenabled()
    gc.disable()     # as Tagger.tag_many does, for the whole column rather than per chunk
    try:
        if len(texts) < parallel_from or not can_fork():
            for k, chunk in enumerate(chunks):
                if local is not None:
                    local.wait()
                done[k] = tag_chunk(tagger, chunk, question, prior, k * size)
                report(k)
        else:
            _tag_both(tagger, chunks, size, done, question, prior, report, local, helper_from)
    finally:
        if was_on:
            gc.enable()
    types: list = []
    langs: list = []
    rows: list = []
    for t, lg, r in done:     # each chunk's tag rows are numbered by place in the column already
        types += t
        langs += lg
        rows += r
    return types, langs, rows


def _tag_both(tagger, chunks: list, size: int, done: list, question, prior, report, local, helper_from) -> None:
    """The calling thread and one forked process take chunks in turn until none is left."""
    taken = 0                 # chunks handed out so far, in order
    while helper_from is not None and not helper_from.is_set() and taken < len(chunks):
        done[taken] = tag_chunk(tagger, chunks[taken], question, prior, taken * size)
        report(taken)
        taken += 1
    if taken == len(chunks):
        return
    queued: deque = deque()   # (chunk, future) given to the forked process
    with ProcessPoolExecutor(max_workers=1, mp_context=mp.get_context("fork"),
                             initializer=_child_start, initargs=(tagger, os.getpid())) as pool:
        try:
            def collect(wait: bool) -> None:
                while queued and (wait or queued[0][1].done()):
                    k, future = queued.popleft()
                    done[k] = future.result()
                    report(k)
                    if not wait:
                        return

            while True:
                collect(wait=False)
                while len(queued) < IN_FLIGHT and taken < len(chunks):
                    queued.append((taken, pool.submit(_child_chunk, chunks[taken], question, prior,
                                                      taken * size)))
                    taken += 1
                if local is not None and not local.is_set():   # another thread needs the interpreter
                    if queued:
                        k, future = queued.popleft()
                        done[k] = future.result()
                        report(k)
                    elif taken < len(chunks):
                        local.wait(0.05)
                    else:
                        break
                    continue
                if taken == len(chunks):
                    break
                k, taken = taken, taken + 1
                done[k] = tag_chunk(tagger, chunks[k], question, prior, k * size)
                report(k)
            collect(wait=True)
        except BaseException:
            for _, future in queued:
                future.cancel()
            raise
