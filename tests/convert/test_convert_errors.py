"""Bodies that are not what they claim: clear ResponseFormatErrors, safe XML, error bodies."""

from __future__ import annotations

import time

import httpx
import pytest
import twilio_bodies as tb

from twilio_nb import catalog
from twilio_nb.convert import parse, parse_error
from twilio_nb.errors import ResponseFormatError
from twilio_nb.transport.response import error_from_response

HTML = (b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>"
        b"<body>nginx</body></html>")
XXE = (b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
       b"<TwilioResponse><Message><Body>&secret;</Body></Message></TwilioResponse>")
XXE_NETWORK = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % remote SYSTEM '
               b'"http://127.0.0.1:9/evil.dtd"> %remote;]><TwilioResponse/>')
LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + b"".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">'.encode()
                     if i > 1 else b'<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                     for i in range(1, 10))
          + b"]>\n<TwilioResponse><Message><Body>&lol9;</Body></Message></TwilioResponse>")


def _error(body: bytes, fmt: str) -> str:
    with pytest.raises(ResponseFormatError) as info:
        parse(body, fmt, catalog.by_id("api_v2010.ListMessage"))
    return str(info.value)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_html_page_is_refused_in_every_format(fmt: str) -> None:
    text = _error(HTML, fmt)
    assert f"as {fmt.upper()}" in text
    assert "HTML" in text
    assert "502 Bad Gateway" in text  # how the body begins
    assert "Response Format" in text and "Address" in text


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_empty_body_is_refused(fmt: str) -> None:
    assert "empty" in _error(b"  \n", fmt)


def test_truncated_json_says_where() -> None:
    body = tb.as_json(tb.messages(2), "messages")[:150]
    text = _error(body, "json")
    assert "line 1, column" in text and body[:40].decode() in text


def test_truncated_xml_says_where() -> None:
    body = tb.as_xml(tb.messages(2), "Messages", "Message")
    text = _error(body[: len(body) // 2], "xml")
    assert "as XML" in text and "line" in text


def test_truncated_csv_last_row_is_refused() -> None:
    body = tb.as_csv(tb.calls(3))  # no quoted fields: the cut falls between fields
    with pytest.raises(ResponseFormatError, match=r"last row has .* fields.*cut short"):
        parse(body[:-200], "csv", catalog.by_id("api_v2010.ListCall"))


def test_csv_with_an_open_quote_is_refused() -> None:
    assert "as CSV" in _error(b'Sid,Body\nSM1,"never closed\n', "csv")


def test_body_preview_is_at_most_200_characters() -> None:
    text = _error(b"x" * 5000, "json")
    assert "x" * 200 in text and "x" * 201 not in text


def test_json_scalar_is_refused() -> None:
    assert "expected an object" in _error(b'"just text"', "json")


def test_xml_with_another_root_is_refused() -> None:
    assert "<Response>" in _error(b"<Response><Say>hi</Say></Response>", "xml")


@pytest.mark.parametrize("body", [XXE, XXE_NETWORK, LAUGHS], ids=["file", "network", "laughs"])
def test_doctype_and_entities_are_refused(body: bytes) -> None:
    start = time.perf_counter()
    text = _error(body, "xml")
    assert "DOCTYPE" in text
    assert "root:" not in text  # nothing was read from the file
    assert time.perf_counter() - start < 1


def test_doctype_hidden_by_another_encoding_is_refused_after_a_safe_parse() -> None:
    body = XXE.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>')
    text = _error(body.decode().encode("utf-16"), "xml")
    assert "DOCTYPE" in text and "root:" not in text


# --- parse_error ------------------------------------------------------------------------

def test_parse_error_json() -> None:
    body = (b'{"code": 21211, "message": "The \'To\' number +1555 is not valid.", '
            b'"more_info": "https://www.twilio.com/docs/errors/21211", "status": 400}')
    assert parse_error(body, "application/json; charset=utf-8")[:3] == (  # type: ignore[index]
        21211, "The 'To' number +1555 is not valid.", "https://www.twilio.com/docs/errors/21211")
    assert parse_error(body, None)[0] == 21211  # type: ignore[index]


def test_parse_error_xml() -> None:
    body = (b"<?xml version='1.0' encoding='UTF-8'?>\n<TwilioResponse><RestException>"
            b"<Code>20404</Code><Message>The requested resource was not found</Message>"
            b"<MoreInfo>https://www.twilio.com/docs/errors/20404</MoreInfo><Status>404</Status>"
            b"</RestException></TwilioResponse>")
    assert parse_error(body, "application/xml")[:3] == (  # type: ignore[index]
        20404, "The requested resource was not found", "https://www.twilio.com/docs/errors/20404")


def test_parse_error_without_code() -> None:
    assert parse_error(b'{"message": "Too Many Requests", "status": 429}', None)[:3] == (  # type: ignore[index]
        None, "Too Many Requests", None)


@pytest.mark.parametrize("body,ctype", [
    (HTML, "text/html"), (HTML, None), (b"", "application/json"), (b"   ", None),
    (b'{"sid": "SM1"}', "application/json"), (b"[1, 2]", "application/json"),
    (b"{not json", "application/json"), (XXE, "application/xml"),
    (b"<TwilioResponse><Message/></TwilioResponse>", "application/xml"),
    (b"Sid,Body\nSM1,hi\n", "text/csv"),
])
def test_parse_error_is_none_for_other_bodies(body: bytes, ctype: str | None) -> None:
    assert parse_error(body, ctype) is None


def test_parse_error_trusts_the_body_over_a_wrong_content_type() -> None:
    body = b'\xef\xbb\xbf{"code": 20429, "message": "Too Many Requests", "status": 429}'
    assert parse_error(body, "text/html")[:3] == (  # type: ignore[index]
        20429, "Too Many Requests", None)
    xml = (b"<TwilioResponse><RestException><Code>20003</Code><Message>Authenticate</Message>"
           b"</RestException></TwilioResponse>")
    assert parse_error(xml, "application/json")[:3] == (  # type: ignore[index]
        20003, "Authenticate", None)


@pytest.mark.parametrize("fmt,body", [
    ("json", b'\xef\xbb\xbf{"sid": "SM1"}'),
    ("xml", b"\xef\xbb\xbf<TwilioResponse><Message><Sid>SM1</Sid></Message></TwilioResponse>"),
    ("csv", b"\xef\xbb\xbfSid\nSM1\n"),
])
def test_a_byte_order_mark_is_harmless(fmt: str, body: bytes) -> None:
    assert parse(body, fmt).frame["sid"].tolist() == ["SM1"]


# --- error bodies of every era: Detail, missing Code or MoreInfo, any element order ------

@pytest.mark.parametrize("body,expected", [
    (b"<?xml version='1.0' encoding='UTF-8'?>\n<TwilioResponse><RestException>"
     b"<Status>401</Status><Message>Authenticate</Message>"
     b"<Detail>Your AccountSid or AuthToken was incorrect.</Detail><Code>20003</Code>"
     b"<MoreInfo>https://www.twilio.com/docs/errors/20003</MoreInfo>"
     b"</RestException></TwilioResponse>",
     (20003, "Authenticate", "https://www.twilio.com/docs/errors/20003",
      "Your AccountSid or AuthToken was incorrect.")),
    (b"<TwilioResponse>\n  <RestException>\n    <Status>404</Status>\n"
     b"    <Message>The requested resource was not found</Message>\n"
     b"  </RestException>\n</TwilioResponse>\n",
     (None, "The requested resource was not found", None, None)),
    (b'{"status": 401, "message": "Authenticate", "code": 20003, '
     b'"detail": "Your AccountSid or AuthToken was incorrect."}',
     (20003, "Authenticate", None, "Your AccountSid or AuthToken was incorrect.")),
])
def test_parse_error_of_every_era(body: bytes, expected: tuple[object, ...]) -> None:
    assert tuple(parse_error(body, None) or ()) == expected


def test_the_detail_reaches_twilio_api_error() -> None:
    body = (b"<TwilioResponse><RestException><Code>20003</Code><Detail>Your AccountSid or "
            b"AuthToken was incorrect.</Detail><Message>Authenticate</Message>"
            b"<Status>401</Status></RestException></TwilioResponse>")
    error = error_from_response(httpx.Response(401, content=body), "GET", "https://x/y")
    assert error.detail == "Your AccountSid or AuthToken was incorrect."
    assert error.code == 20003 and error.more_info is None
    assert "Detail: Your AccountSid or AuthToken was incorrect." in str(error)
