"""Incoming messages: what Twilio does when someone texts one of the account's numbers.

:func:`receive` adds the inbound message (``direction`` ``inbound``, ``status`` ``received``),
posts Twilio's incoming-message webhook to the number's ``SmsUrl`` (signed, with ``SmsMethod``,
waiting at most ``TIMEOUT`` seconds) and reads the answer as TwiML: each
``<Response><Message>`` becomes a message sent through the sandbox's own Create Message (from
the number, to the sender, unless the verb says otherwise), which then lives and calls back
like any other. An answer that is not well-formed TwiML creates nothing and is reported as
Twilio's error 12100; an endpoint that fails or does not answer as 11200.
"""

from __future__ import annotations

import base64
import json
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from ..errors import ConfigurationError
from ..webhook_protocol.twiml import TwimlError, messages
from .behaviours import E164
from .callbacks import Delivery, client, is_web_url, post
from .clock import rfc2822
from .resources import new_sid
from .rows import segments

if TYPE_CHECKING:
    from .app import App

__all__ = ["TIMEOUT", "Incoming", "receive"]

TIMEOUT = 5.0


@dataclass
class Incoming:
    """What came of an incoming message: its SID, the webhook's answer, the replies made."""

    message_sid: str
    url: str
    status: int | None
    replies: list[str] = field(default_factory=list)
    error: str | None = None

    def __repr__(self) -> str:
        got = f"HTTP {self.status}" if self.status is not None else "no answer"
        tail = f", error {self.error}" if self.error else ""
        return (f"<Incoming {self.message_sid} -> {self.url}: {got}, "
                f"{len(self.replies)} repl{'y' if len(self.replies) == 1 else 'ies'}{tail}>")


def _check(from_: str, to: str, body: str, media_urls: Iterable[str]) -> list[str]:
    for name, value in (("from_", from_), ("to", to)):
        if not isinstance(value, str) or not E164.match(value):
            raise ConfigurationError(f"{name} must be a phone number in E.164 form like "
                                     f"'+14155550123', got {value!r}.", field=name)
    if not isinstance(body, str):
        raise ConfigurationError(f"body must be text, got {type(body).__name__}.", field="body")
    if isinstance(media_urls, str):
        raise ConfigurationError("media_urls must be a list of URLs, not one string.",
                                 field="media_urls")
    urls = list(media_urls)
    bad = [u for u in urls if not isinstance(u, str) or not is_web_url(u)]
    if bad:
        raise ConfigurationError(f"media_urls must be http(s) URLs; {bad[0]!r} is not.",
                                 field="media_urls")
    if not body and not urls:
        raise ConfigurationError("Give a body, media_urls or both.", field="body")
    return urls


def receive(app: App, from_: str, to: str, body: str, media_urls: Iterable[str]) -> Incoming:
    urls = _check(from_, to, body, media_urls)
    acct = ("2010-04-01", "Accounts", app.account_sid)
    with app.store.lock:
        numbers = app.store.find("api", (*acct, "IncomingPhoneNumbers"))
        found = [r for r in (numbers.records() if numbers else []) if r.get("phone_number") == to]
        if not found:
            ours = ", ".join(str(r.get("phone_number")) for r in
                             (numbers.records() if numbers else []))
            raise ConfigurationError(f"{to} is not a number of the sandbox's account; its "
                                     f"numbers: {ours}.", field="to")
        number = found[0]
        url, method = str(number.get("sms_url") or ""), str(number.get("sms_method") or "POST")
        if not is_web_url(url):
            raise ConfigurationError(
                f"{to} has no http(s) SmsUrl (it is {url!r}): set one first, e.g. with "
                f"conn.basic('IncomingPhoneNumber', 'Update IncomingPhoneNumber', params="
                f"{{'Sid': '{number.get('sid')}'}}, body={{'SmsUrl': inbox.url}}).",
                field="to")
        segs = (*acct, "Messages")
        sid = new_sid("MM" if urls else "SM")
        now = app.now()
        rec = app.maker.record("api", segs, "api.v2010.account.message", {
            "sid": sid, "from": from_, "to": to, "body": body, "status": "received",
            "direction": "inbound", "num_segments": str(segments(body)),
            "num_media": str(len(urls)), "date_sent": rfc2822(now)}, now)
        app.insert("api", segs, rec)
    params = [("SmsMessageSid", sid), ("NumMedia", str(len(urls))),
              ("SmsSid", sid), ("SmsStatus", "received"), ("Body", body), ("To", to),
              ("NumSegments", str(segments(body))), ("MessageSid", sid),
              ("AccountSid", app.account_sid), ("From", from_), ("ApiVersion", "2010-04-01")]
    for i, media in enumerate(urls):
        kind = mimetypes.guess_type(media)[0] or "application/octet-stream"
        params += [(f"MediaUrl{i}", media), (f"MediaContentType{i}", kind)]
    with client(TIMEOUT) as http:
        delivery = post(http, url, params, app.auth_token, method=method, event="received")
    app.lifecycle.callbacks.log.append(delivery)
    return _answer(app, sid, from_, to, delivery)


def _answer(app: App, sid: str, from_: str, to: str, delivery: Delivery) -> Incoming:
    out = Incoming(sid, delivery.url, delivery.status)
    if not delivery.ok:
        out.error = f"11200 HTTP retrieval failure: {delivery.error or delivery.status}"
        return out
    try:
        verbs = messages(delivery.body)
    except TwimlError as exc:
        out.error = f"12100 Document parse failure: {exc}"
        return out
    user, token = app.account_sid, app.auth_token
    auth = "Basic " + base64.b64encode(f"{user}:{token}".encode()).decode()
    for verb in verbs:
        form = [("From", verb.from_ or to), ("To", verb.to or from_), ("Body", verb.body),
                *(("MediaUrl", m) for m in verb.media),
                *((("StatusCallback", verb.status_callback),) if verb.status_callback else ())]
        resp = app.handle("POST", f"/2010-04-01/Accounts/{user}/Messages.json", [],
                          {"authorization": auth,
                           "content-type": "application/x-www-form-urlencoded"},
                          _encode(form))
        if resp.status == 201:
            out.replies.append(_sid(resp.body))
        else:
            out.error = f"reply not created: HTTP {resp.status} {resp.body.decode()[:200]}"
    return out


def _encode(form: list[tuple[str, str]]) -> bytes:
    return urlencode(form).encode()


def _sid(body: bytes) -> str:
    return str(json.loads(body)["sid"])
