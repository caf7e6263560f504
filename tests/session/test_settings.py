"""The Connection tab's settings are written once (``twilio_nb.session.settings``): every
front end (``Connection``, ``tw.connect``, ``%twilio connect``, the form's Connection tab,
"copy as") reads them, a front end builds a new connection from new settings instead of
changing a live one, and a setting added to one front end alone fails here."""

from __future__ import annotations

import ast
import dataclasses
import inspect
from pathlib import Path

import httpx
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import twilio_nb as tw
from twilio_nb.errors import ConfigurationError
from twilio_nb.magics.parse import CONNECT_OPTIONS, connect_options, parse_line
from twilio_nb.sandbox import Sandbox
from twilio_nb.session.credentials import CredentialStore
from twilio_nb.session.default import default_connection
from twilio_nb.session.settings import (
    DEFAULTS,
    ConnectionSettings,
    reference_table,
    settings_of,
)
from twilio_nb.widgets.connection_tab import ConnectionTab

ROOT = Path(__file__).resolve().parents[2]
NAMES = [name for name, _ in settings_of()]
#: what a Connection takes besides its settings: its collaborators, never settings
COLLABORATORS = {"self", "transport", "on_retry", "trace", "environ", "store"}


def tab_for(conn: tw.Connection, tmp_path: Path) -> ConnectionTab:
    store = CredentialStore(tmp_path / "credentials.json", use_keyring=False)
    return ConnectionTab(conn, store=store, environ={})


# -- one declaration, every front end ---------------------------------------------------------
def test_connection_takes_every_setting_with_its_default() -> None:
    parameters = inspect.signature(tw.Connection.__init__).parameters
    assert set(parameters) - COLLABORATORS == set(NAMES)
    for name in NAMES:
        assert parameters[name].default == getattr(DEFAULTS, name), name


def test_connect_keeps_the_connections_defaults() -> None:
    for name, parameter in inspect.signature(tw.connect).parameters.items():
        if name in NAMES:
            assert parameter.default == getattr(DEFAULTS, name), name


def test_every_connect_flag_is_a_setting_and_every_setting_with_a_flag_has_it() -> None:
    parser_dests = {action.dest for action in connect_options()._actions}
    assert parser_dests <= set(NAMES), parser_dests - set(NAMES)
    with_flag = {name for name, setting in settings_of() if setting.flag is not None}
    assert parser_dests == with_flag
    declared = {flag for option in CONNECT_OPTIONS for flag in option.flags}
    assert "--no-reuse" in declared and "--connection-timeout-ms" in declared


def test_every_field_of_the_connection_tab_is_a_setting(tmp_path: Path) -> None:
    tab = tab_for(tw.Connection(sandbox=Sandbox(messages=1)), tmp_path)
    labels = {setting.label for _, setting in settings_of() if setting.label is not None}
    assert set(tab.fields) == labels


def test_the_connect_line_gives_the_settings_it_names() -> None:
    options = parse_line("connect --sandbox --no-reuse --response-timeout-ms 1500 "
                         "--region au1").options
    from twilio_nb.magics.parse import connect_settings

    assert connect_settings(options) == dataclasses.replace(
        DEFAULTS, sandbox=True, reuse_connection=False, response_timeout_ms=1500,
        region="au1")
    assert connect_settings(parse_line("connect").options) == DEFAULTS


def test_the_reference_lists_the_settings_as_the_code_says() -> None:
    reference = (ROOT / "docs" / "configuration.md").read_text()
    assert reference_table() in reference, "run: python -c 'from twilio_nb.session.settings " \
        "import reference_table; print(reference_table())' and paste it in"


@pytest.mark.parametrize("literal", [60000, "https://api.twilio.com"])
def test_each_default_is_written_in_one_module(literal: object) -> None:
    holders = []
    for path in sorted((ROOT / "twilio_nb").rglob("*.py")):
        tree = ast.parse(path.read_text())
        if any(isinstance(node, ast.Constant) and type(node.value) is type(literal)
               and node.value == literal for node in ast.walk(tree)):
            holders.append(path.relative_to(ROOT).as_posix())
    assert len(holders) <= 1, holders


# -- checks -------------------------------------------------------------------------------
@pytest.mark.parametrize(("change", "says"), [
    ({"connection_timeout_ms": 0}, "Connection Timeout (in ms) must be a positive number"),
    ({"response_timeout_ms": "soon"}, "Response Timeout (in ms) must be a positive number"),
    ({"address": "api.twilio.com"}, "is not a URL"),
    ({"auth_type": "password"}, "Unknown Authentication Type"),
    ({"max_retries": -1}, "max_retries must be 0 or more"),
    ({"max_response_bytes": 0}, "max_response_bytes must be a positive number"),
    ({"scrub": "secrets"}, "give record=PATH too"),
    ({"fallback": "sandbox"}, "give replay=PATH too"),
])
def test_a_bad_setting_says_what_to_fix(change: dict[str, object], says: str) -> None:
    with pytest.raises(ConfigurationError, match=says.replace("(", r"\(").replace(")", r"\)")):
        dataclasses.replace(DEFAULTS, **change).checked()
    with pytest.raises(ConfigurationError, match=says.replace("(", r"\(").replace(")", r"\)")):
        tw.Connection(sandbox=Sandbox(messages=1), **change)  # type: ignore[arg-type]


def test_the_settings_never_show_a_secret() -> None:
    conn = tw.Connection(sandbox=Sandbox(messages=1), credential=tw.UserCredentials(
        "SK" + "1" * 32, "s3cr3t-of-the-settings", "AC" + "2" * 32))
    assert "s3cr3t-of-the-settings" not in repr(conn.settings) + str(conn.settings)
    assert "s3cr3t-of-the-settings" not in " ".join(
        f"{name}={value!r}" for name, value in conn.settings.arguments().items())


def test_checked_settings_are_normalised() -> None:
    settings = ConnectionSettings(address=" https://api.sydney.au1.twilio.com/ ",
                                  auth_type="Auth Token").checked()
    assert settings.address == "https://api.sydney.au1.twilio.com"
    assert settings.auth_type == "auth_token"


def test_the_timeouts_reach_the_wire_as_given() -> None:
    seen: list[dict[str, float]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, json={"sid": "AC" + "0" * 32})

    conn = tw.Connection("https://api.twilio.com", credential=tw.UserCredentials(
        "AC" + "1" * 32, "token"), auth_type="auth_token", connection_timeout_ms=1250,
        response_timeout_ms=4500, transport=httpx.MockTransport(answer))
    conn.advanced("GET", "/2010-04-01/Accounts/:AccountSid")
    assert seen == [{"connect": 1.25, "read": 4.5, "write": 4.5, "pool": 1.25}]


# -- front ends build, they never patch -------------------------------------------------------
def test_the_magic_leaves_a_python_connection_as_it_was_made(ip: InteractiveShell) -> None:
    conn = tw.connect(sandbox=Sandbox(messages=3), max_retries=9)
    policy = conn.retry_policy
    ip.run_line_magic("config", "TwilioMagics.max_retries = 2")
    try:
        ip.run_line_magic("twilio", 'Message "List Messages"')
        assert conn.retry_policy is policy and policy.max_retries == 9
        assert default_connection() is conn
        ip.run_line_magic("twilio", "connect --sandbox --response-timeout-ms 2500")
        made = default_connection()
        assert made is not None and made is not conn
        assert made.settings == dataclasses.replace(DEFAULTS, sandbox=True, max_retries=2,
                                                    response_timeout_ms=2500)
        assert made.retry_policy.max_retries == 2
    finally:
        ip.run_line_magic("config", f"TwilioMagics.max_retries = {DEFAULTS.max_retries}")


def test_a_bad_connect_flag_is_a_usage_error(ip: InteractiveShell) -> None:
    with pytest.raises(UsageError, match="Connection Timeout"):
        ip.run_line_magic("twilio", "connect --sandbox --connection-timeout-ms 0")


def test_the_tab_builds_new_settings_and_keeps_the_given_connection(tmp_path: Path) -> None:
    events: list[object] = []
    given = tw.Connection(sandbox=Sandbox(messages=1), region="au1", edge="sydney",
                          max_retries=7, retry_budget_s=3.0, on_retry=events.append)
    before = dataclasses.replace(given.settings)
    tab = tab_for(given, tmp_path)
    tab.response_timeout.value = 2500
    tab.reuse.value = False
    built = tab.connection()
    assert built is not given and given.settings == before
    assert given.response_timeout_ms == DEFAULTS.response_timeout_ms
    assert built.settings.response_timeout_ms == 2500
    assert built.settings.reuse_connection is False
    # what the tab has no field for goes on from the given connection's settings
    for name in ("region", "edge", "max_retries", "retry_budget_s"):
        assert getattr(built.settings, name) == getattr(given.settings, name), name
    assert built.on_retry is given.on_retry
    assert tab.python_code() == ("conn = tw.connect(sandbox=True, reuse_connection=False, "
                                 "response_timeout_ms=2500, region='au1', edge='sydney', "
                                 "max_retries=7, retry_budget_s=3.0)")
    assert tab.magic_code() == ("%twilio connect --sandbox --no-reuse --response-timeout-ms "
                                "2500 --region au1 --edge sydney")
