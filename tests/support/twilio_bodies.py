"""Sample records and a small renderer of Twilio's three answer formats, for convert tests.

Records are written as the JSON API gives them (snake_case, nested dicts); ``as_json``,
``as_xml`` and ``as_csv`` render them the way the 2010 API does. Values are made up.
"""

from __future__ import annotations

import csv
import io
import json
import random
from typing import Any
from xml.sax.saxutils import escape, quoteattr

ACCOUNT = "AC" + "3f" * 16
BASE = f"/2010-04-01/Accounts/{ACCOUNT}"


def pascal(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))


def _sid(prefix: str, n: int) -> str:
    return f"{prefix}{n:032x}"


def messages(count: int = 3) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        sid = _sid("SM", 0xA11CE + i)
        queued = i % 3 == 2
        out.append({
            "account_sid": ACCOUNT, "api_version": "2010-04-01",
            "body": ["Parcel 7 is out, \"fragile\"", "Olá 👋, line one\nline two",
                     "plain"][i % 3],
            "date_created": f"Tue, 0{i % 9 + 1} Apr 2025 09:1{i % 10}:05 +0000",
            "date_sent": None if queued else f"Tue, 0{i % 9 + 1} Apr 2025 09:1{i % 10}:07 +0000",
            "date_updated": f"Wed, 0{i % 9 + 2} Apr 2025 10:00:00 +0000",
            "direction": "outbound-api" if i % 2 == 0 else "inbound",
            "error_code": 30007 if i % 4 == 1 else None,
            "error_message": "Carrier filtering" if i % 4 == 1 else None,
            "from": "+14155550100", "to": f"+4477009001{i % 100:02d}",
            "messaging_service_sid": None if i % 2 else _sid("MG", 7),
            "num_media": str(i % 2), "num_segments": str(1 + i % 3),
            "price": None if queued else f"-0.0{i % 10}750", "price_unit": "USD",
            "sid": sid, "status": "queued" if queued else "delivered",
            "subresource_uris": {"media": f"{BASE}/Messages/{sid}/Media.json",
                                 "feedback": f"{BASE}/Messages/{sid}/Feedback.json"},
            "uri": f"{BASE}/Messages/{sid}.json",
        })
    return out


def calls(count: int = 3) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        sid = _sid("CA", 0xCA11 + i)
        out.append({
            "sid": sid, "date_created": "Mon, 05 May 2025 18:00:00 +0000",
            "date_updated": "Mon, 05 May 2025 18:01:02 +0000", "parent_call_sid": None,
            "account_sid": ACCOUNT, "to": "+919876500011", "to_formatted": "+91 98765 00011",
            "from": "+14155550142", "from_formatted": "(415) 555-0142",
            "phone_number_sid": _sid("PN", 42), "status": ["completed", "busy", "no-answer"][i % 3],
            "start_time": "Mon, 05 May 2025 18:00:01 +0000",
            "end_time": None if i % 3 else "Mon, 05 May 2025 18:01:01 +0000",
            "duration": str(60 - i), "price": None if i % 3 else "-0.01300", "price_unit": "USD",
            "direction": "outbound-api", "answered_by": None, "api_version": "2010-04-01",
            "forwarded_from": None, "group_sid": None, "caller_name": None,
            "queue_time": "0", "trunk_sid": None, "uri": f"{BASE}/Calls/{sid}.json",
            "subresource_uris": {"events": f"{BASE}/Calls/{sid}/Events.json",
                                 "recordings": f"{BASE}/Calls/{sid}/Recordings.json"},
        })
    return out


def recordings(count: int = 3) -> list[dict[str, Any]]:
    out = []
    for i in range(count):
        sid = _sid("RE", 0x5EC + i)
        out.append({
            "account_sid": ACCOUNT, "api_version": "2010-04-01", "call_sid": _sid("CA", 9),
            "conference_sid": None, "date_created": "Tue, 06 May 2025 07:30:00 +0000",
            "date_updated": "Tue, 06 May 2025 07:31:00 +0000",
            "start_time": "Tue, 06 May 2025 07:29:45 +0000", "duration": str(14 + i),
            "sid": sid, "price": "-0.0025", "price_unit": "USD", "status": "completed",
            "channels": 1 + i % 2, "source": "OutboundAPI", "error_code": None,
            "encryption_details": None, "media_url": f"https://api.twilio.com{BASE}/Recordings/{sid}",
            "uri": f"{BASE}/Recordings/{sid}.json",
            "subresource_uris": {"transcriptions": f"{BASE}/Recordings/{sid}/Transcriptions.json"},
        })
    return out


def as_json(records: list[dict[str, Any]], key: str, next_page: str | None = None,
            page: int = 0, page_size: int = 50) -> bytes:
    """A 2010 list answer."""
    return json.dumps({
        "end": len(records) - 1, "first_page_uri": f"{BASE}/{key}.json?PageSize={page_size}",
        key: records, "next_page_uri": next_page, "page": page, "page_size": page_size,
        "previous_page_uri": None, "start": 0, "uri": f"{BASE}/{key}.json",
    }).encode()


def _xml_value(tag: str, value: Any) -> str:
    if value is None:
        return f"<{tag}/>"
    if isinstance(value, dict):
        inner = "".join(_xml_value(pascal(k), v) for k, v in value.items())
        return f"<{tag}>{inner}</{tag}>"
    if isinstance(value, list):
        item = tag[:-1] if tag.endswith("s") else tag + "Item"
        return f"<{tag}>{''.join(_xml_value(item, v) for v in value)}</{tag}>"
    if isinstance(value, bool):
        value = "true" if value else "false"
    return f"<{tag}>{escape(str(value))}</{tag}>"


def xml_record(tag: str, record: dict[str, Any]) -> str:
    return _xml_value(tag, record)


def as_xml(records: list[dict[str, Any]], list_tag: str, item_tag: str,
           next_page: str | None = None, page: int = 0, page_size: int = 50) -> bytes:
    """A 2010 list answer in XML; paging in attributes, "" for none."""
    attrs = {"page": page, "pagesize": page_size, "start": 0, "end": len(records) - 1,
             "uri": f"{BASE}/{list_tag}", "firstpageuri": f"{BASE}/{list_tag}?Page=0",
             "previouspageuri": "", "nextpageuri": next_page or ""}
    attr_text = " ".join(f"{k}={quoteattr(str(v))}" for k, v in attrs.items())
    body = "\n".join(xml_record(item_tag, r) for r in records)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<TwilioResponse><{list_tag} {attr_text}>'
            f"\n{body}\n</{list_tag}></TwilioResponse>").encode()


def _flat(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def as_csv(records: list[dict[str, Any]], *, pascal_case: bool = True,
           shuffle_seed: int | None = 7) -> bytes:
    """A CSV answer: one header row (columns shuffled, as their order is not guaranteed),
    nested fields as dotted headers, missing values as empty fields."""
    flat = [_flat(r) for r in records]
    columns = list(dict.fromkeys(k for r in flat for k in r))
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    name = (lambda c: ".".join(pascal(p) for p in c.split("."))) if pascal_case else str
    writer.writerow([name(c) for c in columns])
    for r in flat:
        writer.writerow(["" if r.get(c) is None else r[c] for c in columns])
    return buffer.getvalue().encode()
