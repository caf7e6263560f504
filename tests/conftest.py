from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).parent))

import loopback

from twilio_nb.sandbox import Sandbox, SandboxServer

SPECS = Path(__file__).resolve().parents[2] / "shared" / "twilio-oai"


@pytest.fixture
def server() -> Iterator[loopback.Loopback]:
    lb = loopback.start()
    yield lb
    lb.stop()


@pytest.fixture
def other_server() -> Iterator[loopback.Loopback]:
    """A second loopback server: a host that must never see credentials."""
    lb = loopback.start()
    yield lb
    lb.stop()


@pytest.fixture(scope="module")
def box(request: pytest.FixtureRequest) -> Sandbox:
    """A sandbox for the module, with the module's ``MESSAGES`` seeded messages."""
    return Sandbox(messages=getattr(request.module, "MESSAGES", 2500))


@pytest.fixture(scope="module")
def served(box: Sandbox) -> Iterator[SandboxServer]:
    """The module's sandbox on a loopback port."""
    with box.serve() as server:
        yield server


@pytest.fixture
def client(box: Sandbox, served: SandboxServer) -> Iterator[httpx.Client]:
    """An httpx client of the module's sandbox server, with the sandbox's credentials; faults
    and the rate limit are off before and after."""
    box.faults.clear()
    box.set_rate_limit(None)
    with httpx.Client(base_url=served.url, auth=box.auth(), timeout=5) as c:
        yield c
    box.faults.clear()
    box.set_rate_limit(None)


def needs_specs() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not SPECS.is_dir(), reason=f"Twilio's specs are not at {SPECS} "
                              "(../shared/twilio-oai beside the checkout)")
