"""Where the time of a page goes: fetching it, decoding it, building its columns, and its
share of typing every column once at the end (the profile that explains the ratios), one page
after the other, against the same server.

Per page and format: the wall time of the HTTP exchange (the sandbox rendering the page is
most of it), the client's CPU time for it, the CPU time of decoding the body (JSON or XML
parsed, the list and the next page found), of building its untyped columns (what ``all()``
keeps of each page), and the page's share of typing every column once over all the pages
(``combine_pages``, measured once and divided by the pages). For the floor, the same fetch and
``json.loads``.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

__all__ = ["StageTimes", "stage_times"]

T = TypeVar("T")


@dataclass
class StageTimes:
    """Milliseconds per page (medians over the pages walked; ``type_ms``: the one typing at
    the end divided by the pages)."""

    what: str
    pages: int
    fetch_wall_ms: float
    fetch_cpu_ms: float
    decode_ms: float
    convert_ms: float
    type_ms: float = 0.0

    @property
    def client_cpu_ms(self) -> float:
        return self.fetch_cpu_ms + self.decode_ms + self.convert_ms + self.type_ms


def _timed(action: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = action()
    return out, (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def _floor(url: str, page_size: int, pages: int) -> StageTimes:
    import httpx

    from twilio_nb.sandbox import ACCOUNT_SID, AUTH_TOKEN

    walls: list[float] = []
    cpus: list[float] = []
    decodes: list[float] = []
    with httpx.Client(base_url=url, auth=(ACCOUNT_SID, AUTH_TOKEN)) as client:
        client.get(f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json?PageSize=1")  # warm-up
        uri: str | None = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json?PageSize={page_size}"
        while uri and len(walls) < pages:
            response, wall, cpu = _timed(partial(client.get, uri))
            data, _, decode = _timed(partial(json.loads, response.content))
            walls.append(wall)
            cpus.append(cpu)
            decodes.append(decode)
            uri = data["next_page_uri"]
    return StageTimes("floor (json.loads)", len(walls), _median(walls), _median(cpus),
                      _median(decodes), 0.0)


def _twilio_nb(url: str, page_size: int, pages: int, fmt: str) -> StageTimes:
    import twilio_nb as tw
    from twilio_nb.convert import combine_pages
    from twilio_nb.sandbox import ACCOUNT_SID, AUTH_TOKEN

    conn = tw.Connection(address=url, auth_type="auth_token",
                         credential=tw.UserCredentials(ACCOUNT_SID, AUTH_TOKEN))
    _ = conn.basic("Message", "List Messages", query="PageSize=1", response_format=fmt).df
    walls: list[float] = []
    cpus: list[float] = []
    decodes: list[float] = []
    builds: list[float] = []
    pieces: list[Any] = []
    page: Any
    page, wall, cpu = _timed(lambda: conn.basic("Message", "List Messages",
                                                query=f"PageSize={page_size}",
                                                response_format=fmt))
    operation = page.operation
    while True:
        walls.append(wall)
        cpus.append(cpu)
        uri, _, decode = _timed(partial(getattr, page, "next_page_uri"))
        piece, _, build = _timed(page.untyped_frame)
        decodes.append(decode)
        builds.append(build)
        pieces.append(piece)
        if not uri or len(walls) >= pages:
            break
        page, wall, cpu = _timed(partial(page.follow, uri))
    conn.close()
    _, _, typing = _timed(partial(combine_pages, pieces, operation))
    return StageTimes(f"twilio_nb {fmt}", len(walls), _median(walls), _median(cpus),
                      _median(decodes), _median(builds), typing / len(walls))


def stage_times(url: str, page_size: int, pages: int = 20) -> list[StageTimes]:
    """The floor and twilio_nb in each format, ``pages`` pages each, one after the other."""
    out = [_floor(url, page_size, pages)]
    out += [_twilio_nb(url, page_size, pages, fmt) for fmt in ("json", "xml", "csv")]
    return out
