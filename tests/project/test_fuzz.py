"""Fuzzing with hypothesis: whatever a user types or a server sends, only twilio_nb's own
errors come out, never an uncaught exception.

Targets and what may come out of them:

* ``%twilio`` lines: :func:`parse_line` -> ConfigurationError; the magics on an IPython shell
  over the in-process sandbox -> UsageError (what a notebook shows without a traceback);
* ``%%twilio`` cell bodies -> UsageError;
* query strings and operation parameters into ``build_basic`` / ``build_advanced`` ->
  ConfigurationError (and TwilioWarning, a warning); the URL built can always be sent;
* response bodies into ``convert.parse`` for JSON, XML and CSV -> ResponseFormatError; and
  through a :class:`Result` (``df``, ``next_page_uri``, reprs) -> a TwilioError, never for a
  repr.

The number of cases run is printed at the end of the module. Nothing reaches the network:
the HTTP transport is switched off for the whole module.
"""

from __future__ import annotations

import builtins
import contextlib
import getpass
import json
import math
import shlex
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from reporting import report

import twilio_nb as tw
from twilio_nb import catalog
from twilio_nb.answers.result import Result
from twilio_nb.convert import parse, parse_error
from twilio_nb.magics.parse import COMMANDS, METHODS, STYLES, parse_line
from twilio_nb.request.build import build_advanced, build_basic
from twilio_nb.sandbox import Sandbox
from twilio_nb.session.credentials import CredentialStore
from twilio_nb.session.default import set_default_connection

COUNTS: dict[str, int] = {}
OPS = catalog.operations()
LIST_OPS = [op for op in OPS if op.kind == "list"]
# lists a request can be built for with the account alone (no other SID in the path)
ACCOUNT_LISTS = [op for op in LIST_OPS
                 if all(p.name == "AccountSid" and p.location == "path"
                        for p in op.params if p.required)]
ADDRESS = "https://api.twilio.com"
ACCOUNT = "AC" + "1" * 32


def fuzz(examples: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return settings(max_examples=examples, deadline=None, database=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture,
                                           HealthCheck.filter_too_much])


def count(target: str) -> None:
    COUNTS[target] = COUNTS.get(target, 0) + 1


@pytest.fixture(scope="module", autouse=True)
def no_network(request: pytest.FixtureRequest) -> Iterator[None]:
    """Any attempt to open a real connection fails the test (it is not an httpx error, so
    nothing catches it)."""
    def refuse(self: object, request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"a fuzz case reached for the network: {request.url}")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(httpx.HTTPTransport, "handle_request", refuse)
        yield
    total = sum(COUNTS.values())
    parts = ", ".join(f"{k} {v}" for k, v in sorted(COUNTS.items()))
    report(request, f"fuzz: {total} cases run ({parts}); 0 uncaught exceptions")


# -- what users type ------------------------------------------------------------------------

_NAMES = sorted({p.name for op in OPS for p in op.params})
_text = st.text(max_size=30)
_word = st.one_of(st.sampled_from(["", "+14155552671", "SM" + "0" * 32, ACCOUNT, "true",
                                   "-1", "1e309", "nan", "'", '"', "=", "&", "%", "%zz",
                                   "..", "/", "//evil.example", "{x}", "$x", "\\", "\x00"]),
                  _text)
_pair = st.builds(lambda n, v: f"{n}={v}", st.one_of(st.sampled_from(_NAMES), _text), _word)
_option = st.one_of(
    st.sampled_from(["--df", "--all", "--dry-run", "--send-body", "--no-send-body", "-h",
                     "--help", "--bogus", "--"]),
    st.builds(lambda o, v: f"{o} {shlex.quote(v)}", st.sampled_from(
        ["--query", "-q", "--format", "--next-page-uri", "--limit", "--page-size", "-o",
         "--as", "--request-headers", "--response-headers", "-H", "--header"]),
        st.one_of(_word, st.sampled_from([*STYLES, "json", "xml", "csv", "20", "0",
                                          "1001", "X-A: b", "Authorization: x"]))),
)
_op_head = st.sampled_from(OPS).map(lambda op: f'{op.entity} {shlex.quote(op.label)}')
_short_head = st.builds(lambda op, verb: f"{op.entity}.{verb}", st.sampled_from(OPS),
                        st.sampled_from(["list", "get", "send", "create", "fetch", "update",
                                         "delete", "remove", "", "x"]))
_adv_head = st.builds(lambda m, op: f"{m} {op.path.replace('{', ':').replace('}', '')}",
                      st.sampled_from([*METHODS, "get", "HEAD"]), st.sampled_from(OPS))
_command = st.one_of(
    st.sampled_from([*COMMANDS, "help", "whoami", "history", "trace on", "trace off",
                     "trace maybe", "entities", "credentials", "credentials list",
                     "credentials remove nobody", "credentials add", "operations",
                     "operations Message", "describe Message 'Send Message'", "describe",
                     "connect --sandbox", "connect --credential nobody",
                     "connect --address ftp://x", "connect --connection-timeout-ms -1",
                     "connect --auth-type nonsense --sandbox"]),
    st.builds(lambda c, rest: f"{c} {rest}", st.sampled_from(COMMANDS), _text))
_line = st.one_of(
    st.builds(lambda head, tail: " ".join([head, *tail]),
              st.one_of(_op_head, _short_head, _adv_head),
              st.lists(st.one_of(_pair, _option, _word), max_size=5)),
    _command, _text)


@fuzz(500)
@given(line=st.one_of(_line, st.text(max_size=80)))
@example(line='Message "Send Message')  # a quote never closed
@example(line="GET /x --limit 5 --all")
def test_parse_line_raises_only_configuration_errors(line: str) -> None:
    count("parse_line")
    with contextlib.suppress(tw.ConfigurationError):
        parse_line(line)


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InteractiveShell]:
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "twilio_nb")
    magics = ip.magics_manager.registry["TwilioMagics"]
    magics.store = CredentialStore(tmp_path_factory.mktemp("fuzz") / "credentials.json",
                                   use_keyring=False)
    magics.progress = False
    with pytest.MonkeyPatch.context() as mp:  # credentials add asks for a user and a secret
        mp.setattr(builtins, "input", lambda prompt="": "SK" + "9" * 32)
        mp.setattr(getpass, "getpass", lambda prompt="": "fuzz-secret-not-real")
        yield ip
    magics.store = None
    ip.run_line_magic("unload_ext", "twilio_nb")
    set_default_connection(None)


@pytest.fixture(scope="module")
def box() -> Sandbox:
    return Sandbox(messages=30)


def _fresh_default(box: Sandbox) -> tw.Connection:
    conn = tw.Connection(sandbox=box, max_retries=0)
    set_default_connection(conn)
    return conn


def _magic(shell: InteractiveShell, run: Callable[[], Any]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tw.TwilioWarning)
        try:
            value = run()
        except UsageError:
            return
    repr(value)  # what the notebook shows must not raise either
    if isinstance(value, Result):
        value._repr_html_()


@fuzz(150)
@given(line=_line)
@example(line="Message.list --limit 3")
@example(line="credentials add fuzzname --user SK99")
def test_magic_lines_end_in_a_result_or_a_usage_error(shell: InteractiveShell, box: Sandbox,
                                                      line: str) -> None:
    count("magic lines")
    _fresh_default(box)
    _magic(shell, lambda: shell.run_line_magic("twilio", line))


_json_value = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=20)),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=12)
_cell_heads = st.sampled_from([
    'Message "Send Message"', "Message.send", 'Call "Create Call"',
    "POST /2010-04-01/Accounts/:AccountSid/Messages", "GET /2010-04-01/Accounts/:AccountSid/Calls",
    'Conversation "Create Conversation (conversations: /v1/Conversations)"',
    "DELETE /2010-04-01/Accounts/:AccountSid/Messages/SM" + "0" * 32])
_cell_bodies = st.one_of(
    st.dictionaries(st.one_of(st.sampled_from(["To", "From", "Body", "MediaUrl", "Tags"]),
                              _text), _json_value, max_size=5).map(json.dumps),
    _json_value.map(json.dumps),
    st.lists(_pair, max_size=4).map("&".join),
    st.sampled_from(["$nothing_here", "{nothing_here}", "{1}", "{'a': 1}", "$__name__",
                     "{[1, 2]}", "{{}}", "{", "}", "\n\n", '{"To": "$missing"}']),
    st.text(max_size=60))


@fuzz(120)
@given(head=_cell_heads, body=_cell_bodies)
@example(head="POST /2010-04-01/Accounts/:AccountSid/Messages", body="{1}")
@example(head="POST /2010-04-01/Accounts/:AccountSid/Messages", body="{[1, 2]}")
def test_cell_bodies_end_in_a_result_or_a_usage_error(shell: InteractiveShell, box: Sandbox,
                                                      head: str, body: str) -> None:
    count("cell bodies")
    _fresh_default(box)
    _magic(shell, lambda: shell.run_cell_magic(  # type: ignore[no-untyped-call]
        "twilio", head, body))


# -- building requests ------------------------------------------------------------------------

def _build(call: Callable[[], Any]) -> None:
    """Run a builder: a ConfigurationError or a request httpx can send; any warning is a
    TwilioWarning."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        try:
            built = call()
        except tw.ConfigurationError:
            built = None
    assert {w.category for w in seen} <= {tw.TwilioWarning}, [str(w.message) for w in seen]
    if built is not None:  # where it may go is the executor's to check (test_hosts)
        assert httpx.URL(built.url).scheme == "https", built.url
        built.to_httpx()


_query = st.one_of(
    st.text(max_size=60),
    st.lists(_pair, max_size=5).map("&".join),
    st.dictionaries(_text, _json_value, max_size=4),
    st.sampled_from(["?", "??a=b", "#frag", "a=%zz", "a=%", "To=+1 415", "a=\x00",
                     "PageSize=1001", "&&&", "=x", "a==b"]))


@fuzz(200)
@given(op=st.sampled_from(LIST_OPS), query=_query, path=_text)
def test_query_strings_build_or_raise_a_configuration_error(op: catalog.Operation,
                                                            query: Any, path: str) -> None:
    count("query strings")
    params = {p.name: "X" + path for p in op.params_in("path")}
    _build(lambda: build_basic(op, account_sid=ACCOUNT, params=params, query=query))
    _build(lambda: build_advanced("GET", "/2010-04-01/Accounts/:AccountSid/Calls" + path,
                                  account_sid=ACCOUNT, query=query))


_values = st.one_of(
    _json_value, st.just(math.nan), st.just(math.inf), st.binary(max_size=8),
    st.datetimes(), st.dates(), st.sets(st.integers(), max_size=3), st.complex_numbers())


@fuzz(250)
@given(op=st.sampled_from(OPS), data=st.data())
def test_operation_parameters_build_or_raise_a_configuration_error(
        op: catalog.Operation, data: st.DataObject) -> None:
    count("operation parameters")
    known = [p.name for p in op.params] or ["X"]
    names = st.one_of(st.sampled_from(known), _text)
    params = data.draw(st.dictionaries(names, _values, max_size=5), "params")
    body = data.draw(st.one_of(st.none(), st.dictionaries(names, _values, max_size=5),
                               _json_value.map(json.dumps), _text), "body")
    fmt = data.draw(st.sampled_from(["json", "xml", "csv", "Application/XML", "x"]), "format")
    headers = data.draw(st.none() | st.dictionaries(_text, _text, max_size=2), "headers")
    nxt = data.draw(st.none() | st.sampled_from(["/2010-04-01/x.json?Page=1", "https://x/y",
                                                 "//x/y", "x"]) | _text, "next_page_uri")
    _build(lambda: build_basic(op, account_sid=ACCOUNT, params=params, body=body,
                               response_format=fmt, headers=headers, next_page_uri=nxt))
    method = data.draw(st.sampled_from([*METHODS, "get", "TRACE", ""]), "method")
    send = data.draw(st.none() | st.booleans(), "send_body")
    adv_body = data.draw(st.none() | _text | st.dictionaries(_text, _values, max_size=3), "b")
    _build(lambda: build_advanced(method, op.path, account_sid=ACCOUNT, params=params,
                                  body=adv_body, send_body=send, response_format=fmt))


# -- what servers send ----------------------------------------------------------------------------

def _xml(tag: str, children: list[Any], attrs: dict[str, str]) -> str:
    from xml.sax.saxutils import escape, quoteattr

    inner = "".join(c if isinstance(c, str) and c.startswith("<") else escape(str(c))
                    for c in children)
    at = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
    return f"<{tag}{at}>{inner}</{tag}>"


_tag = st.from_regex(r"\A[A-Za-z][A-Za-z0-9]{0,8}\Z")
_element = st.recursive(
    st.builds(_xml, _tag, st.lists(st.text(max_size=10), max_size=1),
              st.dictionaries(st.sampled_from(["page", "nextpageuri", "pagesize", "x"]),
                              st.text(max_size=10), max_size=2)),
    lambda inner: st.builds(_xml, _tag, st.lists(inner, max_size=4),
                            st.dictionaries(st.sampled_from(["page", "nextpageuri", "y"]),
                                            st.text(max_size=10), max_size=2)),
    max_leaves=10)
_record = st.dictionaries(st.sampled_from(["sid", "to", "from", "body", "date_created",
                                           "price", "num_media", "status", "subresource_uris",
                                           "duration", "start_time", "tags"]) | _text,
                          _json_value, max_size=8)


def _twilio_json(key: str, records: list[dict[str, Any]], extra: dict[str, Any]) -> bytes:
    return json.dumps({key: records, **extra}).encode()


_bodies = {
    "json": st.one_of(
        st.builds(_twilio_json, st.sampled_from(["messages", "calls", "recordings", "x"]),
                  st.lists(_record, max_size=4),
                  st.dictionaries(st.sampled_from(["next_page_uri", "page", "page_size",
                                                   "meta", "uri"]), _json_value, max_size=3)),
        _json_value.map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=60)),
    "xml": st.one_of(
        st.builds(lambda e: f"<TwilioResponse>{e}</TwilioResponse>".encode(), _element),
        _element.map(str.encode),
        st.sampled_from([b"<TwilioResponse/>", b"<?xml version='1.0'?><TwilioResponse>",
                         b"<!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><x>&e;</x>",
                         b"<TwilioResponse><Messages page='x' nextpageuri=''/></TwilioResponse>",
                         b"\xff\xfe<\x00x\x00>\x00"]),
        st.binary(max_size=60)),
    "csv": st.one_of(
        st.lists(st.lists(st.text(max_size=8), min_size=1, max_size=5), min_size=1,
                 max_size=5).map(lambda rows: "\n".join(",".join(r) for r in rows).encode()),
        st.builds(lambda head, rows: (",".join(head) + "\n" + "\n".join(
            ",".join(r) for r in rows)).encode(),
            st.lists(st.sampled_from(["Sid", "To", "DateCreated", "Price", "NumMedia",
                                      "SubresourceUris", "Sid"]), min_size=1, max_size=5),
            st.lists(st.lists(_text, max_size=6), max_size=4)),
        st.binary(max_size=60)),
}
_op_or_none = st.none() | st.sampled_from(OPS)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv"])
def test_response_bodies_parse_or_raise_a_response_format_error(fmt: str) -> None:
    @fuzz(200)
    @given(body=_bodies[fmt], op=_op_or_none)
    @example(body=b"\r0\n,", op=None)  # a lone carriage return once broke the CSV check
    def run(body: bytes, op: catalog.Operation | None) -> None:
        count(f"{fmt} bodies")
        try:
            page = parse(body, fmt, op)
        except tw.ResponseFormatError:
            pass
        else:
            assert page.next_page is None or isinstance(page.next_page, str)
        found = parse_error(body, None)  # never raises: None, or (code, message, more_info)
        assert found is None or isinstance(found[1], str)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pandas' guesses about odd cells
        run()


@fuzz(150)
@given(body=st.one_of(*_bodies.values()),
       ctype=st.sampled_from(["application/json", "application/xml", "text/csv", "text/html",
                              "text/plain", "", "image/png", "application/json; charset=x"]),
       status=st.sampled_from([200, 201, 206]), op=st.sampled_from(ACCOUNT_LISTS),
       link=st.none() | st.text(max_size=30))
@example(body=b'{"accounts": [{"date_created": []}]}', ctype="application/json", status=200,
         op=catalog.by_id("api_v2010.ListAccount"), link=None)  # a list where a date goes
def test_a_result_of_any_body_reads_or_raises_a_twilio_error(
        body: bytes, ctype: str, status: int, op: catalog.Operation, link: str | None) -> None:
    count("result bodies")
    conn = tw.Connection("https://api.twilio.com", credential=tw.UserCredentials(
        "SK" + "2" * 32, "x"), account_sid=ACCOUNT)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        built = build_basic(op, account_sid=ACCOUNT)
    headers = {"Content-Type": ctype} | ({"Link": link} if link is not None else {})
    try:
        response = httpx.Response(status, headers=headers, content=body)
    except (ValueError, TypeError, UnicodeError):  # a header httpx itself refuses
        return
    result = Result(built, response, origin=conn._origin("*"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a column that does not fit its type says so
        repr(result)
        result._repr_html_()
        assert isinstance(result.has_next_page, bool)
        for read in (lambda: result.df, lambda: result.next_page_uri, lambda: result.records):
            with contextlib.suppress(tw.TwilioError):
                read()

