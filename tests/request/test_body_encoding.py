"""Twilio's form encoding, the Query field's encoding, the JSON body and header selection."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twilio_nb.errors import ConfigurationError
from twilio_nb.request.body_encoding import (
    encode_query,
    form_encode,
    form_text,
    parse_json_body,
    select_headers,
)


def test_form_encode_follows_twilio() -> None:
    body = {"MediaUrl": ["https://a/1.png", None, "https://a/2.png"], "Record": False,
            "EarlyMedia": True, "Timeout": 60, "MaxPrice": 0.05, "Skip": None,
            "Data": {"order": "ORD-1"}, "Nested": [[1, 2]], "Body": "Hi"}
    assert form_encode(body) == [
        ("MediaUrl", "https://a/1.png"), ("MediaUrl", "https://a/2.png"), ("Record", "false"),
        ("EarlyMedia", "true"), ("Timeout", "60"), ("MaxPrice", "0.05"),
        ("Data", '{"order": "ORD-1"}'), ("Nested", "[1, 2]"), ("Body", "Hi")]


def test_form_encode_dates_like_twilio_python() -> None:
    utc = dt.datetime(2025, 5, 6, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    assert form_encode({"A": dt.date(2025, 5, 6), "B": utc}) == [
        ("A", "2025-05-06"), ("B", "2025-05-06T10:30:00Z")]


def test_form_text_encodes_plus_and_space() -> None:
    assert form_text({"To": "+1 415"}) == "To=%2B1+415"


@pytest.mark.parametrize(("written", "sent"), [
    ("To=+9195523446XX", "To=%2B9195523446XX"),
    ("FriendlyName=my line", "FriendlyName=my%20line"),
    ("?To=%2B1415&Body=a%20b", "To=%2B1415&Body=a%20b"),
    ("StartTime>=2025-05-06", "StartTime%3E=2025-05-06"),
    ("Name=50%", "Name=50%25"),
    ("Name=café", "Name=caf%C3%A9"),
])
def test_encode_query_keeps_what_is_written(written: str, sent: str) -> None:
    assert encode_query(written) == sent


def test_encode_query_of_a_mapping() -> None:
    assert encode_query({"To": "+1415", "Tag": ["a b", "c"], "Beta": False}) == \
        "To=%2B1415&Tag=a%20b&Tag=c&Beta=false"
    assert encode_query(None) == ""


NAMES = st.from_regex(r"[A-Za-z][A-Za-z0-9<>]{0,10}", fullmatch=True)
VALUES = st.text(alphabet=st.characters(exclude_characters="&%", exclude_categories=["Cs"]),
                 max_size=20)


@given(st.lists(st.tuples(NAMES, VALUES), max_size=5))
def test_encode_query_reaches_twilio_as_written(pairs: list[tuple[str, str]]) -> None:
    pairs = [*pairs, ("End", "1")]  # the field's outer whitespace is trimmed; keep it inside
    sent = encode_query("&".join(f"{k}={v}" for k, v in pairs))
    assert " " not in sent and "+" not in sent
    assert parse_qsl(sent, keep_blank_values=True) == pairs  # + and spaces arrive as written
    assert encode_query(sent) == sent  # encoding what was sent changes nothing


def test_parse_json_body_says_line_and_column() -> None:
    with pytest.raises(ConfigurationError, match=r"line 2, column 10") as err:
        parse_json_body('{"To": 1,\n "Body": }')
    assert err.value.field == "Body"
    assert "^" in str(err.value)
    with pytest.raises(ConfigurationError, match="JSON object"):
        parse_json_body("42")
    assert parse_json_body('{"a": [1, true]}') == {"a": [1, True]}


def test_select_headers() -> None:
    given_headers = {"X-A": "1", "x-b": 2, "Authorization": "Basic x", "camelFoo": "y"}
    out, warns = select_headers("X-a|X-B", given_headers)
    assert out == [("X-A", "1"), ("x-b", "2")] and warns == []
    out, warns = select_headers(None, given_headers, [("If-Match", "etag")])
    assert out == [("X-A", "1"), ("x-b", "2"), ("If-Match", "etag")]
    assert len(warns) == 2 and "Authorization" in warns[0] and "camelFoo" in warns[1]
    assert "Basic x" not in " ".join(warns)
    with pytest.raises(ConfigurationError, match="not a valid header name"):
        select_headers("*", {"Bad Name": "1"})
