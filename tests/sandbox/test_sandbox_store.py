"""Routing, paging tokens, filters and dates: the sandbox's building blocks."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twilio_nb import catalog
from twilio_nb.sandbox.clock import iso8601, parse_bound, parse_time, rfc2822
from twilio_nb.sandbox.names import mask, pascal, snake
from twilio_nb.sandbox.routes import Router, host_product
from twilio_nb.sandbox.store import BadTokenError, Collection, page_slice

ROUTER = Router(catalog.operations())


@pytest.mark.parametrize("method,path,host,op_id,ext", [
    ("GET", "/2010-04-01/Accounts/AC1/Messages.json", None, "api_v2010.ListMessage", "json"),
    ("GET", "/2010-04-01/Accounts/AC1/Messages", None, "api_v2010.ListMessage", ""),
    ("POST", "/2010-04-01/Accounts/AC1/Messages.xml", None, "api_v2010.CreateMessage", "xml"),
    ("GET", "/2010-04-01/Accounts/AC1/IncomingPhoneNumbers/Local.csv", None,
     "api_v2010.ListIncomingPhoneNumberLocal", "csv"),
    ("GET", "/2010-04-01/Accounts/AC1/IncomingPhoneNumbers/PN1.json", None,
     "api_v2010.FetchIncomingPhoneNumber", "json"),
    ("GET", "/2010-04-01/Accounts/AC1/Recordings/RE1.wav", None, "api_v2010.FetchRecording",
     "wav"),
    ("GET", "/v1/Services", None, "notify_v1.ListService", ""),
    ("GET", "/v1/Services", "conversations.twilio.com", "conversations_v1.ListService", ""),
    ("GET", "/v1/Services", "sync.us1.twilio.com", "sync_v1.ListService", ""),
    ("GET", "/v1/Services", "127.0.0.1:4010", "notify_v1.ListService", ""),
    ("GET", "/v2/Services", None, "verify_v2.ListService", ""),
])
def test_routes(method: str, path: str, host: str | None, op_id: str, ext: str) -> None:
    res = ROUTER.resolve(method, path, host)
    assert res.routes[0].op.id == op_id and res.ext == ext


def test_unknown_path_and_method() -> None:
    assert not ROUTER.resolve("GET", "/v9/Nothing").path_known
    res = ROUTER.resolve("PUT", "/2010-04-01/Accounts/AC1/Messages.json")
    assert res.path_known and not res.routes


def test_what_the_router_knows_about_collections() -> None:
    assert ROUTER.key_prop("api", "/2010-04-01/Accounts/*/Conferences/*/Participants") \
        == "call_sid"
    assert ROUTER.key_prop("api", "/2010-04-01/Accounts/*/AvailablePhoneNumbers") \
        == "country_code"
    assert ROUTER.children("api", "/2010-04-01/Accounts/*/Messages/*") == ("Feedback", "Media")
    assert "Bindings" in ROUTER.children("notify", "/v1/Services/*")
    assert host_product("api.dublin.ie1.twilio.com") == "api"
    assert host_product("localhost:4010") is None


def _collection(n: int) -> Collection:
    coll = Collection()
    for i in range(1, n + 1):
        coll.add({"sid": f"SM{i:032d}", "_seq": i * 3, "status": "sent" if i % 2 else "failed"})
    return coll


@given(n=st.integers(0, 120), size=st.integers(1, 40))
def test_token_walk_sees_every_record_once_newest_first(n: int, size: int) -> None:
    view = _collection(n).records()
    seen: list[Any] = []
    token = None
    for _ in range(n + 2):
        sl = page_slice(view, size, 0, token)
        seen += sl.records
        token = sl.next_token
        if token is None:
            break
    assert [r["_seq"] for r in seen] == sorted((r["_seq"] for r in view), reverse=True)


@given(n=st.integers(1, 80), size=st.integers(1, 20), page=st.integers(0, 10))
def test_page_numbers_and_prev_tokens_agree(n: int, size: int, page: int) -> None:
    view = _collection(n).records()
    sl = page_slice(view, size, page, None)
    assert sl.start == min(n, page * size)
    if sl.prev_token:
        back = page_slice(view, size, page - 1, sl.prev_token)
        assert back.records == page_slice(view, size, page - 1, None).records


def test_bad_tokens_and_filtered_views() -> None:
    coll = _collection(10)
    with pytest.raises(BadTokenError):
        page_slice(coll.records(), 5, 0, "XX12")
    failed = coll.view((("status", "eq", "failed"),))
    assert len(failed) == 5 and failed is coll.view((("status", "eq", "failed"),))
    coll.remove(failed[0]["sid"])
    assert len(coll.view((("status", "eq", "failed"),))) == 4


def test_dates() -> None:
    ts = 1692853305  # Thu, 24 Aug 2023 05:01:45 UTC
    assert rfc2822(ts) == "Thu, 24 Aug 2023 05:01:45 +0000"
    assert iso8601(ts) == "2023-08-24T05:01:45Z"
    assert parse_time(rfc2822(ts)) == parse_time(iso8601(ts)) == ts
    assert parse_time("2023-08-24T07:01:45+02:00") == ts
    assert parse_bound("2023-08-24") == (ts - 5 * 3600 - 105, True)
    assert parse_time("not a date") is None


def test_names() -> None:
    assert snake("StatusCallback") == "status_callback" and snake("From") == "from"
    assert snake("SMS") == "sms" and snake("AddressSid") == "address_sid"
    assert pascal("date_created") == "DateCreated" and pascal("SMS") == "SMS"
    assert mask("AC" + "a" * 28 + "1234") == "ACxx…1234" and mask("secret") == "****"
