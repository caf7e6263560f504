"""The public names: an explicit __all__, and a core that never imports IPython or ipywidgets."""

from __future__ import annotations

import subprocess
import sys

import twilio_nb as tw


def test_all_is_explicit_and_every_name_exists() -> None:
    assert sorted(tw.__all__) == tw.__all__
    for name in tw.__all__:
        assert hasattr(tw, name), name
    assert {"Connection", "connect", "TwilioError", "TwilioApiError", "ConfigurationError",
            "UserCredentials", "catalog"} <= set(tw.__all__)


def test_errors_share_one_base() -> None:
    for name in ("ConfigurationError", "TwilioApiError", "TransportError", "TwilioTimeoutError",
                 "PagingError", "ResponseFormatError", "ReplayError"):
        assert issubclass(getattr(tw, name), tw.TwilioError)


def test_the_core_never_imports_ipython_or_ipywidgets() -> None:
    code = ("import sys, twilio_nb, twilio_nb.request.build, twilio_nb.convert, twilio_nb.sandbox;"
            "c = twilio_nb.connect(sandbox=True);"
            "c.basic('Message', 'List Messages', query='PageSize=5').df;"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('IPython', 'ipywidgets')];"
            "print(bad); assert not bad")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
