"""Fault selection (path, method, count, every, after), its input checks, the token bucket."""

from __future__ import annotations

import re

import pytest

from twilio_nb.errors import ConfigurationError
from twilio_nb.sandbox.faults import KINDS, Faults, RateLimiter


def fired(faults: Faults, method: str, paths: list[str]) -> list[str | None]:
    return [getattr(faults.pick(method, p)[1], "kind", None) for p in paths]


def test_count_limits_a_fault_to_the_first_matching_requests() -> None:
    f = Faults()
    fault = f.add("status", path="/Messages", count=2)
    got = fired(f, "GET", ["/Messages.json", "/Calls.json", "/Messages.json", "/Messages.json"])
    assert got == ["status", None, "status", None]
    assert (fault.seen, fault.fired, fault.exhausted) == (3, 2, True)


def test_every_and_after_and_method() -> None:
    f = Faults()
    f.add("html", every=2, method="post")
    assert fired(f, "POST", ["/a"] * 4) == [None, "html", None, "html"]
    assert fired(f, "GET", ["/a"] * 2) == [None, None]
    f.clear()
    f.add("empty", after=2)
    assert fired(f, "GET", ["/a"] * 4) == [None, None, "empty", "empty"]


def test_regex_paths() -> None:
    f = Faults()
    f.add("reset", path=r"/Calls/CA[0-9a-f]+\.json$", regex=True)
    assert fired(f, "GET", ["/Calls.json", "/Calls/CAab12.json", "/Calls/CAab12/Events.json"]) \
        == [None, "reset", None]
    g = Faults()
    g.add("reset", path=re.compile("Events"))
    assert fired(g, "GET", ["/Calls/CA1/Events.json"]) == ["reset"]


def test_delays_stack_with_another_fault() -> None:
    f = Faults()
    f.add("delay", delay=0.25)
    f.add("delay", delay=0.5, count=1)
    f.add("truncate")
    delay, fault = f.pick("GET", "/x")
    assert delay == 0.75 and fault is not None and fault.kind == "truncate"
    assert f.pick("GET", "/x")[0] == 0.25


def test_remove_and_repr() -> None:
    f = Faults()
    fault = f.add("status", status=500, path="/x")
    assert "status" in repr(f) and len(f) == 1
    f.remove(fault)
    assert len(f) == 0 and f.pick("GET", "/x") == (0.0, None)


@pytest.mark.parametrize("kwargs,field", [
    ({"kind": "explode"}, "kind"), ({"kind": "status", "count": 0}, "count"),
    ({"kind": "status", "every": -1}, "every"), ({"kind": "status", "status": 99}, "status"),
    ({"kind": "delay"}, "delay"), ({"kind": "reset", "path": "(", "regex": True}, "path")])
def test_bad_faults_are_configuration_errors(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        Faults().add(**kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


def test_every_kind_is_accepted() -> None:
    f = Faults()
    for kind in KINDS:
        f.add(kind, delay=0.1 if kind == "delay" else None)
    assert len(f) == len(KINDS)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_token_bucket_allows_the_burst_then_refills_at_the_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(2, burst=3, clock=clock)
    assert [limiter.allow() for _ in range(4)] == [True, True, True, False]
    clock.now += 0.5  # one token back
    assert [limiter.allow(), limiter.allow()] == [True, False]
    clock.now += 10
    assert sum(limiter.allow() for _ in range(5)) == 3


def test_rate_limiter_input_checks() -> None:
    with pytest.raises(ConfigurationError):
        RateLimiter(0)
    with pytest.raises(ConfigurationError):
        RateLimiter(1, burst=0)
    with pytest.raises(ConfigurationError):
        RateLimiter(1, retry_after=-1)
