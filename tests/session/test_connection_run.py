"""``Connection.run``: a front end's whole action in one call (options checked once, the
first page sized, sent, then walked or exported), on the offline sandbox."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import twilio_nb as tw
from twilio_nb.errors import ConfigurationError
from twilio_nb.paging import WalkOptions
from twilio_nb.sandbox import Sandbox


@pytest.fixture
def sandbox() -> tw.Connection:
    return tw.Connection(sandbox=Sandbox(messages=60))


def test_without_a_walk_it_sends_the_request_as_built(sandbox: tw.Connection) -> None:
    built = sandbox.build_basic("Message", "List Messages")
    result = sandbox.run(built)
    assert isinstance(result, tw.Result)
    assert "PageSize" not in result.url  # Twilio's default page: nothing added


def test_a_walk_asks_for_big_pages_and_gives_every_record(sandbox: tw.Connection) -> None:
    built = sandbox.build_basic("Message", "List Messages")
    before = len(sandbox.history)
    frame = sandbox.run(built, WalkOptions(every=True, progress=False))
    sent = sandbox.history["url"].iloc[before:]
    assert len(sent) == 1 and "PageSize=1000" in sent.iloc[0]  # one request for 60 records
    pd.testing.assert_frame_equal(frame, sandbox.basic("Message", "List Messages")
                                  .all(progress=False))


def test_a_limit_sizes_the_page_to_the_limit(sandbox: tw.Connection) -> None:
    built = sandbox.build_basic("Message", "List Messages")
    frame = sandbox.run(built, WalkOptions(limit=7, progress=False))
    assert len(frame) == 7 and "PageSize=7" in sandbox.history["url"].iloc[-1]


def test_a_page_size_the_user_wrote_is_kept(sandbox: tw.Connection) -> None:
    built = sandbox.build_basic("Message", "List Messages", query="PageSize=20")
    frame = sandbox.run(built, WalkOptions(every=True, progress=False))
    assert len(frame) == 60
    urls = sandbox.history["url"]
    assert urls.str.contains("PageSize=20").all() and not urls.str.contains("1000").any()


def test_an_advanced_get_is_sized_too(sandbox: tw.Connection) -> None:
    built = sandbox.build_advanced("GET", "/2010-04-01/Accounts/:AccountSid/Messages.json")
    result = sandbox.run(built, WalkOptions(page_size=5))
    assert len(result.df) == 5 and "PageSize=5" in result.url


def test_a_post_is_never_sized(sandbox: tw.Connection) -> None:
    built = sandbox.build_basic("Message", "Send Message", params={
        "To": "+15005550006", "From": "+15005550006", "Body": "hi"})
    result = sandbox.run(built, WalkOptions(page_size=5))
    assert result.status_code == 201 and "PageSize" not in result.url


def test_a_range_that_cannot_apply_is_refused_before_sending(sandbox: tw.Connection) -> None:
    sent = len(sandbox.history)
    built = sandbox.build_basic("Message", "List Messages", query="DateSent<=2025-02-01")
    with pytest.raises(ConfigurationError, match="after the Query's DateSent filter"):
        sandbox.run(built, WalkOptions(every=True, since="2025-03-01"))
    numbers = sandbox.build_basic("IncomingPhoneNumber", "List Incoming Phone Numbers")
    with pytest.raises(ConfigurationError, match="has no date filter"):
        sandbox.run(numbers, WalkOptions(every=True, until="2025-03-01"))
    assert len(sandbox.history) == sent


def test_an_export_is_one_call_too(sandbox: tw.Connection, tmp_path: Path) -> None:
    built = sandbox.build_basic("Message", "List Messages")
    done = sandbox.run(built, WalkOptions(parquet=tmp_path / "m.parquet", concurrency=4,
                                          progress=False))
    assert done.rows == 60
    pd.testing.assert_frame_equal(pd.read_parquet(done.path),
                                  sandbox.basic("Message", "List Messages").all(progress=False))


def test_another_exports_checkpoint_is_refused_before_sending(sandbox: tw.Connection,
                                                              tmp_path: Path) -> None:
    partial = tmp_path / "m.parquet.partial"
    partial.mkdir()
    (partial / "checkpoint.json").write_text(
        '{"version": 1, "request": "json https://example.invalid/x.json", "schema": null, '
        '"slices": [], "written": 0}')
    sent = len(sandbox.history)
    built = sandbox.build_basic("Message", "List Messages")
    with pytest.raises(ConfigurationError, match="give overwrite=True to discard it"):
        sandbox.run(built, WalkOptions(parquet=tmp_path / "m.parquet"))
    assert len(sandbox.history) == sent
