"""``%twilio describe`` and ``%twilio help Entity.verb`` in Twilio's words (read at run time
from ../shared/twilio-oai)."""

from __future__ import annotations

import oai_oracle
import pytest
from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell

import twilio_nb as tw


@oai_oracle.needs_specs()
def test_describe_shows_the_description_and_deprecated_columns(ip: InteractiveShell) -> None:
    desc = ip.run_line_magic("twilio", 'describe Message "Send Message"')
    same = tw.catalog.describe("Message", "Send Message")
    assert list(desc.columns) == list(same.columns)
    assert list(desc["description"]) == list(same["description"])
    assert bool(desc.set_index("name").loc["MaxPrice", "deprecated"])


@oai_oracle.needs_specs()
def test_help_shows_the_summary_and_each_parameter_with_its_words(
        ip: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    ip.run_line_magic("twilio", "help Message.send")
    out = capsys.readouterr().out
    op = tw.catalog.find("Message", "Send Message")
    assert out.startswith("Message: Send Message")
    assert oai_oracle.as_text(oai_oracle.op_doc(op)["summary"]) in out
    texts = oai_oracle.param_texts(op)
    for name in ("To", "From", "Body", "MaxPrice"):
        assert f"  {name} (" in out and oai_oracle.as_text(texts[name]) in out
    assert "DEPRECATED" in out.split("  MaxPrice (")[1].split("\n")[0]
    ip.run_line_magic("twilio", 'help Call "List Calls"')
    assert "Call: List Calls" in capsys.readouterr().out


def test_help_alone_is_the_usage_and_a_bad_name_says_how(
        ip: InteractiveShell, capsys: pytest.CaptureFixture[str]) -> None:
    ip.run_line_magic("twilio", "help")
    assert "%twilio help Entity.verb" in capsys.readouterr().out
    with pytest.raises(UsageError, match=r"help Entity\.verb"):
        ip.run_line_magic("twilio", "help Message")
    with pytest.raises(UsageError, match="Unknown entity"):
        ip.run_line_magic("twilio", "help Nonsense.send")
