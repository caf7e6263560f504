"""JupyterLab on loopback for the real-browser tests (see ../shared/BROWSER-TESTING.md).

``start_lab(root)`` runs ``python -m jupyterlab`` on a free 127.0.0.1 port, without a token,
with its own workspaces, settings, runtime and credential folders under ``root`` (no tab of
an earlier run reopens, no news pop-up, widget state saved with the notebook), and waits
until it answers. ``missing()`` says what the tests need and do not have.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"checkForUpdates": False, "fetchNews": "false"},
    "@jupyter-widgets/jupyterlab-manager/plugin.jupyterlab-settings": {"saveState": True},
}
OVERRIDES = {"@jupyterlab/apputils-extension:notification":
             {"checkForUpdates": False, "fetchNews": "false"},
             "@jupyter-widgets/jupyterlab-manager:plugin": {"saveState": True}}


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return (f"no Chromium at {CHROMIUM} (install it: apt-get install -y chromium)")
    for module in ("playwright", "jupyterlab", "ipykernel"):
        if importlib.util.find_spec(module) is None:
            return f"the Python package {module} is not installed (pip install {module})"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Lab:
    url: str
    root: Path
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # ends its kernels too
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def _write_settings(base: Path) -> dict[str, str]:
    settings, workspaces, app_settings = base / "settings", base / "workspaces", base / "app"
    for name, values in SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    workspaces.mkdir(parents=True, exist_ok=True)
    app_settings.mkdir(parents=True, exist_ok=True)
    (app_settings / "overrides.json").write_text(json.dumps(OVERRIDES), encoding="utf-8")
    return {"settings": str(settings), "workspaces": str(workspaces),
            "app_settings": str(app_settings)}


def start_lab(root: Path, state: Path, timeout: float = 40.0) -> Lab:
    """JupyterLab serving ``root``; its private folders go under ``state``."""
    dirs = _write_settings(state)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWILIO_")}
    env.update({
        "JUPYTERLAB_SETTINGS_DIR": dirs["settings"],
        "JUPYTERLAB_WORKSPACES_DIR": dirs["workspaces"],
        "JUPYTER_RUNTIME_DIR": str(state / "runtime"),
        "JUPYTER_CONFIG_DIR": str(state / "config"),
        "JUPYTER_DATA_DIR": str(state / "data"),  # its own notebook-signature database
        "IPYTHONDIR": str(state / "ipython"),
        "TWILIO_NB_CREDENTIALS": str(state / "credentials.json"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    })
    log = state / "jupyterlab.log"
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--port={port}", "--ServerApp.token=", "--ServerApp.password=",
               f"--ServerApp.root_dir={root}", "--allow-root", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.extension_manager=readonly",
               ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    lab = Lab(url, root, process, log)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"JupyterLab exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{url}/api/status", timeout=1).status_code == 200:
                return lab
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    lab.stop()
    raise RuntimeError(f"JupyterLab did not answer in {timeout} s: "
                       f"{log.read_text(errors='replace')[-2000:]}")


def notebook(cells: list[str]) -> dict[str, object]:
    """An nbformat 4 notebook of code cells."""
    return {
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": source} for source in cells],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
