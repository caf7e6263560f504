"""The seeded data: sized for real exploration, deterministic, and the fast rows render
exactly like the generic renderers."""

from __future__ import annotations

import json
import time
from collections import Counter
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
import pytest
from lxml import etree
from sandbox_http import in_process

from twilio_nb.errors import ConfigurationError
from twilio_nb.sandbox import ACCOUNT_SID, Sandbox
from twilio_nb.sandbox.bodies import columns, csv_list, json_record, xml_record
from twilio_nb.sandbox.constants import SEED_END
from twilio_nb.sandbox.rows import RESOURCE, message_rows, segments

A = f"/2010-04-01/Accounts/{ACCOUNT_SID}"


def every(api: httpx.Client, url: str, key: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    nxt: str | None = url + ("&" if "?" in url else "?") + "PageSize=1000"
    while nxt:
        body = api.get(nxt).json()
        out += body[key]
        nxt = body.get("next_page_uri") or body.get("meta", {}).get("next_page_url")
    return out


def test_messages_mix_sms_whatsapp_statuses_and_media(api: httpx.Client) -> None:
    msgs = every(api, f"{A}/Messages.json", "messages")
    assert len(msgs) == 2500
    statuses = Counter(m["status"] for m in msgs)
    assert {"delivered", "sent", "undelivered", "failed", "received", "read"} <= set(statuses)
    whatsapp = [m for m in msgs if m["to"].startswith("whatsapp:")]
    assert 300 < len(whatsapp) < 800
    assert all(m["from"].startswith("whatsapp:+") for m in whatsapp)
    with_media = [m for m in msgs if m["num_media"] != "0"]
    assert with_media and all(m["sid"].startswith("MM") for m in with_media)
    assert all(m["error_code"] for m in msgs if m["status"] in ("failed", "undelivered"))
    assert all(m["direction"] == "inbound" for m in msgs if m["status"] == "received")
    assert " Jun 2025 " in msgs[0]["date_created"]  # newest first, up to 30 June 2025
    assert " Jan 2025 " in msgs[-1]["date_created"]


def test_calls_events_recordings_and_conferences(api: httpx.Client) -> None:
    calls = every(api, f"{A}/Calls.json", "calls")
    assert len(calls) == 800
    assert {"completed", "busy", "no-answer", "failed", "canceled"} <= {c["status"] for c in calls}
    assert all(int(c["duration"]) > 0 for c in calls if c["status"] == "completed")
    events = api.get(f"{A}/Calls/{calls[0]['sid']}/Events.json").json()["events"]
    assert len(events) == 2 and {"request", "response"} <= set(events[0])
    recordings = every(api, f"{A}/Recordings.json", "recordings")
    assert len(recordings) > 100
    confs = every(api, f"{A}/Conferences.json", "conferences")
    live = [c for c in confs if c["status"] == "in-progress"]
    assert len(confs) == 30 and len(live) == 10
    for conf in live:
        parts = api.get(f"{A}/Conferences/{conf['sid']}/Participants.json").json()
        assert 2 <= len(parts["participants"]) <= 5


def test_conversations_notify_balance_and_numbers(api: httpx.Client) -> None:
    convs = every(api, "https://conversations.twilio.com/v1/Conversations", "conversations")
    assert len(convs) == 40
    parts = api.get(f"https://conversations.twilio.com/v1/Conversations/{convs[0]['sid']}"
                       "/Participants").json()["participants"]
    assert parts and any(p["messaging_binding"] for p in parts)
    services = api.get("https://notify.twilio.com/v1/Services").json()["services"]
    assert len(services) == 2
    bindings = api.get(f"https://notify.twilio.com/v1/Services/{services[0]['sid']}"
                          "/Bindings").json()["bindings"]
    assert len(bindings) == 12
    balance = api.get(f"{A}/Balance.json").json()
    assert set(balance) == {"account_sid", "balance", "currency"}
    owned = api.get(f"{A}/IncomingPhoneNumbers.json").json()["incoming_phone_numbers"]
    assert len(owned) == 7
    for code, prefix in {"US": "+1", "GB": "+44", "DE": "+49", "IN": "+91"}.items():
        for kind in ("Local", "Mobile", "TollFree"):
            nums = api.get(f"{A}/AvailablePhoneNumbers/{code}/{kind}.json").json()
            got = nums["available_phone_numbers"]
            assert got and all(n["phone_number"].startswith(prefix) for n in got)
            assert all(9 <= len(n["phone_number"]) <= 16 for n in got)


def test_seeded_xml_parses_for_every_resource(api: httpx.Client) -> None:
    for path, item in (("Calls", "Call"), ("Recordings", "Recording"),
                       ("Conferences", "Conference"), ("IncomingPhoneNumbers",
                                                       "IncomingPhoneNumber"),
                       ("AvailablePhoneNumbers/US/Local", "AvailablePhoneNumber")):
        root = etree.fromstring(api.get(f"{A}/{path}.xml").content)
        assert root[0].findall(item), path


def _rows(n: int, seed: int = 1) -> list[Any]:
    return message_rows(n, seed=seed, account=ACCOUNT_SID, first_seq=1, end_ts=SEED_END,
                        ours=["+14155550100"], customers=["+447700900123", "+919876543210"],
                        bodies=["Hello & <b>bye</b>", 'quote " and \\ slash', "Grüße 😀",
                                "x" * 200], whatsapp_from="+14155238886",
                        messaging_service="MG" + "1" * 32)


def test_fast_rows_render_like_the_generic_renderers() -> None:
    cols = columns(RESOURCE)
    for row in _rows(200):
        plain = row.to_dict()
        assert json.loads(row.render_json()) == json.loads(json_record(plain, cols, ""))
        assert list(json.loads(row.render_json())) == list(cols)
        assert row.render_xml("Message") == xml_record(plain, cols, "Message", "")
        assert csv_list([row], cols, "") == csv_list([plain], cols, "")
        assert dict(row) == {c: plain[c] for c in cols}


def test_generator_is_deterministic_and_fast() -> None:
    assert [r.sid for r in _rows(50, seed=9)] == [r.sid for r in _rows(50, seed=9)]
    started = time.perf_counter()
    rows = _rows(50_000)
    took = time.perf_counter() - started
    assert len(rows) == 50_000 and len({r.sid for r in rows}) == 50_000
    assert [r["_seq"] for r in rows] == sorted(r["_seq"] for r in rows)
    assert took < 3.0, f"50,000 messages took {took:.2f} s"


def test_segments_count_like_twilio() -> None:
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2
    assert segments("ü" * 160) == 1  # ü is in the GSM-7 alphabet
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2  # extension: two septets
    assert segments("😀" * 35) == 1 and segments("😀" * 36) == 2  # UTF-16 surrogate pairs
    assert segments("नमस्ते" * 12) == 2


def test_message_days_packs_the_messages_into_the_last_days() -> None:
    with in_process(Sandbox(messages=3000, message_days=3, clock="manual")) as api:
        listed = every(api, f"{A}/Messages.json", "messages")
    days = Counter(int(parsedate_to_datetime(m["date_created"]).timestamp()) // 86400
                   for m in listed)
    first, last = (SEED_END - 3 * 86400) // 86400, SEED_END // 86400
    assert sorted(days) == list(range(first, last + 1)) and sum(days.values()) == 3000
    assert [days[d] for d in range(first + 1, last)] == [1000, 1000]  # whole days between
    with pytest.raises(ConfigurationError, match="message_days"):
        Sandbox(message_days=0)
