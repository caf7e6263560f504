"""Walking every seeded message over a real port, in JSON, XML and CSV, at PageSize 50 and
1000: nothing missing, nothing repeated."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from lxml import etree

from twilio_nb.sandbox import ACCOUNT_SID

A = f"/2010-04-01/Accounts/{ACCOUNT_SID}"


def walk_json(client: httpx.Client, size: int) -> list[str]:
    sids: list[str] = []
    uri: str | None = f"{A}/Messages.json?PageSize={size}"
    while uri:
        body = client.get(uri).json()
        assert body["page_size"] == size
        assert body["start"] == len(sids)
        sids += [m["sid"] for m in body["messages"]]
        if body["messages"]:
            assert body["end"] == len(sids) - 1
        uri = body["next_page_uri"]
    return sids


def walk_xml(client: httpx.Client, size: int) -> list[str]:
    sids: list[str] = []
    uri = f"{A}/Messages.xml?PageSize={size}"
    while uri:
        root = etree.fromstring(client.get(uri).content)
        assert root.tag == "TwilioResponse"
        page = root.find("Messages")
        assert page is not None and page.get("pagesize") == str(size)
        assert set(page.keys()) >= {"page", "pagesize", "uri", "firstpageuri",
                                    "previouspageuri", "nextpageuri", "start", "end"}
        sids += [m.findtext("Sid") or "" for m in page.findall("Message")]
        uri = page.get("nextpageuri") or ""
    return sids


def walk_csv(client: httpx.Client, size: int) -> list[str]:
    sids: list[str] = []
    url: str | None = f"{A}/Messages.csv?PageSize={size}"
    while url:
        r = client.get(url)
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert rows and "Sid" in rows[0] and "DateCreated" in rows[0]
        sids += [row["Sid"] for row in rows]
        nxt = r.links.get("next")
        url = nxt["url"] if nxt else None
    return sids


@pytest.mark.parametrize("size", [50, 1000])
@pytest.mark.parametrize("walk", [walk_json, walk_xml, walk_csv], ids=["json", "xml", "csv"])
def test_walk_all_2500_messages(client: httpx.Client, walk: object, size: int) -> None:
    sids = walk(client, size)  # type: ignore[operator]
    assert len(sids) == 2500
    assert len(set(sids)) == 2500
    assert all(s[:2] in ("SM", "MM") and len(s) == 34 for s in sids)


def test_the_three_formats_list_the_same_messages_in_the_same_order(
        client: httpx.Client) -> None:
    assert walk_json(client, 1000) == walk_xml(client, 1000) == walk_csv(client, 1000)


def test_walk_stays_exact_while_messages_are_added_and_deleted(client: httpx.Client) -> None:
    body = client.get(f"{A}/Messages.json?PageSize=100").json()
    seen = [m["sid"] for m in body["messages"]]
    new = client.post(f"{A}/Messages.json", data={"To": "+14155550199",
                                                  "From": "+14155550100", "Body": "during"})
    assert new.status_code == 201
    uri = body["next_page_uri"]
    later = client.get(uri).json()
    victim = later["messages"][-1]["sid"]
    assert client.delete(f"{A}/Messages/{victim}.json").status_code == 204
    uri = later["next_page_uri"]
    seen += [m["sid"] for m in later["messages"]]
    while uri:
        page = client.get(uri).json()
        seen += [m["sid"] for m in page["messages"]]
        uri = page["next_page_uri"]
    assert len(seen) == len(set(seen)) == 2500
    assert new.json()["sid"] not in seen
    client.delete(f"{A}/Messages/{new.json()['sid']}.json")


def test_paging_uris_keep_filters_and_go_back(client: httpx.Client) -> None:
    first = client.get(f"{A}/Messages.json", params={"Status": "delivered", "PageSize": 20})
    body = first.json()
    assert body["previous_page_uri"] is None and body["page"] == 0
    assert "Status=delivered" in body["next_page_uri"] and "PageToken=PA" in body["next_page_uri"]
    assert first.headers["link"].startswith(f'<{body["next_page_uri"]}>; rel="next"')
    second = client.get(body["next_page_uri"]).json()
    assert second["page"] == 1 and all(m["status"] == "delivered" for m in second["messages"])
    back = client.get(second["previous_page_uri"]).json()
    assert [m["sid"] for m in back["messages"]] == [m["sid"] for m in body["messages"]]
    by_page = client.get(f"{A}/Messages.json", params={"Status": "delivered", "PageSize": 20,
                                                       "Page": 1}).json()
    assert [m["sid"] for m in by_page["messages"]] == [m["sid"] for m in second["messages"]]
