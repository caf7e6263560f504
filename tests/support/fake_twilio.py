"""A fake Twilio behind ``transport=``: an httpx.MockTransport that keeps the messages sent
to each account apart, and answers a wrong credential as Twilio does (401, code 20003).

Only what a batch of Send Message needs: Create Message and List Messages (``To`` filter) on
``/2010-04-01/Accounts/{AccountSid}/Messages.json``, HTTP Basic with the Account SID and its
auth token. The body shapes follow Twilio's (tests/convert/twilio_bodies has real ones).
"""

from __future__ import annotations

import base64
import email.utils
import itertools
import json
import re
import threading
from collections import defaultdict
from urllib.parse import parse_qsl

import httpx

import twilio_nb as tw

_PATH = re.compile(r"^/2010-04-01/Accounts/(AC\w+)/Messages\.json$")


class FakeTwilio:
    """Accounts (SID -> auth token) and the messages each received; ``requests`` counts
    every request answered."""

    def __init__(self, accounts: dict[str, str]) -> None:
        self.accounts = accounts
        self.messages: dict[str, list[dict[str, object]]] = defaultdict(list)
        self.requests = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def connection(self, account: str, token: str | None = None, **kw: object
                   ) -> tw.Connection:
        return tw.Connection(credential=tw.UserCredentials(account, token or
                                                           self.accounts[account]),
                             auth_type="auth_token", transport=self.transport(),
                             backoff_base_s=0.01, **kw)  # type: ignore[arg-type]

    def received(self, account: str) -> list[str]:
        """The To of every message ``account`` received, in order."""
        return [str(m["to"]) for m in self.messages[account]]

    def _handle(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests += 1
        found = _PATH.match(request.url.path)
        if found is None:
            return _error(404, 20404, "The requested resource was not found")
        account = found.group(1)
        user, _, password = base64.b64decode(
            request.headers.get("authorization", "Basic ").split(" ", 1)[1] or b"").decode(
            ).partition(":")
        if self.accounts.get(user) != password or user != account:
            return _error(401, 20003, "Authenticate")
        if request.method == "POST":
            form = dict(parse_qsl(request.content.decode()))
            with self._lock:
                record = {"sid": f"SM{next(self._ids):032x}", "account_sid": account,
                          "to": form.get("To"), "from": form.get("From"),
                          "body": form.get("Body"), "status": "queued",
                          "date_created": email.utils.formatdate(usegmt=True),
                          "messaging_service_sid": None}
                self.messages[account].append(record)
            return httpx.Response(201, json=record)
        to = request.url.params.get("To")
        listed = [m for m in self.messages[account] if to is None or m["to"] == to]
        return httpx.Response(200, json={"messages": listed, "next_page_uri": None, "page": 0,
                                         "page_size": 50, "uri": request.url.path})


def _error(status: int, code: int, message: str) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(
        {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/"
                                                        f"{code}", "status": status}).encode(),
        headers={"content-type": "application/json"})
