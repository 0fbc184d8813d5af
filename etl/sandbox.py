"""Untrusted files are parsed in a separate, limited process.

The spreadsheet readers are native code: a damaged or hostile file can make them abort
the whole process, allocate gigabytes or spin. In the dashboard that process is the
server every viewer shares. So :func:`parse_file_isolated` hands the file to a worker
process with a data-memory limit (``RLIMIT_DATA``), a CPU limit and a wall-clock limit, and
no core dumps (they would hold patient comments). Whatever kills the worker - a native
abort, running out of its memory, the clock - comes back as one clear message ("the file
could not be read safely"), never as a dead server or a traceback.

Workers are forked from a small fork server started once per process that has the readers
and the lemmatiser's tables loaded already (:mod:`etl.sandbox_warm`), so a worker costs a
fork, not a Python start: an upload of ten rows stays quick. A one-shot command (the CLI, a
cron job) calls :func:`fork_directly` instead: starting a fork server there would cost a second
Python start and a second import of pandas, pyarrow and DuckDB (about half a second of CPU),
for one file. It forks its workers from itself while it is in the state a fork server is in:
libraries imported, no thread of its own, no warehouse open (checked before every fork; if
not, the fork server is used). The worker runs :func:`etl.parse.parse_file` with
:func:`etl.read.preflight.check` beside it in a second thread (:class:`_ChecksBeside`: nothing
read leaves the worker before the checks pass) and cuts over-long comments; it sends the
:class:`~etl.contract.ParsedFile` back through a pipe. Nothing it does touches the warehouse.
"""
from __future__ import annotations

import gc
import importlib
import logging
import multiprocessing as mp
import os
import threading
import time
import traceback
from pathlib import Path

from etl import limits, priority, standby
from etl.lifetime import die_with_parent
from etl.contract import ImportError_, ParsedFile, ProgressCallback
from kokemus.i18n import t

log = logging.getLogger(__name__)

PRELOAD = ["etl.sandbox", "etl.parse", "etl.read.readers", "etl.read.template", "etl.detect.layout",
           "etl.detect.legacy", "etl.detect.formats", "etl.normalise.values", "etl.read.preflight",
           "etl.read.sanitise", "pandas", "pyarrow", "pyarrow.csv",
           "duckdb", "fastexcel", "python_calamine", "etl.sandbox_warm"]

_context_lock = threading.Lock()
_context = None


def enabled() -> bool:
    """``KOKEMUS_SANDBOX=0`` parses in-process (debugging only; never on a server)."""
    return os.environ.get("KOKEMUS_SANDBOX", "1") != "0"


def _ctx():
    global _context
    with _context_lock:
        if _context is None:
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            _context = ctx
        return _context


_direct_threads: int | None = None


def _thread_count() -> int:
    """Threads of this process as the kernel sees them (native ones included)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return -1


def fork_directly() -> None:
    """Fork parse workers from this process rather than from a fork server (a one-shot
    command: see the module text). Call it once the pipeline is imported: the threads running
    now (numpy's and pyarrow's, started at import, as in a fork server) are the most a
    process may have when it forks a worker; any more (a thread of ours, DuckDB's while the
    warehouse is open, a pyarrow pool) and the worker comes from the fork server instead."""
    global _direct_threads
    _direct_threads = _thread_count()


def one_shot() -> bool:
    """Whether this process is a one-shot command (it called :func:`fork_directly`)."""
    return _direct_threads is not None


def _data_bytes() -> int:
    """This process's data segment (``VmData``, what ``RLIMIT_DATA`` counts)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmData:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


DIRECT_FORK_MAX_DATA = 3 << 29
"""1.5 GB. A worker inherits its parent's data segment (``VmData``) and its memory limit
(``RLIMIT_DATA``) counts it. A fork-server worker starts at ~1.2 GB of it (the readers
reserve address space), about what a CLI run has after its first file, so a direct worker
has the same room; after a big file the parent may hold more, and the fork server is used."""


def forks_directly() -> bool:
    """Whether the next worker is forked from this process (see :func:`fork_directly`)."""
    if _direct_threads is None or not enabled():
        return False
    n = _thread_count()
    if not (0 < n <= _direct_threads and threading.active_count() == 1):
        return False
    return _data_bytes() <= DIRECT_FORK_MAX_DATA


def start_server() -> None:
    """Start the fork server now (it imports the readers in the background), so the
    first file does not wait for it. Safe to call many times."""
    if not enabled():
        return
    try:
        from multiprocessing import forkserver
        _ctx()
        forkserver.ensure_running()
    except Exception:  # noqa: BLE001 - the first parse starts it instead
        log.warning("could not start the parse fork server early", exc_info=False)


def safe_failure(code: str, file_name: str, **params) -> ImportError_:
    key = f"safety_{code}"
    return ImportError_(t(key, "fi", file=file_name, **params), t(key, "en", file=file_name, **params),
                        file=file_name, code=f"unsafe_{code}" if code != "unsafe" else "unsafe",
                        details=dict(params))


def where(exc: BaseException) -> str:
    """Exception type and the code lines it passed, without its message: a library's
    message may quote a cell, and cells hold patient text."""
    frames = traceback.extract_tb(exc.__traceback__)[-4:]
    return type(exc).__name__ + " at " + " <- ".join(
        f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames))


# ----------------------------------------------------------------------------- worker

def _limit_self(memory: int, seconds: float) -> None:
    import resource
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    except (ValueError, OSError):
        pass
    cpu = int(seconds * 2) + 5  # two cores' worth of native threads, then SIGXCPU/SIGKILL
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    except (ValueError, OSError):
        pass


def parse_in_process(path, *, file_name: str, mapping=None, unit=None,
                     progress: ProgressCallback | None = None, known_units=None, early=None,
                     checks: _ChecksBeside | None = None) -> ParsedFile:
    """What the worker runs (and the in-process fallback): check, parse, cut. ``early``:
    see :func:`etl.read.template.parse_template`. ``checks``: the byte checks already running
    beside the parse (the worker, :class:`_ChecksBeside`); without, they run first, here."""
    from etl.read import preflight
    from etl.parse import parse_file
    from etl.read.sanitise import sanitise_parsed
    if checks is None:
        preflight.check(path, file_name)
    elif early is not None:
        send_early = early

        def early(question, comments):   # nothing read leaves the worker before the checks pass
            checks.wait()
            send_early(question, comments)
    parsed = parse_file(path, file_name=file_name, mapping=mapping, unit=unit, progress=progress,
                        known_units=known_units, early=early)
    if checks is not None:
        checks.wait()
    return sanitise_parsed(parsed)


class _Sender:
    """The worker's end of the pipe, shared by the parse and the checks beside it: one
    message at a time (two threads writing at once would interleave their bytes)."""

    def __init__(self, conn):
        self._conn = conn
        self._lock = threading.Lock()

    def send(self, message) -> None:
        with self._lock:
            self._conn.send(message)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


CHECKS_BESIDE_ROOM = 256 << 20
"""Room under the worker's memory limit (beyond what it holds at its start) from which the
checks run beside the read; with less (a limit set low, as a test does), first, alone: a
thread that finds no memory for its start would never say so (its start waits for it)."""


class _ChecksBeside:
    """:func:`etl.read.preflight.check` in a thread of the worker while its main thread reads
    the file: the readers are native code that releases the interpreter, so the checks
    (~0.7 s for a 200,000-row workbook) no longer come before the read (~0.8 s) but beside
    it, on the core that waited for the comments. Nothing read leaves the worker before they
    pass (:func:`parse_in_process` waits for them before it sends the comments or the result,
    and the worker waits for them before it reports a failure of its own, so their message
    comes first, as when they ran first). When they refuse the file, this thread sends the
    refusal and ends the worker at once, the reader with it. A reader that kills the worker
    before the checks end (a native abort) loses their message; the importer then runs the
    checks alone to give it (:func:`parse_file_isolated`)."""

    def __init__(self, path: str, file_name: str, out: _Sender):
        from etl.read import preflight
        self._path, self._file_name = path, file_name
        self._error: BaseException | None = None
        self._passed = False
        preflight.checking(path, self.wait)
        self._thread = threading.Thread(target=self._run, args=(out,), name="kokemus-preflight", daemon=True)
        try:
            self._thread.start()
        except RuntimeError:   # no thread to be had (memory): the checks run first, as they did
            self._thread = None
            self.wait()

    def _run(self, out: _Sender) -> None:
        from etl.read import preflight
        try:
            preflight.check(self._path, self._file_name)
            self._passed = True
        except ImportError_ as exc:
            try:
                _send_peak(out)
                out.send(_refusal(exc))
            finally:
                os._exit(0)   # the reader may be anywhere in the file: it ends with the worker
        except BaseException as exc:  # noqa: BLE001 - raised again in the parse's thread
            self._error = exc

    def wait(self) -> None:
        """Until the checks have passed (a refusal never returns: the worker ends). A thread
        that could not run them (its stack found no memory) leaves them to this one."""
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        if not self._passed:
            from etl.read import preflight
            preflight.check(self._path, self._file_name)
            self._passed = True


def _settings() -> dict[str, str]:
    """The caller's KOKEMUS_* settings (warehouse, profiles, taxonomy...): the fork server
    was started once and may have an older environment than the caller has now."""
    return {k: v for k, v in os.environ.items() if k.startswith("KOKEMUS_")}


def _refusal(exc: ImportError_) -> tuple[str, dict]:
    return ("refused", {"fi": exc.fi, "en": exc.en, "file": exc.file, "sheet": exc.sheet,
                        "row": exc.row, "column": exc.column, "code": exc.code,
                        "details": _plain(exc.details)})


def _work(conn, path: str, file_name: str, mapping, unit, memory: int, seconds: float,
          settings: dict[str, str], known_units=None, nice: int = 0, early: bool = False,
          direct_from: tuple[int, int] | None = None, checks_only: bool = False) -> None:
    if direct_from is not None:
        # forked from the importer itself: its end of the pipe came along (close it, or a
        # dead importer's pipe never breaks) and the worker dies with it (etl.lifetime)
        parent_pid, receiving_fd = direct_from
        os.close(receiving_fd)
        die_with_parent(parent_pid)
    gc.enable()   # a direct worker is forked while the importer's collector is paused (etl.pipeline)
    for k in [k for k in os.environ if k.startswith("KOKEMUS_") and k not in settings]:
        del os.environ[k]
    os.environ.update(settings)
    for name in PRELOAD:   # a fork server has them already; a direct worker takes them before its limits
        if name == "etl.sandbox_warm" and direct_from is not None:
            # the lemmatiser warmed up for the fork server's workers (0.1 s): a direct worker
            # is one file's, and a template file needs none (detection loads it when it does)
            continue
        try:
            importlib.import_module(name)
        except ImportError:   # as the fork server does: the parse imports what it needs itself
            pass
    _limit_self(memory, seconds)
    priority.lower_self(nice)
    conn = _Sender(conn)
    last = [0.0]

    def progress(fraction: float, _message: str = "") -> None:
        now = time.monotonic()
        if now - last[0] >= 0.2:
            last[0] = now
            try:
                conn.send(("progress", float(fraction)))
            except Exception:  # noqa: BLE001 - the parent stopped listening
                pass

    def send_comments(question, comments) -> None:
        conn.send(("comments", {"question": question, "texts": comments}))

    checks = None
    try:
        if checks_only:   # the importer asks what the checks say of a file whose worker died
            from etl.read import preflight
            preflight.check(path, file_name)
            conn.send(("ok", None))
            return
        if memory - _data_bytes() >= CHECKS_BESIDE_ROOM:
            checks = _ChecksBeside(path, file_name, conn)
        parsed = parse_in_process(path, file_name=file_name, mapping=mapping, unit=unit,
                                  progress=progress, known_units=known_units,
                                  early=send_comments if early else None, checks=checks)
        _send_peak(conn)
        conn.send(("ok", parsed))
    except ImportError_ as exc:
        _checks_first(checks)
        _send_peak(conn)
        conn.send(_refusal(exc))
    except BaseException as exc:  # noqa: BLE001 - reported by type and place only
        _checks_first(checks)
        conn.send(("memory", None) if _out_of_memory(exc) else ("unexpected", where(exc)))
    finally:
        conn.close()


def _checks_first(checks: _ChecksBeside | None) -> None:
    """Before the worker reports a failure of the parse: the checks' verdict, which would
    have come first had they run first (a refusal ends the worker with its own message)."""
    if checks is None:
        return
    try:
        checks.wait()
    except BaseException:  # noqa: BLE001 - the parse's own failure is reported
        pass


def _out_of_memory(exc: BaseException) -> bool:
    """Python's own or DuckDB's (the template path normalises in DuckDB): the worker hit its limit."""
    import duckdb
    return isinstance(exc, (MemoryError, duckdb.OutOfMemoryException))


def _send_peak(conn) -> None:
    import resource
    try:
        conn.send(("peak", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
    except Exception:  # noqa: BLE001
        pass


last_peak_kb = 0
"""Peak resident memory (KB) of the last worker that reported it (benchmarks read it)."""


def _plain(details: dict) -> dict:
    """Details as they are when they pickle (they are the detector's own lists and dicts);
    else each value as text."""
    import pickle
    try:
        pickle.dumps(details or {})
        return dict(details or {})
    except Exception:  # noqa: BLE001
        return {str(k): v if isinstance(v, (str, int, float, bool, type(None))) else str(v)
                for k, v in (details or {}).items()}


# ----------------------------------------------------------------------------- parent

LOWERED_WALL_FACTOR = 4


def proc_stat(pid: int, *, reaped: bool = False) -> tuple[int, float] | None:
    """(parent pid, user + system CPU seconds) of a running process from Linux /proc;
    None where it is gone or unknown. ``reaped``: add the time of its children that
    exited and were waited for (cutime + cstime)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            fields = fh.read().rsplit(b")", 1)[1].split()
        return int(fields[1]), sum(int(x) for x in fields[11:15 if reaped else 13]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _cpu_seconds(pid: int) -> float:
    stat = proc_stat(pid)
    return stat[1] if stat else 0.0


def _widen(connection) -> None:
    """A 1 MB pipe instead of 64 KB (Linux): a 40 MB result then comes in 40 reads, not 640,
    each of which waits for this thread's turn at the interpreter when another thread of the
    process is busy (tagging ahead)."""
    try:
        import fcntl
        fcntl.fcntl(connection.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (OSError, ImportError, ValueError):
        pass


def parse_file_isolated(path, *, file_name: str | None = None, mapping: dict[str, str] | None = None,
                        unit: str | None = None, progress: ProgressCallback | None = None,
                        memory: int | None = None, seconds: float | None = None,
                        known_units=None, nice: int = 0, on_comments=None, on_finishing=None,
                        on_started=None, checks_only: bool = False) -> ParsedFile:
    """Parse one untrusted file in a limited worker; raise :class:`ImportError_` with a
    person's message on any failure (refusal, damage, abort, memory, time). ``nice``: how
    much lower the worker's CPU priority is (:mod:`etl.priority`). ``on_comments(payload)``:
    called in this thread with ``{"question": header, "texts": pyarrow array}`` when the
    worker sends a template file's comment column ahead of the rest (it must return at once:
    the worker's messages wait meanwhile); ``on_finishing()``: called when the worker has
    finished and its result is about to come (so a thread tagging ahead can step aside while
    this thread reads it); ``on_started()``: called once the worker runs (or, in-process, before
    the parse), so what the caller may not have in a forked worker (a thread) starts beside it.
    ``checks_only``: the worker runs only :func:`etl.read.preflight.check` (returns None, or
    raises its refusal)."""
    global last_peak_kb
    last_peak_kb = 0
    path = Path(path)
    file_name = file_name or path.name
    if not enabled():
        if checks_only:
            from etl.read import preflight
            preflight.check(path, file_name)
            return None
        if on_started is not None:
            on_started()
        early = None if on_comments is None else (lambda q, c: on_comments({"question": q, "texts": c}))
        return parse_in_process(path, file_name=file_name, mapping=mapping, unit=unit, progress=progress,
                                known_units=known_units, early=early)
    memory = memory or limits.parse_memory_bytes()
    seconds = seconds or limits.parse_timeout_s()

    def job(direct_from):
        return (str(path), file_name, mapping, unit, memory, seconds, _settings(), known_units, nice,
                on_comments is not None, direct_from, checks_only)

    waiting = standby.take(job)   # a CLI run's first worker, forked before the warehouse opened (etl.standby)
    if waiting is not None:
        proc, receiver = waiting
        direct = True
        _widen(receiver)
    else:
        direct = forks_directly()
        ctx = mp.get_context("fork") if direct else _ctx()
        receiver, sender = ctx.Pipe(duplex=False)
        _widen(receiver)
        proc = ctx.Process(target=_work, name="kokemus-parse", daemon=True,
                           args=(sender, *job((os.getpid(), receiver.fileno()) if direct else None)))
        if direct:
            gc.freeze()   # the worker's collector must not touch (and so copy) the caller's objects
        try:
            proc.start()
        finally:
            if direct:
                gc.unfreeze()
        sender.close()
    if on_started is not None:
        on_started()
    # A lowered worker (a bulk CLI import, etl.priority) may wait for a core while viewers
    # use both: its limit is then its own CPU time, with four times the wall clock as backstop,
    # so a sound big file is not refused for the viewers' load. Others: the wall clock.
    start = time.monotonic()
    deadline = start + (seconds * LOWERED_WALL_FACTOR if nice > 0 else seconds)
    outcome = None
    try:
        while outcome is None:
            left = deadline - time.monotonic()
            if left <= 0 or (nice > 0 and _cpu_seconds(proc.pid) >= seconds):
                outcome = ("timeout", None)
                break
            try:
                ready = receiver.poll(min(left, 0.5))
            except (EOFError, OSError):
                ready = True
            if ready:
                try:
                    message = receiver.recv()
                except (EOFError, OSError):
                    outcome = ("died", None)
                    break
                except Exception as exc:  # noqa: BLE001 - a result that does not unpickle
                    outcome = ("unexpected", where(exc))
                    break
                if message[0] == "progress":
                    if progress:
                        progress(message[1], file_name)
                    continue
                if message[0] == "peak":   # sent right before the result
                    last_peak_kb = int(message[1])
                    if on_finishing is not None:
                        on_finishing()
                    continue
                if message[0] == "comments":
                    if on_comments is not None:
                        on_comments(message[1])
                    continue
                outcome = message
            elif not proc.is_alive():
                # it may have sent its result and exited between the poll and this check
                try:
                    if receiver.poll(0):
                        continue
                except (EOFError, OSError):
                    pass
                outcome = ("died", None)
    finally:
        receiver.close()
        if proc.is_alive():
            proc.join(1.0 if outcome and outcome[0] not in ("timeout", "died") else 0)
        if proc.is_alive():
            proc.kill()
        proc.join(5)
        exitcode = proc.exitcode
        try:
            proc.close()
        except ValueError:
            pass
    kind, payload = outcome
    if kind == "ok":
        return payload
    if kind == "refused":
        return_exc = ImportError_(payload["fi"], payload["en"], file=payload["file"], sheet=payload["sheet"],
                                  row=payload["row"], column=payload["column"], code=payload["code"],
                                  details=payload["details"])
        raise return_exc
    if kind == "timeout":
        log.warning("parse worker for an upload timed out after %.0f s", seconds)
        raise safe_failure("timeout", file_name, seconds=f"{seconds:g}")
    if kind == "unexpected":
        log.warning("parse worker failed: %s", payload)
        raise safe_failure("unexpected", file_name)
    log.warning("parse worker ended abnormally (%s, exit code %s)", kind, exitcode)
    if kind == "died" and not checks_only:
        # the reader may have killed the worker before the checks beside it had their say
        # (_ChecksBeside): what they say of the file, alone, is the better message. A CLI run
        # forked that worker itself and may have started a thread since (the tagger's warm-up,
        # a second or so): the checks wait for it rather than start a fork server.
        until = time.monotonic() + 10
        while direct and not forks_directly() and threading.active_count() > 1 and time.monotonic() < until:
            time.sleep(0.05)
        parse_file_isolated(path, file_name=file_name, memory=memory, seconds=seconds, checks_only=True)
    raise safe_failure("unsafe", file_name)
