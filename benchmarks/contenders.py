"""What is measured: each contender pulls every message of the sandbox, PageSize 1000.

A contender is prepared first (imports, client, one warm-up request of one record: nothing
of it is timed) and then run once; the run returns an :class:`Outcome`.

- ``floor``: an ``httpx.Client`` GETs each page, following ``next_page_uri``, and
  ``json.loads`` it; the records are kept in a list (nothing more is done with them);
- ``twilio-python``: ``messages.list(page_size=1000)`` pointed at the sandbox, then a
  DataFrame of each record's public properties (the time of ``list()`` alone is kept too);
- ``twilio_nb json|xml|csv``: ``conn.basic("Message", "List Messages",
  query="PageSize=1000").all()`` in that format (``... seq``: with ``prefetch=False``);
- ``twilio_nb pages``: ``r.pages()`` one page at a time, converting each page and keeping
  nothing (for its peak memory).
"""

from __future__ import annotations

import importlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CONTENDERS", "Contender", "Outcome", "prepare"]


@dataclass
class Outcome:
    """What one run produced: the records it holds, the final frame's own size (bytes, by
    ``memory_usage(deep=True)``) and any split times (seconds) measured inside the run."""

    records: int
    frame_bytes: int | None = None
    splits: dict[str, float] = field(default_factory=dict)
    page_bytes: int | None = None  # the largest raw page seen (twilio_nb pages only)


@dataclass(frozen=True)
class Contender:
    name: str
    what: str
    prepare: Callable[[str, int], Callable[[], Outcome]]


def _account() -> tuple[str, str]:
    from twilio_nb.sandbox import ACCOUNT_SID, AUTH_TOKEN

    return ACCOUNT_SID, AUTH_TOKEN


def _floor(url: str, page_size: int) -> Callable[[], Outcome]:
    import httpx

    account, token = _account()
    client = httpx.Client(base_url=url, auth=(account, token))
    first = f"/2010-04-01/Accounts/{account}/Messages.json?PageSize={page_size}"
    client.get(f"/2010-04-01/Accounts/{account}/Messages.json?PageSize=1").raise_for_status()

    def run() -> Outcome:
        records: list[dict[str, Any]] = []
        uri: str | None = first
        while uri:
            response = client.get(uri)
            response.raise_for_status()
            data = json.loads(response.content)
            records.extend(data["messages"])
            uri = data["next_page_uri"]
        return Outcome(len(records))

    return run


def _twilio_python(url: str, page_size: int) -> Callable[[], Outcome]:
    import pandas as pd
    from twilio.rest import Client  # type: ignore[import-untyped]

    account, token = _account()
    client = Client(account, token, environment={})
    client.api.base_url = url  # every request and next page goes to the sandbox
    messages = client.api.v2010.accounts(account).messages
    messages.list(page_size=1, limit=1)

    def run() -> Outcome:
        started = time.perf_counter()
        listed = messages.list(page_size=page_size)
        took = time.perf_counter() - started
        frame = pd.DataFrame([{k: v for k, v in vars(m).items() if not k.startswith("_")}
                              for m in listed])
        return Outcome(len(frame), int(frame.memory_usage(deep=True).sum()),
                       {"list()": took})

    return run


def _connection(url: str) -> Any:
    import twilio_nb as tw

    account, token = _account()
    return tw.Connection(address=url, auth_type="auth_token",
                         credential=tw.UserCredentials(account, token))


def _twilio_nb(fmt: str, prefetch: bool) -> Callable[[str, int], Callable[[], Outcome]]:
    def prepare(url: str, page_size: int) -> Callable[[], Outcome]:
        conn = _connection(url)
        query = f"PageSize={page_size}"
        _ = conn.basic("Message", "List Messages", query="PageSize=1", response_format=fmt).df

        def run() -> Outcome:
            first = conn.basic("Message", "List Messages", query=query, response_format=fmt)
            frame = first.all(progress=False, prefetch=prefetch)
            return Outcome(len(frame), int(frame.memory_usage(deep=True).sum()))

        return run

    return prepare


def _pages(url: str, page_size: int) -> Callable[[], Outcome]:
    conn = _connection(url)
    query = f"PageSize={page_size}"
    _ = conn.basic("Message", "List Messages", query="PageSize=1").df

    def run() -> Outcome:
        records, largest, frame_bytes = 0, 0, 0
        for page in conn.basic("Message", "List Messages", query=query).pages():
            frame = page.df
            records += len(frame)
            largest = max(largest, len(page.content))
            frame_bytes = max(frame_bytes, int(frame.memory_usage(deep=True).sum()))
        return Outcome(records, frame_bytes, page_bytes=largest)

    return run


CONTENDERS: dict[str, Contender] = {c.name: c for c in (
    Contender("floor", "httpx GET + json.loads of every page", _floor),
    Contender("twilio-python", "messages.list() + DataFrame", _twilio_python),
    Contender("twilio_nb json", "basic(...).all(), JSON", _twilio_nb("json", True)),
    Contender("twilio_nb xml", "basic(...).all(), XML", _twilio_nb("xml", True)),
    Contender("twilio_nb csv", "basic(...).all(), CSV", _twilio_nb("csv", True)),
    Contender("twilio_nb json seq", "JSON, prefetch=False", _twilio_nb("json", False)),
    Contender("twilio_nb xml seq", "XML, prefetch=False", _twilio_nb("xml", False)),
    Contender("twilio_nb csv seq", "CSV, prefetch=False", _twilio_nb("csv", False)),
    Contender("twilio_nb pages", "r.pages(), one page at a time", _pages),
)}


def prepare(name: str, url: str, page_size: int) -> Callable[[], Outcome]:
    return CONTENDERS[name].prepare(url, page_size)


PRELOADED = ("httpx", "lxml.etree", "orjson", "pandas", "pyarrow", "twilio.rest",
             "twilio.rest.api.v2010.account.message", "twilio_nb", "twilio_nb.convert",
             "tqdm.auto")


def preload() -> None:
    """Import what every contender needs, so that a forked child starts with it loaded."""
    for name in PRELOADED:
        importlib.import_module(name)
    from twilio_nb import catalog

    catalog.find("Message", "List Messages")
