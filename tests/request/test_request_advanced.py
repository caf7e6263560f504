"""Advanced requests: the method in any case, a Relative URL that names no host, placeholders,
the suffix, the body, product hosts, and checks that only warn."""

from __future__ import annotations

import pytest
from request_samples import AC, CA, SANDBOX, quiet_advanced

from twilio_nb import catalog
from twilio_nb.errors import ConfigurationError, TwilioWarning
from twilio_nb.request.build import build_advanced

# Tests that expect a warning catch it with pytest.warns; the rest need not show theirs.
pytestmark = pytest.mark.filterwarnings("ignore::twilio_nb.errors.TwilioWarning")


# -- Advanced ------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["get", "Get", "GET"])
def test_advanced_method_any_case(method: str) -> None:
    assert build_advanced(method, f"/2010-04-01/Accounts/{AC}/Balance").method == "GET"


def test_advanced_bad_method() -> None:
    with pytest.raises(ConfigurationError, match="DELETE, GET, PATCH, POST, PUT") as err:
        build_advanced("FETCH", "/v1/Conversations")
    assert err.value.field == "HTTP Method"


@pytest.mark.parametrize("url", ["//evil.example/x", "http://evil.example/x",
                                 "https://api.twilio.com/2010-04-01/Accounts",
                                 "evil.example/x", "", "/v1/x#frag", "/\\evil.example/x"])
def test_a_relative_url_names_no_host(url: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        build_advanced("GET", url)
    assert err.value.field == "Relative URL"


def test_advanced_placeholders_are_filled() -> None:
    req = build_advanced("GET", "/2010-04-01/Accounts/:AccountSid/Calls/{CallSid}/Events",
                         account_sid=AC, params={"CallSid": CA}, response_format="csv")
    assert req.url == f"https://api.twilio.com/2010-04-01/Accounts/{AC}/Calls/{CA}/Events.csv"
    assert req.operation is not None and req.operation.id == "api_v2010.ListCallEvent"
    assert dict(req.path_params) == {"AccountSid": AC, "CallSid": CA}
    with pytest.raises(ConfigurationError, match="placeholder :CallSid") as err:
        build_advanced("GET", "/2010-04-01/Accounts/:AccountSid/Calls/:CallSid", account_sid=AC)
    assert err.value.field == "CallSid"


def test_advanced_suffix_written_in_the_url_decides_the_format() -> None:
    with pytest.warns(TwilioWarning, match=r"Calls.xml ends in .xml"):
        req = build_advanced("GET", f"/2010-04-01/Accounts/{AC}/Calls.xml")
    assert req.response_format == "xml" and req.path.endswith("/Calls.xml")


def test_advanced_send_body_defaults() -> None:
    url = f"/2010-04-01/Accounts/{AC}/Messages"
    with pytest.warns(TwilioWarning, match="Send Body is off"):
        req = build_advanced("GET", url, body="To=x")
    assert req.body is None
    assert build_advanced("GET", url, body="PageSize=5", send_body=True).body == b"PageSize=5"
    assert build_advanced("POST", url + "/SM" + "0" * 32, send_body=None).body == b""
    req = quiet_advanced("POST", url, body={"To": "+14155552671", "Body": "a b"})
    assert req.body == b"To=%2B14155552671&Body=a+b"


def test_advanced_product_url_goes_to_the_product_host() -> None:
    req = build_advanced("get", "/v1/Conversations/CH" + "0" * 32 + "/Participants",
                         query="PageSize=5")
    assert req.url.startswith("https://conversations.twilio.com/v1/Conversations/")
    assert req.url.endswith("/Participants?PageSize=5")
    sandbox = build_advanced("GET", "/v1/Conversations", address=SANDBOX)
    assert sandbox.host == "127.0.0.1:4010" and sandbox.operation is not None


def test_advanced_ambiguous_path_uses_the_address_host_to_choose() -> None:
    path = "/v1/Services/IS" + "0" * 32 + "/Bindings"
    with pytest.warns(TwilioWarning, match="several products"):
        req = build_advanced("GET", path)
    assert req.operation is None and req.host == "api.twilio.com"
    req = build_advanced("GET", path, address="https://notify.twilio.com")
    assert req.operation is not None and req.operation.id == "notify_v1.ListBinding"


def test_advanced_checks_only_warn() -> None:
    # the guide's own Advanced example: an AP... account SID with letters past f
    with pytest.warns(TwilioWarning, match="AccountSid .* must be a SID"):
        req = build_advanced("POST", "/2010-04-01/Accounts/AP1a2b3c4d5e6f7g8h9i0j1k2l3m4n5o/"
                             "Messages", body="To=%2B14155552671&Body=Hi")
    assert req.body == b"To=%2B14155552671&Body=Hi"


def test_advanced_json_text_body() -> None:
    with pytest.warns(TwilioWarning, match="looks like JSON"):
        req = build_advanced("POST", f"/2010-04-01/Accounts/{AC}/Messages", body='{"To": "x"}')
    assert req.content_type == "application/x-www-form-urlencoded"
    op = catalog.by_id("monitor_v2.CreateAlarm")
    req = quiet_advanced("POST", op.path, body='{"friendlyName": "a"}')
    assert req.operation is op and req.content_type == "application/json"


def test_advanced_query_in_the_url_and_the_query_field_are_joined() -> None:
    req = build_advanced("GET", f"/2010-04-01/Accounts/{AC}/Calls?Status=busy",
                         query="PageSize=5")
    assert req.query == "Status=busy&PageSize=5"


def test_advanced_unused_params_warn() -> None:
    with pytest.warns(TwilioWarning, match="Parameters Status are not used"):
        build_advanced("GET", f"/2010-04-01/Accounts/{AC}/Calls", params={"Status": "busy"})
