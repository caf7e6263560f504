"""Records to a frame: the column-by-column build gives pandas' own frame, and a page read in
two steps (paging first, frame later) gives what one ``parse`` gives."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
import twilio_bodies as tb
from hypothesis import given, settings
from hypothesis import strategies as st
from pandas_versions import LABELS_CHECK, pandas3_inference

from twilio_nb import catalog
from twilio_nb.convert import parse, read_page
from twilio_nb.convert._frame import flatten_dicts, records_frame

LEAF = st.one_of(st.none(), st.text(max_size=4), st.integers(-3, 3), st.booleans(),
                 st.floats(allow_nan=False, allow_infinity=False, width=32),
                 st.lists(st.integers(0, 2), max_size=2))
VALUE = st.recursive(LEAF, lambda inner: st.dictionaries(st.sampled_from("xyz"), inner,
                                                         max_size=3), max_leaves=4)
RECORDS = st.lists(st.dictionaries(st.sampled_from(["sid", "to", "price", "uris", "n"]), VALUE,
                                   max_size=5), min_size=1, max_size=8)


def _holds_dicts(values: Any) -> bool:
    present = [v for v in values if v is not None and v == v]
    return bool(present) and all(isinstance(v, dict) for v in present)


def _pandas_flatten(frame: pd.DataFrame) -> pd.DataFrame:
    """The reference: pandas builds the frame of dicts, nested frames for nested objects."""
    columns: dict[str, pd.Series] = {}
    flattened = False
    for name in frame.columns:
        column = frame[name]
        if column.dtype != object or not _holds_dicts(column):
            columns[name] = column
            continue
        flattened = True
        inner = _pandas_flatten(pd.DataFrame(
            [v if isinstance(v, dict) else {} for v in column], index=frame.index))
        for key in inner.columns:
            columns[f"{name}.{key}"] = inner[key]
        if not len(inner.columns):  # {} everywhere: one empty column keeps the field
            columns[name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    if not flattened:
        return frame
    return pd.DataFrame(columns, index=frame.index)


@settings(max_examples=150, deadline=None)
@given(RECORDS)
def test_records_frame_is_pandas_frame_of_the_records_flattened(
        records: list[dict[str, Any]]) -> None:
    with pandas3_inference():  # the reference is pandas 3's frame, under pandas 2.2 as well
        expected = _pandas_flatten(pd.DataFrame(records))
        frame = pd.DataFrame(records)
    pd.testing.assert_frame_equal(records_frame(records), expected, check_exact=True,
                                  check_column_type=LABELS_CHECK)
    pd.testing.assert_frame_equal(flatten_dicts(frame), expected, check_exact=True,
                                  check_column_type=LABELS_CHECK)


def test_nested_objects_become_dotted_columns_where_they_stand() -> None:
    frame = records_frame([{"sid": "SM1", "uris": {"media": "/m1"}, "to": "+1"},
                           {"sid": "SM2", "uris": None, "to": "+2", "extra": 1}])
    assert list(frame.columns) == ["sid", "uris.media", "to", "extra"]
    assert frame["uris.media"].isna().tolist() == [False, True]
    assert frame["extra"].isna().tolist() == [True, False]


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_reading_in_two_steps_gives_what_parse_gives(fmt: str) -> None:
    op = catalog.find("Message", "List Messages")
    records = tb.messages(5)
    after = "/2010-04-01/Accounts/AC00/Messages.json?PageSize=5&Page=1&PageToken=PA5"
    body = {"json": lambda: tb.as_json(records, "messages", after, page_size=5),
            "xml": lambda: tb.as_xml(records, "Messages", "Message", after, page_size=5),
            "csv": lambda: tb.as_csv(records)}[fmt]()
    reader = read_page(body, fmt, op)
    whole = parse(body, fmt, op)
    assert reader.info.next_page == whole.next_page == (None if fmt == "csv" else after)
    assert reader.count in (None, len(whole.frame))
    parsed = reader.parse()
    pd.testing.assert_frame_equal(parsed.frame, whole.frame)
    assert reader.parse() is parsed  # converted once
