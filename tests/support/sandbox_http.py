"""An httpx client of a sandbox in process: its httpx transport (no port, no thread),
addressed as Twilio's API host, with the sandbox's credentials. For the tests that drive or
seed a sandbox directly; the served one (a loopback port) is conftest's ``client``."""

from __future__ import annotations

import httpx

from twilio_nb.sandbox import Sandbox


def in_process(sandbox: Sandbox) -> httpx.Client:
    """A client of ``sandbox`` through its transport, at ``https://api.twilio.com``."""
    return httpx.Client(transport=sandbox.transport(), base_url="https://api.twilio.com",
                        auth=sandbox.auth())
