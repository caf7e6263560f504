"""Messages, calls and conference participants live on the sandbox's clock and call back as
Twilio does: in order, signed, with Twilio's parameter names."""

from __future__ import annotations

import json
import time
from urllib.parse import parse_qsl

import httpx
import loopback
import pytest
from guide import CONFERENCE_PARTICIPANT_JSON, SEND_MESSAGE_JSON
from sandbox_http import in_process
from twilio.request_validator import RequestValidator

import twilio_nb as tw
from twilio_nb.sandbox import ACCOUNT_SID, AUTH_TOKEN, Sandbox

ACCT = f"/2010-04-01/Accounts/{ACCOUNT_SID}"
OURS = "+14155550100"


@pytest.fixture
def sandbox() -> Sandbox:
    """A sandbox whose clock moves only by ``advance``: each state falls due at an exact step,
    however loaded the machine (on real time a state 0.1 s away can fall due between two
    steps)."""
    return Sandbox(messages=0, clock="manual")


@pytest.fixture
def hook(server: loopback.Loopback) -> loopback.Loopback:
    server.route("/", lambda seen: (200, {"Content-Type": "application/xml"}, b"<Response/>"))
    return server


def forms(lb: loopback.Loopback) -> list[dict[str, str]]:
    return [dict(parse_qsl(s.body.decode())) for s in lb.seen]


def test_message_lives_and_calls_back_in_order_signed_as_twilio_signs(
        sandbox: Sandbox, api: httpx.Client, hook: loopback.Loopback) -> None:
    url = hook.url + "/status?x=1"
    made = api.post(f"{ACCT}/Messages.json", data={"From": OURS, "To": "+14155550199",
                                                    "Body": "hi", "StatusCallback": url})
    assert made.json()["status"] == "queued"
    sid = made.json()["sid"]
    seen_states = []
    for _ in range(4):  # 0.3 s, 0.6 s, 0.9 s, 1.2 s: past sending, sent, delivered (0.1, 0.4, 0.8)
        sandbox.advance(0.3)
        seen_states.append(api.get(f"{ACCT}/Messages/{sid}.json").json()["status"])
    assert seen_states == ["sending", "sent", "delivered", "delivered"]
    got = forms(hook)
    assert [f["MessageStatus"] for f in got] == ["queued", "sending", "sent", "delivered"]
    assert set(got[-1]) == {"MessageSid", "SmsSid", "AccountSid", "From", "To",
                            "MessageStatus", "SmsStatus", "ApiVersion"}
    assert got[-1]["MessageSid"] == sid and got[-1]["SmsStatus"] == "delivered"
    validator = RequestValidator(AUTH_TOKEN)
    for seen, form in zip(hook.seen, got, strict=True):
        assert seen.method == "POST"
        assert seen.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert validator.validate(url, form, seen.headers["X-Twilio-Signature"])
        assert not validator.validate(url + "&y=2", form, seen.headers["X-Twilio-Signature"])
    listed = api.get(f"{ACCT}/Messages.json", params={"Status": "delivered"}).json()
    assert [m["sid"] for m in listed["messages"]] == [sid]


@pytest.mark.parametrize(("to", "status", "code"), [("+15005550010", "undelivered", "30003"),
                                                     ("+15005550012", "failed", "30008")])
def test_failing_test_numbers_end_with_twilio_error_codes(
        sandbox: Sandbox, api: httpx.Client, hook: loopback.Loopback, to: str, status: str,
        code: str) -> None:
    sid = api.post(f"{ACCT}/Messages.json", data={
        "From": OURS, "To": to, "Body": "hi", "StatusCallback": hook.url}).json()["sid"]
    sandbox.advance(5)
    rec = api.get(f"{ACCT}/Messages/{sid}.json").json()
    assert (rec["status"], str(rec["error_code"])) == (status, code)
    last = forms(hook)[-1]
    assert (last["MessageStatus"], last["ErrorCode"]) == (status, code)
    assert "ErrorCode" not in forms(hook)[0]


def test_call_gives_only_the_events_asked_and_a_duration_and_a_recording(
        sandbox: Sandbox, api: httpx.Client, hook: loopback.Loopback) -> None:
    sid = api.post(f"{ACCT}/Calls.json", data={
        "From": OURS, "To": "+14155550199", "Url": "http://demo.invalid/twiml",
        "Record": "true", "StatusCallback": hook.url,
        "StatusCallbackEvent": ["initiated", "answered completed"]}).json()["sid"]
    sandbox.advance(0.7)
    assert api.get(f"{ACCT}/Calls/{sid}.json").json()["status"] == "ringing"
    sandbox.advance(1)
    assert api.get(f"{ACCT}/Calls/{sid}.json").json()["status"] == "in-progress"
    sandbox.advance(60)
    call = api.get(f"{ACCT}/Calls/{sid}.json").json()
    assert call["status"] == "completed" and call["duration"] == "4"
    got = forms(hook)
    assert [f["CallStatus"] for f in got] == ["initiated", "in-progress", "completed"]
    assert [f["SequenceNumber"] for f in got] == ["0", "1", "2"]
    assert got[-1]["CallDuration"] == "4" and "CallDuration" not in got[0]
    assert {"CallSid", "AccountSid", "From", "To", "CallStatus", "Direction", "ApiVersion",
            "Timestamp", "CallbackSource"} <= set(got[0])
    recs = api.get(f"{ACCT}/Calls/{sid}/Recordings.json").json()["recordings"]
    assert [(r["status"], r["duration"]) for r in recs] == [("completed", "4")]


def test_call_without_events_calls_back_once_when_completed_and_busy_numbers_are_busy(
        sandbox: Sandbox, api: httpx.Client, hook: loopback.Loopback) -> None:
    sid = api.post(f"{ACCT}/Calls.json", data={
        "From": OURS, "To": "+15005550020", "Url": "http://demo.invalid/twiml",
        "StatusCallback": hook.url}).json()["sid"]
    sandbox.advance(30)
    assert api.get(f"{ACCT}/Calls/{sid}.json").json()["status"] == "busy"
    assert [f["CallStatus"] for f in forms(hook)] == ["busy"]


def test_the_guides_conference_participant_payload_gives_ringing_answered_completed(
        sandbox: Sandbox, api: httpx.Client, hook: loopback.Loopback) -> None:
    body = json.loads(CONFERENCE_PARTICIPANT_JSON)
    assert body["StatusCallbackEvent"] == "ringing answered completed"
    body["StatusCallback"] = hook.url  # the guide's URL, pointed at this test's endpoint
    with tw.Connection(sandbox=sandbox) as conn:
        made = conn.basic("Participant", "Create Conference Participant",
                          params={"ConferenceSid": "MyRoom"}, body=body).records[0]
    assert made["status"] == "queued"
    sandbox.advance(60)
    got = forms(hook)
    assert [f["CallStatus"] for f in got] == ["ringing", "in-progress", "completed"]
    assert {f["CallSid"] for f in got} == {made["call_sid"]}
    part = api.get(f"{ACCT}/Conferences/{made['conference_sid']}/Participants/"
                   f"{made['call_sid']}.json").json()
    assert part["status"] == "complete"


def test_a_bad_callback_url_is_refused_and_a_dead_endpoint_breaks_nothing() -> None:
    sandbox = Sandbox(messages=0, callback_timeout=0.2)
    api = in_process(sandbox)
    bad = api.post(f"{ACCT}/Messages.json", data={
        "From": OURS, "To": "+14155550199", "Body": "x", "StatusCallback": "file:///etc/passwd"})
    assert bad.status_code == 400 and bad.json()["code"] == 21609
    port, close = loopback.full_backlog_port()
    try:
        sid = api.post(f"{ACCT}/Messages.json", data={
            "From": OURS, "To": "+14155550199", "Body": "x",
            "StatusCallback": f"http://127.0.0.1:{port}/"}).json()["sid"]
        api.post(f"{ACCT}/Messages.json", data={
            "From": OURS, "To": "+14155550199", "Body": "y", "StatusCallback": "http://127.0.0.1:9/"})
        sandbox.advance(0.05)
        assert api.get(f"{ACCT}/Messages/{sid}.json").status_code == 200  # not blocked
    finally:
        close()
    sandbox.advance(5)
    assert api.get(f"{ACCT}/Messages/{sid}.json").json()["status"] == "delivered"
    assert sandbox.deliveries and all(d.error for d in sandbox.deliveries)
    assert AUTH_TOKEN not in repr(sandbox.deliveries)


def test_the_clock_runs_by_itself_on_the_served_sandbox(hook: loopback.Loopback) -> None:
    sandbox = Sandbox(messages=0)  # the default clock: real time
    with sandbox.serve() as served, httpx.Client(base_url=served.url, auth=sandbox.auth()) as c:
        c.post(f"{ACCT}/Messages.json", data={"From": OURS, "To": "+14155550199",
                                               "Body": "hi", "StatusCallback": hook.url})
        deadline = time.monotonic() + 10
        while len(hook.seen) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert [f["MessageStatus"] for f in forms(hook)] == ["queued", "sending", "sent",
                                                         "delivered"]


def test_seeded_records_stay_history_and_reset_forgets_pending_states(
        api: httpx.Client, sandbox: Sandbox, hook: loopback.Loopback) -> None:
    seeded = Sandbox(messages=20)
    with in_process(seeded) as c:
        before = c.get(f"{ACCT}/Messages.json").json()["messages"]
        seeded.advance(3600)
        assert c.get(f"{ACCT}/Messages.json").json()["messages"] == before
    api.post(f"{ACCT}/Messages.json", data={"From": OURS, "To": "+14155550199", "Body": "hi",
                                             "StatusCallback": hook.url})
    sandbox.reset()
    sandbox.advance(5)
    assert [f["MessageStatus"] for f in forms(hook)] in ([], ["queued"])  # nothing after


@pytest.mark.filterwarnings("ignore::twilio_nb.TwilioWarning")  # the guide's Tags
def test_the_guides_example_callback_host_is_never_called(sandbox: Sandbox) -> None:
    with tw.Connection(sandbox=sandbox) as conn:
        conn.basic("Message", "Send Message", body=json.loads(SEND_MESSAGE_JSON))
    sandbox.advance(5)
    assert [d.event for d in sandbox.deliveries] == ["queued", "sending", "sent", "delivered"]
    assert {d.error for d in sandbox.deliveries} == {
        "a reserved example domain (RFC 2606): nothing sent"}


def test_status_callback_method_get_puts_the_signed_parameters_in_the_query(
        sandbox: Sandbox, api: httpx.Client) -> None:
    with tw.inbox(AUTH_TOKEN) as inbox:
        api.post(f"{ACCT}/Messages.json", data={
            "From": OURS, "To": "+14155550199", "Body": "hi", "StatusCallbackMethod": "GET",
            "StatusCallback": inbox.url + "cb?tag=1"})
        sandbox.advance(2)
        df = inbox.wait(4, timeout=5)
    assert set(df["method"]) == {"GET"} and df["signature_valid"].all()
    assert list(df["MessageStatus"]) == ["queued", "sending", "sent", "delivered"]
    assert set(df["tag"]) == {"1"}
