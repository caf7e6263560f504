"""The helper that builds seeded records the way a create would (used by ``seed``,
``seed_voice`` and the resource rules in ``behaviours``)."""

from __future__ import annotations

import random
from typing import Any

from .bodies import columns
from .clock import iso8601, rfc2822
from .resources import RouteTarget, locate
from .routes import V2010, Route, Router
from .store import Collection, Store

__all__ = ["Seeder"]


class Seeder:
    """Helpers to build seeded records the way a create would."""

    def __init__(self, store: Store, router: Router, account: str, seed: int) -> None:
        self.store, self.router, self.account = store, router, account
        self.rng = random.Random(seed)
        self._routes: dict[tuple[str, tuple[str, ...]], Route] = {}

    def sid(self, prefix: str) -> str:
        return prefix + f"{self.rng.getrandbits(128):032x}"

    def route(self, product: str, segs: tuple[str, ...]) -> Route:
        key = (product, segs)
        route = self._routes.get(key)
        if route is None:
            host = None if product == "api" else f"{product}.twilio.com"
            found = [r for method in ("POST", "GET")
                     for r in self.router.resolve(method, "/" + "/".join(segs), host).routes
                     if r.key_param is None]
            route = self._routes[key] = found[0]
        return route

    def coll(self, product: str, segs: tuple[str, ...], key_prop: str | None = None) -> Collection:
        if key_prop is None:
            key_prop = self.router.key_prop(product, self.route(product, segs).shape)
        return self.store.collection(product, segs, key_prop)

    def record(self, product: str, segs: tuple[str, ...], resource: str, values: dict[str, Any],
               ts: float, key_prop: str = "sid") -> dict[str, Any]:
        rec: dict[str, Any] = dict.fromkeys(columns(resource))
        if "account_sid" in rec:
            rec["account_sid"] = self.account
        when = rfc2822(ts) if segs[0] == V2010 else iso8601(ts)
        for prop in ("date_created", "date_updated"):
            if prop in rec:
                rec[prop] = when
        if "api_version" in rec:
            rec["api_version"] = V2010
        if "price_unit" in rec:
            rec["price_unit"] = "USD"
        rec.update(values)
        target = RouteTarget(self.route(product, segs), segs, "", self.account)
        key = rec.get(key_prop)
        locate(self.router, target, (*segs, str(key)) if key else segs, rec)
        rec["_seq"] = self.store.next_seq()
        rec["_t_date_created"] = float(int(ts))
        return rec

    def add(self, product: str, segs: tuple[str, ...], resource: str, values: dict[str, Any],
            ts: float, key_prop: str | None = None) -> dict[str, Any]:
        coll = self.coll(product, segs, key_prop)
        rec = self.record(product, segs, resource, values, ts, coll.key_prop)
        coll.add(rec)
        return rec

    def acct(self, *tail: str) -> tuple[str, ...]:
        return (V2010, "Accounts", self.account, *tail)
