"""A classroom behind nginx loses one replica in the middle of the lesson.

Three replicas of the app run behind ``deploy/nginx.conf`` (``deploy/cluster.py``).
Simulated students (the websocket client of ``bench/stclient.py``, one browser tab
each) load the page over HTTP first, as a browser does, which gives them nginx's
affinity cookie; then they open their page through nginx and keep moving a slider.
While they do, the replica serving the most students is killed with SIGKILL.

What must hold:
- students on the other replicas see no error at all, and finish every move;
- students on the killed replica lose their connection, reconnect the way
  Streamlit's frontend does (same cookie, same URL), land on a live replica and get
  their view back: the slider shows the value they had set, read from the URL;
  then they finish their moves without error.

nginx comes from Debian (``.ci/run`` installs it); without it this test fails with
a message saying so, it is never skipped.
"""

from __future__ import annotations

import asyncio
import random
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import pytest

from bench.stclient import StreamlitClient
from deploy.cluster import cluster
from ui.model import all_models
from ui.state import PARAMS

all_models()  # every declared control in PARAMS

pytestmark = pytest.mark.slow

# (page path, slider key, values): home's slope slider, and the attention page's
# temperature slider, so that two different pages (and scripts) are restored
PAGES = (
    ("", "home_w", (0.4, 0.8, 1.2, 1.6, 2.4, 2.8, 3.2, 3.6, 4.0)),
    ("attention", "att_temp", (0.4, 0.6, 0.8, 1.2, 1.4, 1.6, 2.0, 2.5)),
)
STUDENTS = 24
MOVES = 8
THINK = (0.2, 0.6)


@dataclass
class Student:
    index: int
    path: str
    key: str
    values: tuple[float, ...]
    cookie: str = ""
    replica: str = ""  # the replica that served the first connection
    replicas: list[str] = field(default_factory=list)  # every replica that served it
    moves: int = 0
    errors: list[str] = field(default_factory=list)
    reconnects: int = 0
    restored: list[tuple[Any, Any]] = field(default_factory=list)  # (expected, shown)


def load_page(url: str, cookie: str = "") -> str:
    """GET the page like a browser; return the affinity cookie nginx gives back."""
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        r.read()
        set_cookie = r.headers.get("Set-Cookie", "")
    return set_cookie.split(";", 1)[0] or cookie


async def connect(url: str, s: Student, query: str) -> StreamlitClient:
    """Open ``s.path?query`` through nginx with the student's cookie."""
    c = StreamlitClient(url, headers={"Cookie": s.cookie}, timeout=60)
    await c.connect()
    s.replicas.append(c.response_headers.get("x-replica", "?"))
    r = await c.open(s.path, query)
    if not r.ok:
        s.errors.append(f"open: {r.exceptions or r.status}")
    return c


async def reconnect(url: str, s: Student, query: str, killed: str) -> StreamlitClient:
    """Like Streamlit's frontend after a lost connection: retry until a server answers."""
    deadline = time.monotonic() + 60
    delay = 0.2
    while True:
        try:
            await asyncio.to_thread(load_page, f"{url}/_stcore/health", s.cookie)
            c = await connect(url, s, query)
        except Exception as exc:
            if time.monotonic() > deadline:
                raise AssertionError(f"student {s.index} could not reconnect: {exc!r}") from exc
            await asyncio.sleep(delay)
            delay = min(2.0, delay * 2)
            continue
        if s.replicas[-1] == killed:
            raise AssertionError(f"student {s.index} was sent to the killed replica {killed}")
        return c


async def run_student(
    url: str, s: Student, opened: asyncio.Event, go: asyncio.Event, state: dict[str, Any]
) -> None:
    rng = random.Random(s.index)
    s.cookie = await asyncio.to_thread(load_page, f"{url}/{s.path}?lang=en")
    c = await connect(url, s, "lang=en")
    s.replica = s.replicas[0]
    state["opened"] += 1
    if state["opened"] == STUDENTS:
        opened.set()
    await go.wait()  # everyone is connected: now the lesson goes on
    try:
        for _ in range(MOVES):
            await asyncio.sleep(rng.uniform(*THINK))
            value = rng.choice(s.values)
            try:
                r = await c.set(s.key, value)
            except Exception as exc:
                killed = state.get("killed", "")
                if s.replicas[-1] != killed:
                    s.errors.append(f"move on a live replica: {exc!r}")
                    return
                # The URL the tab shows: for a control bound by Streamlit it already
                # carries the new value (the frontend writes it, set() too); a declared
                # control's URL is written by the server after each run, so it carries the
                # last value that run reached. The view must come back at the URL's value.
                query = c.query_string
                in_url = urllib.parse.parse_qs(query).get(s.key)
                if in_url:
                    expected = float(in_url[-1])
                else:  # a declared control at its default is left out of the URL
                    declared = PARAMS.get(s.key)
                    expected = declared.default if declared is not None else value
                await c.close()
                c = await reconnect(url, s, query, killed)
                s.reconnects += 1
                shown = list(c.widget(s.key).proto.value)
                s.restored.append((expected, shown[0] if shown else None))
                s.moves += 1
                continue
            if not r.ok:
                s.errors.append(f"move: {r.exceptions or r.status}")
            s.moves += 1
    finally:
        await c.close()


async def lesson(url: str, addr_of_kill: dict[str, Any]) -> list[Student]:
    students = [Student(i, *PAGES[i % len(PAGES)]) for i in range(STUDENTS)]
    opened, go = asyncio.Event(), asyncio.Event()
    state: dict[str, Any] = {"opened": 0}
    tasks = [asyncio.create_task(run_student(url, s, opened, go, state)) for s in students]
    await asyncio.wait_for(opened.wait(), 120)
    # kill the replica that serves the most students, a second into the moves
    counts: dict[str, int] = {}
    for s in students:
        counts[s.replica] = counts.get(s.replica, 0) + 1
    victim = max(counts, key=lambda a: counts[a])
    go.set()
    await asyncio.sleep(1.0)
    state["killed"] = victim
    addr_of_kill["kill"](victim)
    addr_of_kill["counts"] = counts
    await asyncio.wait_for(asyncio.gather(*tasks), 300)
    return students


def test_a_killed_replica_costs_its_students_nothing_but_a_reconnect() -> None:
    with cluster(3) as cl:
        info: dict[str, Any] = {"kill": lambda addr: cl.kill(cl.replica(addr))}
        students = asyncio.run(lesson(cl.url, info))
        victim = next(r.addr for r in cl.replicas if not r.alive)
        nginx_errors = cl.error_log()
    counts = info["counts"]
    print(
        f"students per replica {counts}; killed {victim}; reconnected "
        f"{sum(s.reconnects for s in students)}; restored "
        f"{[(s.index, e, v) for s in students for e, v in s.restored]}"
    )
    assert len(counts) >= 2, f"affinity put every student on one replica: {counts}"

    on_victim = [s for s in students if s.replica == victim]
    survivors = [s for s in students if s.replica != victim]
    assert on_victim and survivors, counts

    for s in survivors:
        assert not s.errors, f"student {s.index} on a live replica saw errors: {s.errors}"
        assert s.moves == MOVES
        assert s.reconnects == 0
        assert set(s.replicas) == {s.replica}, "affinity broken: a live student moved"

    for s in on_victim:
        assert not s.errors, f"student {s.index} (killed replica) saw errors: {s.errors}"
        assert s.reconnects == 1, f"student {s.index} reconnected {s.reconnects} times"
        assert s.moves == MOVES
        assert s.replicas[-1] != victim
        for expected, shown in s.restored:
            assert shown == pytest.approx(expected), (
                f"student {s.index}: the view came back with {s.key}={shown}, "
                f"the URL said {expected}"
            )
    assert "[emerg]" not in nginx_errors, nginx_errors[-2000:]
