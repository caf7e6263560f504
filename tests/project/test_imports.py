"""The package's import graph, read with ``ast`` from every module (imports under
TYPE_CHECKING and inside functions counted): no circles, nothing imports the package face, the
core imports no front end and no sandbox, and ``import twilio_nb`` stays without pandas."""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "twilio_nb"
FACE = "twilio_nb"
OUTSIDE_THE_CORE = ("twilio_nb.sandbox", "twilio_nb.widgets", "twilio_nb.magics")
FRONT_END_LIBRARIES = ("IPython", "ipywidgets")

#: module -> {imported name: line}; a name is a module of the package where it is one
Graph = dict[str, dict[str, int]]


def modules(package: Path) -> dict[str, Path]:
    return {".".join(path.relative_to(package.parent).with_suffix("").parts)
            .removesuffix(".__init__"): path for path in sorted(package.rglob("*.py"))}


def imported(name: str, path: Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """What ``path`` (module ``name``) imports, anywhere in it: ``from pkg import sub`` names
    the submodule ``pkg.sub`` when there is one, else ``pkg`` (a name defined in it)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                yield (sub if sub in known else source), node.lineno


def import_graph(package: Path) -> tuple[Graph, Graph]:
    """(edges between the package's modules, every import of each module)."""
    found = modules(package)
    inside: Graph = {}
    every: Graph = {}
    for name, path in found.items():
        every[name] = {}
        for target, line in imported(name, path, set(found)):
            every[name].setdefault(target, line)
        inside[name] = {t: line for t, line in every[name].items() if t in found}
    return inside, every


def circles(graph: Graph) -> list[str]:
    """Each import circle as ``a:LINE -> b:LINE -> a``, one per group of modules that
    reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [_path_round(graph, min(group), set(group)) for group in groups]


def _path_round(graph: Graph, start: str, group: set[str]) -> str:
    """The shortest way from ``start`` back to itself inside ``group``, with line numbers."""
    came: dict[str, str] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node]):
            if nxt not in group or nxt in came:
                continue
            came[nxt] = node
            if nxt == start:
                queue = []
                break
            queue.append(nxt)
    way = [start]
    while True:
        way.insert(0, came[way[0]])
        if way[0] == start:
            break
    steps = [f"{a}:{graph[a][b]}" for a, b in itertools.pairwise(way)]
    return " -> ".join([*steps, start])


def within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


GRAPH, EVERY = import_graph(PACKAGE)
CORE = sorted(m for m in GRAPH if m != FACE and not within(m, OUTSIDE_THE_CORE))


def test_no_module_imports_one_that_imports_it_back() -> None:
    found = circles(GRAPH)
    assert not found, "import circles (TYPE_CHECKING and function imports count):\n" + \
        "\n".join(found)


def test_a_circle_through_type_checking_and_a_function_is_found_and_named(
        tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                                  "    from .b import B\n")
    (package / "b.py").write_text("from . import c\n")
    (package / "c.py").write_text("def f():\n    from pkg import a\n")
    (package / "d.py").write_text("from .a import x\nfrom . import b\n")
    graph, _ = import_graph(package)
    assert circles(graph) == ["pkg.a:3 -> pkg.b:1 -> pkg.c:2 -> pkg.a"]


def test_no_module_inside_the_package_imports_the_package_face() -> None:
    offenders = [f"{name}:{line}" for name, targets in GRAPH.items()
                 for target, line in targets.items() if target == FACE]
    assert not offenders, f"these import from twilio_nb/__init__.py: {offenders}"


def test_the_core_imports_no_front_end_and_no_sandbox() -> None:
    """The core (connection, credentials, catalog, request, executor, convert, paging, result
    and the rest outside sandbox/, widgets/, magics/ and the face) never imports IPython,
    ipywidgets, the sandbox, the widgets or the magics, not even lazily."""
    assert {"twilio_nb.session.connection", "twilio_nb.session.credentials",
            "twilio_nb.transport.executor",
            "twilio_nb.answers.result", "twilio_nb.paging._walk", "twilio_nb.convert",
            "twilio_nb.session.sandbox_seam"} <= set(CORE)
    offenders = [f"{name}:{line} imports {target}" for name in CORE
                 for target, line in EVERY[name].items()
                 if within(target, (*OUTSIDE_THE_CORE, *FRONT_END_LIBRARIES))]
    assert not offenders, offenders


def test_the_walk_and_the_result_stay_below_the_connection() -> None:
    """A Result pages through what its connection handed it (``Origin``), and the one walk
    knows pages, not results or connections."""
    assert "twilio_nb.session.connection" not in GRAPH["twilio_nb.answers.result"]
    assert not {m for m in GRAPH["twilio_nb.paging._walk"]
                if m.startswith(("twilio_nb.answers.result", "twilio_nb.session.connection"))}



#: The layers, from the ground up: a part may import the parts of the layers below its own,
#: never one of its own layer or above (docs/architecture.md draws them). A part is a
#: top-level module or package of twilio_nb; a new one must take its place here.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "_version"),
    ("vocabulary",),
    ("catalog",),
    ("convert", "request"),
    ("copy_as", "transport"),
    ("paging",),
    ("answers",),
    ("session",),
    ("webhooks",),
    ("widgets",),
    ("magics",),
    ("__init__",),
)
#: Beside the layers: the sandbox, an offline Twilio that the core never imports. It may
#: import these parts (and modules) of the core, which it answers like Twilio does.
BESIDE = {"sandbox": ("errors", "vocabulary", "catalog", "webhooks.signature",
                      "webhooks.twiml")}


def part_of(module: str) -> str:
    """``twilio_nb.paging._walk`` -> ``paging``; the face is ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def allowed_imports(layers: tuple[tuple[str, ...], ...] = LAYERS,
                    beside: dict[str, tuple[str, ...]] = BESIDE) -> dict[str, tuple[str, ...]]:
    """Each part's allowed imports: every part of a lower layer (beside parts as listed;
    the face may import them too)."""
    allowed: dict[str, tuple[str, ...]] = {}
    below: tuple[str, ...] = ()
    for layer in layers:
        for part in layer:
            allowed[part] = below + (tuple(beside) if part == "__init__" else ())
        below += layer
    allowed.update(beside)
    return allowed


def layer_breaks(graph: Graph, allowed: dict[str, tuple[str, ...]]) -> list[str]:
    """Every import of one part by another that the layers do not allow, as
    ``module:LINE imports target``."""
    found = []
    for name, targets in graph.items():
        for target, line in targets.items():
            mine, theirs = part_of(name), part_of(target)
            if mine == theirs:
                continue
            rest = target.split(".", 1)[1] if "." in target else ""
            if not any(rest == a or rest.startswith(a + ".") for a in allowed[mine]):
                found.append(f"{name}:{line} imports {target} ({mine} may import "
                             f"{', '.join(allowed[mine]) or 'nothing of twilio_nb'})")
    return found


def test_every_part_of_the_package_has_a_place_in_the_layers() -> None:
    parts = {part_of(m) for m in GRAPH}
    placed = set(allowed_imports())
    assert parts - placed == set(), "give these parts a layer in LAYERS (or BESIDE)"
    assert placed - parts == set(), "LAYERS names parts that do not exist"


def test_no_part_imports_its_own_layer_or_one_above() -> None:
    """Each package's allowed imports (point 1 of the layout): lower layers only; the
    sandbox beside them takes only the protocol modules it answers with."""
    found = layer_breaks(GRAPH, allowed_imports())
    assert not found, "imports against the layers:\n" + "\n".join(found)


def test_an_import_against_the_layers_is_found_and_named(tmp_path: Path) -> None:
    package = tmp_path / "twilio_nb"
    (package / "paging").mkdir(parents=True)
    (package / "session").mkdir()
    (package / "__init__.py").write_text("")
    (package / "errors.py").write_text("")
    (package / "paging" / "__init__.py").write_text("from ..errors import x\n")
    (package / "paging" / "_walk.py").write_text("def f():\n    from ..session import c\n")
    (package / "session" / "__init__.py").write_text("from .. import paging\n")
    graph, _ = import_graph(package)
    layers = (("errors",), ("paging",), ("session",), ("__init__",))
    assert layer_breaks(graph, allowed_imports(layers, {})) == [
        "twilio_nb.paging._walk:2 imports twilio_nb.session (paging may import errors)"]


HEAVY = ("pandas", "pyarrow", "lxml", "IPython", "ipywidgets", "tqdm", "twilio_nb.sandbox",
         "twilio_nb.convert", "twilio_nb.widgets", "twilio_nb.magics")


def test_import_twilio_nb_loads_no_heavy_module() -> None:
    """What the deferred imports are for: ``import twilio_nb`` stays quick (pandas alone is
    most of half a second); they load when an answer is read, a sandbox or a form is made."""
    code = "import sys, twilio_nb; print(*sorted(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True)
    loaded = out.stdout.split()
    assert "twilio_nb.session.connection" in loaded
    assert not [m for m in loaded if within(m, HEAVY)]
