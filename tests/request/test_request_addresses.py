"""Where a built request goes and what it carries: Twilio's hosts (regions, edges, products),
the Address, the Next Page URI, the request headers and the httpx request."""

from __future__ import annotations

import pytest
from request_samples import AC, SANDBOX, quiet_basic

from twilio_nb import catalog
from twilio_nb.errors import ConfigurationError, TwilioWarning
from twilio_nb.request.build import build_basic
from twilio_nb.request.urls import is_twilio_address, twilio_host

# Tests that expect a warning catch it with pytest.warns; the rest need not show theirs.
pytestmark = pytest.mark.filterwarnings("ignore::twilio_nb.errors.TwilioWarning")


# -- hosts, the address -----------------------------------------------------------------------

def test_twilio_host_follows_twilio_python() -> None:
    assert twilio_host("api.twilio.com", "au1", "sydney") == "api.sydney.au1.twilio.com"
    assert twilio_host("api.twilio.com", "au1") == "api.au1.twilio.com"
    assert twilio_host("api.twilio.com", edge="dublin") == "api.dublin.us1.twilio.com"
    assert twilio_host("api.twilio.com") == "api.twilio.com"
    assert twilio_host("api.dublin.ie1.twilio.com", edge="sydney") == "api.sydney.ie1.twilio.com"
    with pytest.raises(ConfigurationError):
        twilio_host("api.twilio.com", "au1/evil")


def test_is_twilio_address() -> None:
    assert is_twilio_address("https://api.twilio.com")
    assert is_twilio_address("https://conversations.sydney.au1.twilio.com/v1")
    assert not is_twilio_address("http://api.twilio.com")
    assert not is_twilio_address("https://api.twilio.com.evil.example")
    assert not is_twilio_address(SANDBOX)


def test_product_operations_go_to_their_host_and_the_sandbox_serves_all() -> None:
    op = catalog.find("Participant", "List Conversation Participants")
    params = {"ConversationSid": "CH" + "0" * 32}
    assert build_basic(op, params=params).host == "conversations.twilio.com"
    assert build_basic(op, params=params, address=SANDBOX + "/").url == (
        f"{SANDBOX}/v1/Conversations/{params['ConversationSid']}/Participants")
    regional = build_basic(op, params=params, address="https://api.sydney.au1.twilio.com")
    assert regional.host == "conversations.sydney.au1.twilio.com"


def test_a_product_api_answers_json_whatever_the_format_says() -> None:
    op = catalog.find("Participant", "List Conversation Participants")
    with pytest.warns(TwilioWarning, match="JSON only"):
        req = build_basic(op, params={"ConversationSid": "CH" + "0" * 32},
                          response_format="Application/XML")
    assert req.response_format == "json"


@pytest.mark.parametrize("address", ["ftp://api.twilio.com", "api.twilio.com",
                                     "https://user:secret-token@api.twilio.com",
                                     "https://api.twilio.com/2010-04-01", "http://[::1"])
def test_bad_addresses(address: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        build_basic(catalog.find("Balance", "Get Balance"), account_sid=AC, address=address)
    assert err.value.field == "Address"
    assert "secret-token" not in str(err.value)


# -- Next Page URI -----------------------------------------------------------------------------

def test_a_relative_next_page_uri_replaces_path_and_query() -> None:
    op = catalog.find("Message", "List Messages")
    uri = f"/2010-04-01/Accounts/{AC}/Messages.json?PageSize=50&PageToken=PASM123&Page=1"
    with pytest.warns(TwilioWarning, match="not used with a Next Page URI"):
        req = build_basic(op, account_sid=AC, next_page_uri=uri, query="To=+1415")
    assert req.url == "https://api.twilio.com" + uri
    assert req.query == "PageSize=50&PageToken=PASM123&Page=1"
    assert req.next_page_uri == uri
    assert quiet_basic(op, next_page_uri=uri, address=SANDBOX).url == SANDBOX + uri


def test_a_2010_next_page_uri_without_suffix_takes_the_format_s() -> None:
    op = catalog.find("Message", "List Messages")
    uri = f"/2010-04-01/Accounts/{AC}/Messages?Page=1&PageSize=50&PageToken=PA1"
    req = build_basic(op, account_sid=AC, next_page_uri=uri, response_format="csv")
    assert req.path.endswith("/Messages.csv") and req.query == "Page=1&PageSize=50&PageToken=PA1"
    with pytest.warns(TwilioWarning, match="ends in .json"):
        req = build_basic(op, account_sid=AC, response_format="xml",
                          next_page_uri=f"https://api.twilio.com/2010-04-01/Accounts/{AC}/"
                                        "Messages.json?Page=1")
    assert req.response_format == "json"


def test_an_absolute_next_page_url_is_kept() -> None:
    op = catalog.find("Conversation", "List Conversations")
    url = "https://conversations.twilio.com/v1/Conversations?PageSize=50&Page=1&PageToken=PT1"
    assert build_basic(op, next_page_uri=url).url == url


@pytest.mark.parametrize("uri", ["//evil.example/x", "Messages.json?Page=2", "ftp://x/y"])
def test_bad_next_page_uris(uri: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        build_basic(catalog.find("Message", "List Messages"), account_sid=AC, next_page_uri=uri)
    assert err.value.field == "Next Page URI"


# -- request headers ---------------------------------------------------------------------------

def test_request_headers_takes_the_named_ones_in_any_case() -> None:
    op = catalog.find("Balance", "Get Balance")
    given = {"X-Trace": "1", "X-Other": "2"}
    assert build_basic(op, account_sid=AC, headers=given,
                       request_headers="x-trace").headers == (("X-Trace", "1"),)
    assert build_basic(op, account_sid=AC, headers=given, request_headers="*").headers == (
        ("X-Trace", "1"), ("X-Other", "2"))
    assert build_basic(op, account_sid=AC, headers=given).headers == (
        ("X-Trace", "1"), ("X-Other", "2"))


def test_protocol_and_credential_headers_are_never_taken() -> None:
    op = catalog.find("Balance", "Get Balance")
    given = {"Authorization": "Basic c2VjcmV0", "Host": "evil.example", "Content-Length": "9",
             "Cookie": "a=b", "Connection": "close", "CamelHttpUri": "x", "X-Ok": "yes"}
    with pytest.warns(TwilioWarning, match="Header Authorization is not sent"):
        req = build_basic(op, account_sid=AC, headers=given)
    assert req.headers == (("X-Ok", "yes"),)
    sent = req.to_httpx()
    assert "authorization" not in sent.headers and sent.headers["host"] == "api.twilio.com"


def test_header_values_are_one_line() -> None:
    with pytest.raises(ConfigurationError) as err:
        build_basic(catalog.find("Balance", "Get Balance"), account_sid=AC,
                    headers={"X-A": "1\r\nX-Injected: 2"})
    assert err.value.field == "Request Headers"


def test_to_httpx() -> None:
    req = build_basic(catalog.find("Message", "Send Message"), account_sid=AC,
                      body={"To": "+14155552671", "Body": "Hi there"}, response_format="xml",
                      headers={"X-Trace": "7"})
    sent = req.to_httpx()
    assert sent.method == "POST"
    assert str(sent.url) == f"https://api.twilio.com/2010-04-01/Accounts/{AC}/Messages.xml"
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sent.headers["accept"] == "application/xml"
    assert sent.headers["x-trace"] == "7"
    assert sent.content == b"To=%2B14155552671&Body=Hi+there"
