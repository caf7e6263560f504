"""Jupyter front ends on loopback for the real-browser tests (see ../shared/BROWSER-TESTING.md).

``start_lab(root, state)`` runs ``python -m jupyterlab`` (``app="notebook"``: Notebook 7) on a
free 127.0.0.1 port, without a token, with its own workspaces, settings, runtime and
credential folders under ``state`` (no tab of an earlier run reopens, no news pop-up, widget
state saved with the notebook), and waits until it answers. ``start_voila(notebook, state)``
serves one notebook as a Voila app. ``chromium()`` is headless Chromium whose pages reach
127.0.0.1 only. ``missing()`` says what the tests need and do not have. ``run_all(page)``
runs every cell of the open notebook and waits for the form.
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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


ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# The kernel is ready: JupyterLab's execution indicator says idle (Notebook 7 may show its
# kernel status instead).
LAB_READY = ".jp-Notebook-ExecutionIndicator[data-status='idle']"
NOTEBOOK7_READY = f"{LAB_READY}, #jp-NotebookKernelStatus, .jp-KernelStatus"


def missing(*modules: str) -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists():
        return (f"no Chromium at {CHROMIUM} (install it: apt-get install -y chromium; "
                "scripts/test.sh does)")
    for module in ("playwright", "jupyterlab", "ipykernel", *modules):
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


def _environment(state: Path, dirs: dict[str, str]) -> dict[str, str]:
    """The server's (and its kernels') environment: no TWILIO_* variable of the machine (but
    the suite's source of Twilio's words: tests never download), its own Jupyter folders and
    credential store, no system keyring."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("TWILIO_") or k == "TWILIO_NB_OPENAPI"}
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
    return env


def _serve(command: list[str], root: Path, env: dict[str, str], log: Path, url: str,
           ready: str, timeout: float) -> Lab:
    """Start ``command`` and wait until ``url + ready`` answers (200; ``ready=""``: any HTTP
    answer)."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    lab = Lab(url, root, process, log)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"{command[2]} exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            answer = httpx.get(url + (ready or "/favicon.ico"), timeout=1)
            if answer.status_code == 200 or not ready:
                return lab
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    lab.stop()
    raise RuntimeError(f"{command[2]} did not answer in {timeout} s: "
                       f"{log.read_text(errors='replace')[-2000:]}")


def start_lab(root: Path, state: Path, timeout: float = 40.0, app: str = "jupyterlab") -> Lab:
    """JupyterLab (``app="notebook"``: Notebook 7) serving ``root``; its private folders go
    under ``state``."""
    env = _environment(state, _write_settings(state))
    port = free_port()
    command = [sys.executable, "-m", app, "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--port={port}", "--ServerApp.token=", "--ServerApp.password=",
               f"--ServerApp.root_dir={root}", "--allow-root"]
    if app == "jupyterlab":
        command += ["--LabApp.news_url=None",
                    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
                    "--LabApp.extension_manager=readonly"]
    return _serve(command, root, env, state / f"{app}.log", f"http://127.0.0.1:{port}",
                  "/api/status", timeout)


def start_voila(notebook_path: Path, state: Path, timeout: float = 40.0) -> Lab:
    """Voila serving ``notebook_path`` as an app at its ``/`` (each visit runs it anew)."""
    env = _environment(state, _write_settings(state))
    port = free_port()
    command = [sys.executable, "-m", "voila", str(notebook_path), "--no-browser",
               "--Voila.ip=127.0.0.1", f"--port={port}", "--show_tracebacks=True"]
    return _serve(command, notebook_path.parent, env, state / "voila.log",
                  f"http://127.0.0.1:{port}", "", timeout)  # (its API asks for a login)


@contextmanager
def chromium(width: int = 1280, height: int = 2000) -> Iterator[Any]:
    """A page of headless Chromium that reaches 127.0.0.1 and nothing else."""
    from playwright.sync_api import sync_playwright  # only when a browser test runs

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                    headless=True)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            context.route("**/*", lambda route: route.continue_()
                          if urlsplit(route.request.url).hostname == "127.0.0.1"
                          else route.abort())
            page = context.new_page()
            page.set_default_timeout(20_000)
            yield page
        finally:
            browser.close()


def notebook(cells: list[str]) -> dict[str, object]:
    """An nbformat 4 notebook of code cells."""
    return {
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                   "source": source} for source in cells],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }


def run_all(page: Any, ready: str = LAB_READY) -> None:
    """Run → Run All Cells once the kernel is ``ready`` (a selector: LAB_READY or
    NOTEBOOK7_READY), again if the first click ran nothing (BROWSER-TESTING.md), until the
    form shows."""
    page.locator(".jp-Notebook .jp-Cell").first.wait_for()
    page.locator(ready).first.wait_for()
    page.wait_for_timeout(1000)
    if page.locator(".jp-Dialog").count():  # none expected; never let one block the menu
        page.keyboard.press("Escape")
    for _ in range(3):
        page.locator(".lm-MenuBar-itemLabel:text-is('Run')").click()
        page.locator(".lm-Menu-itemLabel:text-is('Run All Cells')").click()
        try:
            page.locator("label:text-is('Configuration Type')").wait_for(timeout=15_000)
            return
        except Exception:
            page.keyboard.press("Escape")
    raise AssertionError("the form did not show after Run All Cells")
