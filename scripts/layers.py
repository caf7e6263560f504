#!/usr/bin/env python3
"""The package's layers, read from its imports: the rules and the drawing.

    python scripts/layers.py            # print the drawing (Markdown) of twilio_nb's parts
    python scripts/layers.py --write    # write it into docs/architecture.md
    python scripts/layers.py --check    # exit 1 when docs/architecture.md's drawing is stale

Every import of every module is read with ``ast`` (imports under TYPE_CHECKING and inside
functions count). A *part* is a top-level module or package of ``twilio_nb``; :data:`LAYERS`
places each part on a layer, and a part may import the parts of the layers below its own,
never one of its own layer or above. ``tests/project/test_imports.py`` holds the package to these
rules (no circles, no import against the layers, every part placed); docs/architecture.md
shows the drawing this script prints, between its ``layers:begin`` and ``layers:end`` marks.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "twilio_nb"
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- layers:begin (python scripts/layers.py --write) -->", "<!-- layers:end -->"

#: The layers, from the ground up: a part may import the parts of the layers below its own,
#: never one of its own layer or above. A new part must take its place here.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "_version"),
    ("vocabulary",),
    ("catalog",),
    ("convert", "request"),
    ("copy_as", "transport", "cassette", "webhook_protocol"),
    ("paging",),
    ("answers", "bulk_export"),
    ("batch", "webhooks"),
    ("session",),
    ("widgets",),
    ("magics",),
    ("__init__",),
)
#: Beside the layers: the sandbox, an offline Twilio that the core never imports. It may
#: import these parts of the core, which it answers like Twilio does (the webhook protocol:
#: the signature it signs callbacks with, the TwiML it reads).
BESIDE: dict[str, tuple[str, ...]] = {
    "sandbox": ("errors", "vocabulary", "catalog", "webhook_protocol"),
}

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


def import_graph(package: Path = PACKAGE) -> tuple[Graph, Graph]:
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


def part_of(module: str) -> str:
    """``twilio_nb.paging._walk`` -> ``paging``; the face is ``__init__``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def allowed_imports(layers: tuple[tuple[str, ...], ...] = LAYERS,
                    beside: dict[str, tuple[str, ...]] | None = None
                    ) -> dict[str, tuple[str, ...]]:
    """Each part's allowed imports: every part of a lower layer (the face may import the
    parts beside the layers too; those import what :data:`BESIDE` lists)."""
    beside = BESIDE if beside is None else beside
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
    ``module:LINE imports target (part may import ...)``."""
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


def part_edges(graph: Graph) -> dict[str, set[str]]:
    """Which parts each part imports (any of its modules, any of theirs)."""
    edges: dict[str, set[str]] = {part_of(m): set() for m in graph}
    for name, targets in graph.items():
        for target in targets:
            if part_of(target) != part_of(name):
                edges[part_of(name)].add(part_of(target))
    return edges


def _shown(part: str) -> str:
    if part == "__init__":
        return "twilio_nb (the face)"
    return f"{part}/" if (PACKAGE / part).is_dir() else f"{part}.py"


def drawing(package: Path = PACKAGE) -> str:
    """The Markdown drawing of the parts: a Mermaid chart of the imports that are not implied
    by others (what an arrow through a third part already says is left out), and a table of
    every part's layer and direct imports."""
    graph, _ = import_graph(package)
    edges = part_edges(graph)
    reach: dict[str, set[str]] = {}

    def reached(part: str) -> set[str]:
        if part not in reach:
            reach[part] = set()
            for nxt in edges.get(part, ()):
                reach[part] |= {nxt, *reached(nxt)}
        return reach[part]

    ids = {part: "face" if part == "__init__" else part.strip("_") for part in edges}
    out = ["```mermaid", "flowchart TD"]
    out += [f'  {ids[part]}["{_shown(part)}"]' for layer in reversed(LAYERS) for part in layer
            if part in edges] + [f'  {ids[part]}["{_shown(part)}"]' for part in BESIDE]
    for part, targets in sorted(edges.items()):
        for target in sorted(targets):
            if not any(target in reached(other) for other in targets - {target}):
                out.append(f"  {ids[part]} --> {ids[target]}")
    out += ["```", "", "| layer | part | imports |", "| --- | --- | --- |"]
    placed = [(str(n), layer) for n, layer in enumerate(LAYERS, 1)]
    placed += [("beside", (part,)) for part in BESIDE]
    for where, layer in reversed(placed):
        for part in layer:
            if part in edges:
                imports = ", ".join(_shown(t) for t in sorted(edges[part])) or "—"
                out.append(f"| {where} | `{_shown(part)}` | {imports} |")
    return "\n".join(out) + "\n"


def _in_doc(text: str, drawn: str) -> str:
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{drawn}{END}{tail}"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write docs/architecture.md")
    parser.add_argument("--check", action="store_true", help="exit 1 when it is stale")
    args = parser.parse_args(argv)
    drawn = drawing()
    if not (args.write or args.check):
        print(drawn, end="")
        return 0
    text = DOC.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        print(f"{DOC} has no {BEGIN} ... {END} marks", file=sys.stderr)
        return 2
    wanted = _in_doc(text, drawn)
    if args.check:
        if wanted != text:
            print(f"{DOC.name}'s drawing is stale: run python scripts/layers.py --write",
                  file=sys.stderr)
            return 1
        return 0
    DOC.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
