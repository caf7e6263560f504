"""The Processing tab: Configuration Type switches between the Basic fields (Entity,
Operation, Operation Parameters, Next Page URI) and the Advanced ones (HTTP Method, Relative
URL, Send Body); both have Query, Body, Response Format, Request Headers and Response
Headers. ``build(conn)`` hands the fields to the core and returns the request it built.

Body template offers the operation's templates (:mod:`twilio_nb.request.body_templates`): the fields
Twilio needs, and the guide's sample payloads where it has one; picking one writes it into
the Body. A Body nobody wrote (empty or the required fields) follows the operation. The Next
Page URI's placeholder is a next page of the chosen list operation (none for an operation
that does not list).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ..catalog import Operation
from ..copy_as.sdk import relative_path
from ..errors import ConfigurationError, TwilioWarning
from ..request.body_templates import REQUIRED, form_templates, json_templates
from ..request.build import build_basic
from ..request.built import BuiltRequest
from ..request.urls import match_operation, split_suffix
from ..request.validate import example_value
from ..session.connection import Connection
from ..vocabulary import FORMAT_LABELS, FORMAT_MENU, METHODS, WRITE_METHODS
from ._common import (
    field,
    hide,
    mark_widget,
    note,
    show,
    unhighlight,
    widget_of,
)
from .operation_picker import OperationPicker
from .params import BodyFields, ParamTable, body_help

__all__ = ["FORMAT_OPTIONS", "ProcessingTab", "header_values", "next_page_placeholder"]

FORMAT_OPTIONS = [(FORMAT_LABELS[fmt], fmt) for fmt in FORMAT_MENU]


def _title(text: str) -> widgets.HTML:
    return widgets.HTML(f"<b style='font-size:12px;color:#555'>{text}</b>",
                        layout=widgets.Layout(margin="8px 0 0 0"))


def next_page_placeholder(op: Operation | None) -> str:
    """What a next page of ``op`` looks like (the Next Page URI's placeholder): the path
    Twilio's ``next_page_uri`` gives for a 2010-04-01 list, the ``meta.next_page_url`` of a
    product API's list; empty for an operation that does not list."""
    if op is None or op.kind != "list":
        return ""
    path = op.path
    for param in op.params_in("path"):
        sid = example_value(param)
        path = path.replace("{" + param.name + "}", sid[:2] + "..." if sid[:2].isupper()
                            else sid)
    if op.is_v2010:
        return f"{path}?PageSize=50&Page=1&PageToken=PA..."
    return f"https://{op.host}{path}?PageSize=50&Page=1&PageToken=PT..."


def header_values(text: str) -> dict[str, str]:
    """``Name: value`` lines (the header values the Request Headers field picks from)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        name, sep, value = line.partition(":")
        if not sep or not name.strip():
            raise ConfigurationError(f"Header value line {line.strip()!r} is not 'Name: value', "
                                     "e.g. X-Twilio-Webhook-Enabled: true",
                                     field="Header values")
        out[name.strip()] = value.strip()
    return out


class ProcessingTab(widgets.VBox):  # type: ignore[misc]
    """The adapter's Processing tab."""

    def __init__(self, account_sid: str | None = None) -> None:
        self._listeners: list[Callable[[], None]] = []
        self._account_sid = account_sid
        self._basic_templates: dict[str, str] = {}
        self._advanced_templates: dict[str, str] = {}
        self._listing_templates = False
        self.config_type = field(widgets.Dropdown(description="Configuration Type",
                                                  options=["Basic", "Advanced"], value="Basic"))
        self.params = ParamTable(on_change=self._touch)
        self.picker = OperationPicker(self._operation_changed)
        self.entity, self.operation = self.picker.entity, self.picker.operation
        self.next_page_uri = field(widgets.Text(description="Next Page URI",
                                                continuous_update=False))
        self.query = field(widgets.Text(description="Query", continuous_update=False,
                                        placeholder="e.g. To=+9195523446XX (spaces as %20)"))
        self.method = field(widgets.Dropdown(description="HTTP Method", options=list(METHODS),
                                             value="GET"))
        self.relative_url = field(widgets.Text(
            description="Relative URL", continuous_update=False,
            placeholder="/2010-04-01/Accounts/:AccountSid/Messages (no host)"))
        self.send_body = field(widgets.Checkbox(description="Send Body", value=False))
        self.body = field(widgets.Textarea(description="Body", rows=12,
                                           placeholder='{"To": "+14155552671", ...} (JSON)'),
                          width="880px")
        self.advanced_body = field(widgets.Textarea(
            description="Body", rows=4,
            placeholder="From=+14155552671&To=+919876543210&Body=Hi (form-encoded)"),
            width="880px")
        self.template = field(widgets.Dropdown(description="Body template", options=[]))
        self.template.observe(self._template_picked, names="value")
        for editor in (self.body, self.advanced_body):
            editor.observe(lambda _c, e=editor: self._sync_template(e), names="value")
        self.body_help = widgets.HTML(layout=widgets.Layout(margin="0 0 0 204px"))
        self.body_fields = BodyFields(self._add_body_field)
        self.response_format = field(widgets.Dropdown(description="Response Format",
                                                      options=FORMAT_OPTIONS, value="json"))
        self.request_headers = field(widgets.Text(
            description="Request Headers", value="*", continuous_update=False,
            placeholder="pipe-separated names of the header values to send; * for all"))
        self.header_values = field(widgets.Textarea(
            description="Header values", rows=2,
            placeholder="Name: value, one a line (e.g. X-Twilio-Webhook-Enabled: true)"))
        self.response_headers = field(widgets.Text(
            description="Response Headers", value="*", continuous_update=False,
            placeholder="pipe-separated names to keep; * for all"))

        self.basic_box = widgets.VBox([*self.picker.widgets, self.params, self.next_page_uri])
        self.advanced_box = widgets.VBox([self.method, self.relative_url])
        self.fields: dict[str, Any] = {
            "Configuration Type": self.config_type, "Entity": self.entity,
            "Operation": self.operation, "Operation Parameters": self.params,
            "Next Page URI": self.next_page_uri, "Query": self.query,
            "HTTP Method": self.method, "Relative URL": self.relative_url,
            "Send Body": self.send_body, "Response Format": self.response_format,
            "Request Headers": self.request_headers, "Header values": self.header_values,
            "Response Headers": self.response_headers}
        for w in [*self.fields.values(), self.body, self.advanced_body]:
            if w is not self.params:
                w.observe(lambda _c: self._touch(), names="value")
        self.config_type.observe(self._config_changed, names="value")
        self.method.observe(self._method_changed, names="value")
        self.relative_url.observe(lambda _c: self._advanced_template_update(), names="value")
        super().__init__([
            _title("PROCESSING DETAILS"), self.config_type, self.basic_box, self.advanced_box,
            self.query, self.send_body, self.template, self.body, self.advanced_body,
            self.body_help, self.body_fields,
            _title("FORMAT"), self.response_format,
            _title("HEADER DETAILS"), self.request_headers, self.header_values,
            self.response_headers], layout=widgets.Layout(padding="6px"))
        hide(self.advanced_box)
        hide(self.send_body)
        hide(self.advanced_body)
        self._operation_changed(self.picker.operation_)

    # -- state --------------------------------------------------------------------------------
    @property
    def is_basic(self) -> bool:
        return bool(self.config_type.value == "Basic")

    @property
    def operation_(self) -> Operation | None:
        """The catalog operation Entity + Operation name (Basic), or None."""
        return self.picker.operation_

    @property
    def takes_body(self) -> bool:
        """Does the Basic operation take a body? (Its Body is sent only then.)"""
        op = self.operation_
        return op is None or bool(op.params_in("body")) or op.method in WRITE_METHODS

    def select(self, entity: str, operation: str) -> None:
        """Set Entity and Operation, as picking them would."""
        self.picker.select(entity, operation)

    def on_change(self, callback: Callable[[], None]) -> None:
        self._listeners.append(callback)

    def _touch(self) -> None:
        for callback in self._listeners:
            callback()

    def set_account_sid(self, account_sid: str | None) -> None:
        """The connection's Account SID, prefilled in the AccountSid parameter."""
        self._account_sid = account_sid
        self.params.prefill("AccountSid", account_sid)

    # -- reactions ----------------------------------------------------------------------------
    def _operation_changed(self, op: Operation | None) -> None:
        self.params.set_operation(op, {"AccountSid": self._account_sid})
        self.next_page_uri.placeholder = next_page_placeholder(op)
        self._basic_templates = self._follow(self.body, self._basic_templates,
                                             json_templates(op))
        self._body_visibility()
        self._touch()

    def _body_visibility(self) -> None:
        op = self.operation_
        if self.is_basic:
            hide(self.advanced_body)
            if self.takes_body:
                show(self.body)
            else:
                hide(self.body)
            self.body_help.value = body_help(op)
            self.body_fields.set_operation(op)
        else:
            self.body_fields.set_operation(None)
            hide(self.body)
            show(self.advanced_body)
            self.body_help.value = note("Sent as written (application/x-www-form-urlencoded) "
                                        "when Send Body is on; a + before a phone number "
                                        "goes as %2B (a warning says so).")
        self._list_templates()

    def _add_body_field(self, name: str) -> None:
        """A body parameter's button clicked: the field joins the Body's JSON (with an example
        value) unless it is there already or the Body is not a JSON object."""
        op = self.operation_
        param = op.param(name) if op is not None else None
        try:
            body = json.loads(self.body.value) if self.body.value.strip() else {}
        except ValueError:
            return
        if param is None or not isinstance(body, dict) or name in body:
            return
        body[name] = example_value(param)
        self.body.value = json.dumps(body, indent=2)

    # -- body templates -----------------------------------------------------------------------
    @staticmethod
    def _follow(editor: Any, old: dict[str, str], new: dict[str, str]) -> dict[str, str]:
        """A Body nobody wrote (empty, or the old required fields) becomes the new required
        fields; a template the user picked, like what they wrote, stays."""
        current = editor.value
        if not current.strip() or current == old.get(REQUIRED):
            editor.value = new.get(REQUIRED, "")
        return new

    def _list_templates(self) -> None:
        """Body template lists the templates of the Body shown (none: hidden)."""
        basic = self.is_basic
        templates = self._basic_templates if basic else self._advanced_templates
        editor = self.body if basic else self.advanced_body
        shown = bool(templates) and (not basic or self.takes_body)
        self._listing_templates = True
        try:
            self.template.options = list(templates)
        finally:
            self._listing_templates = False
        self._sync_template(editor)
        (show if shown else hide)(self.template)

    def _sync_template(self, editor: Any) -> None:
        """Body template names the template the Body holds, blank once it is edited (so that
        picking the same template again rewrites it)."""
        if editor is not (self.body if self.is_basic else self.advanced_body):
            return
        templates = self._basic_templates if self.is_basic else self._advanced_templates
        current = next((name for name, text in templates.items() if text == editor.value), None)
        self._listing_templates = True
        try:
            self.template.value = current
        finally:
            self._listing_templates = False

    def _template_picked(self, change: dict[str, Any]) -> None:
        if self._listing_templates or change["new"] is None:
            return
        if self.is_basic:
            self.body.value = self._basic_templates.get(change["new"], self.body.value)
        else:
            self.advanced_body.value = self._advanced_templates.get(change["new"],
                                                                    self.advanced_body.value)

    def _config_changed(self, change: dict[str, Any]) -> None:
        if change["new"] == "Advanced":
            hide(self.basic_box)
            show(self.advanced_box)
            show(self.send_body)
            if not self.relative_url.value.strip():
                self._carry_over()
        else:
            show(self.basic_box)
            hide(self.advanced_box)
            hide(self.send_body)
        self._body_visibility()

    def _carry_over(self) -> None:
        """Switching to Advanced with an empty Relative URL: start from the Basic request."""
        op = self.operation_
        if op is None:
            return
        self.method.value = op.method
        path = split_suffix(op.path)[0] if op.is_v2010 else op.path
        body = ""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", TwilioWarning)
                built = build_basic(op, account_sid=self._account_sid,
                                    params=self.params.values(), body=self.body.value or None)
            path = split_suffix(relative_path(built))[0]
            if built.body is not None and built.form:
                body = built.body.decode("utf-8", errors="replace")
        except ConfigurationError:
            pass
        self.relative_url.value = path
        if body:
            self.advanced_body.value = body
            self.send_body.value = True

    def _method_changed(self, change: dict[str, Any]) -> None:
        self.send_body.value = change["new"] in WRITE_METHODS
        self._advanced_template_update()

    def _advanced_template_update(self) -> None:
        path = self.relative_url.value.strip().partition("?")[0]
        op = None
        if path.startswith("/") and self.method.value in WRITE_METHODS:
            op = match_operation(self.method.value, path)[0]
        self._advanced_templates = self._follow(self.advanced_body, self._advanced_templates,
                                                form_templates(op))
        self._list_templates()

    # -- the request --------------------------------------------------------------------------
    def request_fields(self, conn: Connection) -> dict[str, Any]:
        """Params, query and body as the fields give them: what :meth:`build` sends, and
        what a batch ("For each row of") takes as its templates."""
        query = self.query.value.strip() or None
        if self.is_basic:
            params = self.params.values()
            if conn.account_sid and params.get("AccountSid") == conn.account_sid:
                del params["AccountSid"]  # the connection's: the core fills it in
            return {"params": params or None, "query": query,
                    "body": self.body.value if self.takes_body and self.body.value.strip()
                    else None}
        return {"query": query, "send_body": self.send_body.value,
                "body": self.advanced_body.value if self.advanced_body.value.strip() else None}

    def build(self, conn: Connection) -> BuiltRequest:
        """The request the fields describe, built by the core (nothing is sent). Raises
        ConfigurationError naming the field at fault."""
        headers = header_values(self.header_values.value) or None
        fmt = self.response_format.value
        fields = self.request_fields(conn)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", TwilioWarning)  # shown by the form instead
            if self.is_basic:
                return conn.build_basic(
                    self.entity.value, self.operation.value, **fields,
                    next_page_uri=self.next_page_uri.value.strip() or None,
                    response_format=fmt, request_headers=self.request_headers.value,
                    headers=headers)
            return conn.build_advanced(
                self.method.value, self.relative_url.value, **fields, response_format=fmt,
                request_headers=self.request_headers.value, headers=headers)

    # -- errors -------------------------------------------------------------------------------
    def widget_for(self, name: str | None) -> Any | None:
        """The input a ConfigurationError's ``field`` names."""
        if not name:
            return None
        if name == "Body":
            return self.body if self.is_basic else self.advanced_body
        w = widget_of(self.fields, name)
        if w is not None:
            return w
        written = self.query.value
        if self.is_basic:
            row = self.params.widget_for(name)
            if row is not None and (name in self.params.values() or f"{name}=" not in written):
                return row
            if f"{name}=" in written:
                return self.query
            op = self.operation_
            param = op.param(name) if op is not None else None
            if param is not None and param.location == "body":
                return self.body
            return row
        if f"{name}=" in written:
            return self.query
        if f"{name}=" in self.advanced_body.value:
            return self.advanced_body
        return self.relative_url

    def mark(self, name: str | None) -> bool:
        return mark_widget(self.widget_for(name))

    def clear_marks(self) -> None:
        for w in [*self.fields.values(), self.body, self.advanced_body]:
            if w is not self.params:
                unhighlight(w)
        self.params.clear_marks()
