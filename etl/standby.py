"""A one-shot import's first parse worker, forked before the importer opens the warehouse.

A worker forked directly (:func:`etl.sandbox.fork_directly`) is forked when the parse starts,
after the importer has read the warehouse (the schema check, ~0.1 s for a new one, the known
units), and only then imports what the importer lacks (the readers and detectors, ~0.07 s);
and the importer may start loading the tagger only after that fork (a thread before it would
send the worker to the fork server). :func:`start` forks the first file's worker right after
the importer's own imports instead: it imports the rest of :data:`etl.sandbox.PRELOAD` on the
other core while the importer reads the warehouse, then waits for its file (:func:`take`: the
arguments a direct worker gets, sent through a pipe) and runs :func:`etl.sandbox._work` as a
direct worker does: the same limits (set after its imports, before it opens the file), the
same pipe back, dying with the importer, and ending when the importer ends without a file for
it. It is one file's worker and a separate process like any other; only its birth is earlier.
A 10-row CLI import: 1.03 -> 0.90 s (medians of 3, side by side).

This module imports nothing heavy itself.
"""
from __future__ import annotations

import os

_standby = None   # (process, job sender, result receiver) of the worker not yet given a file


def _wait(job_receiver, result_sender, job_sender_fd: int, parent_pid: int) -> None:
    # the importer's end of the job pipe came along with the fork: closed, or a dead importer's
    # pipe never breaks (its end of the result pipe is closed by _work, as a direct worker's)
    os.close(job_sender_fd)
    from etl.lifetime import die_with_parent
    die_with_parent(parent_pid)
    from etl import sandbox
    for name in sandbox.PRELOAD:   # as a direct worker does, but before its file is known
        if name == "etl.sandbox_warm":
            continue
        try:
            __import__(name)
        except ImportError:
            pass
    try:
        job = job_receiver.recv()
    except (EOFError, OSError):   # the importer ended without a file for it
        os._exit(0)
    job_receiver.close()
    sandbox._work(result_sender, *job)


def start() -> None:
    """Fork the waiting worker (once; nothing when the sandbox is off, ``KOKEMUS_SANDBOX=0``)."""
    global _standby
    if _standby is not None or os.environ.get("KOKEMUS_SANDBOX", "1") == "0":
        return
    import multiprocessing as mp
    ctx = mp.get_context("fork")
    job_receiver, job_sender = ctx.Pipe(duplex=False)
    result_receiver, result_sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_wait, name="kokemus-parse", daemon=True,
                       args=(job_receiver, result_sender, job_sender.fileno(), os.getpid()))
    import gc
    gc.freeze()   # as for a direct worker: its collector must not touch (and so copy) our objects
    try:
        proc.start()
    finally:
        gc.unfreeze()
    job_receiver.close()
    result_sender.close()
    _standby = (proc, job_sender, result_receiver)


def take(job):
    """The waiting worker given its file (``job(parent pid, result receiver's fd)``: the
    arguments of :func:`etl.sandbox._work` after its pipe, ``direct_from`` from those); returns (process, result receiver), or None when there is no
    worker waiting (used already, never started, or dead)."""
    global _standby
    if _standby is None:
        return None
    proc, job_sender, result_receiver = _standby
    _standby = None
    try:
        if not proc.is_alive():
            raise OSError("the waiting parse worker is gone")
        job_sender.send(job((os.getpid(), result_receiver.fileno())))
    except Exception:  # noqa: BLE001 - the caller forks a worker the ordinary way
        for end in (job_sender, result_receiver):
            end.close()
        if proc.is_alive():
            proc.kill()
        proc.join(1)
        return None
    job_sender.close()
    return proc, result_receiver


def waiting() -> bool:
    """Whether a worker forked at the start still waits for its file."""
    return _standby is not None
