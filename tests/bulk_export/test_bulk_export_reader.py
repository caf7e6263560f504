"""A day file read and typed: text that looks like a date stays text, dates are UTC, a file
whose values do not fit the catalog's types is still read, a corrupt file is said."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from twilio_nb import catalog
from twilio_nb.bulk_export._files import _CutError, read_lines
from twilio_nb.convert import arrow_frame, arrow_schema
from twilio_nb.vocabulary import BULK_EXPORT_LEFT_OUT

MESSAGES = catalog.find("Message", "List Messages")
SCHEMA = arrow_schema(MESSAGES, BULK_EXPORT_LEFT_OUT["Messages"])


def day(tmp_path: Path, records: list[dict[str, object]], zipped: bool = True) -> Path:
    text = "".join(json.dumps(r) + "\n" for r in records).encode()
    path = tmp_path / "day.json.gz"
    path.write_bytes(gzip.compress(text) if zipped else text)
    return path


def test_text_that_looks_like_a_date_stays_text_and_dates_are_utc(tmp_path: Path) -> None:
    records = [{"sid": f"SM{i:032d}", "body": "2025-01-01", "date_sent":
                "2025-01-02T03:04:05Z", "num_segments": "2", "price": "-0.0075"}
               for i in range(3)]
    frame = arrow_frame(read_lines(day(tmp_path, records), SCHEMA), MESSAGES)
    assert list(frame["body"]) == ["2025-01-01"] * 3 and frame["body"].dtype == "str"
    assert str(frame["date_sent"].dtype) == "datetime64[us, UTC]"
    assert frame["date_sent"][0].isoformat() == "2025-01-02T03:04:05+00:00"
    assert str(frame["num_segments"].dtype) == "Int64" and frame["price"][0] == -0.0075
    assert "uri" not in frame.columns and "price_unit" not in frame.columns


def test_values_that_do_not_fit_the_catalog_types_are_still_read(tmp_path: Path) -> None:
    records = [{"sid": "SM" + "1" * 32, "num_segments": 2, "body": "hi"}]  # a number
    frame = arrow_frame(read_lines(day(tmp_path, records, zipped=False), SCHEMA), MESSAGES)
    assert list(frame["num_segments"]) == [2] and str(frame["num_segments"].dtype) == "Int64"


def test_a_file_that_is_not_json_lines_is_cut(tmp_path: Path) -> None:
    path = tmp_path / "day.json.gz"
    path.write_bytes(gzip.compress(b'{"sid": "SM1", "body": \n'))
    with pytest.raises(_CutError):
        read_lines(path, SCHEMA)
