#!/usr/bin/env bash
# Installs everything the tests need into .venv and runs lint, types and the tests; then runs
# the convert, paging and magics suites under pandas 2.2 (Colab's) in .venv-pandas22.
# Usage: bash scripts/test.sh [pytest args...]   (TWILIO_NB_SKIP_PANDAS22=1 skips the second)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
# Chromium from Debian's packages, for the real-browser test of the widget form
# (a test tool's own browser download cannot work here; the test skips without it).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== installing chromium (Debian package)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[test]"
echo "== ruff"
.venv/bin/ruff check twilio_nb tests scripts benchmarks
echo "== mypy"
.venv/bin/mypy
echo "== pytest"
.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
# pandas 2.2 (Colab's) in a second environment: the suites that build frames must give the
# same frames there (see docs/pandas.md). Measured: about 1.5 min to install, 25 s to run.
if [ "${TWILIO_NB_SKIP_PANDAS22:-0}" != 1 ]; then
  if [ ! -x .venv-pandas22/bin/python ]; then
    "$PY" -m venv .venv-pandas22
  fi
  .venv-pandas22/bin/python -m pip install --quiet --upgrade pip
  .venv-pandas22/bin/python -m pip install --quiet -e ".[test]" "pandas==2.2.*"
  echo "== pytest (pandas $(.venv-pandas22/bin/python -c 'import pandas; print(pandas.__version__)'))"
  .venv-pandas22/bin/python -m pytest -q -p no:cacheprovider \
    tests/convert/test_convert*.py tests/paging/walk/test_paging*.py tests/magics/test_magics.py
fi
