"""twilio-python with its network cut: a ``twilio.http.HttpClient`` that records each
request and answers a canned response. Shared by the twilio-python comparisons."""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.rest import Client

from twilio_nb.request.built import BuiltRequest

ACCOUNT = "AC" + "0123456789abcdef" * 2


class Recorder(HttpClient):
    """Records ``request(...)`` arguments; answers ``status`` with ``body``."""

    def __init__(self, body: str = "{}", status: int = 200) -> None:
        super().__init__(logger=logging.getLogger("recorder"), is_async=False)
        self.calls: list[dict[str, Any]] = []
        self.body = body
        self.status = status

    def request(self, method: str, url: str, params: Any = None, data: Any = None,
                headers: Any = None, auth: Any = None, timeout: Any = None,
                allow_redirects: bool = False) -> Response:
        self.calls.append({"method": method, "url": url, "params": params, "data": data,
                           "headers": dict(headers or {})})
        return Response(self.status, self.body)


def client(recorder: Recorder, **kwargs: Any) -> Client:
    return Client("SK" + "0" * 32, "recorder-secret", ACCOUNT, http_client=recorder,
                  environment={}, **kwargs)


def multiset(values: Any) -> Counter[tuple[str, str]]:
    """``{name: value or [values]}`` as (name, text) pairs, the way requests encodes them."""
    out: Counter[tuple[str, str]] = Counter()
    for name, value in (values or {}).items():
        for v in value if isinstance(value, list) else [value]:
            if v is None:
                continue
            out[(name, ("true" if v else "false") if isinstance(v, bool) else str(v))] += 1
    return out


def sent(call: dict[str, Any]) -> dict[str, Any]:
    """What twilio-python put on the wire, comparable with :func:`built`."""
    url = urlsplit(call["url"])
    query = multiset(call["params"]) + Counter(parse_qsl(url.query, keep_blank_values=True))
    data = call["data"] if isinstance(call["data"], dict) else {}
    return {"method": call["method"], "host": url.netloc, "path": unquote(url.path),
            "query": query, "form": multiset(data)}


def built(req: BuiltRequest) -> dict[str, Any]:
    url = urlsplit(req.url)
    if req.content_type == "application/json" and req.body:
        form = multiset(json.loads(req.body))
    else:
        form = Counter(req.form)
    return {"method": req.method, "host": url.netloc, "path": unquote(url.path),
            "query": Counter(parse_qsl(req.query, keep_blank_values=True)), "form": form}


def canned(kind: str, list_key: str | None) -> str:
    """A response body twilio-python can read for an operation of ``kind``."""
    if kind == "list":
        key = list_key or "items"
        return json.dumps({key: [], "meta": {"key": key, "next_page_url": None},
                           "next_page_uri": None})
    return "{}"


@contextmanager
def patched_client(monkeypatch: pytest.MonkeyPatch, recorder: Recorder) -> Iterator[None]:
    """``twilio.rest.Client(...)`` in code run inside the block sends to ``recorder``;
    the environment holds made-up credentials only."""
    import twilio.rest

    real = twilio.rest.Client

    def factory(*args: Any, **kwargs: Any) -> Client:
        return real(*args, http_client=recorder, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(twilio.rest, "Client", factory)
        m.setenv("TWILIO_API_KEY", "SK" + "0" * 32)
        m.setenv("TWILIO_API_SECRET", "recorder-secret")
        m.setenv("TWILIO_ACCOUNT_SID", ACCOUNT)
        m.setenv("TWILIO_AUTH_TOKEN", "recorder-token")
        yield
