"""Real Twilio bodies (tests/convert/twilio_bodies/, sources in its SOURCES file) through the
converters.

JSON: twilio-python's integration-test payloads; XML and error bodies: Twilio's documentation
examples (TwilioDevEd/api-snippets). Each body is read with its catalog operation and must
give: every field a column (nested fields dotted, each part snake_case), dates tz-aware UTC,
prices float, counts integer, SIDs and phone numbers text with the ``+`` kept, the next page
found, and (JSON) the values twilio-python's resource classes read from the same payload.
"""

from __future__ import annotations

import datetime as dt
import decimal
import email.utils
import importlib
import inspect
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from lxml import etree
from twilio.rest import Client

from twilio_nb import catalog
from twilio_nb.convert import parse, parse_error
from twilio_nb.convert._column_names import snake_case

HERE = Path(__file__).with_name("twilio_bodies")
INDEX: list[dict[str, Any]] = json.loads((HERE / "index.json").read_text(encoding="utf-8"))
JSON_BODIES = [e for e in INDEX if e["file"].startswith("json/")]
XML_BODIES = [e for e in INDEX if e["file"].startswith("xml/")]
ERRORS = [e for e in INDEX if e["file"].startswith("errors/")]
IDS = {"ids": lambda e: e["file"].split("/", 1)[1]}


def _op(entry: dict[str, Any]) -> catalog.Operation | None:
    return catalog.by_id(entry["operation"]) if entry["operation"] else None


def _records(data: dict[str, Any], op: catalog.Operation) -> list[dict[str, Any]]:
    key = op.list_key or (data.get("meta") or {}).get("key")
    return list(data[key]) if key and isinstance(data.get(key), list) else [data]


def _leaf_columns(prefix: str, value: Any) -> list[str]:
    """The columns a JSON value must give: dotted paths, each nested part snake_case."""
    if isinstance(value, dict) and value:
        out: list[str] = []
        for key, inner in value.items():
            out += _leaf_columns(f"{prefix}.{snake_case(key)}", inner)
        return out
    return [prefix]


def _missing(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and math.isnan(value))


def test_the_collection_is_large_enough_and_every_body_has_a_source() -> None:
    assert len(JSON_BODIES) >= 40 and len(XML_BODIES) >= 10
    assert {e["file"].rsplit(".", 1)[1] for e in ERRORS} == {"json", "xml"}
    sources = (HERE / "SOURCES").read_text(encoding="utf-8")
    for entry in INDEX:
        assert (HERE / entry["file"]).is_file()
        assert entry["file"] in sources and entry["source"]["license"]


def _check_types(frame: pd.DataFrame, op: catalog.Operation) -> None:
    props = op.response_properties
    for name in frame.columns:
        prop = props.get(name)
        if prop is None:
            continue
        dtype = frame[name].dtype
        if prop.get("format", "").startswith("date-time") or prop.get("format") == "date":
            assert isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC", name
        elif prop.get("array") or prop.get("type") == "object":
            continue
        elif name in ("price", "amount") or name.endswith("_price"):
            assert dtype == "float64", name
        elif prop.get("type") == "integer" or name.startswith("num_") or name.endswith("_count"):
            if frame[name].notna().any():
                assert dtype == "Int64", name
        elif name.endswith("sid") or name in ("from", "to", "phone_number"):
            assert isinstance(dtype, pd.StringDtype) or frame[name].isna().all(), name


@pytest.mark.parametrize("entry", JSON_BODIES, **IDS)
def test_json_bodies_give_every_field_typed(entry: dict[str, Any]) -> None:
    op = _op(entry)
    assert op is not None
    content = (HERE / entry["file"]).read_bytes()
    data = json.loads(content)
    page = parse(content, "json", op)
    records = _records(data, op)
    frame = page.frame
    assert len(frame) == len(records)
    for record in records:
        for key, value in record.items():
            for column in _leaf_columns(key, value):
                assert column in frame.columns or any(  # null here, an object elsewhere
                    c.startswith(column + ".") for c in frame.columns), column
    _check_types(frame, op)
    for i, record in enumerate(records):  # SIDs and phone numbers as they came, + kept
        for key in ("sid", "account_sid", "from", "to", "phone_number"):
            if isinstance(record.get(key), str):
                assert frame[key].iloc[i] == record[key]
    meta = data.get("meta") or {}
    assert page.next_page == (data.get("next_page_uri") or meta.get("next_page_url") or None)


def _twilio_python_instance(entry: dict[str, Any], payload: dict[str, Any]) -> Any:
    spec = entry["twilio_python"]
    cls = getattr(importlib.import_module(spec["module"]), spec["instance"])
    client = Client("AC" + "0" * 32, "token")
    domain, version = spec["module"].split(".")[2:4]
    solution = {name: "X" for name, p in inspect.signature(cls.__init__).parameters.items()
                if name not in ("self", "version", "payload") and p.default is p.empty}
    return cls(getattr(getattr(client, domain), version), payload, **solution)


def _same(expected: Any, got: Any) -> bool:
    """``got`` (the frame's cell) is what twilio-python read (``expected``), typed: the 2010
    API's numbers in text (``"-0.00750"``, ``"4"``) are numbers in the frame."""
    if (isinstance(expected, dict) and not expected) or expected == "":
        return _missing(got)  # an empty object or text: missing, as XML and CSV give it
    if isinstance(expected, str) and isinstance(got, float | int | np.number) and not isinstance(
            got, bool | np.bool_):
        return math.isclose(float(expected), float(got))
    if _missing(expected):
        return _missing(got) or got == [] or got == {}
    if isinstance(expected, dt.datetime):
        return isinstance(got, pd.Timestamp) and got.to_pydatetime() == expected
    if isinstance(expected, dt.date):
        return isinstance(got, pd.Timestamp) and got.date() == expected
    if isinstance(expected, bool):
        return bool(got) is expected
    if isinstance(expected, decimal.Decimal | float):
        return isinstance(got, float) and math.isclose(float(expected), got)
    if isinstance(expected, int):
        return int(got) == expected
    if isinstance(expected, list):
        return list(got) == expected
    return bool(got == expected)


@pytest.mark.parametrize("entry", JSON_BODIES, **IDS)
def test_json_values_equal_what_twilio_python_reads(entry: dict[str, Any]) -> None:
    op = _op(entry)
    assert op is not None
    content = (HERE / entry["file"]).read_bytes()
    frame = parse(content, "json", op).frame
    for i, payload in enumerate(_records(json.loads(content), op)):
        instance = _twilio_python_instance(entry, payload)
        compared = 0
        for key in payload:
            attribute = key + "_" if key in ("from", "to_") else key
            if not hasattr(instance, attribute):
                continue
            expected = getattr(instance, attribute)
            if isinstance(expected, dict) and expected:
                for column in _leaf_columns(key, expected):
                    path = column.split(".")[1:]
                    value: Any = expected
                    for part in path:
                        value = next(v for k, v in value.items() if snake_case(k) == part)
                    assert _same(value, frame[column].iloc[i]), (column, value)
            else:
                raw = payload[key]
                if key not in frame.columns:  # null here, an object in other records
                    assert expected is None
                    assert all(_missing(frame[c].iloc[i]) for c in frame.columns
                               if c.startswith(key + "."))
                    compared += 1
                    continue
                if isinstance(expected, dt.datetime) and isinstance(raw, str) and "," in raw:
                    # twilio-python drops an RFC 2822 offset other than +0000; the frame
                    # keeps the instant
                    expected = email.utils.parsedate_to_datetime(raw)
                assert _same(expected, frame[key].iloc[i]), (key, expected,
                                                             frame[key].iloc[i])
            compared += 1
        assert compared >= len(payload) // 2


def _element_columns(element: etree._Element, names: dict[str, str]) -> list[str]:
    out = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        name = names.get(child.tag.replace("_", "").lower(), snake_case(child.tag))
        kids = [k for k in child if isinstance(k.tag, str)]
        if kids and len({k.tag for k in kids}) == len(kids) and name != "ice_servers":
            out += [f"{name}.{snake_case(k.tag)}" for k in kids if not len(k)]
        else:
            out.append(name)
    return out


@pytest.mark.parametrize("entry", XML_BODIES, **IDS)
def test_xml_bodies_give_every_field_typed(entry: dict[str, Any]) -> None:
    op = _op(entry)
    content = (HERE / entry["file"]).read_bytes()
    page = parse(content, "xml", op)
    frame = page.frame
    root = etree.fromstring(content.strip())
    top = next(c for c in root if isinstance(c.tag, str))
    items = [c for c in top if isinstance(c.tag, str)] if page.is_list else [top]
    assert len(frame) == len(items)
    names = {n.replace("_", "").lower(): n for n in (op.response_properties if op else {})}
    for item in items:
        for column in _element_columns(item, names):
            assert column in frame.columns, (column, list(frame.columns))
    for name in frame.columns:  # the layout's whitespace is in no value
        values = [v for v in frame[name] if isinstance(v, str)]
        assert not any(v != v.strip() and "\n" in v for v in values), name
    if op is not None:
        _check_types(frame, op)
    assert page.next_page == (top.get("nextpageuri") or None)
    for i, item in enumerate(items):  # SIDs and phone numbers as they came, + kept
        for tag, column in (("Sid", "sid"), ("To", "to"), ("From", "from"),
                            ("PhoneNumber", "phone_number")):
            text = item.findtext(tag)
            if text and column in frame.columns:
                assert frame[column].iloc[i] == text


def test_a_catalog_array_in_xml_is_a_list_of_its_items() -> None:
    entry = next(e for e in XML_BODIES if e["file"] == "xml/token.xml")
    frame = parse((HERE / entry["file"]).read_bytes(), "xml", _op(entry)).frame
    servers = frame["ice_servers"].iloc[0]
    assert [s["url"] for s in servers] == ["stun:global.stun.twilio.com:3478?transport=udp",
                                           "turn:global.turn.twilio.com:3478?transport=udp"]
    assert frame["ttl"].iloc[0] == "86400" and frame["date_created"].dt.tz is not None


def test_older_shapes_still_read() -> None:
    content = (HERE / "xml/sms_messages_list.xml").read_bytes()
    page = parse(content, "xml")
    assert page.is_list and len(page.frame) >= 1 and "sid" in page.frame.columns


@pytest.mark.parametrize("entry", ERRORS, **IDS)
def test_error_bodies_give_code_message_and_detail(entry: dict[str, Any]) -> None:
    content = (HERE / entry["file"]).read_bytes()
    parsed = parse_error(content, None)
    assert parsed is not None and parsed.message
    if entry["file"].endswith(".xml"):
        rest = etree.fromstring(content.strip()).find("RestException")
        assert rest is not None
        code = rest.findtext("Code")
        assert parsed.code == (int(code) if code else None)
        assert parsed.detail == rest.findtext("Detail")
        assert parsed.more_info == rest.findtext("MoreInfo")
    else:
        data = json.loads(content)
        assert (parsed.code, parsed.message) == (data["code"], data["message"])
        assert parsed.detail == data.get("detail")
