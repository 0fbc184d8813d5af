"""A Streamlit session without a browser: speaks the frontend's own websocket protocol.

Why: ten headless Chromium sessions on the server's own two cores mostly measure Chromium
(about 2.7 CPU s to parse and draw the front end per fresh page load, against about 0.3 s
of server work). A viewer on a ward manager's desk brings their own computer. This client
makes the server do exactly what a browser session makes it do - open ``/_stcore/stream``,
ask for a page run with ``rerun_script`` (the page by URL path on the first open, by page
script hash when navigating within the session, as the sidebar does), receive every
ForwardMsg of the run and tell the server which cached messages it already holds - and
draws nothing. ``benchmarks/bench_concurrency.py`` uses it for its viewers; a test loads a
page with it against a real server.

What the frontend does that is copied here (streamlit/static ... index.js, ``sendRerunBackMsg``):
the websocket subprotocol ``streamlit``, a ``rerun_script`` BackMsg carrying the query string,
the page name (first open) or page script hash (navigation), the context info (time zone,
locale, URL) and the hashes of the cacheable messages received so far in this session; the
server then answers a cached element with a ``ref_hash`` message instead of the element.
A page load ends when a run finishes (``script_finished`` FINISHED_SUCCESSFULLY or
FINISHED_WITH_COMPILE_ERROR) and no new run starts within ``settle`` seconds (the same
400 ms rule as the browser benchmarks; the settling wait is not counted).

What it looks for in the messages: exception elements (a traceback or StreamlitAPIException
on the page), a compile error, "page not found", a closed connection, and any of the given
"busy" texts in a markdown, text, heading, alert, caption or metric element.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

SETTLE_S = 0.4
TEXT_KINDS = ("markdown", "text", "heading", "alert", "metric", "code")


@dataclass
class PageLoad:
    """One page load as the server served it."""
    page: str
    seconds: float | None = None            # request sent -> run finished (None: never finished)
    runs: int = 0
    elements: int = 0
    received_bytes: int = 0
    problems: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def element_text(element) -> str:
    kind = element.WhichOneof("type")
    if kind not in TEXT_KINDS:
        return ""
    inner = getattr(element, kind)
    if kind == "metric":
        return f"{inner.label} {inner.body}"
    return getattr(inner, "body", "")


class ProtocolSession:
    """One browser tab's worth of Streamlit session, driven from asyncio.

    ``async with ProtocolSession(base_url) as s: await s.open("kehitys"); await s.navigate("ongelmat")``
    """

    def __init__(self, base_url: str, *, busy_texts: tuple[str, ...] = (), locale: str = "fi-FI",
                 timezone: str = "Europe/Helsinki", timeout: float = 120.0, settle: float = SETTLE_S,
                 keep_texts: bool = False):
        self.base_url = base_url.rstrip("/")
        self.busy_texts = tuple(busy_texts)
        self.locale, self.timezone, self.timeout, self.settle = locale, timezone, timeout, settle
        self.keep_texts = keep_texts
        self.ws = None
        self.pages: dict[str, str] = {}      # url path -> page script hash (from the navigation message)
        self.page_script_hash = ""
        self.query_string = ""
        self.session_id = ""
        self._cached: set[str] = set()       # hashes of cacheable messages this session holds
        self._finished = asyncio.Event()
        self._started_at: float = 0.0
        self._load: PageLoad | None = None
        self._reader: asyncio.Task | None = None
        self._closed_by_us = False
        self._finished_at: float = 0.0

    async def __aenter__(self) -> ProtocolSession:
        await self.connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def connect(self) -> None:
        from websockets.asyncio.client import connect
        parts = urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.ws = await connect(f"{scheme}://{parts.netloc}{parts.path}/_stcore/stream",
                                subprotocols=["streamlit"], origin=f"{parts.scheme}://{parts.netloc}",
                                max_size=None, compression=None, open_timeout=self.timeout,
                                ping_interval=None)
        self._reader = asyncio.create_task(self._read())

    async def close(self) -> None:
        self._closed_by_us = True
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            await asyncio.gather(self._reader, return_exceptions=True)

    # ------------------------------------------------------------------ requests
    async def open(self, url_path: str, query_string: str = "") -> PageLoad:
        """The first run of a session: the page named by its URL path, as a typed or
        shared link opens it."""
        return await self._run(url_path or "/", page_name=url_path.strip("/"), page_script_hash="",
                               query_string=query_string)

    async def navigate(self, url_path: str, query_string: str | None = None) -> PageLoad:
        """A later run of the same session on another page, as a click in the sidebar's
        navigation sends it: the page's script hash, the session's widgets kept."""
        script_hash = self.pages.get(url_path.strip("/"))
        if script_hash is None:
            load = PageLoad(url_path)
            load.problems.append(f"no such page in the navigation: {url_path}")
            return load
        return await self._run(url_path, page_name="", page_script_hash=script_hash,
                               query_string=self.query_string if query_string is None else query_string)

    async def _run(self, label: str, *, page_name: str, page_script_hash: str, query_string: str) -> PageLoad:
        load = PageLoad(label)
        self._load = load
        self._finished.clear()
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query_string
        state.page_name = page_name
        state.page_script_hash = page_script_hash
        state.cached_message_hashes.extend(sorted(self._cached))
        state.context_info.timezone = self.timezone
        state.context_info.timezone_offset = -120
        state.context_info.locale = self.locale
        state.context_info.url = f"{self.base_url}/{page_name}" + (f"?{query_string}" if query_string else "")
        state.context_info.color_scheme = "light"
        state.widget_states.SetInParent()
        self._started_at = time.perf_counter()
        try:
            await self.ws.send(msg.SerializeToString())
        except Exception as exc:  # noqa: BLE001 - a closed connection is what a viewer would see
            load.problems.append(f"disconnected: {type(exc).__name__}")
            return load
        deadline = self._started_at + self.timeout
        finished_at = None
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                load.problems.append(f"timeout: {label}")
                break
            try:
                await asyncio.wait_for(self._finished.wait(), timeout=remaining if finished_at is None
                                       else min(remaining, self.settle))
            except asyncio.TimeoutError:
                if finished_at is not None:
                    break          # settled: no new run within the settle time
                continue
            if self._reader.done():
                if finished_at is None:
                    load.problems.append("disconnected: the server closed the connection")
                break
            self._finished.clear()
            finished_at = self._finished_at
        if finished_at is not None:
            load.seconds = finished_at - self._started_at
        self._load = None
        return load

    # ------------------------------------------------------------------ messages
    async def _read(self) -> None:
        try:
            async for data in self.ws:
                self._handle(data)
        except Exception:  # noqa: BLE001 - the connection ended; _run reports it
            pass
        finally:
            if self._load is not None and not self._closed_by_us:
                self._finished_at = time.perf_counter()
                self._finished.set()

    def _handle(self, data: bytes) -> None:
        msg = ForwardMsg.FromString(data)
        load = self._load
        if load is not None:
            load.received_bytes += len(data)
        if msg.metadata.cacheable and msg.hash:
            self._cached.add(msg.hash)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self.page_script_hash = msg.new_session.page_script_hash
            if load is not None:
                load.runs += 1
            self._finished.clear()
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "page_not_found" and load is not None:
            load.problems.append(f"page not found: {msg.page_not_found.page_name or load.page}")
        elif kind == "delta" and load is not None:
            self._delta(msg, load)
        elif kind == "ref_hash" and load is not None:
            load.elements += 1
        elif kind == "session_event" and load is not None:
            if msg.session_event.HasField("script_compilation_exception"):
                load.problems.append(f"exception: {load.page}: compile error")
        elif kind == "script_finished":
            if msg.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                self._finished_at = time.perf_counter()
                self._finished.set()

    def _delta(self, msg: ForwardMsg, load: PageLoad) -> None:
        delta = msg.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        load.elements += 1
        if element.WhichOneof("type") == "exception":
            load.problems.append(f"exception: {load.page}: {element.exception.type}")
            return
        text = element_text(element)
        if not text:
            return
        if self.keep_texts:
            load.texts.append(text)
        for busy in self.busy_texts:
            if busy in text:
                load.problems.append(f"busy: {load.page}")
                break


async def load_once(base_url: str, url_path: str, **kw) -> PageLoad:
    """A fresh session opens one page and leaves."""
    async with ProtocolSession(base_url, **kw) as session:
        return await session.open(url_path)
