"""Fixtures of the sandbox's own tests: a sandbox driven in process (no port).

The served sandbox (``box``, ``served``, ``client``) is in tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from sandbox_http import in_process

from twilio_nb.sandbox import Sandbox


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    """A sandbox with the default seed, for the module (a module wanting another defines its
    own ``sandbox``)."""
    return Sandbox()


@pytest.fixture
def api(sandbox: Sandbox) -> Iterator[httpx.Client]:
    """An httpx client of ``sandbox`` in process, at Twilio's API host."""
    with in_process(sandbox) as c:
        yield c
