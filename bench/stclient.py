"""A small client that speaks Streamlit's websocket protocol (streamlit 1.67).

It does what the browser's frontend does for one tab, minus the drawing:

- connects to ``ws://host/_stcore/stream`` with the subprotocol ``streamlit``
  (the server reads ``Sec-WebSocket-Protocol`` as ``[subprotocol, xsrf, session]``);
- opens a page the way a browser does on a direct visit: the first
  ``BackMsg.rerun_script`` carries ``ClientState.page_name`` = the page's URL path
  (``"gradient-descent"``, ``""`` for the home page) and an empty
  ``page_script_hash``; later reruns carry the page's hash, learned from the
  ``navigation`` / ``new_session`` messages (the same resolution as
  ``runtime/pages_manager.py``);
- reads ``ForwardMsg`` frames until ``script_finished`` (a run interrupted by
  ``st.rerun`` is followed to its end);
- learns every widget from the ``delta`` protos (``id``, ``query_param_key``, the
  fragment that drew it) so that ``set("gd_lr", 0.1)`` builds the right
  ``WidgetState`` and, for a widget inside an ``st.fragment``, sends a fragment
  rerun exactly like the browser;
- echoes ``cached_message_hashes`` like the browser, so an unchanged large element
  comes back as a small ``ref_hash`` message instead of its full payload;
- sets ``TCP_QUICKACK`` on its socket after every read: without it the kernel's
  delayed ACK (40 ms) meets the server's Nagle and every rerun looks 40 ms slower.

Widget values the client has set are sent on every later rerun (as the browser
keeps sending its widget states); widgets it never touched are left out, and the
server keeps their previous value. Like the browser, the client writes a bound
widget's new value into its query string and applies the server's
``page_info_changed`` query string.

Command line (one page, a few reruns)::

    python bench/stclient.py http://127.0.0.1:8501 gradient-descent --query gd_opts=adam \\
        --set gd_lr=0.1 --reruns 5
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import socket
import statistics
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

TCP_QUICKACK = getattr(socket, "TCP_QUICKACK", 12)  # Linux only
FINISHED = ForwardMsg.ScriptFinishedStatus
FINAL = {
    FINISHED.FINISHED_SUCCESSFULLY,
    FINISHED.FINISHED_WITH_COMPILE_ERROR,
    FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}
WIDGET_TYPES = {
    "slider",
    "checkbox",
    "number_input",
    "text_input",
    "text_area",
    "selectbox",
    "radio",
    "multiselect",
    "button_group",
    "button",
    "color_picker",
}


class ProtocolError(RuntimeError):
    """The server closed, timed out or answered something the client cannot use."""


@dataclass
class Widget:
    """What the client knows about one widget, from the last delta that drew it."""

    key: str  # user key (the URL parameter for bound widgets), or the id
    id: str
    kind: str  # Element oneof name: slider, checkbox, selectbox, ...
    fragment_id: str  # "" when outside any fragment
    proto: Any  # the widget's proto (options, data_type, ...)

    @property
    def options(self) -> list[str]:
        opts = list(getattr(self.proto, "options", []))
        return [getattr(o, "content", o) for o in opts]


@dataclass
class RunResult:
    """One rerun as seen by the client."""

    latency: float  # s, from sending rerun_script to the final script_finished
    first_delta: float | None  # s, to the first delta (None when nothing was drawn)
    payload_bytes: int  # sum of ForwardMsg sizes (after any websocket decompression)
    wire_bytes: int  # bytes read from the TCP socket (websocket framing, compression)
    messages: int
    deltas: int
    ref_hashes: int  # large elements answered from the browser cache
    status: int  # ForwardMsg.ScriptFinishedStatus
    fragment: bool
    exceptions: list[str] = field(default_factory=list)
    page_not_found: bool = False

    @property
    def ok(self) -> bool:
        return (
            not self.exceptions
            and not self.page_not_found
            and self.status != FINISHED.FINISHED_WITH_COMPILE_ERROR
        )


def _quickack(sock: Any) -> None:
    with contextlib.suppress(OSError, AttributeError):
        sock.setsockopt(socket.IPPROTO_TCP, TCP_QUICKACK, 1)


def _user_key(widget_id: str) -> str:
    """``$$ID-<hash>-<user key>`` -> user key (``""`` when the widget has none)."""
    if widget_id.startswith("$$ID-"):
        parts = widget_id.split("-", 2)
        if len(parts) == 3 and parts[2] != "None":
            return parts[2]
    return ""


class StreamlitClient:
    """One simulated browser tab. Use as ``async with StreamlitClient(url) as c``."""

    def __init__(
        self,
        base_url: str = "http://127.0.0.1:8501",
        *,
        locale: str = "en-US",
        timezone: str = "Asia/Tokyo",
        compression: bool = True,
        timeout: float = 60.0,
        headers: dict[str, str] | None = None,
    ) -> None:
        parts = urllib.parse.urlsplit(base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        base = parts.path.rstrip("/")
        self.http_base = f"{parts.scheme}://{parts.netloc}{base}"
        self.ws_url = f"{scheme}://{parts.netloc}{base}/_stcore/stream"
        self.locale = locale
        self.timezone = timezone
        self.compression = compression
        self.timeout = timeout
        self.headers = dict(headers or {})  # sent with the websocket handshake (Cookie: ...)
        self.response_headers: dict[str, str] = {}  # the handshake's answer (X-Replica: ...)
        self.ws: ClientConnection | None = None
        self.session_id = ""
        self.page_name = ""
        self.page_hash = ""
        self.query_string = ""
        self.widgets: dict[str, Widget] = {}
        self._states: dict[str, WidgetState] = {}  # values this client has set
        self._cache: set[str] = set()  # hashes of cacheable messages received
        self._wire = 0
        self.connect_time = 0.0

    # ── connection ────────────────────────────────────────────────────────────
    async def __aenter__(self) -> StreamlitClient:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def connect(self) -> None:
        t0 = time.perf_counter()
        self.ws = await asyncio.wait_for(
            connect(
                self.ws_url,
                subprotocols=["streamlit"],  # type: ignore[list-item]
                additional_headers=self.headers or None,
                compression="deflate" if self.compression else None,
                max_size=None,
                max_queue=None,
                ping_interval=None,  # the server pings; the library answers
                open_timeout=self.timeout,
                close_timeout=2,
            ),
            self.timeout,
        )
        self.connect_time = time.perf_counter() - t0
        if self.ws.response is not None:
            self.response_headers = {k.lower(): v for k, v in self.ws.response.headers.raw_items()}
        sock = self.ws.transport.get_extra_info("socket")
        _quickack(sock)
        protocol = self.ws
        original = protocol.data_received

        def counting(data: bytes) -> None:  # count wire bytes, keep ACKs immediate
            self._wire += len(data)
            _quickack(sock)
            original(data)

        protocol.data_received = counting  # type: ignore[method-assign]

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
            self.ws = None

    # ── page and reruns ───────────────────────────────────────────────────────
    async def open(self, path: str = "", query: str | dict[str, Any] = "") -> RunResult:
        """First run of a page, as a direct visit to ``/<path>?<query>``."""
        if isinstance(query, dict):
            query = urllib.parse.urlencode(query, doseq=True)
        self.page_name = path.strip("/")
        self.page_hash = ""
        self.query_string = query
        self.widgets.clear()
        self._states.clear()
        return await self._run(fragment_id="")

    async def rerun(self) -> RunResult:
        """A full rerun with the current widget states (like pressing R)."""
        return await self._run(fragment_id="")

    async def set(self, key: str, value: Any) -> RunResult:
        """Change one widget (by its key) and wait for the rerun it triggers."""
        widget = self.widget(key)
        self._states[widget.id] = state = self._state(widget, value)
        param = getattr(widget.proto, "query_param_key", "")
        if param:
            self._set_param(param, state)
        result = await self._run(fragment_id=widget.fragment_id)
        if widget.kind == "button":  # triggers fire once
            self._states.pop(widget.id, None)
        return result

    def widget(self, key: str) -> Widget:
        try:
            return self.widgets[key]
        except KeyError:
            known = ", ".join(sorted(self.widgets)) or "none"
            raise KeyError(f"no widget {key!r} on this page (known: {known})") from None

    # ── internals ─────────────────────────────────────────────────────────────
    def _state(self, widget: Widget, value: Any) -> WidgetState:
        s = WidgetState(id=widget.id)
        kind, proto = widget.kind, widget.proto
        if kind == "slider" and len(proto.options):  # select_slider: option labels
            labels = value if isinstance(value, list | tuple) else [value]
            s.string_array_value.data.extend(self._label(widget, v) for v in labels)
        elif kind == "slider":
            values = value if isinstance(value, list | tuple) else [value]
            s.double_array_value.data.extend(float(v) for v in values)
        elif kind == "checkbox":
            s.bool_value = bool(value)
        elif kind == "number_input":
            if proto.data_type == type(proto).INT:
                s.int_value = int(value)
            else:
                s.double_value = float(value)
        elif kind in ("text_input", "text_area", "color_picker"):
            s.string_value = str(value)
        elif kind in ("selectbox", "radio"):
            s.string_value = self._label(widget, value)
        elif kind in ("multiselect", "button_group"):
            values = value if isinstance(value, list | tuple) else [value]
            s.string_array_value.data.extend(self._label(widget, v) for v in values)
        elif kind == "button":
            s.trigger_value = True
        else:
            raise ValueError(f"cannot set a {kind} widget")
        return s

    def _set_param(self, param: str, state: WidgetState) -> None:
        kind = state.WhichOneof("value")
        if kind in ("double_array_value", "string_array_value"):
            values = [
                f"{v:g}" if isinstance(v, float) else str(v) for v in getattr(state, kind).data
            ]
        elif kind == "bool_value":
            values = ["true" if state.bool_value else "false"]
        elif kind == "double_value":
            values = [f"{state.double_value:g}"]
        elif kind is not None and kind != "trigger_value":
            values = [str(getattr(state, kind))]
        else:
            return
        pairs = [(k, v) for k, v in urllib.parse.parse_qsl(self.query_string) if k != param]
        pairs += [(param, v) for v in values]
        self.query_string = urllib.parse.urlencode(pairs)

    @staticmethod
    def _label(widget: Widget, value: Any) -> str:
        """An option given as its label, or as its index (int) into the options."""
        options = widget.options
        if isinstance(value, str) or not options:
            return str(value)
        if isinstance(value, int) and 0 <= value < len(options):
            return options[value]
        raise ValueError(f"{widget.key}: {value!r} is not an option index")

    def _client_state(self, fragment_id: str) -> ClientState:
        cs = ClientState(
            query_string=self.query_string,
            page_script_hash=self.page_hash,
            page_name=self.page_name if not self.page_hash else "",
            fragment_id=fragment_id,
        )
        cs.widget_states.widgets.extend(self._states.values())
        cs.cached_message_hashes.extend(sorted(self._cache))
        url = f"{self.http_base}/{self.page_name}" + (
            f"?{self.query_string}" if self.query_string else ""
        )
        cs.context_info.CopyFrom(
            ContextInfo(
                timezone=self.timezone,
                timezone_offset=-540 if self.timezone == "Asia/Tokyo" else 0,
                locale=self.locale,
                url=url,
                is_embedded=False,
                color_scheme="light",
            )
        )
        return cs

    async def _run(self, *, fragment_id: str) -> RunResult:
        if self.ws is None:
            raise ProtocolError("not connected")
        msg = BackMsg()
        msg.rerun_script.CopyFrom(self._client_state(fragment_id))
        data = msg.SerializeToString()
        wire0 = self._wire
        t0 = time.perf_counter()
        await self.ws.send(data)
        first: float | None = None
        payload = messages = deltas = refs = 0
        exceptions: list[str] = []
        not_found = False
        deadline = t0 + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise ProtocolError(f"no script_finished within {self.timeout:.0f} s")
            try:
                frame = await asyncio.wait_for(self.ws.recv(), remaining)
            except TimeoutError:
                raise ProtocolError(f"no script_finished within {self.timeout:.0f} s") from None
            except Exception as exc:  # connection closed
                raise ProtocolError(f"connection lost: {exc!r}") from exc
            if isinstance(frame, str):
                raise ProtocolError("text frame from server")
            payload += len(frame)
            messages += 1
            fwd = ForwardMsg()
            fwd.ParseFromString(frame)
            kind = fwd.WhichOneof("type")
            if fwd.metadata.cacheable and fwd.hash:
                self._cache.add(fwd.hash)
            if kind == "delta":
                deltas += 1
                if first is None:
                    first = time.perf_counter() - t0
                self._learn(fwd.delta, exceptions)
            elif kind == "ref_hash":
                refs += 1
                deltas += 1
                if first is None:
                    first = time.perf_counter() - t0
            elif kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id or self.session_id
                if fwd.new_session.page_script_hash:
                    self.page_hash = fwd.new_session.page_script_hash
            elif kind == "navigation":
                if fwd.navigation.page_script_hash:
                    self.page_hash = fwd.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = fwd.page_info_changed.query_string
            elif kind == "page_not_found":
                not_found = True
            elif kind == "script_finished" and fwd.script_finished in FINAL:
                return RunResult(
                    latency=time.perf_counter() - t0,
                    first_delta=first,
                    payload_bytes=payload,
                    wire_bytes=self._wire - wire0,
                    messages=messages,
                    deltas=deltas,
                    ref_hashes=refs,
                    status=fwd.script_finished,
                    fragment=bool(fragment_id),
                    exceptions=exceptions,
                    page_not_found=not_found,
                )

    def _learn(self, delta: Any, exceptions: list[str]) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            exc = element.exception
            exceptions.append(f"{exc.type}: {exc.message}")
            return
        if kind not in WIDGET_TYPES:
            return
        proto = getattr(element, kind)
        if not proto.id:
            return
        key = getattr(proto, "query_param_key", "") or _user_key(proto.id) or proto.id
        copy = type(proto)()
        copy.CopyFrom(proto)
        self.widgets[key] = Widget(key, proto.id, kind, delta.fragment_id, copy)


def summarize(values: list[float]) -> dict[str, float]:
    """median, p95 (nearest rank), max of a list of numbers."""
    if not values:
        return {"n": 0, "median": float("nan"), "p95": float("nan"), "max": float("nan")}
    s = sorted(values)
    p95 = s[min(len(s) - 1, max(0, round(0.95 * len(s) + 0.5) - 1))]
    return {"n": len(s), "median": statistics.median(s), "p95": p95, "max": s[-1]}


def _parse_value(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


async def _main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("url", nargs="?", default="http://127.0.0.1:8501")
    ap.add_argument("path", nargs="?", default="", help="page URL path, '' = home")
    ap.add_argument("--query", default="", help="query string the page is opened with")
    ap.add_argument("--set", action="append", default=[], help="key=value (JSON or text)")
    ap.add_argument("--reruns", type=int, default=3)
    ap.add_argument("--widgets", action="store_true", help="list the widgets found")
    args = ap.parse_args(argv)
    async with StreamlitClient(args.url) as c:
        r = await c.open(args.path, args.query)
        print(f"open: {r.latency * 1000:.1f} ms, {r.payload_bytes} B, ok={r.ok} {r.exceptions}")
        if args.widgets:
            for w in c.widgets.values():
                print(f"  {w.key:<14} {w.kind:<13} frag={w.fragment_id[:8] or '-':<8} {w.options}")
        for item in args.set:
            key, _, value = item.partition("=")
            r = await c.set(key, _parse_value(value))
            print(
                f"set {key}: {r.latency * 1000:.1f} ms, {r.payload_bytes} B "
                f"(wire {r.wire_bytes}), fragment={r.fragment}, ok={r.ok} {r.exceptions}"
            )
        times = []
        for _ in range(args.reruns):
            r = await c.rerun()
            times.append(r.latency * 1000)
        if times:
            s = summarize(times)
            print(f"rerun x{s['n']}: median {s['median']:.1f} ms, p95 {s['p95']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(_main(sys.argv[1:])))
