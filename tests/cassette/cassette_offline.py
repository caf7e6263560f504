"""A Python process with no account, no network and no sandbox: where a replay must work.

:func:`offline_env` is the environment of such a process: no ``TWILIO_*`` variable, a fresh
``HOME``, and on ``PYTHONPATH`` a ``sitecustomize`` (written by :func:`poison`) that makes
``import twilio_nb.sandbox`` fail and every socket connection to anywhere but the kernel's
own loopback ports (``allow_loopback``, for a notebook kernel's ZeroMQ) refused."""

from __future__ import annotations

import os
from pathlib import Path

WORKTREE = Path(__file__).resolve().parents[2]

SITECUSTOMIZE = '''
import socket, sys
sys.modules["twilio_nb.sandbox"] = None  # "import twilio_nb.sandbox" raises ImportError
_ALLOW_LOOPBACK = {allow_loopback!r}
_connect = socket.socket.connect

def _refused(self, address, *args):
    host = address[0] if isinstance(address, tuple) else address
    if _ALLOW_LOOPBACK and host in ("127.0.0.1", "::1", "localhost"):
        return _connect(self, address, *args)
    raise OSError(f"no network in this test (connect to {{address!r}})")

socket.socket.connect = _refused
socket.socket.connect_ex = _refused
'''


def poison(folder: Path, *, allow_loopback: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(SITECUSTOMIZE.format(allow_loopback=allow_loopback))
    return folder


def offline_env(tmp: Path, *, allow_loopback: bool = False) -> dict[str, str]:
    site = poison(tmp / "site", allow_loopback=allow_loopback)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("TWILIO") and k not in ("PYTHONPATH", "HTTP_PROXY",
                                                         "HTTPS_PROXY")}
    env.update({"PYTHONPATH": os.pathsep.join([str(site), str(WORKTREE)]), "HOME": str(tmp),
                "XDG_CONFIG_HOME": str(tmp / "config")})
    return env
