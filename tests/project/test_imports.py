"""The package's import graph, read with ``ast`` from every module (imports under
TYPE_CHECKING and inside functions counted): no circles, each part imports only the layers
below it (``scripts/layers.py`` holds the reading, the layers and the drawing of
docs/architecture.md), nothing imports the package face, the core imports no front end and no
sandbox, and ``import twilio_nb`` stays without pandas."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from layers import (
    PACKAGE,
    allowed_imports,
    circles,
    import_graph,
    layer_breaks,
    main,
    part_edges,
    part_of,
)

FACE = "twilio_nb"
OUTSIDE_THE_CORE = ("twilio_nb.sandbox", "twilio_nb.widgets", "twilio_nb.magics")
FRONT_END_LIBRARIES = ("IPython", "ipywidgets")


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
            "twilio_nb.answers.result", "twilio_nb.paging.walk._walk", "twilio_nb.convert",
            "twilio_nb.session.sandbox_seam"} <= set(CORE)
    offenders = [f"{name}:{line} imports {target}" for name in CORE
                 for target, line in EVERY[name].items()
                 if within(target, (*OUTSIDE_THE_CORE, *FRONT_END_LIBRARIES))]
    assert not offenders, offenders


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


def test_the_sandbox_reaches_none_of_the_core_it_answers_for() -> None:
    """Followed part by part to the end, the sandbox's imports stay at the ground (errors,
    vocabulary, catalog, the webhook protocol and what they stand on): an offline Twilio
    that imported the session, answers, paging or the transport would be testing the client
    with itself."""
    edges = part_edges(GRAPH)
    reached: set[str] = set()
    todo = ["sandbox"]
    while todo:
        for nxt in edges[todo.pop()] - reached:
            reached.add(nxt)
            todo.append(nxt)
    assert "webhook_protocol" in reached
    never = {"session", "answers", "paging", "batch", "cassette", "transport", "widgets",
             "magics", "webhooks", "__init__"}
    assert reached & never == set(), sorted(reached)


PAGING_WINGS = ("walk", "slices", "export")  # from the ground of paging up


def test_the_wings_of_paging_import_only_the_wings_below_them() -> None:
    """paging/walk/ (the walk) under paging/slices/ (date slices, concurrency) under
    paging/export/ (Parquet and its checkpoint); the entry and the options above all three.
    A wing never imports paging's face, entry or options, nor a wing above it."""
    def wing(name: str) -> int | None:
        parts = name.split(".")
        if len(parts) < 3 or parts[1] != "paging":
            return None
        return PAGING_WINGS.index(parts[2]) if parts[2] in PAGING_WINGS else len(PAGING_WINGS)

    def upward(name: str, target: str) -> bool:
        mine, theirs = wing(name), wing(target)
        if mine is None or mine == len(PAGING_WINGS):  # outside the wings
            return False
        return target == "twilio_nb.paging" or (theirs is not None and theirs > mine)

    offenders = [f"{name}:{line} imports {target}" for name, targets in GRAPH.items()
                 for target, line in targets.items() if upward(name, target)]
    assert not offenders, offenders
    assert {m.split(".")[2] for m in GRAPH if m.startswith("twilio_nb.paging.")} >= \
        set(PAGING_WINGS)


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
    planted = (("errors",), ("paging",), ("session",), ("__init__",))
    assert layer_breaks(graph, allowed_imports(planted, {})) == [
        "twilio_nb.paging._walk:2 imports twilio_nb.session (paging may import errors)"]


def test_no_part_reaches_into_another_parts_private_modules() -> None:
    """A package's ``_modules`` are its own: others import what its face hands on (as
    ``paging``'s entry for every walk, ``convert``'s dispatcher)."""
    offenders = [f"{name}:{line} imports {target}" for name, targets in GRAPH.items()
                 for target, line in targets.items()
                 if part_of(target) != part_of(name)
                 and any(piece.startswith("_") for piece in target.split(".")[2:])]
    assert not offenders, offenders


def test_the_drawing_in_docs_architecture_is_the_package_as_it_is() -> None:
    """docs/architecture.md shows what ``python scripts/layers.py`` draws from the imports;
    after a structural change, ``python scripts/layers.py --write`` draws it anew."""
    assert main(["--check"]) == 0, "run: python scripts/layers.py --write"


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
