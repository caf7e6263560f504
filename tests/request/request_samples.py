"""What the request tests share: sample SIDs, the sandbox's address, and builds that keep
the checks' warnings quiet (the tests that expect a warning catch it with pytest.warns)."""

from __future__ import annotations

import warnings

from twilio_nb.errors import TwilioWarning
from twilio_nb.request.build import build_advanced, build_basic
from twilio_nb.request.built import BuiltRequest

AC = "AC" + "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"
CA = "CA" + "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6"
SANDBOX = "http://127.0.0.1:4010"


def quiet_basic(*args: object, **kwargs: object) -> BuiltRequest:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TwilioWarning)
        return build_basic(*args, **kwargs)  # type: ignore[arg-type]


def quiet_advanced(*args: object, **kwargs: object) -> BuiltRequest:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TwilioWarning)
        return build_advanced(*args, **kwargs)  # type: ignore[arg-type]
