"""conn.batch on the sandbox: checked before sending, rows fail alone, concurrent, dry run."""

from __future__ import annotations

import threading

import pandas as pd
import pytest
from batch_rows import BODY, customers, sent_per_recipient

import twilio_nb as tw
from twilio_nb.sandbox import AUTH_TOKEN, Sandbox

MESSAGES = 0


def test_a_dry_run_builds_every_request_and_sends_nothing(conn: tw.Connection,
                                                          box: Sandbox) -> None:
    box.stats.clear()
    rows = customers(5)
    b = conn.batch("Message", "Send Message", rows, body=BODY, dry_run=True)
    assert box.stats.total_requests == 0
    assert list(b.requests.index) == list(rows.index)
    assert list(b.requests.columns) == ["method", "url", "body"]
    first = b.requests.loc["c0"]
    assert first["method"] == "POST" and first["url"].endswith("/Messages.json")
    assert "To=+14155560000" in first["body"] and "Body=Hi Customer 0" in first["body"]
    shown = repr(b) + b._repr_mimebundle_()["text/plain"] + b.requests.to_string()
    assert "dry run" in shown and AUTH_TOKEN not in shown and "Authorization" not in shown
    assert set(b.df["outcome"]) == {"not sent"}


def test_bad_rows_fail_alone_with_twilios_code_and_every_good_row_is_sent_once(
        conn: tw.Connection, box: Sandbox) -> None:
    rows = customers(12, bad={2: "+15005550001", 7: "+15005550004", 9: "+15005550009"})
    b = conn.batch("Message", "Send Message", rows, body=BODY, concurrency=4, progress=False)
    df = b.df
    assert list(df.index) == list(rows.index)
    assert df.loc["c2", "error_code"] == 21211 and df.loc["c7", "error_code"] == 21610
    assert df.loc["c9", "error_code"] == 21614
    assert set(df.loc[["c2", "c7", "c9"], "outcome"]) == {"failed"}
    assert (df.loc[["c2", "c7", "c9"], "http_status"] == 400).all()
    good = df.drop(index=["c2", "c7", "c9"])
    assert set(good["outcome"]) == {"sent"} and good["sid"].str.startswith("SM").all()
    assert list(b.failed.index) == ["c2", "c7", "c9"]
    assert list(b.failed.columns) == list(rows.columns)
    assert list(b.results.index) == list(good.index)
    assert set(b.results["sid"]) == set(good["sid"])
    counts = sent_per_recipient(conn, rows["token"].iloc[0])
    assert counts == {phone: 1 for phone in rows.drop(index=["c2", "c7", "c9"])["phone"]}
    assert "9 sent, 3 failed" in repr(b)


def test_everything_is_checked_before_anything_is_sent(conn: tw.Connection,
                                                       box: Sandbox) -> None:
    box.stats.clear()
    rows = customers(4)
    rows.loc["c1", "phone"] = None
    with pytest.raises(tw.ConfigurationError) as err:
        conn.batch("Message", "Send Message", rows, body=BODY)
    assert "row 'c1'" in str(err.value) and "'phone'" in str(err.value)
    with pytest.raises(tw.ConfigurationError, match="'nickname'"):
        conn.batch("Message", "Send Message", customers(3),
                   body={**BODY, "Body": "Hi {nickname}"})
    rows = customers(3).assign(keep=["retain", "forever", "discard"])
    with pytest.raises(tw.ConfigurationError) as err:  # a value the catalog refuses
        conn.batch("Message", "Send Message", rows,
                   body={**BODY, "ContentRetention": "{keep}"})
    assert "row 'c1'" in str(err.value) and "column 'keep'" in str(err.value)
    assert "row 'c0'" not in str(err.value)
    with pytest.raises(tw.ConfigurationError, match="plain column names"):
        conn.batch("Message", "Send Message", customers(2), body={**BODY, "Body": "{name.x}"})
    assert box.stats.total_requests == 0


def test_a_callable_template_and_a_list_of_dicts(conn: tw.Connection) -> None:
    rows = [{"phone": "+14155557001", "n": 1}, {"phone": "+14155557002", "n": 2}]
    b = conn.batch("Message", "Send Message", rows, progress=False,
                   body=lambda r: {"From": "+14155550100", "To": r["phone"],
                                   "Body": f"order {r['n']} shipped"})
    assert list(b.df["outcome"]) == ["sent", "sent"]
    assert list(b.results["body"]) == ["order 1 shipped", "order 2 shipped"]


def test_the_advanced_form_fills_form_text_with_encoded_values(conn: tw.Connection) -> None:
    rows = pd.DataFrame({"phone": ["+14155557101"], "name": ["Ann & Bob"]})
    b = conn.batch_advanced("POST", "/2010-04-01/Accounts/:AccountSid/Messages", rows,
                            body="From=%2B14155550100&To={phone}&Body=Hi {name}",
                            progress=False)
    assert b.df["outcome"].iloc[0] == "sent"
    assert b.results["body"].iloc[0] == "Hi Ann & Bob"
    assert b.results["to"].iloc[0] == "+14155557101"


def test_a_cancelled_batch_leaves_the_rows_not_started_not_sent(conn: tw.Connection,
                                                                box: Sandbox) -> None:
    rows = customers(6)
    stop = threading.Event()
    stop.set()  # cancelled before the first row starts
    with pytest.warns(tw.TwilioWarning, match="6 row"):
        b = conn.batch("Message", "Send Message", rows, body=BODY, cancel=stop,
                       progress=False)
    assert set(b.df["outcome"]) == {"not sent"} and b.cancelled
    assert sent_per_recipient(conn, rows["token"].iloc[0]) == {}


def test_concurrency_is_checked_and_429_pauses_the_workers(conn: tw.Connection,
                                                            box: Sandbox) -> None:
    with pytest.raises(tw.ConfigurationError, match="concurrency"):
        conn.batch("Message", "Send Message", customers(1), body=BODY, concurrency=0)
    box.set_concurrency_limit(2, retry_after=0.05)
    try:
        rows = customers(10)
        b = conn.batch("Message", "Send Message", rows, body=BODY, concurrency=6,
                       progress=False)
    finally:
        box.set_concurrency_limit(None)
    assert set(b.df["outcome"]) == {"sent"}
    assert sent_per_recipient(conn, rows["token"].iloc[0]) == {p: 1 for p in rows["phone"]}


def test_a_status_callback_url_is_added_to_every_row_and_a_bad_one_refused(
        conn: tw.Connection, box: Sandbox) -> None:
    b = conn.batch("Message", "Send Message", customers(2), body=BODY, dry_run=True,
                   status_callback="https://example.com/status")
    assert b.requests["body"].str.contains("StatusCallback=https://example.com/status").all()
    box.stats.clear()
    with pytest.raises(tw.ConfigurationError, match="status_callback"):
        conn.batch("Message", "Send Message", customers(2), body=BODY, status_callback=42)
    assert box.stats.total_requests == 0


def test_sap_settings_of_an_advanced_batch_write_the_iflows_placeholders(
        conn: tw.Connection) -> None:
    b = conn.batch_advanced("POST", "/2010-04-01/Accounts/:AccountSid/Messages", customers(2),
                            body="From=%2B14155550100&To={phone}&Body=Hi {name}",
                            dry_run=True)
    text = b.sap_settings()
    assert "To=${property.phone}&Body=Hi ${property.name}" in text
    assert "Configuration Type: Advanced" in text and "splitter" in text


def test_sap_settings_of_a_basic_batch_keep_the_querys_placeholders(
        conn: tw.Connection) -> None:
    b = conn.batch("Message", "List Messages", customers(2), query="To={phone}",
                   dry_run=True)
    text = b.sap_settings()
    assert "To=${property.phone}" in text and "%24%7B" not in text


def test_a_json_text_body_and_a_query_template_are_filled(conn: tw.Connection) -> None:
    rows = customers(2)
    with pytest.warns(tw.TwilioWarning, match=r"rows 'c0', 'c1': Note is not a parameter"):
        b = conn.batch("Message", "Send Message", rows, dry_run=True, query="Note={name}",
                       body='{"From": "+14155550100", "To": "{phone}", "Body": "Hi {name}"}')
    assert len(b.warnings) == 1
    assert "Body=Hi Customer 1" in b.requests.loc["c1", "body"]
    assert b.requests.loc["c1", "url"].endswith("?Note=Customer%201")
    with pytest.raises(tw.ConfigurationError, match="'nickname'"):
        conn.batch("Message", "Send Message", rows, dry_run=True,
                   body='{"From": "+14155550100", "To": "{phone}", "Body": "Hi {nickname}"}')


def test_a_server_error_is_unknown_and_429s_beyond_the_retries_are_not_sent(
        conn: tw.Connection, box: Sandbox) -> None:
    rows = customers(3)
    box.faults.add("status", path="/Messages.json", method="POST", status=500, count=1)
    with pytest.warns(tw.TwilioWarning, match="1 row.s. unknown"):
        b = conn.batch("Message", "Send Message", rows, body=BODY, progress=False)
    assert list(b.df["outcome"]) == ["unknown", "sent", "sent"]  # a 500 may have been processed
    assert "no message to" in b.df.loc["c0", "note"]  # looked up: the sandbox made none
    box.faults.clear()
    box.set_rate_limit(0.001, burst=1)
    try:
        with pytest.warns(tw.TwilioWarning, match="not sent"):
            later = conn.batch("Message", "Send Message", customers(2), body=BODY,
                               progress=False)
    finally:
        box.set_rate_limit(None)
    assert "not sent" in set(later.df["outcome"])
    assert (later.df.loc[later.df["outcome"] == "not sent", "http_status"] == 429).all()


def test_no_rows_send_nothing_and_repeated_labels_are_refused(conn: tw.Connection,
                                                              box: Sandbox) -> None:
    box.stats.clear()
    empty = conn.batch("Message", "Send Message", customers(0), body=BODY, progress=False)
    assert len(empty.df) == 0 and box.stats.total_requests == 0
    twice = customers(3).set_axis(["a", "b", "a"])
    with pytest.raises(tw.ConfigurationError, match="'a' appear more than once"):
        conn.batch("Message", "Send Message", twice, body=BODY)
    with pytest.raises(tw.ConfigurationError, match="DataFrame or a list of dicts"):
        conn.batch("Message", "Send Message", "customers.csv", body=BODY)
