"""The sandbox serves Bulk Export v1 from its own store: days, the 307 to its storage host,
gzip JSON lines shaped as Twilio writes them, jobs on the sandbox clock, expiry, the quota,
Configuration. And an export gives the messages a list walk gives."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import httpx
import pytest

import twilio_nb as tw
from twilio_nb.bulk_export import run_export
from twilio_nb.sandbox import AUTH_TOKEN, Sandbox

DAY = 86400


class Watched(httpx.BaseTransport):
    """The sandbox's transport, every request kept."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner, self.seen = inner, []  # type: list[httpx.Request]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return self.inner.handle_request(request)


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(messages=600, clock="manual")


def connect(sandbox: Sandbox) -> tuple[tw.Connection, Watched]:
    watched = Watched(sandbox.transport())
    return tw.Connection(sandbox=sandbox, transport=watched), watched


def clock(sandbox: Sandbox) -> dt.datetime:
    return dt.datetime.fromtimestamp(sandbox.now, dt.UTC)


def export(sandbox: Sandbox, conn: tw.Connection, since: str, until: str,
           **kw: object) -> tw.bulk_export.BulkExport:
    return run_export(conn, sandbox.transport(), "Messages", since, until, progress=False,
                      poll_s=1, now=lambda: clock(sandbox), sleep=sandbox.advance,
                      **kw)  # type: ignore[arg-type]


def test_an_export_and_a_list_walk_over_the_same_dates_give_the_same_messages(
        sandbox: Sandbox) -> None:
    conn, _ = connect(sandbox)
    x = conn.bulk_export("Messages", "2025-02-01", "2025-02-28", progress=False)
    walked = conn.basic("Message", "List Messages", query={"PageSize": 1000}).all(
        progress=False)
    day = walked["date_created"].dt.date
    walked = walked[(day >= dt.date(2025, 2, 1)) & (day <= dt.date(2025, 2, 28))]
    assert len(x.df) > 20 and set(x.days["status"]) == {"available"}
    assert sorted(x.df["sid"]) == sorted(walked["sid"])
    shared = [c for c in walked.columns if c in x.df.columns]
    assert "price_unit" not in x.df.columns and "uri" not in x.df.columns
    mine = x.df.sort_values("sid", ignore_index=True)[shared]
    theirs = walked.sort_values("sid", ignore_index=True)[shared]
    assert list(mine.dtypes) == list(theirs.dtypes)
    assert mine.equals(theirs)


def test_the_307_leads_to_a_storage_host_that_gets_no_credential(sandbox: Sandbox) -> None:
    conn, watched = connect(sandbox)
    link = conn.advanced("GET", "/v1/Exports/Messages/Days")  # the sandbox's Days list
    first = json.loads(link.text)["days"][0]["day"]
    x = run_export(conn, watched, "Messages", first, first, progress=False)
    storage = [r for r in watched.seen if "bulkexports-files" in r.url.path]
    assert storage and storage[0].url.host.startswith("storage.")
    assert all("authorization" not in {k.lower() for k in r.headers} for r in storage)
    answer = sandbox.transport().handle_request(storage[0])
    lines = gzip.decompress(answer.read()).decode().splitlines()
    record = json.loads(lines[0])
    assert len(lines) == len(x.df) and record["date_created"].endswith("Z")
    assert not {"uri", "subresource_uris", "api_version", "error_message",
                "price_unit"} & set(record)


def test_expired_days_are_asked_again_and_jobs_run_on_the_sandbox_clock(
        sandbox: Sandbox) -> None:
    conn, watched = connect(sandbox)
    sandbox.advance(8 * DAY)  # every file made at the start has expired
    x = export(sandbox, conn, "2025-03-01", "2025-03-05")
    creates = [r for r in watched.seen if r.method == "POST"]
    assert len(creates) == 1 and b"StartDay=2025-03-01&EndDay=2025-03-05" in creates[0].content
    assert set(x.days["status"]) == {"available"} and len(x.df) > 0
    polls = [r for r in watched.seen if "/Exports/Jobs/" in r.url.path]
    assert len(polls) >= 2  # Submitted -> Running -> Completed


def test_wait_false_marks_the_days_requested_and_a_sandbox_job_is_submitted(
        sandbox: Sandbox) -> None:
    conn, _ = connect(sandbox)
    sandbox.advance(8 * DAY)
    x = export(sandbox, conn, "2025-03-01", "2025-03-02", wait=False)
    assert list(x.days["status"]) == ["requested"] * 2 and len(x.df) == 0
    job = conn.basic("Job", "Get Job", params={"JobSid": x.jobs["job_sid"][0]})
    assert json.loads(job.text)["details"][0]["status"] == "Submitted"
    sandbox.advance(5)
    job = conn.basic("Job", "Get Job", params={"JobSid": x.jobs["job_sid"][0]})
    assert json.loads(job.text)["details"][0]["status"] == "Completed"


def test_the_sandbox_refuses_beyond_the_quota_and_too_recent_days(sandbox: Sandbox) -> None:
    conn, _ = connect(sandbox)
    body = {"StartDay": "2020-01-01", "EndDay": "2020-12-31", "FriendlyName": "a year"}
    conn.basic("Job", "Create Export Job", params={"ResourceType": "Calls"}, body=body)
    with pytest.raises(tw.TwilioApiError, match="quota"):
        conn.basic("Job", "Create Export Job", params={"ResourceType": "Calls"}, body=body)
    today = clock(sandbox).date()
    recent = {"StartDay": str(today), "EndDay": str(today), "FriendlyName": "today"}
    with pytest.raises(tw.TwilioApiError, match="two days"):
        conn.basic("Job", "Create Export Job", params={"ResourceType": "Calls"}, body=recent)


def test_configuration_is_kept(sandbox: Sandbox) -> None:
    conn, _ = connect(sandbox)
    conn.advanced("POST", "/v1/Exports/Calls/Configuration",
                  body={"Enabled": "false", "WebhookUrl": "https://example.com/hook",
                        "WebhookMethod": "POST"})
    got = json.loads(conn.advanced("GET", "/v1/Exports/Calls/Configuration").text)
    assert got["enabled"] is False and got["webhook_url"] == "https://example.com/hook"


def test_a_served_sandbox_at_127_0_0_1_exports_over_http() -> None:
    box = Sandbox(messages=300, message_days=3)
    with box.serve() as server:
        conn = tw.Connection(address=server.url, auth_type="auth_token",
                             credential=tw.UserCredentials(box.account_sid, AUTH_TOKEN))
        x = conn.bulk_export("Messages", "2025-06-27", "2025-06-30", create_jobs=False,
                             progress=False)
    assert server.url.startswith("http://127.0.0.1:")
    assert len(x.df) == 300 and set(x.days["status"]) == {"available"}


def test_a_message_deleted_is_gone_from_its_day_file_the_next_time() -> None:
    box = Sandbox(messages=300, message_days=3, clock="manual")
    conn, _ = connect(box)
    before = export(box, conn, "2025-06-28", "2025-06-28", create_jobs=False)
    gone = str(before.df["sid"].iloc[0])
    with httpx.Client(transport=box.transport(), base_url="https://api.twilio.com",
                      auth=box.auth()) as api:
        path = f"/2010-04-01/Accounts/{box.account_sid}/Messages/{gone}.json"
        assert api.delete(path).status_code == 204
    after = export(box, conn, "2025-06-28", "2025-06-28", create_jobs=False)
    assert len(after.df) == len(before.df) - 1 and gone not in set(after.df["sid"])
