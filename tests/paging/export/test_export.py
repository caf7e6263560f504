"""``r.to_parquet``: the file holds the ``all()`` frame, typed the same, in every format; an
existing file is refused; an export killed mid-way (a real process, SIGKILL) or stopped
(KeyboardInterrupt, cancel) goes on from its checkpoint to exactly the uninterrupted rows."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from pathlib import Path

import httpx
import pandas as pd
import pytest

import twilio_nb as tw
from twilio_nb.errors import ConfigurationError, PagingError, TwilioWarning
from twilio_nb.paging import Progress
from twilio_nb.paging.slices import _slice_plan as bulk
from twilio_nb.sandbox import Sandbox


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_the_file_holds_the_all_frame(tmp_path: Path, fmt: str) -> None:
    conn = tw.Connection(sandbox=Sandbox(messages=3000))
    first = conn.basic("Message", "List Messages", response_format=fmt)
    done = first.to_parquet(tmp_path / "m.parquet", concurrency=4, progress=False)
    assert (done.rows, done.resumed) == (3000, False)
    pd.testing.assert_frame_equal(pd.read_parquet(done.path), first.all(progress=False))
    assert not (tmp_path / "m.parquet.partial").exists()
    schemas = {str(rg) for rg in _row_group_schemas(done.path)}
    assert len(schemas) == 1  # one schema for every row group


def _row_group_schemas(path: Path) -> list[object]:
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    return [tuple(meta.row_group(i).column(j).physical_type
                  for j in range(meta.row_group(i).num_columns))
            for i in range(meta.num_row_groups)]


def test_an_existing_file_is_refused_unless_overwrite(tmp_path: Path) -> None:
    box = Sandbox(messages=50)
    conn = tw.Connection(sandbox=box)
    first = conn.basic("Message", "List Messages")
    path = tmp_path / "m.parquet"
    path.write_bytes(b"not yours")
    sent = box.stats.total_requests
    with pytest.raises(ConfigurationError, match="overwrite=True"):
        first.to_parquet(path)
    with pytest.raises(ConfigurationError, match="is a directory"):
        first.to_parquet(tmp_path)
    with pytest.raises(ConfigurationError, match="from 1 to 32"):
        first.to_parquet(tmp_path / "other.parquet", concurrency=99)
    assert box.stats.total_requests == sent  # refused before anything was sent
    assert first.to_parquet(path, overwrite=True, progress=False).rows == 50


def test_a_list_without_a_date_filter_is_exported_in_one_walk(tmp_path: Path) -> None:
    conn = tw.Connection(sandbox=Sandbox(messages=10))
    first = conn.basic("IncomingPhoneNumber", "List Incoming Phone Numbers")
    done = first.to_parquet(tmp_path / "n.parquet", progress=False)
    pd.testing.assert_frame_equal(pd.read_parquet(done.path), first.all(progress=False))


@pytest.mark.parametrize("how", ["cancel", "interrupt"])
def test_a_stopped_export_goes_on_to_the_same_rows(tmp_path: Path, how: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "PAGE_SIZE", 100)
    conn = tw.Connection(sandbox=Sandbox(messages=3000))
    first = conn.basic("Message", "List Messages")
    path = tmp_path / "m.parquet"
    cancel = threading.Event()

    def stop_after_some(p: Progress) -> None:
        if p.pages >= 5:
            if how == "interrupt":
                raise KeyboardInterrupt
            cancel.set()

    from twilio_nb.paging.export._parquet import export_parquet

    if how == "interrupt":
        with pytest.raises(KeyboardInterrupt):
            export_parquet(first, path, concurrency=3, progress=False,
                           on_progress=stop_after_some)
    else:
        stopped = export_parquet(first, path, concurrency=3, progress=False,
                                 on_progress=stop_after_some, cancel=cancel)
        assert 0 < stopped.rows < 3000
    assert not path.exists() and (tmp_path / "m.parquet.partial").is_dir()
    saved = json.loads((tmp_path / "m.parquet.partial" / "checkpoint.json").read_text())
    _, planned = bulk.prepare(first, 3)
    assert len(saved["slices"]) > len(planned)  # slices split while walked are saved too
    done = first.to_parquet(path, concurrency=3, progress=False)
    assert done.resumed
    pd.testing.assert_frame_equal(pd.read_parquet(path), first.all(progress=False))


EXPORT = textwrap.dedent("""
    import sys
    import twilio_nb as tw
    from twilio_nb.paging.slices import _slice_plan as bulk

    bulk.PAGE_SIZE = 100
    conn = tw.Connection(address=sys.argv[1], credential="sandbox", auth_type="auth_token")
    conn.basic("Message", "List Messages").to_parquet(sys.argv[2], concurrency=2,
                                                      progress=False)
""")


def test_an_export_killed_mid_way_resumes_to_exactly_the_uninterrupted_rows(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    box = Sandbox(messages=4000, latency_ms=40)  # the export splits its open slice
    path = tmp_path / "m.parquet"
    checkpoint = tmp_path / "m.parquet.partial" / "checkpoint.json"
    with box.serve() as server:
        proc = subprocess.Popen([sys.executable, "-c", EXPORT, server.url, str(path)])
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and proc.poll() is None:
                if checkpoint.exists():
                    try:
                        data = json.loads(checkpoint.read_text())
                    except ValueError:
                        data = {"slices": []}
                    if sum(len(s["chunks"]) for s in data["slices"]) >= 4 \
                            and len(data["slices"]) > 3:  # split slices saved
                        break
                time.sleep(0.02)
            assert proc.poll() is None, "the export ended before it could be killed"
        finally:
            proc.kill()
            proc.wait()
        assert not path.exists()
        monkeypatch.setattr(bulk, "PAGE_SIZE", 100)
        conn = tw.Connection(address=server.url, credential="sandbox", auth_type="auth_token")
        first = conn.basic("Message", "List Messages")
        done = first.to_parquet(path, concurrency=2, progress=False)
        expected = first.all(progress=False)
    assert done.resumed and done.rows == 4000
    pd.testing.assert_frame_equal(pd.read_parquet(path), expected)


def test_a_failed_export_keeps_its_rows_in_partial_and_resumes(tmp_path: Path) -> None:
    box = Sandbox(messages=5000)
    conn = tw.Connection(sandbox=box, max_retries=0)
    first = conn.basic("Message", "List Messages")
    expected = first.all(progress=False)
    sent = len(conn.history)
    bulk.prepare(first, 4)
    assert len(conn.history) == sent  # planning sends nothing: the walk's third request fails
    box.faults.add("status", path="Messages.json", status=500, after=2, count=1)
    path = tmp_path / "m.parquet"
    with pytest.raises(PagingError) as caught:
        first.to_parquet(path, concurrency=4, progress=False)
    err = caught.value
    assert 0 < err.records_fetched < len(expected) and not path.exists()
    partial = err.partial  # read back from the pieces, in the list's order
    assert len(partial) == err.records_fetched
    at = expected.reset_index(drop=True).reset_index().set_index("sid")["index"]
    assert at[partial["sid"]].is_monotonic_increasing  # the list's order, no duplicate
    assert partial["sid"].is_unique
    pd.testing.assert_series_equal(partial.dtypes, expected.dtypes)
    assert partial.attrs["operation"] == expected.attrs["operation"]
    done = err.resume(progress=False)
    assert done.resumed and done.rows == len(expected)
    pd.testing.assert_frame_equal(pd.read_parquet(path), expected)


@pytest.mark.parametrize(("query", "options", "match"), [
    (None, {"concurrency": 0}, "from 1 to 32"),
    (None, {"concurrency": 33}, "from 1 to 32"),
    (None, {"concurrency": True}, "from 1 to 32"),
    (None, {"since": "2025-03-02", "until": "2025-03-01"}, "is after until"),
    (None, {"since": "last week"}, "since='last week' is not a date"),
    (None, {"until": 20250301}, "until must be a date"),
    ("DateSent<=2025-02-01", {"since": "2025-03-01"}, "after the Query's DateSent filter"),
    ("DateSent>=2025-03-01", {"until": "2025-02-01", "concurrency": 4},
     "before the Query's DateSent filter"),
])
def test_bad_input_is_refused_before_anything_is_sent(
        tmp_path: Path, query: str | None, options: dict[str, object], match: str) -> None:
    box = Sandbox(messages=60)
    conn = tw.Connection(sandbox=box)
    first = conn.basic("Message", "List Messages", query=query)
    sent = box.stats.total_requests
    with pytest.raises(ConfigurationError, match=match):
        first.to_parquet(tmp_path / "m.parquet", progress=False, **options)  # type: ignore[arg-type]
    assert box.stats.total_requests == sent
    assert list(tmp_path.iterdir()) == []  # no file, no checkpoint


def test_a_resumed_export_checks_its_input_and_its_range(tmp_path: Path) -> None:
    box = Sandbox(messages=3000)
    conn = tw.Connection(sandbox=box)
    first = conn.basic("Message", "List Messages")
    path = tmp_path / "m.parquet"
    cancel = threading.Event()
    from twilio_nb.paging.export._parquet import export_parquet

    def stop(p: Progress) -> None:
        if p.pages >= 1:
            cancel.set()

    export_parquet(first, path, concurrency=2, since="2025-02-01", progress=False,
                   on_progress=stop, cancel=cancel)
    assert (tmp_path / "m.parquet.partial").is_dir()
    sent = box.stats.total_requests
    with pytest.raises(ConfigurationError, match="from 1 to 32"):
        first.to_parquet(path, concurrency=40, since="2025-02-01")
    with pytest.raises(ConfigurationError, match="another request or range"):
        first.to_parquet(path, concurrency=2, since="2025-01-01")
    assert box.stats.total_requests == sent
    done = first.to_parquet(path, concurrency=2, since=dt.date(2025, 2, 1), progress=False)
    assert done.resumed
    pd.testing.assert_frame_equal(pd.read_parquet(path),
                                  first.all(since="2025-02-01", progress=False))


class _LaterKeys(httpx.BaseTransport):
    """The sandbox, with a nested key (``capabilities.video``) that only pages after the
    first carry, as a field Twilio adds to newer records."""

    def __init__(self, box: Sandbox) -> None:
        self.inner = box.transport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.inner.handle_request(request)
        if "IncomingPhoneNumbers" not in request.url.path or "Page=" not in str(request.url) \
                or "Page=0" in str(request.url):
            return answer
        body = json.loads(answer.read())
        for number in body["incoming_phone_numbers"]:
            number["capabilities"]["video"] = True
        return httpx.Response(answer.status_code, headers={"Content-Type": "application/json"},
                              content=json.dumps(body).encode(), request=request)


def test_a_column_first_seen_on_a_later_page_widens_the_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    box = Sandbox(messages=10)
    monkeypatch.setattr(bulk, "PAGE_SIZE", 2)  # several pages of numbers
    conn = tw.Connection(sandbox=box, transport=_LaterKeys(box))
    first = conn.basic("IncomingPhoneNumber", "List Incoming Phone Numbers",
                       query="PageSize=2")
    expected = first.all(progress=False)
    assert expected["capabilities.video"].isna().sum() == 2  # the first page's two numbers
    with warnings.catch_warnings():
        warnings.simplefilter("error", TwilioWarning)  # nothing is left out
        done = first.to_parquet(tmp_path / "n.parquet", progress=False)
    written = pd.read_parquet(done.path)
    assert written.columns.tolist() == expected.columns.tolist()
    pd.testing.assert_frame_equal(written, expected, check_dtype=False)
    assert len(_row_group_schemas(done.path)) == done.pages
    assert len({str(s) for s in _row_group_schemas(done.path)}) == 1
