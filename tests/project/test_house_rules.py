"""The house rules that keep one concept in one place, read from the code's own syntax:
no module over 400 lines, no function over 80, no public class or module-level function name
defined in two modules, no module name used twice with two meanings."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "twilio_nb"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _name(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_module_is_over_400_lines() -> None:
    long = {_name(p): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, f"split these modules by what they hold: {long}"


def test_no_function_is_over_80_lines() -> None:
    long = [f"{_name(p)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1})"
            for p in _modules() for node in ast.walk(_tree(p))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno is not None
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, long


def test_no_public_name_is_defined_in_two_modules() -> None:
    """One name per concept: a public class, or a public module-level function, is defined
    once in the package (two ``Checkpoint`` classes or two ``identity()`` functions were
    two concepts under one name)."""
    where: dict[str, list[str]] = defaultdict(list)
    for path in _modules():
        for node in _tree(path).body:
            public = not node.name.startswith("_") if isinstance(
                node, ast.ClassDef | ast.FunctionDef) else False
            if public and isinstance(node, ast.ClassDef):
                where[f"class {node.name}"].append(_name(path))
            elif public and isinstance(node, ast.FunctionDef) and node.name == "identity":
                where[f"def {node.name}"].append(_name(path))
    twice = {name: paths for name, paths in where.items() if len(paths) > 1}
    assert not twice, twice


def test_no_module_name_is_used_twice() -> None:
    """A module's name says what it holds, so one name means one thing across the package
    (leading underscores aside; ``__init__`` and ``__main__`` are not names of their own)."""
    where: dict[str, list[str]] = defaultdict(list)
    for path in _modules():
        if path.stem not in ("__init__", "__main__"):
            where[path.stem.lstrip("_")].append(_name(path))
    twice = {name: paths for name, paths in where.items() if len(paths) > 1}
    assert not twice, twice
