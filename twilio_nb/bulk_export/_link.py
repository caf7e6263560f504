"""What an export needs of its connection, and the fixed facts of the Bulk Export API.

:class:`Link` is the Connection as an export sees it (a Protocol: this package never
imports the session); :data:`RESOURCES` names the four exportable resources and the list
operation whose frame each is typed like. Dates are :class:`datetime.date`; Twilio writes them
``YYYY-MM-DD``.

Facts (Twilio's Bulk Export docs, twilio.com/docs/usage/bulkexport, and the spec
twilio_bulkexports_v1.json): US1 only; a job's EndDay at least two days before the current
UTC day; files kept seven days; at most 366 days asked for per UTC day by an account and
its subaccounts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import httpx

from .. import catalog
from ..errors import ConfigurationError
from ..request.urls import is_twilio_host, region_edge_of

if TYPE_CHECKING:
    import pandas as pd

    from ..request.built import BuiltRequest
    from ..request.target import Target

__all__ = ["JOB_LAG_DAYS", "KEPT_DAYS", "QUOTA_DAYS", "RESOURCES", "Answer", "Link", "Secret",
           "check_range", "check_region", "check_resource", "day_text", "list_operation",
           "parse_day", "utc_today"]

#: resource -> (entity, list operation) of the catalog: the frame a day file is typed like
RESOURCES: dict[str, tuple[str, str]] = {  # the keys: vocabulary.BULK_EXPORT_LEFT_OUT's
    "Messages": ("Message", "List Messages"),
    "Calls": ("Call", "List Calls"),
    "Conferences": ("Conference", "List Conferences"),
    "Participants": ("Participant", "List Conference Participants"),
}
JOB_LAG_DAYS = 2   # a job's EndDay: at least this many days before the current UTC day
KEPT_DAYS = 7      # a day's file is kept this many days after it was made
QUOTA_DAYS = 366   # days asked for per UTC day (an account and its subaccounts)


class Answer(Protocol):
    """A Result as an export reads it: its text, and every page from it as one frame."""

    @property
    def text(self) -> str: ...

    def all(self, limit: int | None = None, progress: bool = True) -> pd.DataFrame: ...


class Secret(Protocol):
    """A credential: what HTTP Basic sends."""

    @property
    def user(self) -> str: ...

    @property
    def password(self) -> str: ...


class Link(Protocol):
    """The Connection's face an export uses (:class:`~twilio_nb.session.connection.Connection`
    has it)."""

    address: str
    region: str | None
    account_sid: str | None
    connection_timeout_ms: int
    response_timeout_ms: int
    replay: Any

    @property
    def credentials(self) -> Secret: ...

    @property
    def target(self) -> Target:
        """Where its requests go (a ``parquet=`` checkpoint records it)."""

    def build_basic(self, entity: str, operation: str, params: Any = None, body: Any = None,
                    query: Any = None) -> BuiltRequest: ...

    def execute(self, built: BuiltRequest) -> Answer: ...

    def is_trusted(self, url: httpx.URL) -> bool: ...


Clock = Callable[[], dt.datetime]


def utc_today(now: Clock) -> dt.date:
    return now().astimezone(dt.UTC).date()


def list_operation(resource: str) -> catalog.Operation:
    entity, operation = RESOURCES[resource]
    return catalog.find(entity, operation)


def check_resource(resource: str) -> str:
    for name in RESOURCES:
        if str(resource).strip().lower() == name.lower():
            return name
    raise ConfigurationError(f"Bulk Export serves {', '.join(RESOURCES)}; got {resource!r}.",
                             field="resource")


def parse_day(value: Any, name: str) -> dt.date:
    """A day given as a date, a datetime (its UTC day) or ``YYYY-MM-DD`` text."""
    if isinstance(value, dt.datetime):
        return (value.astimezone(dt.UTC) if value.tzinfo else value).date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ConfigurationError(f"{name} must be a day like 2025-01-31 (a date, or YYYY-MM-DD "
                                 f"text); got {value!r}.", field=name) from None


def day_text(day: dt.date) -> str:
    return day.isoformat()


def check_range(since: Any, until: Any) -> tuple[dt.date, dt.date]:
    first, last = parse_day(since, "since"), parse_day(until, "until")
    if last < first:
        raise ConfigurationError(f"until ({last}) is before since ({first}): give since <= "
                                 "until (both days are included).", field="until")
    return first, last


def check_region(link: Link) -> None:
    """US1 only: the connection's region, or the one its Address names (a Twilio host's: an
    address such as ``http://127.0.0.1:4010``, a served sandbox, names none)."""
    host = httpx.URL(link.address).host
    named = region_edge_of(host)[0] if is_twilio_host(host) else None
    for region in (link.region, named):
        if (region or "us1").strip().lower() != "us1":
            raise ConfigurationError(
                f"Bulk Export is served in the US1 region only; this connection's region is "
                f"{region!r}. Use a connection without region (or region='us1').",
                field="region")
