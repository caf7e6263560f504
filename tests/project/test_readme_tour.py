"""Every code block of the README's tour and magics sections runs as written on the sandbox:
Python blocks in one namespace (each top-level expression shown, as a notebook would), the
`%twilio` blocks in a real IPython shell, `python -c` lines in a subprocess. Files the tour
writes land in a temporary working directory."""

from __future__ import annotations

import ast
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell

from twilio_nb.webhooks.inbox import Inbox

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def section(title: str) -> str:
    return README.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def blocks(kind: str) -> list[str]:
    found: list[str] = []
    for title in ("A short tour", "Magics"):
        for lang, body in FENCE.findall(section(title)):
            magic = lang == "" and body.lstrip().startswith("%")
            if (kind, lang) == ("python", "python") or (kind == "magic" and magic):
                found.append(body)
            elif kind == "shell" and lang == "bash":
                found += [line for line in body.splitlines() if line.startswith("python ")]
    return found


def test_the_tour_has_python_magic_and_shell_blocks() -> None:
    assert blocks("python") and blocks("magic") and blocks("shell")


def run_python(source: str, namespace: dict[str, Any]) -> None:
    for node in ast.parse(source).body:
        where = f"README line: {ast.get_source_segment(source, node)}"
        if isinstance(node, ast.Expr):
            value = eval(compile(ast.Expression(node.value), "README", "eval"), namespace)
            assert isinstance(repr(value), str), where     # shown, as a notebook would
        else:
            exec(compile(ast.Module([node], []), "README", "exec"), namespace)


def test_the_python_tour_runs_on_the_sandbox(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    try:
        for block in blocks("python"):
            run_python(block, namespace)
    finally:
        for value in namespace.values():
            if isinstance(value, Inbox):
                value.close()
    assert (tmp_path / "messages.parquet").stat().st_size > 0
    inbox_rows = namespace["inbox"].df
    assert list(inbox_rows["MessageStatus"])[-1] == "delivered"


def test_the_magic_blocks_run_in_ipython(ip: InteractiveShell, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for _ in range(2):  # twice: a line that writes a file can be run again
        for block in blocks("magic"):
            result = ip.run_cell(block)
            assert result.success, (block, result.error_before_exec or result.error_in_exec)
    assert (tmp_path / "calls.parquet").stat().st_size > 0


@pytest.mark.parametrize("line", blocks("shell"))
def test_the_shell_lines_run(line: str, tmp_path: Path) -> None:
    argv = shlex.split(line)
    done = subprocess.run([sys.executable, *argv[1:]], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
