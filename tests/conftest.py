from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from IPython.core.interactiveshell import InteractiveShell

# The shared helpers (loopback, guide, ...) are imported by bare name from any folder.
sys.path.insert(0, str(Path(__file__).parent / "support"))

import loopback
import sandbox_lists

import twilio_nb as tw
from twilio_nb.sandbox import Sandbox, SandboxServer
from twilio_nb.session.default import set_default_connection

SPECS = Path(__file__).resolve().parents[2] / "shared" / "twilio-oai"
# Twilio's words are read from ../shared/twilio-oai; never downloaded by the test suite (without
# the folder, the variable names it anyway: the words are then absent, with one note).
os.environ.setdefault("TWILIO_NB_OPENAPI", str(SPECS))


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


@pytest.fixture(scope="module")
def sids(box: Sandbox) -> dict[str, str]:
    """The SIDs of the seeded parents (call, message with media, conference) that
    ``sandbox_lists.LISTS``' paths name, in the module's sandbox."""
    with httpx.Client(transport=box.transport(), base_url="http://sandbox",
                      auth=box.auth()) as c:
        return sandbox_lists.parent_sids(c)


@pytest.fixture
def conn(served: SandboxServer, box: Sandbox) -> Iterator[tw.Connection]:
    """A Connection to the module's sandbox server; faults are off before and after."""
    box.faults.clear()
    c = tw.Connection(served.url, credential="sandbox", backoff_base_s=0.01, max_retries=2)
    yield c
    box.faults.clear()
    c.close()


@pytest.fixture
def ip() -> Iterator[InteractiveShell]:
    """A real IPython shell with the extension loaded; the default connection is a sandbox
    of 60 messages."""
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "twilio_nb")
    set_default_connection(tw.Connection(sandbox=Sandbox(messages=60)))
    yield shell
    shell.run_line_magic("unload_ext", "twilio_nb")
    set_default_connection(None)


def needs_specs() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not SPECS.is_dir(), reason=f"Twilio's specs are not at {SPECS} "
                              "(../shared/twilio-oai beside the checkout)")
