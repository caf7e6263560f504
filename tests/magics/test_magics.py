"""%twilio in a real IPython shell against the sandbox: the guide's six scenarios and more."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from guide import CONFERENCE_PARTICIPANT_JSON, SEND_MESSAGE_FORM, SEND_MESSAGE_JSON
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import twilio_nb as tw
from twilio_nb import sandbox
from twilio_nb.answers.result import Result

GUIDE_SEND = SEND_MESSAGE_JSON
GUIDE_PARTICIPANT = CONFERENCE_PARTICIPANT_JSON
GUIDE_ADVANCED = SEND_MESSAGE_FORM


def line(ip: InteractiveShell, text: str) -> Any:
    return ip.run_line_magic("twilio", text)


def cell(ip: InteractiveShell, head: str, body: str) -> Any:
    return ip.run_cell_magic("twilio", head, body)


def first_sid(ip: InteractiveShell, text: str) -> str:
    frame = line(ip, text + " --df")
    assert isinstance(frame, pd.DataFrame) and len(frame)
    return str(frame["sid"].iloc[0])


def test_load_and_unload_register_and_remove_the_magics(ip: InteractiveShell) -> None:
    assert "twilio" in ip.magics_manager.magics["line"]
    assert "twilio" in ip.magics_manager.magics["cell"]
    ip.run_line_magic("unload_ext", "twilio_nb")
    assert "twilio" not in ip.magics_manager.magics["line"]
    ip.run_line_magic("load_ext", "twilio_nb")


def test_guide_send_message_basic_json_cell(ip: InteractiveShell) -> None:
    with pytest.warns(tw.TwilioWarning, match="Tags"):
        r = cell(ip, 'Message "Send Message (/Accounts/:AccountSid/Messages)"', GUIDE_SEND)
    assert isinstance(r, Result) and r.status_code == 201
    row = r.df.iloc[0]
    assert row["to"] == "+919876543210" and row["from"] == "+14155552671"
    again = line(ip, f'Message "Get Message" Sid={row["sid"]} --df')
    assert again["body"].iloc[0].startswith("Hi John")


def test_guide_send_message_advanced_form_cell(ip: InteractiveShell) -> None:
    r = cell(ip, "POST /2010-04-01/Accounts/:AccountSid/Messages", GUIDE_ADVANCED)
    assert r.status_code == 201
    assert r.df["to"].iloc[0] == "+919458204599"
    assert r.df["body"].iloc[0].startswith("Hi John, your order")


def test_guide_list_calls_with_a_query(ip: InteractiveShell) -> None:
    calls = line(ip, 'Call "List Calls" --df')
    to = calls["to"].iloc[0]
    r = line(ip, f'Call "List Calls (/Accounts/:AccountSid/Calls)" --query To={to} --format xml')
    assert r.status_code == 200 and len(r.df) >= 1
    assert set(r.df["to"]) == {to}
    by_pair = line(ip, f"Call.list To={to} --df")
    assert set(by_pair["to"]) == {to}


def test_guide_get_recording_and_message_media(ip: InteractiveShell) -> None:
    rec = first_sid(ip, "Recording.list")
    r = line(ip, f'Recording "Get Recording (/Accounts/:AccountSid/Recordings/:Sid)" Sid={rec}')
    assert r.df["sid"].iloc[0] == rec
    messages = line(ip, 'Message "List Messages" --page-size 1000 --df')
    with_media = messages[messages["num_media"].fillna(0) > 0]
    msid = with_media["sid"].iloc[0]
    media = first_sid(ip, f"Media.list MessageSid={msid}")
    r = line(ip, f'Media "Get Message Media" MessageSid={msid} Sid={media} --format xml')
    assert r.df["sid"].iloc[0] == media and r.df["parent_sid"].iloc[0] == msid


def test_guide_create_conference_participant(ip: InteractiveShell) -> None:
    conf = first_sid(ip, "Conference.list")
    r = cell(ip, f'Participant "Create Conference Participant" ConferenceSid={conf}',
             GUIDE_PARTICIPANT)
    assert r.status_code == 201
    assert r.df["conference_sid"].iloc[0] == conf
    assert r.df["label"].iloc[0] == "customer"


def test_a_walk_of_three_pages(ip: InteractiveShell) -> None:
    first = line(ip, "Message.list --page-size 7")
    second = first.next_page()
    third = second.next_page()
    sids = [*first.df["sid"], *second.df["sid"], *third.df["sid"]]
    assert len(sids) == 21 == len(set(sids))
    walked = line(ip, "Message.list --page-size 7 --limit 21")
    assert walked["sid"].tolist() == sids


def test_variables_expand_in_lines_and_cells(ip: InteractiveShell) -> None:
    ip.user_ns["to"] = "+14155550100"
    ip.user_ns["name"] = "Ada"
    r = line(ip, "Message.send To=$to From=+14155552671 Body=Hi_{name}")
    assert r.df["to"].iloc[0] == "+14155550100" and r.df["body"].iloc[0] == "Hi_Ada"
    r = cell(ip, "Message.send", '{"To": "$to", "From": "+14155552671", "Body": "Yo {name}"}')
    assert r.df["body"].iloc[0] == "Yo Ada"


def test_output_options(ip: InteractiveShell) -> None:
    assert line(ip, "Message.list --page-size 3 -o res") is ip.user_ns["res"]
    assert isinstance(ip.user_ns["res"], Result)
    df = line(ip, "Message.list --page-size 3 --df -o frame")
    assert isinstance(df, pd.DataFrame) and ip.user_ns["frame"] is df
    built = line(ip, 'Message "Send Message" To=+14155550100 From=+14155552671 Body=x --dry-run')
    assert built.method == "POST"


def test_copy_as_prints_and_never_shows_the_secret(ip: InteractiveShell,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    for style in ("curl", "python", "cli", "sap", "magic", "twilio_nb"):
        line(ip, f"Message.send To=+14155550100 From=+14155552671 Body=x --as {style}")
    out = capsys.readouterr().out
    assert sandbox.API_KEY_SECRET not in out and sandbox.AUTH_TOKEN not in out
    assert "curl" in out


def test_catalog_commands(ip: InteractiveShell) -> None:
    ents = line(ip, "entities")
    assert "Message" in set(ents["entity"])
    ops = line(ip, "operations Message")
    assert "Send Message (/Accounts/:AccountSid/Messages)" in set(ops["label"])
    desc = line(ip, 'describe Message "Send Message"')
    to = desc[desc["name"] == "To"].iloc[0]
    assert to["in"] == "body" and bool(to["required"])


def test_whoami_history_trace(ip: InteractiveShell) -> None:
    who = line(ip, "whoami")
    assert sandbox.API_KEY_SECRET not in json.dumps(who)
    line(ip, "trace on")
    line(ip, "Message.list --page-size 2")
    hist = line(ip, "history")
    assert len(hist) >= 1 and sandbox.API_KEY_SECRET not in hist.to_csv()
    line(ip, "trace off")


@pytest.mark.parametrize(("text", "expect"), [
    ('Mesage "Send Message"', "Closest: Message"),
    ('Message "Sned"', "Send Message"),
    ("Message.send --bogus", "unrecognized arguments"),
    ('Recording "Get Recording"', "Sid"),
    ("frobnicate", "Cannot tell"),
])
def test_mistakes_are_usage_errors_that_say_the_fix(ip: InteractiveShell, text: str,
                                                    expect: str) -> None:
    with pytest.raises(UsageError, match=expect):
        line(ip, text)


def test_bad_json_in_the_cell_says_line_and_column(ip: InteractiveShell) -> None:
    with pytest.raises(UsageError, match="line 2, column"):
        cell(ip, "Message.send", '{"To": "+14155550100",\n "Body" "x"}')


def test_usage_errors_show_no_traceback(ip: InteractiveShell,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    ip.run_cell('%twilio Mesage "Send Message"')
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "UsageError" in text and "Traceback" not in text


def test_config_sets_defaults(ip: InteractiveShell) -> None:
    ip.run_line_magic("config", "TwilioMagics.response_format = 'csv'")
    r = line(ip, "Message.list --page-size 4")
    assert r.format == "csv" and len(r.df) == 4
    ip.run_line_magic("config", "TwilioMagics.response_format = 'json'")


def test_credentials_add_asks_with_getpass_and_never_echoes(
        ip: InteractiveShell, monkeypatch: pytest.MonkeyPatch, tmp_path: Any,
        capsys: pytest.CaptureFixture[str]) -> None:
    from twilio_nb.session.credentials import CredentialStore

    magics = ip.magics_manager.registry["TwilioMagics"]
    magics.store = CredentialStore(tmp_path / "c.json", use_keyring=False)
    secret = "never-echo-this-secret-0042"
    monkeypatch.setattr("getpass.getpass", lambda prompt="": secret)
    line(ip, f"credentials add demo --user SK{'5' * 32} --account-sid AC{'6' * 32}")
    listed = line(ip, "credentials list")
    assert list(listed["name"]) == ["demo"]
    out = capsys.readouterr().out
    assert secret not in out and secret not in listed.to_csv()
    assert secret not in "\n".join(str(h) for h in ip.history_manager.input_hist_raw)
    line(ip, "credentials remove demo")
    assert line(ip, "credentials list").empty
