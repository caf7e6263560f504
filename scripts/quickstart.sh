#!/usr/bin/env bash
# Installs twilio_nb with Jupyter into .venv, runs the quickstart notebook headless on the
# offline sandbox (the executed copy goes to build/quickstart.ipynb), then opens JupyterLab on
# it. Set NO_LAB=1 (or run under CI) to stop after the headless run.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[notebook]"
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
mkdir -p build
.venv/bin/python scripts/run_notebook.py notebooks/quickstart.ipynb build/quickstart.ipynb
if [ -z "${NO_LAB:-}" ] && [ -z "${CI:-}" ]; then
  extra=()
  [ "$(id -u)" = 0 ] && extra+=(--allow-root)
  exec .venv/bin/jupyter lab --ServerApp.ip=127.0.0.1 --no-browser "${extra[@]}" \
    notebooks/quickstart.ipynb
fi
