"""Parse a ``%twilio`` line into what to do. Pure: no IPython, no network.

Forms (see the README for the whole grammar):

    %twilio connect [--sandbox] [--address URL] [--auth-type api_key|auth_token] ...
    %twilio credentials add|list|remove [NAME]
    %twilio whoami | entities | operations ENTITY | describe ENTITY "OPERATION"
    %twilio history | trace on|off | form
    %twilio ENTITY "OPERATION" [Name=Value ...] [options]      Basic
    %twilio Entity.verb [Name=Value ...] [options]              Basic, short form (Message.send)
    %twilio METHOD /relative/url [Name=Value ...] [options]     Advanced
"""

from __future__ import annotations

import argparse
import re
import shlex
from dataclasses import dataclass, field
from typing import Any

from ..errors import ConfigurationError
from ..vocabulary import METHODS

__all__ = ["COMMANDS", "METHODS", "STYLES", "Invocation", "parse_line", "parse_pairs"]

COMMANDS = ("connect", "credentials", "whoami", "entities", "operations", "describe", "history",
            "trace", "form")
STYLES = ("curl", "python", "cli", "sap", "magic", "twilio_nb")


# Twilio's parameter names: PascalCase, dotted (MessagingBinding.Address), ranges (DateSent>)
_NAME = re.compile(r"^[A-Za-z][\w.-]*[<>]?$")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would print and exit
        raise ConfigurationError(f"{message}. See %twilio --help for the options.")

    def exit(self, status: int = 0, message: str | None = None) -> Any:
        raise ConfigurationError(message or self.format_help())


def request_options() -> _Parser:
    p = _Parser(prog="%twilio", add_help=False, allow_abbrev=False)
    p.add_argument("--query", "-q", help="query string, e.g. To=+1415...; spaces as %%20")
    p.add_argument("--format", "-f", dest="format", help="response format: json, xml or csv")
    p.add_argument("--next-page-uri", help="fetch this page instead of the first")
    p.add_argument("--limit", type=int, help="fetch pages until N records")
    p.add_argument("--all", action="store_true", help="fetch every page into one DataFrame")
    p.add_argument("--page-size", type=int, help="PageSize (at most 1000)")
    p.add_argument("-o", "--out", metavar="VAR", help="store the Result in VAR")
    p.add_argument("--df", action="store_true", help="give the DataFrame, not the Result")
    p.add_argument("--dry-run", action="store_true", help="build the request; send nothing")
    p.add_argument("--as", dest="as_style", choices=STYLES, help="show the request as ...")
    p.add_argument("--send-body", dest="send_body", action="store_true", default=None)
    p.add_argument("--no-send-body", dest="send_body", action="store_false")
    p.add_argument("--request-headers", help="pipe-separated names of the --header values to send")
    p.add_argument("--response-headers", default="*", help="pipe-separated names to keep; *")
    p.add_argument("--header", "-H", action="append", default=[], metavar="'Name: value'")
    return p


def connect_options() -> _Parser:
    p = _Parser(prog="%twilio connect", add_help=False, allow_abbrev=False)
    p.add_argument("--sandbox", action="store_true", help="the built-in offline Twilio")
    p.add_argument("--address", help="base URL, default https://api.twilio.com")
    p.add_argument("--auth-type", help="api_key (default) or auth_token")
    p.add_argument("--credential", help="a stored credential's name")
    p.add_argument("--account-sid", help="the Account SID (needed with an API key)")
    p.add_argument("--reuse", dest="reuse", action="store_true", default=True)
    p.add_argument("--no-reuse", dest="reuse", action="store_false")
    p.add_argument("--connection-timeout-ms", type=int, default=60000)
    p.add_argument("--response-timeout-ms", type=int, default=60000)
    p.add_argument("--region")
    p.add_argument("--edge")
    return p


@dataclass
class Invocation:
    kind: str  # "command" | "basic" | "advanced"
    command: str | None = None
    args: list[str] = field(default_factory=list)
    entity: str | None = None
    operation: str | None = None
    method: str | None = None
    url: str | None = None
    pairs: dict[str, Any] = field(default_factory=dict)
    options: argparse.Namespace = field(default_factory=argparse.Namespace)


def parse_pairs(tokens: list[str]) -> dict[str, Any]:
    """``Name=Value`` tokens; a name given twice collects a list (``MediaUrl=a MediaUrl=b``)."""
    pairs: dict[str, Any] = {}
    for tok in tokens:
        name, sep, value = tok.partition("=")
        if not sep or not _NAME.match(name):
            raise ConfigurationError(
                f"{tok!r} is not Name=Value; parameters are written like To=+14155552671 "
                "(quote values with spaces: Body='Hello there')")
        if name in pairs:
            old = pairs[name]
            pairs[name] = (old if isinstance(old, list) else [old]) + [value]
        else:
            pairs[name] = value
    return pairs


def _split(line: str) -> list[str]:
    try:
        return shlex.split(line, posix=True)
    except ValueError as exc:
        raise ConfigurationError(f"Cannot read the line: {exc} (a quote is not closed?)") from None


def parse_line(line: str) -> Invocation:
    """What a ``%twilio`` line asks for. Raises ConfigurationError with the fix."""
    tokens = _split(line)
    if not tokens or tokens[0] in ("-h", "--help", "help"):
        return Invocation("command", "help")
    head = tokens[0]
    # "%twilio form" alone is the form; "%twilio Form ..." with more is the entity Form
    if head.lower() in COMMANDS and not (head.lower() == "form" and len(tokens) > 1):
        cmd = head.lower()
        if cmd == "connect":
            opts = connect_options().parse_args(tokens[1:])
            return Invocation("command", cmd, options=opts)
        return Invocation("command", cmd, args=tokens[1:])
    positional = [t for t in tokens if "=" not in t.split("-", 1)[0] and not t.startswith("-")]
    rest_index = 1
    if head.upper() in METHODS and len(tokens) > 1 and tokens[1].startswith("/"):
        inv = Invocation("advanced", method=head.upper(), url=tokens[1])
        rest_index = 2
    elif "." in head and "=" not in head and len(positional) >= 1 and not head.startswith("-"):
        entity, _, verb = head.partition(".")
        inv = Invocation("basic", entity=entity, operation=verb)
    elif len(tokens) > 1 and "=" not in tokens[1] and not tokens[1].startswith("-"):
        inv = Invocation("basic", entity=head, operation=tokens[1])
        rest_index = 2
    else:
        raise ConfigurationError(
            f"Cannot tell what {line.strip()!r} asks for. Write %twilio ENTITY \"OPERATION\" "
            "[Name=Value ...] (e.g. %twilio Call \"List Calls\" To=+14155552671), "
            "%twilio Message.send ..., or %twilio GET /2010-04-01/Accounts/:AccountSid/Calls")
    rest = tokens[rest_index:]
    pair_tokens: list[str] = []
    option_tokens: list[str] = []
    expects_value = {a for action in request_options()._actions for a in action.option_strings
                     if action.nargs is None and not isinstance(
                         action, argparse._StoreTrueAction | argparse._StoreFalseAction)}
    i = 0
    while i < len(rest):
        tok = rest[i]
        if tok.startswith("-"):
            option_tokens.append(tok)
            if tok in expects_value and i + 1 < len(rest):
                option_tokens.append(rest[i + 1])
                i += 1
        else:
            pair_tokens.append(tok)
        i += 1
    inv.pairs = parse_pairs(pair_tokens)
    inv.options = request_options().parse_args(option_tokens)
    if inv.options.all and inv.options.limit is not None:
        raise ConfigurationError("Give --limit N or --all, not both")
    if inv.options.page_size is not None and not 1 <= inv.options.page_size <= 1000:
        raise ConfigurationError("--page-size must be between 1 and 1000 (Twilio's maximum)")
    return inv


def header_pairs(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        name, sep, value = v.partition(":")
        if not sep or not name.strip():
            raise ConfigurationError(f"--header {v!r} is not 'Name: value'")
        out[name.strip()] = value.strip()
    return out
