"""The sandbox for bulk pulls: ``latency_ms`` (answers late, waits overlapping),
``concurrency_limit`` (429 / 20429 beyond N in flight) and Twilio's date-filter semantics."""

from __future__ import annotations

import base64
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sandbox_http import in_process

from twilio_nb.errors import ConfigurationError
from twilio_nb.sandbox import ACCOUNT_SID, Sandbox, app
from twilio_nb.sandbox.__main__ import _parser

MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"


@pytest.mark.parametrize("served", [False, True])
def test_latency_overlaps_and_the_limit_answers_429_like_twilio(served: bool) -> None:
    box = Sandbox(messages=50, latency_ms=80, concurrency_limit=3, retry_after=0.25)
    barrier = threading.Barrier(5)
    if served:
        server = box.serve()
        client = httpx.Client(base_url=server.url, auth=box.auth())
    else:
        client = in_process(box)

    def get(_: int) -> httpx.Response:
        barrier.wait()
        return client.get(MESSAGES)

    try:
        with ThreadPoolExecutor(5) as pool:
            answers = list(pool.map(get, range(5)))
    finally:
        client.close()
        if served:
            server.stop()
    codes = sorted(r.status_code for r in answers)
    assert codes == [200, 200, 200, 429, 429]
    refused = next(r for r in answers if r.status_code == 429)
    assert refused.headers["Retry-After"] == "0.25"
    assert refused.json() == {"code": 20429, "message": "Too Many Requests",
                              "more_info": "https://www.twilio.com/docs/errors/20429",
                              "status": 429}
    limit = box.concurrency_limit
    assert limit is not None and limit.peak == 3 and limit.busy == 0 and limit.refused == 2


def test_without_a_limit_delayed_answers_are_all_in_flight_at_once() -> None:
    box = Sandbox(messages=20, latency_ms=60, concurrency_limit=32)
    client = in_process(box)
    barrier = threading.Barrier(6)

    def get(_: int) -> int:
        barrier.wait()
        return client.get(MESSAGES).status_code

    with ThreadPoolExecutor(6) as pool:
        assert set(pool.map(get, range(6))) == {200}
    assert box.concurrency_limit is not None and box.concurrency_limit.peak == 6  # overlapped


def test_bad_options_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError, match="latency_ms"):
        Sandbox(messages=1, latency_ms=-5)
    with pytest.raises(ConfigurationError, match="concurrency_limit"):
        Sandbox(messages=1, concurrency_limit=0)
    box = Sandbox(messages=1)
    box.set_concurrency_limit(2)
    box.set_concurrency_limit(None)
    assert box.concurrency_limit is None


def test_command_line_options() -> None:
    args = _parser().parse_args(["--latency-ms", "300", "--concurrency-limit", "5"])
    assert args.latency_ms == 300 and args.concurrency_limit == 5


def _sent(client: httpx.Client, **query: str) -> list[str]:
    pairs = [(k.replace("_lt", "<").replace("_gt", ">"), v) for k, v in query.items()]
    r = client.get(MESSAGES, params=[*pairs, ("PageSize", "1000")])
    assert r.status_code == 200, r.text
    return [m["date_sent"] or m["date_created"] for m in r.json()["messages"]]


def test_date_only_filters_compare_by_day_inclusive() -> None:
    box = Sandbox(messages=3000)
    with in_process(box) as client:
        day = _sent(client, DateSent="2025-06-29")
        assert day and all("29 Jun 2025" in d for d in day)
        upto = _sent(client, DateSent_lt="2025-06-29", DateSent_gt="2025-06-28")
        assert {d[5:16] for d in upto} == {"28 Jun 2025", "29 Jun 2025"}
        assert len(upto) == len(day) + len(_sent(client, DateSent="2025-06-28"))
        # a date-time is that second: the first record of the day is on or after midnight
        after = _sent(client, DateSent_gt="2025-06-29T00:00:00Z", DateSent_lt="2025-06-29")
        assert after == day


def test_start_and_end_date_are_on_or_after_and_on_or_before() -> None:
    from twilio_nb.sandbox.handlers import filters

    got = filters("api.v2010.account.usage.usage_record", {"StartDate": ["2025-01-01"],
                                                          "EndDate": ["2025-01-31"]})
    assert ("start_date", "ge", 1735689600.0) in got and ("end_date", "lt", 1738368000.0) in got
    got = filters("conversations.v1.conversation", {"StartDate": ["2025-01-01"]})
    assert got == (("date_created", "ge", 1735689600.0),)


def test_same_second_records_keep_their_creation_order() -> None:
    box = Sandbox(messages=0)
    with in_process(box) as client:
        sids = [client.post(MESSAGES, data={"To": "+15005550006", "From": "+15005550006",
                                            "Body": str(i)}).json()["sid"] for i in range(5)]
        listed = client.get(MESSAGES).json()["messages"]
    assert [m["sid"] for m in listed] == sids[::-1]  # newest (created last) first


def test_latency_counts_the_sandbox_own_work(monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer is handed over ``latency_ms`` after its request was read: the sandbox's own
    work (here 120 ms on a fake clock) is part of it, not added on top, as Twilio's time to
    answer includes its servers' work; work longer than the latency adds no wait."""
    box = Sandbox(messages=20, latency_ms=300)
    user, password = box.auth()
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    headers = {"Authorization": f"Basic {token}", "Host": "api.twilio.com"}
    for worked, wait in ((0.12, 0.18), (0.5, 0.0)):
        moments = iter([100.0, 100.0 + worked])
        monkeypatch.setattr(app, "monotonic", moments.__next__)
        answer = box.handle("GET", MESSAGES, headers=headers)
        assert answer.status == 200
        assert answer.delay == pytest.approx(wait)
