"""conn.bulk_export against a fake Twilio (tests/support/fake_bulk.py, from the spec and
docs) through ``transport=``: days, the 307 to storage, gzip JSON lines, jobs."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import httpx
import pandas as pd
import pytest
from fake_bulk import ACCOUNT, STORAGE, FakeBulk, message

import twilio_nb as tw
from twilio_nb.bulk_export import run_export

SECRET = "bulk-test-secret-0123456789abcdef"
TODAY = dt.datetime.now(dt.UTC).date()
FIRST = TODAY - dt.timedelta(days=40)


def days(n: int, start: dt.date = FIRST) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range(n)]


def fake(n_days: int = 10, per_day: int = 7, have: set[dt.date] | None = None,
         **kw: object) -> FakeBulk:
    records = {d: [message(d, i) for i in range(per_day)] for d in days(n_days)}
    return FakeBulk(records, set(records) if have is None else have, **kw)  # type: ignore[arg-type]


def conn_for(bulk: FakeBulk, **kw: object) -> tw.Connection:
    options: dict[str, object] = {"account_sid": ACCOUNT, **kw}
    transport = options.pop("transport", None) or bulk.transport()
    return tw.Connection(credential=tw.UserCredentials(ACCOUNT, SECRET),
                         transport=transport, **options)  # type: ignore[arg-type]


def export(bulk: FakeBulk, n_days: int = 10, **kw: object) -> tw.bulk_export.BulkExport:
    options = {"poll_s": 0.001, "progress": False, **kw}
    return conn_for(bulk).bulk_export("Messages", FIRST, FIRST + dt.timedelta(days=n_days - 1),
                                      **options)  # type: ignore[arg-type]


def dying_at(bulk: FakeBulk, n: int) -> httpx.MockTransport:
    """``bulk``'s transport, killed (in effect) at the ``n``-th day file it serves."""
    calls = {"n": 0}

    def storage(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        if calls["n"] == n:
            raise KeyboardInterrupt  # a kill, in effect
        return bulk._storage(request)

    return httpx.MockTransport(lambda r: storage(r) if r.url.host == STORAGE
                               else bulk.handle(r))


def killed_export(bulk: FakeBulk, target: Path, days: int, at: int) -> None:
    """A ``parquet=`` export of ``days`` days, one day file at a time, killed (in effect) at
    the ``at``-th: its checkpoint is left beside ``target``."""
    with pytest.raises(KeyboardInterrupt):
        conn_for(bulk, transport=dying_at(bulk, at)).bulk_export(
            "Messages", FIRST, FIRST + dt.timedelta(days=days - 1), parquet=target,
            concurrency=1, progress=False)


def sids(bulk: FakeBulk) -> list[str]:
    return [r["sid"] for d in sorted(bulk.records) for r in bulk.records[d]]


def test_every_record_comes_once_and_one_job_covers_just_the_missing_days() -> None:
    gone = {FIRST + dt.timedelta(days=i) for i in (3, 4, 5, 8)}
    bulk = fake(have=set(days(10)) - gone)
    x = export(bulk)
    assert list(x.df["sid"]) == sids(bulk)  # every record, once, in day order
    forms = [job["form"] for job in bulk.jobs.values()]
    assert [(f["StartDay"], f["EndDay"]) for f in forms] == [
        (str(FIRST + dt.timedelta(days=3)), str(FIRST + dt.timedelta(days=5))),
        (str(FIRST + dt.timedelta(days=8)), str(FIRST + dt.timedelta(days=8)))]
    assert all(f["FriendlyName"] for f in forms)
    assert set(x.days["status"]) == {"available"} and x.missing == []
    assert set(x.days.loc[x.days["job_sid"].notna(), "day"]) == {str(d) for d in gone}
    assert list(x.jobs["job_sid"]) == list(bulk.jobs)
    assert x.days["records"].sum() == len(x.df) == 70


def test_no_credential_reaches_the_storage_host() -> None:
    bulk = fake(3)
    export(bulk, 3)
    storage = [r for r in bulk.seen if r.url.host == STORAGE]
    assert len(storage) == 3
    for request in storage:
        names = {k.lower() for k in request.headers}
        assert "authorization" not in names and "cookie" not in names
        assert not any("twilio" in k for k in names)
        assert SECRET not in str(request.headers) and "User-Agent" not in request.headers
    api = [r for r in bulk.seen if r.url.host == "bulkexports.twilio.com"]
    assert api and all("authorization" in {k.lower() for k in r.headers} for r in api)


def test_the_shared_columns_match_list_messages_frame_in_names_dtypes_and_values() -> None:
    bulk = fake(4)
    x = export(bulk, 4)
    listed = conn_for(bulk).basic("Message", "List Messages").df
    shared = [c for c in listed.columns if c in x.df.columns]
    assert len(shared) >= 15
    assert [c for c in listed.columns if c not in x.df.columns] == [
        c for c in listed.columns if c.split(".")[0] in
        ("price_unit", "uri", "subresource_uris", "api_version", "error_message")]
    pd.testing.assert_frame_equal(x.df[shared], listed[shared])
    assert str(x.df["date_sent"].dtype) == "datetime64[us, UTC]"


def test_a_day_file_cut_short_is_fetched_again() -> None:
    cut = FIRST + dt.timedelta(days=1)
    bulk = fake(3, cut_once={cut})
    x = export(bulk, 3)
    assert bulk.served[str(cut)] == 2 and len(x.df) == 21


def test_a_day_file_cut_short_twice_raises_naming_the_day(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    cut = FIRST + dt.timedelta(days=1)
    bulk = fake(3)
    original = bulk._storage

    def always_cut(request: httpx.Request) -> httpx.Response:
        answer = original(request)
        return httpx.Response(200, content=answer.content[:40]) if str(cut) in str(
            request.url) else answer

    monkeypatch.setattr(bulk, "_storage", always_cut)
    with pytest.raises(tw.ResponseFormatError, match=str(cut)):
        export(bulk, 3)


def test_the_days_list_is_walked_to_its_end() -> None:
    bulk = fake(30, per_day=1, page_size_cap=7)
    x = export(bulk, 30)
    pages = [r for r in bulk.seen if r.url.path.endswith("/Days")]
    assert len(pages) == 5 and len(x.df) == 30


def test_wait_false_returns_at_once_with_the_days_requested() -> None:
    bulk = fake(5, have=set(days(2)))
    x = export(bulk, 5, wait=False)
    assert list(x.days["status"]) == ["available"] * 2 + ["requested"] * 3
    assert x.missing == [str(d) for d in days(5)[2:]] and len(x.df) == 14
    assert not any("/Exports/Jobs/" in r.url.path for r in bulk.seen)


def test_no_jobs_leaves_days_missing() -> None:
    bulk = fake(5, have=set(days(2)))
    x = export(bulk, 5, create_jobs=False)
    assert list(x.days["status"]) == ["available"] * 2 + ["missing"] * 3 and not bulk.jobs


def test_a_timeout_leaves_the_days_running() -> None:
    bulk = fake(3, have=set(), polls_to_finish=10**6)
    x = export(bulk, 3, timeout=0.01)
    assert set(x.days["status"]) <= {"running", "requested"} and len(x.df) == 0
    assert list(x.df.columns)  # typed empty frame


@pytest.mark.parametrize(("kw", "said"), [
    ({"region": "au1"}, "US1"),
    ({"address": "https://api.dublin.ie1.twilio.com"}, "'ie1'"),
])
def test_refused_before_sending(kw: dict[str, object], said: str) -> None:
    bulk = fake(3)
    with pytest.raises(tw.ConfigurationError, match=said):
        conn_for(bulk, **kw).bulk_export("Messages", FIRST, FIRST, progress=False)
    assert bulk.seen == []


def test_until_too_recent_for_a_job_is_refused_before_sending() -> None:
    bulk = fake(3)
    with pytest.raises(tw.ConfigurationError, match="too recent"):
        conn_for(bulk).bulk_export("Messages", FIRST, TODAY - dt.timedelta(days=1))
    assert bulk.seen == []
    x = conn_for(bulk).bulk_export("Messages", FIRST, TODAY, create_jobs=False, progress=False)
    assert len(x.df) == 21


def test_the_quota_is_counted_before_sending() -> None:
    start = dt.date(2020, 1, 1)
    records = {start + dt.timedelta(days=i): [message(start, i)] for i in range(400)}
    bulk = FakeBulk(records, set(), polls_to_finish=1)
    conn = conn_for(bulk, account_sid="AC" + "b" * 32)
    with pytest.raises(tw.ConfigurationError, match="ask Twilio for 401 days, and 366 of"):
        conn.bulk_export("Messages", start, start + dt.timedelta(days=400), progress=False)
    assert not bulk.jobs  # nothing asked
    x = conn.bulk_export("Messages", start, start + dt.timedelta(days=299), poll_s=0.001,
                         progress=False)
    assert len(bulk.jobs) == 1 and len(x.df) == 300
    with pytest.raises(tw.ConfigurationError, match="and 66 of today's 366"):
        conn.bulk_export("Messages", start + dt.timedelta(days=300),
                         start + dt.timedelta(days=399), progress=False)
    assert len(bulk.jobs) == 1


def test_bad_input_is_refused_before_sending() -> None:
    bulk = fake(1)
    conn = conn_for(bulk)
    for args, said in [(("Faxes", FIRST, FIRST), "Messages, Calls"),
                       (("Messages", "yesterday", FIRST), "since"),
                       (("Messages", FIRST, FIRST - dt.timedelta(days=1)), "before since")]:
        with pytest.raises(tw.ConfigurationError, match=said):
            conn.bulk_export(*args)  # type: ignore[arg-type]
    assert bulk.seen == []


def test_parquet_resumes_after_a_stop(tmp_path: Path) -> None:
    bulk = fake(6)
    target = tmp_path / "messages.parquet"
    killed_export(bulk, target, days=6, at=4)
    assert not target.exists()
    written = json.loads((tmp_path / "messages.parquet.partial" / "checkpoint.json").read_text())
    assert len(written["days"]) == 3
    before = dict(bulk.served)
    bulk.have -= {FIRST}  # its file expired meanwhile: it was written, so no job asks for it
    x = conn_for(bulk).bulk_export("Messages", FIRST, FIRST + dt.timedelta(days=5),
                                   parquet=target, progress=False)
    assert not bulk.jobs
    assert x.resumed and target.exists()
    assert sum(bulk.served.values()) - sum(before.values()) == 3  # only the days left
    assert list(x.df["sid"]) == sids(bulk)
    assert not (tmp_path / "messages.parquet.partial").exists()


def test_plain_json_lines_and_an_empty_day_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    bulk = fake(3)
    bulk.records[FIRST] = []
    plain = str(FIRST + dt.timedelta(days=2))
    original = bulk._storage

    def some_plain(request: httpx.Request) -> httpx.Response:
        answer = original(request)
        if plain in str(request.url):  # served decoded, as with Content-Encoding: gzip
            return httpx.Response(200, content=gzip.decompress(answer.content))
        return answer

    monkeypatch.setattr(bulk, "_storage", some_plain)
    x = export(bulk, 3)
    assert len(x.df) == 14 and list(x.days["records"]) == [0, 7, 7]
    assert x.missing == []


def test_run_export_takes_a_clock() -> None:
    bulk = fake(2)
    conn = conn_for(bulk)
    late = dt.datetime.combine(FIRST, dt.time(), tzinfo=dt.UTC)
    with pytest.raises(tw.ConfigurationError, match="too recent"):
        run_export(conn, bulk.transport(), "Messages", FIRST, FIRST, now=lambda: late)


def test_a_307_with_only_a_location_is_followed_and_a_bad_link_refused() -> None:
    bulk = fake(2)
    original = bulk._day

    def location_only(request: httpx.Request, resource: str, day: str) -> httpx.Response:
        answer = original(request, resource, day)
        if day.endswith(str(FIRST)[-2:]):
            return httpx.Response(307, headers={"Location": answer.headers["location"]})
        return httpx.Response(307, json={"redirect_to": "ftp://elsewhere/x?X-Amz-Signature=s"})

    bulk._day = location_only  # type: ignore[method-assign]
    with pytest.raises(tw.TransportError, match="no usable file link") as caught:
        export(bulk, 2)
    assert "Signature" not in str(caught.value)
    assert bulk.served == {str(FIRST): 1}


def test_a_5xx_for_a_day_link_is_asked_again() -> None:
    bulk = fake(1)
    original, calls = bulk._day, {"n": 0}

    def flaky(request: httpx.Request, resource: str, day: str) -> httpx.Response:
        calls["n"] += 1
        return httpx.Response(503) if calls["n"] == 1 else original(request, resource, day)

    bulk._day = flaky  # type: ignore[method-assign]
    assert len(export(bulk, 1).df) == 7 and calls["n"] == 2


def test_a_parquet_export_of_another_account_is_not_gone_on_from(tmp_path: Path) -> None:
    """The target rule of every resumable file: days fetched for one account are not
    another's; refused before any day is fetched, unless overwrite."""
    bulk = fake(4)
    target = tmp_path / "messages.parquet"
    killed_export(bulk, target, days=4, at=2)
    other = conn_for(bulk, account_sid="AC" + "f" * 32)
    served = dict(bulk.served)
    with pytest.raises(tw.ConfigurationError, match="another target") as err:
        other.bulk_export("Messages", FIRST, FIRST + dt.timedelta(days=3), parquet=target,
                          progress=False)
    assert "overwrite=True" in str(err.value)
    assert bulk.served == served  # no day fetched for the other account
    x = other.bulk_export("Messages", FIRST, FIRST + dt.timedelta(days=3), parquet=target,
                          progress=False, overwrite=True)
    assert not x.resumed and len(x.df) == 4 * 7
