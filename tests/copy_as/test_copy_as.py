""""Copy as": each style for Basic and Advanced requests; no secret ever appears; the
curl, python and twilio_nb outputs send the same request again."""

from __future__ import annotations

import json
import shlex
import warnings
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl

import pytest
from _twilio_recorder import ACCOUNT, Recorder, built, canned, patched_client, sent
from guide import SEND_MESSAGE_FORM

from twilio_nb import catalog
from twilio_nb.copy_as.styles import STYLES, copy_as
from twilio_nb.errors import ConfigurationError, TwilioWarning
from twilio_nb.request.build import build_advanced, build_basic
from twilio_nb.request.built import BuiltRequest
from twilio_nb.request.validate import example_value

pytestmark = pytest.mark.filterwarnings("ignore::twilio_nb.errors.TwilioWarning")

CF = "CF" + "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"
CH = "CH" + "0123456789abcdef" * 2
SECRET = "s3cr3t-auth-token-0f9e8d7c"
MESSAGE = {"From": "+14155552671", "To": "+919876543210",
           "Body": "Hi John, it's shipped & will arrive tomorrow.",
           "MediaUrl": ["https://demo.twilio.com/owl.png"],
           "StatusCallback": "https://api.example.com/twilio/status"}
GUIDE_FORM = SEND_MESSAGE_FORM
SENT_FORM = GUIDE_FORM.replace("=+", "=%2B")  # phone numbers keep their plus at Twilio


def basic_message(**kwargs: Any) -> BuiltRequest:
    kwargs.setdefault("body", MESSAGE)
    return build_basic(catalog.find("Message", "Send Message"), account_sid=ACCOUNT, **kwargs)


def advanced_message(**kwargs: Any) -> BuiltRequest:
    return build_advanced("POST", "/2010-04-01/Accounts/:AccountSid/Messages",
                          account_sid=ACCOUNT, body=GUIDE_FORM, **kwargs)


def list_calls(**kwargs: Any) -> BuiltRequest:
    return build_basic(catalog.find("Call", "List Calls"), account_sid=ACCOUNT,
                       query="To=+9195523446XX", params={"Status": "completed"}, **kwargs)


def samples() -> dict[str, BuiltRequest]:
    return {
        "basic": basic_message(),
        "advanced": advanced_message(),
        "basic get": list_calls(response_format="xml"),
        "product": build_basic(catalog.find("Participant", "List Conversation Participants"),
                               params={"ConversationSid": CH}, region="au1", edge="sydney"),
        "sandbox": build_basic(catalog.find("Participant", "Create Conference Participant"),
                               account_sid=ACCOUNT, params={"ConferenceSid": CF},
                               body={"From": "+14155552671", "To": "+14155552672",
                                     "EarlyMedia": True, "Muted": False, "Timeout": 60},
                               address="http://127.0.0.1:4010"),
        "json body": build_basic(catalog.by_id("monitor_v2.CreateAlarm"), body={
            p.name: example_value(p) for p in catalog.by_id("monitor_v2.CreateAlarm").params
            if p.required}),
        "next page": build_basic(catalog.find("Message", "List Messages"), account_sid=ACCOUNT,
                                 next_page_uri=f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"
                                               "?PageSize=50&Page=1&PageToken=PA1"),
        "advanced get": build_advanced("GET", "/v1/Some/Unknown/Path", query="a=b c",
                                       headers={"X-Trace": "7"}),
    }


# -- secrets -----------------------------------------------------------------------------------

@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("auth", ["api_key", "auth_token"])
def test_no_secret_value_ever_appears(style: str, auth: str) -> None:
    with pytest.warns(TwilioWarning, match="Header Authorization is not sent"):
        req = basic_message(headers={"Authorization": f"Basic {SECRET}", "Cookie": SECRET,
                                     "X-Ok": "1"})
    assert SECRET not in repr(req)
    for sample in [req, *samples().values()]:
        assert SECRET not in copy_as(sample, style, auth=auth)


def test_credentials_are_placeholders() -> None:
    req = basic_message()
    assert '-u "$TWILIO_API_KEY:$TWILIO_API_SECRET"' in copy_as(req, "curl")
    assert '-u "$TWILIO_ACCOUNT_SID:$TWILIO_AUTH_TOKEN"' in copy_as(req, "curl", auth="auth_token")
    code = copy_as(req, "python")
    assert ('Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"], '
            'os.environ["TWILIO_ACCOUNT_SID"])') in code
    assert 'Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])' in \
        copy_as(req, "python", auth="Auth Token")


# -- curl ------------------------------------------------------------------------------------------

def curl_words(text: str) -> list[str]:
    return shlex.split(text.replace("\\\n", " "))


def curl_parts(text: str) -> dict[str, Any]:
    words = curl_words(text)
    assert words[0] == "curl" and words[1] == "-X"
    out: dict[str, Any] = {"method": words[2], "url": words[3], "urlencode": [], "raw": [],
                           "headers": [], "user": None}
    flags = {"--data-urlencode": "urlencode", "--data-raw": "raw", "-d": "raw", "-H": "headers"}
    i = 4
    while i < len(words):
        if words[i] == "-u":
            out["user"] = words[i + 1]
        else:
            out[flags[words[i]]].append(words[i + 1])
        i += 2
    return out


def test_curl_basic_form_is_the_request_s_form() -> None:
    req = basic_message()
    parts = curl_parts(copy_as(req, "curl"))
    assert parts["method"] == "POST" and parts["url"] == req.url
    pairs = [tuple(w.split("=", 1)) for w in parts["urlencode"]]
    pairs += [p for w in parts["raw"] for p in parse_qsl(w, keep_blank_values=True)]
    assert Counter(pairs) == Counter(req.form)
    assert parts["user"] == "$TWILIO_API_KEY:$TWILIO_API_SECRET"


def test_curl_advanced_sends_the_body_as_written() -> None:
    req = advanced_message()
    parts = curl_parts(copy_as(req, "curl"))
    assert parts["method"] == "POST" and parts["url"] == req.url
    assert "&".join(parts["raw"]).encode() == req.body
    assert Counter(p for w in parts["raw"] for p in parse_qsl(w)) == Counter(req.form)


def test_curl_get_json_and_headers() -> None:
    req = list_calls()
    parts = curl_parts(copy_as(req, "curl"))
    assert (parts["method"], parts["url"]) == ("GET", req.url)
    assert parts["raw"] == parts["urlencode"] == []
    req = samples()["json body"]
    parts = curl_parts(copy_as(req, "curl"))
    assert "Content-Type: application/json" in parts["headers"]
    assert json.loads(parts["raw"][0]) == json.loads(req.body or b"")
    parts = curl_parts(copy_as(samples()["advanced get"], "curl"))
    assert parts["headers"] == ["X-Trace: 7"]


def test_curl_quotes_what_the_shell_would_break() -> None:
    req = basic_message()
    text = copy_as(req, "curl")
    assert "it'\"'\"'s shipped & will" in text  # the quote and & survive the shell


# -- python ----------------------------------------------------------------------------------------

def run_python(req: BuiltRequest, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    op = req.operation
    recorder = Recorder(canned(op.kind, op.list_key) if op else "{}")
    code = copy_as(req, "python")
    with patched_client(monkeypatch, recorder):
        try:
            exec(compile(code, "<copy_as>", "exec"), {})
        except Exception:
            if not recorder.calls:  # twilio-python failing to read the canned answer is fine
                raise
    assert len(recorder.calls) == 1, code
    return recorder.calls[0]


def test_python_is_a_twilio_python_call_for_the_guide_operation(
        monkeypatch: pytest.MonkeyPatch) -> None:
    req = basic_message()
    code = copy_as(req, "python")
    assert f'client.api.v2010.accounts("{ACCOUNT}").messages.create(' in code
    assert 'from_="+14155552671",' in code and 'media_url=["https://demo' in code
    assert sent(run_python(req, monkeypatch)) == built(req)


@pytest.mark.parametrize("name", ["basic", "advanced", "basic get", "product", "sandbox",
                                  "json body", "next page", "advanced get"])
def test_python_sends_the_same_request(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    req = samples()[name]
    call = run_python(req, monkeypatch)
    assert sent(call) == built(req)
    for header, value in req.headers:
        assert call["headers"][header] == value


def test_python_falls_back_to_client_request_when_not_clean(
        monkeypatch: pytest.MonkeyPatch) -> None:
    req = basic_message(body={**MESSAGE, "Tags": '{"order_id": "ORD-78456"}'})
    code = copy_as(req, "python")
    assert "client.request(" in code and '"Tags": "{\\"order_id\\"' in code
    assert sent(run_python(req, monkeypatch)) == built(req)
    assert "client.request(" in copy_as(samples()["sandbox"], "python")
    assert "client.request(" in copy_as(samples()["basic get"], "python")  # XML


def test_python_for_every_catalog_operation_sends_what_twilio_nb_builds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    mismatched = []
    chains = 0
    for op in catalog.operations():
        params = {p.name: example_value(p) for p in op.params_in("path")}
        fields = {p.name: example_value(p) for p in op.params
                  if p.location in ("query", "body") and p.required}
        optional = [p for p in op.params if p.location in ("query", "body") and not p.required
                    and p.name not in ("PageSize", "Page", "PageToken")]
        if optional:
            fields[optional[0].name] = example_value(optional[0])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TwilioWarning)
            req = build_basic(op, params=params, body=fields)
        chains += "client.request(" not in copy_as(req, "python")
        if sent(run_python(req, monkeypatch)) != built(req):
            mismatched.append(op.id)
    assert mismatched == []
    assert chains > 900  # most operations map to a twilio-python resource call


# -- cli -------------------------------------------------------------------------------------------

def test_cli_commands() -> None:
    text = copy_as(basic_message(), "cli")
    assert curl_words(text)[:2] == ["twilio", "api:core:messages:create"]
    words = curl_words(text)
    assert words[words.index("--from") + 1] == "+14155552671"
    assert words[words.index("--media-url") + 1] == "https://demo.twilio.com/owl.png"
    assert "--account-sid" not in words  # the CLI takes it from the active profile
    product = copy_as(samples()["product"], "cli")
    assert product.startswith("TWILIO_REGION=au1 TWILIO_EDGE=sydney twilio "
                              "api:conversations:v1:conversations:participants:list")
    assert f"--conversation-sid {CH}" in product
    sandbox = copy_as(samples()["sandbox"], "cli")
    assert "--early-media" in sandbox and "--no-muted" in sandbox and "--timeout 60" in sandbox
    assert "api:core:conferences:participants:create" in sandbox
    calls = copy_as(build_basic(catalog.find("Call", "List Calls"), account_sid=ACCOUNT,
                                params={"StartTime<": "2025-05-06"}), "cli")
    assert "api:core:calls:list" in calls and "--start-time-before 2025-05-06" in calls
    fetch = copy_as(build_advanced("GET", f"/2010-04-01/Accounts/{ACCOUNT}/Recordings/RE"
                                          + "0" * 32), "cli")
    assert "api:core:recordings:fetch --sid RE" in fetch.replace(" \\\n  ", " ")


def test_cli_says_what_it_cannot_express() -> None:
    tagged = basic_message(body={**MESSAGE, "Tags": "{}"})
    assert "# Tags is left out" in copy_as(tagged, "cli")
    assert copy_as(samples()["advanced get"], "cli").startswith("# twilio-cli has no command")
    assert copy_as(samples()["next page"], "cli").startswith("# twilio-cli has no command")


# -- sap, magic, twilio_nb -------------------------------------------------------------------------

def test_sap_basic_block() -> None:
    text = copy_as(list_calls(response_format="xml"), "sap")
    assert "Configuration Type: Basic\nEntity: Call\n" in text
    assert "Operation: List Calls (/Accounts/:AccountSid/Calls)" in text
    assert f"Operation Parameters:\n  AccountSid = {ACCOUNT}\n" in text
    assert "Query: To=%2B9195523446XX&Status=completed" in text
    assert "Response Format: Application/XML" in text and "Next Page URI: \n" in text
    body = copy_as(basic_message(), "sap").split("Body:\n", 1)[1]
    assert json.loads(body) == MESSAGE
    assert "Next Page URI: /2010-04-01/" in copy_as(samples()["next page"], "sap")


def test_sap_advanced_block() -> None:
    text = copy_as(advanced_message(), "sap")
    assert "Configuration Type: Advanced\nHTTP Method: POST\n" in text
    assert f"Relative URL: /2010-04-01/Accounts/{ACCOUNT}/Messages.json" in text
    assert "Send Body: on" in text and text.endswith("Body:\n" + SENT_FORM + "\n")
    get = copy_as(samples()["advanced get"], "sap")
    assert "Send Body: off" in get and "Request Headers: X-Trace" in get


def test_magic_line_and_cell() -> None:
    line = copy_as(list_calls(response_format="xml"), "magic")
    assert line.count("\n") == 1
    words = shlex.split(line)
    assert words[:4] == ["%twilio", "Call", "List Calls (/Accounts/:AccountSid/Calls)",
                         f"AccountSid={ACCOUNT}"]
    assert words[words.index("--query") + 1] == "To=%2B9195523446XX&Status=completed"
    assert words[-2:] == ["--format", "xml"]
    cell = copy_as(basic_message(), "magic")
    first, body = cell.split("\n", 1)
    assert shlex.split(first)[:2] == ["%%twilio", "Message"]
    assert json.loads(body) == MESSAGE
    adv = copy_as(advanced_message(), "magic")
    assert adv == (f"%%twilio POST /2010-04-01/Accounts/{ACCOUNT}/Messages.json\n"
                   f"{SENT_FORM}\n")
    assert copy_as(samples()["advanced get"], "magic") == \
        '%twilio GET /v1/Some/Unknown/Path --query a=b%20c --header "X-Trace: 7"\n'
    get_with_body = build_advanced("GET", "/v1/Conversations", body="a=1", send_body=True)
    assert copy_as(get_with_body, "magic") == "%%twilio GET /v1/Conversations --send-body\na=1\n"


class FakeConnection:
    """Rebuilds what ``conn.basic``/``conn.advanced`` would send."""

    def __init__(self, **connection: Any) -> None:
        self.connection = connection

    def basic(self, entity: str, operation: str, **kwargs: Any) -> BuiltRequest:
        return build_basic(catalog.find(entity, operation), **self.connection, **kwargs)

    def advanced(self, method: str, url: str, **kwargs: Any) -> BuiltRequest:
        return build_advanced(method, url, **self.connection, **kwargs)


@pytest.mark.parametrize("name", ["basic", "advanced", "basic get", "product", "sandbox",
                                  "json body", "next page", "advanced get"])
def test_twilio_nb_call_builds_the_same_request(name: str) -> None:
    req = samples()[name]
    code = copy_as(req, "twilio_nb")
    connection: dict[str, Any] = {}
    if not req.is_twilio:
        connection["address"] = "http://" + req.host
    if name == "product":
        connection.update(region="au1", edge="sydney")
        assert code.startswith("# with conn = tw.Connection(region='au1', edge='sydney'")
    namespace: dict[str, Any] = {"conn": FakeConnection(**connection)}
    exec(compile(code, "<copy_as>", "exec"), namespace)
    again: BuiltRequest = namespace["r"]
    assert (again.method, again.url, again.body, again.headers) == \
        (req.method, req.url, req.body, req.headers)


def test_unknown_style_or_auth() -> None:
    with pytest.raises(ConfigurationError, match="curl, python, cli, sap, magic, twilio_nb"):
        copy_as(basic_message(), "postman")
    with pytest.raises(ConfigurationError, match="api_key"):
        copy_as(basic_message(), "curl", auth="oauth")
