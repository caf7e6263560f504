"""The sandbox on a real port: start and stop, keep-alive, every fault kind as a client sees
it, the rate limit, and ``python -m twilio_nb.sandbox``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time

import httpx
import pytest

from twilio_nb.sandbox import ACCOUNT_SID, AUTH_TOKEN, Sandbox, SandboxServer

MESSAGES = 200
A = f"/2010-04-01/Accounts/{ACCOUNT_SID}"
BALANCE = f"{A}/Balance.json"


def test_server_is_ready_at_once_and_stops_without_leaving_threads() -> None:
    sandbox = Sandbox(messages=10)
    before = set(threading.enumerate())
    started = time.perf_counter()
    server = sandbox.serve()
    r = httpx.get(server.url + BALANCE, auth=sandbox.auth())
    assert time.perf_counter() - started < 1.0
    assert r.status_code == 200 and r.json()["balance"]
    assert server.url == f"http://127.0.0.1:{server.port}"
    keep = httpx.Client(auth=sandbox.auth())
    keep.get(server.url + BALANCE)  # an idle keep-alive connection stays open
    stopping = time.perf_counter()
    server.stop()
    assert time.perf_counter() - stopping < 1.0
    assert set(threading.enumerate()) <= before
    assert not server.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + BALANCE, auth=sandbox.auth())
    server.stop()  # idempotent
    keep.close()
    assert "stopped" in repr(server) and AUTH_TOKEN not in repr(server)


def test_keep_alive_reuses_one_connection(box: Sandbox, client: httpx.Client) -> None:
    before = box.stats.connections
    for _ in range(5):
        assert client.get(BALANCE).status_code == 200
    assert box.stats.connections == before + 1
    with httpx.Client(base_url=client.base_url, auth=box.auth()) as other:
        other.get(BALANCE)
    assert box.stats.connections == before + 2


def test_post_body_and_query_arrive(client: httpx.Client) -> None:
    r = client.post(f"{A}/Messages.json", data={"To": "+14155550199", "From": "+14155550100",
                                                "Body": "Grüße & hello = 1+1"})
    assert r.status_code == 201 and r.json()["body"] == "Grüße & hello = 1+1"
    got = client.get(f"{A}/Messages.json", params={"To": "+14155550199"}).json()
    assert r.json()["sid"] in {m["sid"] for m in got["messages"]}


def test_fault_status_answers_5xx_for_the_first_n_matching(box: Sandbox,
                                                           client: httpx.Client) -> None:
    fault = box.faults.add("status", status=503, path="/Messages", count=2)
    codes = [client.get(f"{A}/Messages.json?PageSize=1").status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    assert client.get(BALANCE).status_code == 200  # another path is not touched
    assert fault.fired == 2
    r = client.get(f"{A}/Messages.json")
    assert r.status_code == 200


def test_fault_status_body_is_twilios_error_shape(box: Sandbox, client: httpx.Client) -> None:
    box.faults.add("status", status=500, count=1)
    r = client.get(BALANCE)
    assert r.status_code == 500 and r.json()["code"] == 20500


def test_fault_reset_is_a_read_error(box: Sandbox, client: httpx.Client) -> None:
    box.faults.add("reset", path="Balance", count=1)
    with pytest.raises(httpx.ReadError, match="reset"):
        client.get(BALANCE)
    assert client.get(BALANCE).status_code == 200


def test_fault_truncate_is_a_protocol_error(box: Sandbox, client: httpx.Client) -> None:
    box.faults.add("truncate", path="/Messages", count=1)
    with pytest.raises(httpx.RemoteProtocolError):
        client.get(f"{A}/Messages.json?PageSize=20")
    assert client.get(f"{A}/Messages.json?PageSize=20").status_code == 200


def test_fault_malformed_body_is_not_json(box: Sandbox, client: httpx.Client) -> None:
    box.faults.add("malformed", path="/Messages", count=1)
    r = client.get(f"{A}/Messages.json?PageSize=5")
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        r.json()


def test_fault_content_type_and_html_and_empty(box: Sandbox, client: httpx.Client) -> None:
    box.faults.add("content_type", path="Balance", count=1, content_type="text/plain")
    r = client.get(BALANCE)
    assert r.headers["content-type"] == "text/plain" and r.json()["currency"] == "USD"
    box.faults.add("html", path="Balance", count=1)
    r = client.get(BALANCE)
    assert r.status_code == 502 and r.headers["content-type"].startswith("text/html")
    assert "<html>" in r.text and "box" in r.text
    box.faults.add("empty", path="Balance", count=1)
    r = client.get(BALANCE)
    assert r.status_code == 200 and r.content == b""


def test_fault_delay_meets_the_read_timeout(box: Sandbox, client: httpx.Client) -> None:
    box.faults.add("delay", delay=0.3, path="Balance", count=1)
    with pytest.raises(httpx.ReadTimeout):
        client.get(BALANCE, timeout=httpx.Timeout(5, read=0.1))
    box.faults.add("delay", delay=0.15, path="Balance", count=1)
    started = time.perf_counter()
    assert client.get(BALANCE).status_code == 200
    assert time.perf_counter() - started >= 0.15


def test_fault_every_nth_and_after_and_regex(box: Sandbox, client: httpx.Client) -> None:
    box.faults.add("status", status=502, path=r"/Balance\.json$", regex=True, every=3)
    codes = [client.get(BALANCE).status_code for _ in range(6)]
    assert codes == [200, 200, 502, 200, 200, 502]
    box.faults.clear()
    box.faults.add("status", status=504, path="Balance", after=2, count=1)
    assert [client.get(BALANCE).status_code for _ in range(4)] == [200, 200, 504, 200]


def test_rate_limit_answers_429_with_retry_after(box: Sandbox, client: httpx.Client) -> None:
    box.set_rate_limit(2, retry_after=1, burst=2)
    codes = [client.get(BALANCE) for _ in range(4)]
    assert [r.status_code for r in codes[:2]] == [200, 200]
    limited = codes[2]
    assert limited.status_code == 429 and limited.json()["code"] == 20429
    assert limited.headers["retry-after"] == "1"
    box.set_rate_limit(None)
    assert client.get(BALANCE).status_code == 200


def test_rate_limit_from_the_constructor_refills() -> None:
    sandbox = Sandbox(messages=5, rate_limit=5, retry_after=0.5)
    with httpx.Client(transport=sandbox.transport(), auth=sandbox.auth()) as c:
        codes = [c.get("https://api.twilio.com" + BALANCE) for _ in range(25)]
        assert codes[0].status_code == 200
        limited = [r for r in codes if r.status_code == 429]
        assert limited and limited[0].headers["retry-after"] == "0.5"
        time.sleep(0.3)
        assert c.get("https://api.twilio.com" + BALANCE).status_code == 200


def test_concurrent_posts_are_all_created_once(box: Sandbox, served: SandboxServer) -> None:
    before = len(box.stats.created)
    sids: list[str] = []

    def post(n: int) -> None:
        with httpx.Client(base_url=served.url, auth=box.auth()) as c:
            for i in range(10):
                r = c.post(f"{A}/Messages.json", data={"To": "+14155550199", "Body": f"{n}-{i}",
                                                        "From": "+14155550100"})
                sids.append(r.json()["sid"])

    threads = [threading.Thread(target=post, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(sids)) == 60 and len(box.stats.created) == before + 60
    with httpx.Client(base_url=served.url, auth=box.auth()) as c:
        listed = c.get(f"{A}/Messages.json", params={"PageSize": 1000}).json()["messages"]
    assert set(sids) <= {m["sid"] for m in listed}


def test_transport_maps_faults_to_httpx_errors() -> None:
    sandbox = Sandbox(messages=5)
    with httpx.Client(transport=sandbox.transport(), auth=sandbox.auth(),
                      base_url="https://api.twilio.com") as c:
        sandbox.faults.add("reset", count=1)
        with pytest.raises(httpx.ReadError):
            c.get(BALANCE)
        sandbox.faults.add("truncate", count=1)
        with pytest.raises(httpx.RemoteProtocolError):
            c.get(BALANCE)
        sandbox.faults.add("delay", delay=0.2, count=1)
        with pytest.raises(httpx.ReadTimeout):
            c.get(BALANCE, timeout=httpx.Timeout(1, read=0.05))
        assert c.get(BALANCE).status_code == 200


def test_python_dash_m_serves_and_masks_the_credentials() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "twilio_nb.sandbox", "--port", "0",
                             "--messages", "50"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline() for _ in range(5)]
        text = "".join(lines)
        m = re.search(r"http://127\.0\.0\.1:(\d+)", text)
        assert m, text
        r = httpx.get(f"{m.group(0)}{A}/Messages.json", auth=(ACCOUNT_SID, AUTH_TOKEN),
                      timeout=5)
        assert r.status_code == 200 and len(r.json()["messages"]) == 50
        assert ACCOUNT_SID not in text and AUTH_TOKEN not in text
        assert f"ACxx…{ACCOUNT_SID[-4:]}" in text and "sandbox" in text
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0, err
    assert "stopped" in out and AUTH_TOKEN not in out + err
