"""What an install brings: declared dependencies, keyring only as an extra, one version, the
license and the typing marker in the package."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import twilio_nb

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "twilio_nb"
# import name -> distribution name, where they differ
DISTRIBUTIONS = {"IPython": "ipython", "yaml": "pyyaml"}


def _requirements() -> list[tuple[str, str]]:
    """(distribution, marker) of every Requires-Dist of the installed twilio_nb."""
    out = []
    for line in metadata.requires("twilio_nb") or []:
        spec, _, marker = line.partition(";")
        name = re.match(r"[A-Za-z0-9_.-]+", spec.strip())
        assert name is not None, line
        out.append((name.group(0).lower().replace("_", "-"), marker.strip()))
    return out


def test_keyring_comes_only_with_its_extra() -> None:
    keyring = [marker for name, marker in _requirements() if name == "keyring"]
    assert keyring, "keyring is not offered as an extra"
    assert all(marker == 'extra == "keyring"' or marker == 'extra == "test"'
               for marker in keyring), keyring
    assert "keyring" not in {name for name, marker in _requirements() if not marker}


def test_every_package_imported_by_twilio_nb_is_a_dependency() -> None:
    plain = {name for name, marker in _requirements() if not marker}
    optional = {name for name, marker in _requirements() if marker == 'extra == "keyring"'}
    imported: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {name for name in imported
                   if name not in sys.stdlib_module_names and name not in ("twilio_nb",)}
    wanted = {DISTRIBUTIONS.get(name, name).lower() for name in third_party}
    assert "numpy" in wanted and "platformdirs" in wanted
    assert wanted - plain <= optional, f"imported but not declared: {wanted - plain - optional}"


def test_one_version_source() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert twilio_nb.__version__ == pyproject["project"]["version"] == metadata.version(
        "twilio_nb")
    assert "__version__ = \"" not in (PACKAGE / "__init__.py").read_text(encoding="utf-8")


def test_license_typing_marker_and_changelog() -> None:
    meta = metadata.metadata("twilio_nb")
    assert meta["License-Expression"] == "MIT"
    assert "MIT License" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "twilio_nb contributors" in (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert (PACKAGE / "py.typed").is_file()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "py.typed" in pyproject["tool"]["setuptools"]["package-data"]["twilio_nb"]
    assert "Typing :: Typed" in (meta.get_all("Classifier") or [])
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## Unreleased" in changelog and f"## {twilio_nb.__version__}" in changelog
