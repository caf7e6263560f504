"""XML answers are parsed without touching files or the network: external entities, DTDs,
XInclude and entity expansion are refused, whichever way the body arrives (``convert.parse``,
a page over the wire, an error body). test_convert_errors has the first cases; this file adds
a file that must stay unread, a host that must stay uncontacted, other encodings and depth.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import pytest
from loopback import Loopback

import twilio_nb as tw
from twilio_nb import catalog
from twilio_nb.convert import parse, parse_error
from twilio_nb.session.credentials import UserCredentials
from twilio_nb.transport.response import error_from_response

MARKER = "tw-nb-xml-marker-4b1d"
LIST = catalog.by_id("api_v2010.ListMessage")


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(MARKER)
    return path


def attacks(file: Path, other: Loopback) -> dict[str, bytes]:
    """Documents that would read ``file`` or call ``other`` if their entities were honoured."""
    url = f"{other.url}/evil.dtd"
    body = "<TwilioResponse><Messages page='0'><Message><Body>{}</Body></Message></Messages>" \
           "</TwilioResponse>"
    laughs = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 9))
    return {
        "file entity": (f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{file}">]>'
                        + body.format("&x;")).encode(),
        "parameter entity": (f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{url}"> %p;]>'
                             + body.format("")).encode(),
        "external DTD": (f'<!DOCTYPE TwilioResponse SYSTEM "{url}">' + body.format("")).encode(),
        "public DTD": (f'<!DOCTYPE TwilioResponse PUBLIC "-//x//y" "{url}">'
                       + body.format("")).encode(),
        "network entity": (f'<!DOCTYPE r [<!ENTITY x SYSTEM "{url}">]>'
                           + body.format("&x;")).encode(),
        "billion laughs": ('<!DOCTYPE r [<!ENTITY l0 "lol">' + laughs + "]>"
                           + body.format("&l8;")).encode(),
        "quadratic blowup": ('<!DOCTYPE r [<!ENTITY a "' + "a" * 50_000 + '">]>'
                             + body.format("&a;" * 2000)).encode(),
        "xinclude": ('<TwilioResponse xmlns:xi="http://www.w3.org/2001/XInclude"><Messages '
                     f'page="0"><Message><Body><xi:include href="file://{file}" parse="text"/>'
                     "</Body></Message></Messages></TwilioResponse>").encode(),
        "utf-16 file entity": (f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x '
                               f'SYSTEM "file://{file}">]>' + body.format("&x;")
                               ).encode("utf-16"),
        "utf-32 network entity": (f'<?xml version="1.0" encoding="UTF-32"?><!DOCTYPE r [<!ENTITY'
                                  f' x SYSTEM "{url}">]>' + body.format("&x;")).encode("utf-32"),
    }


NAMES = ["file entity", "parameter entity", "external DTD", "public DTD", "network entity",
         "billion laughs", "quadratic blowup", "xinclude", "utf-16 file entity",
         "utf-32 network entity"]


@pytest.mark.parametrize("name", NAMES)
def test_convert_never_reads_a_file_nor_calls_a_host(name: str, secret_file: Path,
                                                     other_server: Loopback) -> None:
    other_server.route("/", lambda s: (200, {"Content-Type": "application/xml-dtd"},
                                       f'<!ENTITY x "{MARKER}">'.encode()))
    body = attacks(secret_file, other_server)[name]
    started = time.perf_counter()
    try:
        frame = parse(body, "xml", LIST).frame
    except tw.ResponseFormatError as exc:
        text = str(exc)
    else:  # XInclude is not a declaration: the element stays an element, unread
        assert name == "xinclude"
        text = frame.to_csv()
    assert MARKER not in text
    assert time.perf_counter() - started < 1
    assert parse_error(body, "application/xml") is None
    assert other_server.seen == []


@pytest.mark.parametrize("name", NAMES)
def test_an_answer_over_the_wire_is_parsed_as_safely(name: str, secret_file: Path,
                                                     server: Loopback,
                                                     other_server: Loopback) -> None:
    """The same documents as a page (``r.df``) and as an error body (HTTP 400)."""
    body = attacks(secret_file, other_server)[name]
    server.route("/2010-04-01", lambda s: (
        400 if "Page=1" in s.path else 200, {"Content-Type": "application/xml"}, body))
    conn = tw.Connection(server.url, credential=UserCredentials("SK" + "2" * 32, "x"),
                         account_sid="AC" + "1" * 32)
    page = conn.basic("Message", "List Messages", response_format="xml")
    try:
        shown = page.df.to_csv()
    except tw.ResponseFormatError as exc:
        shown = str(exc)
    shown += repr(page) + page._repr_html_()
    with pytest.raises(tw.TwilioApiError) as err:
        conn.basic("Message", "List Messages", response_format="xml", query="Page=1")
    shown += str(err.value)
    assert MARKER not in shown
    assert other_server.seen == []


def test_error_from_response_of_an_entity_body_names_no_file_content(secret_file: Path,
                                                                     other_server: Loopback
                                                                     ) -> None:
    import httpx

    body = (f'<!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret_file}">]><TwilioResponse>'
            "<RestException><Code>20404</Code><Message>&x;</Message></RestException>"
            "</TwilioResponse>").encode()
    error = error_from_response(httpx.Response(404, content=body, headers={
        "Content-Type": "application/xml"}), "GET", "https://api.twilio.com/x")
    assert error.code is None and MARKER not in str(error)


@pytest.mark.parametrize("depth", [300, 5000])
def test_deeply_nested_xml_is_read_or_refused_quickly(depth: int) -> None:
    body = ("<TwilioResponse><Message>" + "<a>" * depth + "x" + "</a>" * depth
            + "</Message></TwilioResponse>").encode()
    started = time.perf_counter()
    with contextlib.suppress(tw.ResponseFormatError):
        parse(body, "xml", None)
    assert time.perf_counter() - started < 2
