"""URI columns read from XML or CSV take the JSON form (``.json`` before the query), all the
URI columns of a frame at once and each cut back to its own rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from twilio_nb.convert._frame import STR_DTYPE
from twilio_nb.convert._uris import json_form_uris

A = "/2010-04-01/Accounts/AC1"


def _text(values: list[str | None]) -> pd.Series:
    return pd.Series(pd.array([np.nan if v is None else v for v in values], dtype=STR_DTYPE))


def test_every_uri_column_gets_the_json_form_and_keeps_its_own_rows() -> None:
    frame = pd.DataFrame({
        "uri": _text([f"{A}/Messages/SM1", f"{A}/Messages/SM2.json", None]),
        "body": _text([f"{A}/Calls", "hello", "x"]),  # not a URI column: as it came
        "subresource_uris.media": _text([f"{A}/Messages/SM1/Media", None,
                                         f"{A}/Messages/SM3/Media.xml"]),
        "next_page_uri": _text([f"{A}/Messages?PageSize=2&Page=1", f"{A}/Messages.csv?Page=1",
                                "https://api.twilio.com/v1/Services?Page=1"]),
        "count": pd.Series([1, 2, 3]),
    })
    out = json_form_uris(frame)
    assert out["uri"].tolist() == [f"{A}/Messages/SM1.json", f"{A}/Messages/SM2.json", np.nan]
    assert out["body"].tolist() == [f"{A}/Calls", "hello", "x"]
    assert out["subresource_uris.media"].tolist() == [
        f"{A}/Messages/SM1/Media.json", np.nan, f"{A}/Messages/SM3/Media.xml"]
    assert out["next_page_uri"].tolist() == [
        f"{A}/Messages.json?PageSize=2&Page=1", f"{A}/Messages.csv?Page=1",
        "https://api.twilio.com/v1/Services?Page=1"]
    assert out["count"].tolist() == [1, 2, 3]
    assert all(out[name].dtype == STR_DTYPE for name in ("uri", "subresource_uris.media"))


def test_a_frame_without_bare_uris_is_left_as_it_is() -> None:
    frame = pd.DataFrame({"uri": _text([f"{A}/Calls/CA1.json", None]),
                          "sid": _text(["CA1", "CA2"])})
    before = frame["uri"].array
    assert json_form_uris(frame)["uri"].array is before


def test_uris_without_any_query_get_the_json_form_too() -> None:
    frame = pd.DataFrame({"uri": _text([f"{A}/Calls/CA1", None, f"{A}/Calls/CA2.json"]),
                          "subresource_uris.events": _text([f"{A}/Calls/CA1/Events", "x",
                                                            None])})
    out = json_form_uris(frame)
    assert out["uri"].tolist() == [f"{A}/Calls/CA1.json", np.nan, f"{A}/Calls/CA2.json"]
    assert out["subresource_uris.events"].tolist() == [f"{A}/Calls/CA1/Events.json", "x",
                                                       np.nan]
