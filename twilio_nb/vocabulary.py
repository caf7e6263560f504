"""The words the adapter's tabs and Twilio's API share, defined once: response formats and their
labels, HTTP methods and the ones that write, authentication types and their labels.

Every layer takes them from here (the core to check input, the magics and the form to offer
choices), so a choice offered is always one the core accepts. Pure: no I/O, no third-party
imports.
"""

from __future__ import annotations

from .errors import ConfigurationError

__all__ = ["AUTH_TYPES", "BULK_EXPORT_LEFT_OUT", "FORMATS", "FORMAT_LABELS", "FORMAT_MENU",
           "METHODS", "MIME_TYPES", "WRITE_METHODS", "normalize_auth_type", "normalize_format"]

# -- Response Format ---------------------------------------------------------------------------
FORMATS = ("json", "xml", "csv")
# the adapter's Response Format labels
FORMAT_LABELS = {"json": "Application/JSON", "xml": "Application/XML", "csv": "Text/CSV"}
# the order of the adapter's Response Format dropdown
FORMAT_MENU = ("xml", "json", "csv")
MIME_TYPES = {"json": "application/json", "xml": "application/xml", "csv": "text/csv"}
_FORMAT_NAMES = {**{f: f for f in FORMATS}, **{m: f for f, m in MIME_TYPES.items()},
                 "text/xml": "xml"}

# -- HTTP Method -------------------------------------------------------------------------------
METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")
# the methods whose parameters go in a form-encoded body (GET and DELETE send a query)
WRITE_METHODS = ("POST", "PUT", "PATCH")

# -- Authentication Type -----------------------------------------------------------------------
AUTH_TYPES = {"api_key": "API Key", "auth_token": "Auth Token"}


def normalize_format(fmt: str | None) -> str:
    """``"json"``, ``"xml"`` or ``"csv"`` from the adapter's Response Format
    (``Application/JSON``, ``Application/XML``, ``Text/CSV``), a MIME type or a short name,
    any case; None means JSON."""
    if fmt is None:
        return "json"
    key = str(fmt).strip().lower().replace(" ", "")
    if key in _FORMAT_NAMES:
        return _FORMAT_NAMES[key]
    raise ConfigurationError(
        f"Unknown Response Format {fmt!r}: use Application/JSON, Application/XML or Text/CSV "
        "(or json, xml, csv).", field="Response Format")


def normalize_auth_type(value: str | None) -> str | None:
    """``"api_key"`` or ``"auth_token"`` from those keys or the adapter's labels (``API Key``,
    ``Auth Token``), any case, ``-`` or space for ``_``; None stays None (decided later from
    the credential)."""
    if value is None:
        return None
    key = str(value).strip().lower().replace(" ", "_").replace("-", "_")
    key = {"apikey": "api_key", "authtoken": "auth_token"}.get(key, key)
    if key not in AUTH_TYPES:
        raise ConfigurationError(
            f"Unknown Authentication Type {value!r}: use 'api_key' (API Key) or 'auth_token' "
            "(Auth Token)", field="Authentication Type")
    return key


# -- Bulk Export -------------------------------------------------------------------------------
# the resources Bulk Export serves, and the fields of each resource that its day files leave
# out (twilio.com/docs/usage/bulkexport/day; "price_units" there is the Message's price_unit);
# dates in the files are UTC ISO 8601. The core reads the files, the sandbox writes them.
BULK_EXPORT_LEFT_OUT: dict[str, tuple[str, ...]] = {
    "Messages": ("price_unit", "api_version", "error_message", "uri", "subresource_uris"),
    "Calls": ("uri", "subresource_uris"),
    "Conferences": ("api_version", "uri", "subresource_uris"),
    "Participants": ("uri", "label"),
}
