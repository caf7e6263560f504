"""Seeded messages as compact rows, and the fast generator of N of them.

A benchmark wants 200,000 messages: as dicts of 20 properties they would take ~500 MB and
seconds to build. A :class:`MessageRow` keeps the dozen values that vary (in ``__slots__``),
reads like a mapping of every property of ``api.v2010.account.message`` (so filters and
generic code need not know), and renders itself to JSON, XML and CSV from templates.
Updating a seeded message turns its row into an ordinary dict (``to_dict``).
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from .bodies import columns, xml_order
from .clock import rfc2822

__all__ = ["RESOURCE", "MessageRow", "message_rows", "segments"]

RESOURCE = "api.v2010.account.message"
_GSM = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
           "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
_GSM_EXTENSION = set("^{}\\[~]|€\f")
_NO_DATE_SENT = frozenset({"queued", "accepted", "scheduled", "canceled", "failed"})


def segments(body: str) -> int:
    """SMS segments of a body: GSM-7 (160 a segment, 153 when split; the extension characters
    count twice) or else UCS-2 (70, 67; counted in UTF-16 units, so an emoji counts twice)."""
    if not body:
        return 1
    chars = set(body)
    if chars <= _GSM | _GSM_EXTENSION:
        size, single, part = len(body) + sum(body.count(c) for c in chars & _GSM_EXTENSION), \
            160, 153
    else:
        size, single, part = len(body.encode("utf-16-le")) // 2, 70, 67
    return 1 if size <= single else -(-size // part)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@lru_cache(maxsize=4096)
def _body(text: str) -> tuple[str, str, int]:
    return json.dumps(text, ensure_ascii=False), _xml(text), segments(text)


class MessageRow(Mapping[str, Any]):
    """One seeded message. Read it like a dict; ``render_json`` / ``render_xml`` /
    ``csv_values`` give the same output as the generic renderers, faster."""

    __slots__ = ("_seq", "account", "body", "direction", "error_code", "frm", "msid",
                 "num_media", "price", "sid", "status", "to", "ts")

    def __init__(self, seq: int, account: str, sid: str, ts: int, frm: str, to: str, body: str,
                 status: str, direction: str, error_code: int | None, num_media: int,
                 price: str | None, msid: str | None) -> None:
        self._seq = seq
        self.account, self.sid, self.ts, self.frm, self.to = account, sid, ts, frm, to
        self.body, self.status, self.direction = body, status, direction
        self.error_code, self.num_media, self.price, self.msid = error_code, num_media, price, msid

    @property
    def path(self) -> str:
        return f"/2010-04-01/Accounts/{self.account}/Messages/{self.sid}"

    def _date_sent(self) -> str | None:
        return None if self.status in _NO_DATE_SENT else rfc2822(self.ts + 1)

    def _values(self) -> dict[str, Any]:
        path = self.path
        return {
            "account_sid": self.account, "api_version": "2010-04-01", "body": self.body,
            "date_created": rfc2822(self.ts), "date_sent": self._date_sent(),
            "date_updated": rfc2822(self.ts + 2), "direction": self.direction,
            "error_code": self.error_code, "error_message": None, "from": self.frm,
            "messaging_service_sid": self.msid, "num_media": str(self.num_media),
            "num_segments": str(_body(self.body)[2]), "price": self.price, "price_unit": "USD",
            "sid": self.sid, "status": self.status,
            "subresource_uris": {"media": f"{path}/Media.json",
                                 "feedback": f"{path}/Feedback.json"},
            "to": self.to, "uri": f"{path}.json",
        }

    def __getitem__(self, key: str) -> Any:
        if key == "_seq":
            return self._seq
        if key == "_t_date_created":
            return self.ts
        if key == "_t_date_sent":
            return None if self.status in _NO_DATE_SENT else self.ts + 1
        if key == "_t_date_updated":
            return self.ts + 2
        if key == "sid":
            return self.sid
        return self._values()[key]

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __iter__(self) -> Iterator[str]:
        return iter(columns(RESOURCE))

    def __len__(self) -> int:
        return len(columns(RESOURCE))

    def to_dict(self) -> dict[str, Any]:
        out = self._values()
        out.update(_seq=self._seq, _t_date_created=float(self.ts))
        return out

    def render_json(self) -> str:
        body, _, segs = _body(self.body)
        path = self.path
        sent = self._date_sent()
        return (
            f'{{"account_sid": "{self.account}", "api_version": "2010-04-01", "body": {body}, '
            f'"date_created": "{rfc2822(self.ts)}", '
            f'"date_sent": {"null" if sent is None else chr(34) + sent + chr(34)}, '
            f'"date_updated": "{rfc2822(self.ts + 2)}", "direction": "{self.direction}", '
            f'"error_code": {"null" if self.error_code is None else self.error_code}, '
            f'"error_message": null, "from": "{self.frm}", '
            f'"messaging_service_sid": {"null" if self.msid is None else chr(34) + self.msid + chr(34)}, '  # noqa: E501
            f'"num_media": "{self.num_media}", "num_segments": "{segs}", '
            f'"price": {"null" if self.price is None else chr(34) + self.price + chr(34)}, '
            f'"price_unit": "USD", "sid": "{self.sid}", "status": "{self.status}", '
            f'"subresource_uris": {{"media": "{path}/Media.json", '
            f'"feedback": "{path}/Feedback.json"}}, "to": "{self.to}", "uri": "{path}.json"}}')

    def render_xml(self, element: str) -> str:
        """The record in the resource's element order, URIs without extension."""
        _, body, segs = _body(self.body)
        path = self.path
        sent = self._date_sent()
        parts = {
            "account_sid": f"<AccountSid>{self.account}</AccountSid>",
            "api_version": "<ApiVersion>2010-04-01</ApiVersion>",
            "body": f"<Body>{body}</Body>",
            "date_created": f"<DateCreated>{rfc2822(self.ts)}</DateCreated>",
            "date_sent": "<DateSent/>" if sent is None else f"<DateSent>{sent}</DateSent>",
            "date_updated": f"<DateUpdated>{rfc2822(self.ts + 2)}</DateUpdated>",
            "direction": f"<Direction>{self.direction}</Direction>",
            "error_code": ("<ErrorCode/>" if self.error_code is None
                           else f"<ErrorCode>{self.error_code}</ErrorCode>"),
            "error_message": "<ErrorMessage/>", "from": f"<From>{self.frm}</From>",
            "messaging_service_sid": ("<MessagingServiceSid/>" if self.msid is None else
                                      f"<MessagingServiceSid>{self.msid}</MessagingServiceSid>"),
            "num_media": f"<NumMedia>{self.num_media}</NumMedia>",
            "num_segments": f"<NumSegments>{segs}</NumSegments>",
            "price": "<Price/>" if self.price is None else f"<Price>{self.price}</Price>",
            "price_unit": "<PriceUnit>USD</PriceUnit>", "sid": f"<Sid>{self.sid}</Sid>",
            "status": f"<Status>{self.status}</Status>",
            "subresource_uris": (f"<SubresourceUris><Media>{path}/Media</Media>"
                                 f"<Feedback>{path}/Feedback</Feedback></SubresourceUris>"),
            "to": f"<To>{self.to}</To>", "uri": f"<Uri>{path}</Uri>",
        }
        inner = "".join(parts[c] for c in xml_order(columns(RESOURCE)))
        return f"<{element}>{inner}</{element}>"

    def csv_values(self) -> list[Any]:
        path = self.path
        sent = self._date_sent()
        return [self.account, "2010-04-01", self.body, rfc2822(self.ts), sent or "",
                rfc2822(self.ts + 2), self.direction,
                "" if self.error_code is None else self.error_code, "", self.frm,
                self.msid or "", str(self.num_media), str(_body(self.body)[2]), self.price or "",
                "USD", self.sid, self.status,
                f'{{"media": "{path}/Media.json", "feedback": "{path}/Feedback.json"}}',
                self.to, f"{path}.json"]

    def __repr__(self) -> str:
        return f"MessageRow({self.sid}, {self.status}, {self.frm} -> {self.to})"


# -- the generator --

_OUT_STATUS = (("delivered", 62), ("sent", 12), ("undelivered", 7), ("failed", 4),
               ("queued", 2), ("read", 4), ("accepted", 1), ("canceled", 1))
_ERRORS = {"undelivered": (30003, 30005, 30006, 30007, 30008), "failed": (30008, 21610, 30034)}


def message_rows(n: int, *, seed: int, account: str, first_seq: int, end_ts: int,
                 ours: list[str], customers: list[str], bodies: list[str],
                 whatsapp_from: str, messaging_service: str, days: int = 180) -> list[MessageRow]:
    """``n`` messages, oldest first, spread over ``days`` days up to ``end_ts``.

    About 20 % WhatsApp (``whatsapp:+...`` on both sides), 12 % inbound (``received``), 8 %
    with media (``MM`` SIDs), the rest outbound SMS in several statuses with Twilio's error
    codes for the failed and undelivered ones. Deterministic in ``seed``.
    """
    rng = random.Random(seed)
    span = days * 86400
    start = end_ts - span
    statuses = [s for s, w in _OUT_STATUS for _ in range(w)]
    rows: list[MessageRow] = []
    rand, bits, choice = rng.random, rng.getrandbits, rng.choice
    for i in range(n):
        ts = start + (i * span) // max(n, 1)
        body = choice(bodies)
        whatsapp = rand() < 0.2
        inbound = rand() < 0.12
        media = 1 + (rand() < 0.3) if rand() < 0.08 else 0
        customer = choice(customers)
        if whatsapp:
            ours_n, customer = "whatsapp:" + whatsapp_from, "whatsapp:" + customer
        else:
            ours_n = choice(ours)
        status = "received" if inbound else choice(statuses)
        if status == "read" and not whatsapp:
            status = "delivered"
        code = choice(_ERRORS[status]) if status in _ERRORS else None
        segs = _body(body)[2]
        unit = 0.005 if whatsapp else 0.0079
        price = None if status in ("queued", "accepted", "canceled") else f"-{unit * segs:.5f}"
        msid = messaging_service if not inbound and rand() < 0.3 else None
        sid = ("MM" if media else "SM") + f"{bits(128):032x}"
        frm, to = (customer, ours_n) if inbound else (ours_n, customer)
        rows.append(MessageRow(first_seq + i, account, sid, ts, frm, to, body, status,
                               "inbound" if inbound else "outbound-api", code, media, price,
                               msid))
    return rows
