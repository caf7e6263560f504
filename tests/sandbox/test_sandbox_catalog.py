"""Driven by the catalog: every top-level collection of every product lists, creates,
fetches, updates and deletes like Twilio, in its format."""

from __future__ import annotations

import re

import httpx
import pytest
from lxml import etree

from twilio_nb import catalog
from twilio_nb.catalog import Operation, Param
from twilio_nb.sandbox import ACCOUNT_SID, Sandbox
from twilio_nb.sandbox.names import snake

SPECIAL = {"api_v2010.CreateMessage": {"From": "+14155550100", "Body": "x"},
           "api_v2010.CreateCall": {"Url": "https://example.com/voice"},
           "api_v2010.CreateIncomingPhoneNumber": {"PhoneNumber": "+15005550006"}}


# POST /OutgoingCallerIds answers a validation request, not an outgoing caller ID
NOT_LISTED = {"api_v2010.CreateValidationRequest"}


def top_level(kind: str) -> list[Operation]:
    return [op for op in catalog.operations() if op.kind == kind
            and all(p.name == "AccountSid" for p in op.params_in("path"))]


def value(p: Param) -> str:
    if p.enum:
        return p.enum[0]
    if p.format == "phone-number" or p.name in ("To", "From", "PhoneNumber"):
        return "+15005550006"
    if p.format == "uri" or p.name.endswith("Url"):
        return "https://example.com/x"
    if p.type == "integer":
        return str(int(p.minimum or 1))
    if p.type == "number":
        return "1.5"
    if p.type == "boolean":
        return "true"
    m = re.match(r"\^\(?([A-Z]{2})", p.pattern or "")
    return m.group(1) + "0" * 32 if m else "x"


def url(op: Operation, path: str | None = None) -> str:
    return f"https://{op.host}{(path or op.path).replace('{AccountSid}', ACCOUNT_SID)}"


def send(api: httpx.Client, op: Operation, target: str, fields: dict[str, str]
         ) -> httpx.Response:
    if op.body_type == "application/json":
        return api.request(op.method, target, json=fields)
    return api.request(op.method, target, data=fields)


def beside(op: Operation, kind: str) -> Operation | None:
    """The instance operation of ``kind`` under ``op``'s list path."""
    base = op.path.removesuffix(".json")
    for other in catalog.operations():
        head, _, last = other.path.removesuffix(".json").rpartition("/")
        if other.spec == op.spec and other.kind == kind and head == base and last[:1] == "{":
            return other
    return None


@pytest.fixture(scope="module")
def sandbox() -> Sandbox:
    return Sandbox(messages=20)


@pytest.mark.parametrize("op", top_level("create"), ids=lambda op: op.id)
def test_create_then_fetch_update_delete(api: httpx.Client, op: Operation) -> None:
    fields = {p.name: value(p) for p in op.params_in("body") if p.required}
    fields.update(SPECIAL.get(op.id, {}))
    r = send(api, op, url(op), fields)
    assert r.status_code == 201, r.text
    rec = r.json()
    fetch = beside(op, "fetch")
    if fetch is None:
        return
    key_name = fetch.path.removesuffix(".json").rsplit("/", 1)[1][1:-1]
    key = rec.get(snake(key_name))
    if op.id in NOT_LISTED:
        assert key is None
        return
    assert key is not None
    instance = url(fetch, fetch.path.replace("{" + key_name + "}", str(key)))
    assert api.get(instance).status_code == 200
    if op.is_v2010:
        assert "uri" not in rec or rec["uri"] == instance.split(".com", 1)[1]
    elif "url" in rec:
        assert rec["url"].endswith(instance.split(".com", 1)[1])
    upd = beside(op, "update")
    if upd is not None:
        body = {p.name: value(p) for p in upd.params_in("body") if p.required}
        assert send(api, upd, instance, body).status_code == 200
    delete = beside(op, "delete")
    if delete is not None:
        assert api.delete(instance).status_code == 204
        assert api.get(instance).status_code == 404


@pytest.mark.parametrize("op", [op for op in top_level("list")
                                if not any(p.required for p in op.params_in("query"))],
                         ids=lambda op: op.id)
def test_every_top_level_list_answers_an_empty_or_seeded_page(api: httpx.Client,
                                                              op: Operation) -> None:
    r = api.get(url(op), params={"PageSize": 2})
    assert r.status_code == 200, r.text
    body = r.json()
    assert isinstance(body[op.list_key or ""], list)
    if op.is_v2010:
        assert body["page_size"] == 2 and "next_page_uri" in body
        xml = api.get(url(op).removesuffix(".json"), params={"PageSize": 2})
        root = etree.fromstring(xml.content)
        assert root.tag == "TwilioResponse" and root[0].get("pagesize") == "2"
    else:
        assert body["meta"]["key"] == op.list_key and body["meta"]["page_size"] == 2
