"""A TwilioWarning, once ``%load_ext twilio_nb`` ran, shows as one line that says it is a
warning, without the file path and source line Python adds (in a notebook: the red stderr
box with /tmp/ipykernel_… that looks like an error). Other warnings are Python's."""

from __future__ import annotations

import warnings

import pytest
from IPython.core.interactiveshell import InteractiveShell

from twilio_nb.errors import TwilioWarning
from twilio_nb.widgets import warning_display


def test_a_twilio_warning_is_one_line_without_a_path(ip: InteractiveShell,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warning_display.install()  # as %load_ext did (catch_warnings put Python's back)
        ip.run_cell("import warnings, twilio_nb as tw\n"
                    "warnings.warn('the To number is not\\nin E.164 form', tw.TwilioWarning)")
    out, err = capsys.readouterr()
    assert out.strip() == "Warning: the To number is not in E.164 form"
    assert err == "" and ".py:" not in out and not caught


def test_other_warnings_stay_pythons(ip: InteractiveShell,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warning_display.install()
        ip.run_cell("import warnings\nwarnings.warn('plain', DeprecationWarning)")
    out, _err = capsys.readouterr()
    assert [str(w.message) for w in caught] == ["plain"] and "plain" not in out


def test_unload_gives_pythons_display_back(ip: InteractiveShell) -> None:
    with warnings.catch_warnings():
        ip.run_line_magic("unload_ext", "twilio_nb")
        ip.run_line_magic("load_ext", "twilio_nb")
        assert warnings.showwarning is warning_display._show
        ip.run_line_magic("unload_ext", "twilio_nb")
        assert warnings.showwarning is not warning_display._show
        ip.run_line_magic("load_ext", "twilio_nb")
    assert issubclass(TwilioWarning, UserWarning)
