"""The oracle of Twilio's words: read straight from ../shared/twilio-oai at test time (the
project's tests never hold Twilio's sentences), independently of twilio_nb.catalog.words."""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path
from typing import Any

from twilio_nb.catalog import Operation

SPECS = Path(__file__).resolve().parents[3] / "shared" / "twilio-oai"


@cache
def spec(stem: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((SPECS / f"twilio_{stem}.json").read_text("utf-8"))
    return doc


def _deref(doc: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _said(doc: dict[str, Any], *nodes: Any) -> str:
    for node in nodes:
        for obj in (node, _deref(doc, node)):
            if isinstance(obj, dict) and str(obj.get("description") or "").strip():
                return str(obj["description"]).strip()
    return ""


def op_doc(op: Operation) -> dict[str, Any]:
    doc = spec(op.spec)
    found: dict[str, Any] = doc["paths"][op.path][op.method.lower()]
    return found


def param_texts(op: Operation) -> dict[str, str]:
    """Parameter name -> the spec's description (only those the spec describes)."""
    doc, out = spec(op.spec), {}
    for raw in op_doc(op).get("parameters", []):
        prm = _deref(doc, raw)
        out[prm["name"]] = _said(doc, prm, prm.get("schema", {}))
    body = _deref(doc, op_doc(op).get("requestBody")) or {}
    for content in body.get("content", {}).values():
        for name, prop in (_deref(doc, content.get("schema", {})).get("properties") or {}).items():
            out[name] = _said(doc, prop)
    return {k: v for k, v in out.items() if v}


def field_texts(op: Operation) -> dict[str, str]:
    """Answer field name -> the spec's description (only those the spec describes)."""
    doc = spec(op.spec)
    schema = doc["components"]["schemas"].get(op.resource or "", {})
    out = {name: _said(doc, prop) for name, prop in (schema.get("properties") or {}).items()}
    return {k: v for k, v in out.items() if v}


def as_text(words: str) -> str:
    """The words as twilio_nb shows them in text: Markdown links as ``text (url)``."""
    import re

    return " ".join(re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", r"\1 (\2)", words).split())


def sentences(n: int, seed: int = 28, min_len: int = 50) -> list[str]:
    """``n`` of the specs' description sentences, drawn at random (fixed seed)."""
    texts: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            text = node.get("description")
            if isinstance(text, str):
                texts.update(s.strip() for s in text.split(". ") if len(s.strip()) >= min_len)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for path in sorted(SPECS.glob("twilio_*.json")):
        walk(spec(path.stem.removeprefix("twilio_")))
    return random.Random(seed).sample(sorted(texts), n)


def needs_specs() -> Any:
    """Skip a test that needs Twilio's specs when ../shared/twilio-oai is absent."""
    import pytest

    return pytest.mark.skipif(not SPECS.is_dir(), reason=f"Twilio's specs are not at {SPECS} "
                              "(../shared/twilio-oai beside the checkout)")
