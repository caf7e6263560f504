"""Parse a ``%twilio`` line into what to do. Pure: no IPython, no network. Imports the core's
faces (paging's WalkOptions checks the walk's values) and errors; never IPython.

Forms (the whole grammar is :func:`help_text`, built from the declarations below):

    %twilio connect [--sandbox] [--address URL] [--auth-type api_key|auth_token] ...
    %twilio credentials add|list|remove [NAME]
    %twilio whoami | entities | operations ENTITY | describe ENTITY "OPERATION"
    %twilio help Entity.verb | help ENTITY "OPERATION"
    %twilio history | trace on|off | form | inbox
    %twilio export RESOURCE --since D --until D [--parquet PATH] [--no-jobs]   Bulk Export
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
from ..paging import WalkOptions
from ..session.settings import DEFAULTS, ConnectionSettings, Setting, settings_of
from ..vocabulary import BULK_EXPORT_LEFT_OUT, METHODS

__all__ = ["COMMANDS", "CONNECT_OPTIONS", "EXPORT_OPTIONS", "METHODS", "REQUEST_OPTIONS",
           "STYLES", "Invocation", "Option", "connect_options", "connect_settings",
           "export_options", "help_text", "parse_line", "parse_pairs", "request_options",
           "walk_options"]

COMMANDS = ("connect", "credentials", "whoami", "entities", "operations", "describe", "history",
            "trace", "form", "inbox", "export")
STYLES = ("curl", "python", "cli", "sap", "magic", "twilio_nb")


# Twilio's parameter names: PascalCase, dotted (MessagingBinding.Address), ranges (DateSent>)
_NAME = re.compile(r"^[A-Za-z][\w.-]*[<>]?$")


USAGE = """%twilio — the Twilio REST API from a notebook (offline sandbox when no account is set)

  %twilio connect [--sandbox] [--address URL] [--auth-type api_key|auth_token]
                  [--credential NAME] [--account-sid AC...] [--no-reuse]
                  [--connection-timeout-ms N] [--response-timeout-ms N] [--region R] [--edge E]
                  [--record PATH [--scrub pii|secrets]] | --replay PATH [--fallback sandbox]
  %twilio credentials add NAME [--user SK...|AC...] [--account-sid AC...] | list | remove NAME
  %twilio whoami | entities | operations ENTITY | describe ENTITY "OPERATION"
  %twilio help Entity.verb      the operation in Twilio's words: summary, each parameter
  %twilio history | trace on|off
  %twilio form                  the adapter's form: Connection and Processing tabs, Execute
  %twilio inbox                 a webhook inbox (tw.inbox) checking this connection's signatures
  %twilio export Messages --since D --until D [--parquet PATH] [--no-jobs] [-o VAR]
                                Twilio's Bulk Export of Messages, Calls, Conferences or
                                Participants: day files into one typed frame (conn.bulk_export)
  %twilio ENTITY "OPERATION" [Name=Value ...] [options]   %twilio Call "List Calls" To=+1...
  %twilio Entity.verb [Name=Value ...] [options]           %twilio Message.send To=+1... Body=Hi
  %twilio METHOD /relative/url [Name=Value ...] [options]  %twilio GET /2010-04-01/Accounts/
                                                           :AccountSid/Calls
  %%twilio ENTITY "OPERATION" [options]   with the JSON body in the cell
  %%twilio METHOD /relative/url           with the form-encoded body in the cell
  %%twilio Message.create --each VAR [--concurrency N] [--dry-run] [--checkpoint PATH]
                          one request per row of the DataFrame VAR (conn.batch); the cell's
                          body is a template: {column} takes the row's value

--all and --limit N ask for 1,000 records a page (N when smaller) unless a page size is set.
Defaults: %config TwilioMagics (response_format, display_rows, page_size, progress,
max_retries, trace)."""

FLAG_ACTIONS = ("store_true", "store_false")  # options that take no value


@dataclass(frozen=True)
class Option:
    """One option of a ``%twilio`` line: its flags and argparse's keywords. The parsers, the
    help and the line splitter all read these declarations."""

    flags: tuple[str, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def takes_value(self) -> bool:
        return self.kwargs.get("action") not in FLAG_ACTIONS


REQUEST_OPTIONS = (
    Option(("--query", "-q"), {"help": "query string, e.g. To=+1415...; spaces as %%20"}),
    Option(("--format", "-f"), {"dest": "format", "help": "response format: json, xml or csv"}),
    Option(("--next-page-uri",), {"help": "fetch this page instead of the first"}),
    Option(("--limit",), {"type": int, "help": "fetch pages until N records (N a page, at most "
                                                "1000, unless --page-size)"}),
    Option(("--all",), {"action": "store_true",
                        "help": "fetch every page into one DataFrame (1000 a page unless "
                                "--page-size)"}),
    Option(("--concurrency",), {"type": int, "metavar": "N",
                                "help": "with --all, --limit or --parquet: date slices "
                                        "fetched N at a time (1 to 32); with --each: rows "
                                        "sent N at a time"}),
    Option(("--each",), {"metavar": "VAR",
                         "help": "one request per row of the DataFrame VAR (a batch); {column} "
                                 "in the cell's body takes the row's value"}),
    Option(("--checkpoint",), {"metavar": "PATH",
                               "help": "with --each: each row's intent and outcome kept in "
                                       "PATH; run again to resume, never sending a row twice"}),
    Option(("--start-again",), {"action": "store_true",
                                "help": "with --checkpoint: keep the old file aside "
                                        "(renamed) and start a new one: every row is sent"}),
    Option(("--parquet",), {"metavar": "PATH",
                            "help": "stream every page into a Parquet file (goes on from "
                                    "its checkpoint if interrupted)"}),
    Option(("--since",), {"metavar": "DATE",
                          "help": "with --all, --limit or --parquet: records on or after DATE "
                                  "(2025-06-01, or an ISO date-time 2025-06-01T12:00:00Z)"}),
    Option(("--until",), {"metavar": "DATE",
                          "help": "with --all, --limit or --parquet: records on or before DATE "
                                  "(a date: to its last second)"}),
    Option(("--overwrite",), {"action": "store_true",
                              "help": "with --parquet: replace the file if it exists (and an "
                                      "unfinished export of another request)"}),
    Option(("--page-size",), {"type": int, "help": "PageSize (at most 1000)"}),
    Option(("-o", "--out"), {"metavar": "VAR", "help": "store the Result in VAR"}),
    Option(("--df",), {"action": "store_true", "help": "give the DataFrame, not the Result"}),
    Option(("--dry-run",), {"action": "store_true", "help": "build the request; send nothing"}),
    Option(("--as",), {"dest": "as_style", "choices": STYLES,
                       "help": "show the request as code, send nothing"}),
    Option(("--send-body",), {"dest": "send_body", "action": "store_true", "default": None,
                              "help": "send the body (Advanced; on for POST, PUT, PATCH)"}),
    Option(("--no-send-body",), {"dest": "send_body", "action": "store_false",
                                 "help": "do not send the body"}),
    Option(("--request-headers",), {"help": "pipe-separated names of the --header values to "
                                            "send; * for all"}),
    Option(("--response-headers",), {"default": "*",
                                     "help": "pipe-separated names of response headers to "
                                             "keep; * (default) for all"}),
    Option(("--header", "-H"), {"action": "append", "default": [], "metavar": "'Name: value'",
                                "help": "an extra request header (repeatable)"}),
)

def _connect_options(name: str, setting: Setting, default: Any) -> tuple[Option, ...]:
    """The ``%twilio connect`` flag(s) of one setting, declared from the settings object: a
    value left out is the settings' default (argparse's default is None)."""
    assert setting.flag is not None
    if isinstance(default, bool):  # a switch; one on by default has its --no- form too
        on = Option((setting.flag,), {"dest": name, "action": "store_true",
                                      "default": True if default else None,
                                      "help": setting.help})
        if not default:
            return (on,)
        return (on, Option(("--no-" + setting.flag[2:],),
                           {"dest": name, "action": "store_false",
                            "help": setting.off or f"the opposite of {setting.flag}"}))
    kwargs: dict[str, Any] = {"dest": name, "default": None, "help": setting.help}
    if isinstance(default, int):
        kwargs["type"] = int
    if setting.metavar:
        kwargs["metavar"] = setting.metavar
    if setting.choices:
        kwargs["choices"] = setting.choices
    return (Option((setting.flag,), kwargs),)


#: ``%twilio connect``'s options: the settings (:mod:`twilio_nb.session.settings`) that
#: have a flag, in their order.
CONNECT_OPTIONS = tuple(option for name, setting in settings_of() if setting.flag is not None
                        for option in _connect_options(name, setting, getattr(DEFAULTS, name)))


def connect_settings(opts: argparse.Namespace) -> ConnectionSettings:
    """The settings a ``%twilio connect`` line gives (every other one at its default)."""
    given = {name: getattr(opts, name) for name, setting in settings_of()
             if setting.flag is not None and getattr(opts, name) is not None}
    return ConnectionSettings(**given)


EXPORT_OPTIONS = (
    Option(("resource",), {"help": "Messages, Calls, Conferences or Participants"}),
    Option(("--since",), {"metavar": "DAY", "required": True, "help": "the first UTC day"}),
    Option(("--until",), {"metavar": "DAY", "required": True, "help": "the last UTC day"}),
    Option(("--parquet",), {"metavar": "PATH", "help": "stream the days into a Parquet file "
                                                       "(goes on from its checkpoint)"}),
    Option(("--overwrite",), {"action": "store_true", "help": "with --parquet: replace it"}),
    Option(("--no-jobs",), {"dest": "jobs", "action": "store_false",
                            "help": "take the days that have a file; ask for no job"}),
    Option(("--no-wait",), {"dest": "wait", "action": "store_false",
                            "help": "send the jobs and return (their days: requested)"}),
    Option(("--timeout",), {"type": float, "metavar": "S", "help": "stop waiting for jobs"}),
    Option(("--poll-s",), {"type": float, "default": 60, "metavar": "S",
                           "help": "ask how the jobs go every S seconds (default 60)"}),
    Option(("--concurrency",), {"type": int, "default": 4, "metavar": "N",
                                "help": "day files fetched N at a time (default 4)"}),
    Option(("-o", "--out"), {"metavar": "VAR", "help": "store the BulkExport in VAR"}),
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would print and exit
        raise ConfigurationError(f"{message}. See %twilio --help for the options.")

    def exit(self, status: int = 0, message: str | None = None) -> Any:
        raise ConfigurationError(message or self.format_help())


def _formatter(prog: str) -> argparse.HelpFormatter:
    """A fixed width: the help is the same text wherever it is shown (not $COLUMNS)."""
    return argparse.HelpFormatter(prog, width=92, max_help_position=34)


def _parser(prog: str, options: tuple[Option, ...], title: str) -> _Parser:
    p = _Parser(prog=prog, add_help=False, allow_abbrev=False, usage=argparse.SUPPRESS,
                formatter_class=_formatter)
    group = p.add_argument_group(title)
    for option in options:
        group.add_argument(*option.flags, **option.kwargs)
    return p


def request_options() -> _Parser:
    """The parser of a request line's options."""
    return _parser("%twilio", REQUEST_OPTIONS, "options of a request")


def connect_options() -> _Parser:
    """The parser of ``%twilio connect``'s options."""
    return _parser("%twilio connect", CONNECT_OPTIONS, "options of %twilio connect")


def export_options() -> _Parser:
    """The parser of ``%twilio export``'s options."""
    return _parser("%twilio export", EXPORT_OPTIONS, "options of %twilio export")


def help_text() -> str:
    """The whole grammar: what ``%twilio --help`` prints and ``%twilio?`` shows."""
    return "\n".join([USAGE, "", request_options().format_help().strip(), "",
                      connect_options().format_help().strip(), "",
                      export_options().format_help().strip()])


def _is_export(tokens: list[str]) -> bool:
    """``%twilio export Messages ...``, not the entity Export (``%twilio Export "Get Export"``)."""
    if tokens[0] == "export" or len(tokens) == 1 or tokens[1].startswith("-"):
        return True
    return tokens[1].lower() in {name.lower() for name in BULK_EXPORT_LEFT_OUT}


_EXPECTS_VALUE = frozenset(flag for option in REQUEST_OPTIONS if option.takes_value
                           for flag in option.flags)


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
        return Invocation("command", "help", args=tokens[1:])
    head = tokens[0]
    # "%twilio form" alone is the form; "%twilio Form ..." with more is the entity Form
    if head.lower() in COMMANDS and not (head.lower() == "form" and len(tokens) > 1) and not (
            head.lower() == "export" and not _is_export(tokens)):
        cmd = head.lower()
        if cmd == "export":
            return Invocation("command", cmd, options=export_options().parse_args(tokens[1:]))
        if cmd == "connect":
            opts = connect_options().parse_args(tokens[1:])
            _check_cassette_options(opts)
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
    i = 0
    while i < len(rest):
        tok = rest[i]
        if tok.startswith("-"):
            option_tokens.append(tok)
            if tok in _EXPECTS_VALUE and i + 1 < len(rest):
                option_tokens.append(rest[i + 1])
                i += 1
        else:
            pair_tokens.append(tok)
        i += 1
    inv.pairs = parse_pairs(pair_tokens)
    inv.options = request_options().parse_args(option_tokens)
    if inv.options.all and inv.options.limit is not None:
        raise ConfigurationError("Give --limit N or --all, not both")
    _check_each(inv.options)
    return inv


def _check_cassette_options(opts: argparse.Namespace) -> None:
    """--scrub only with --record, --fallback only with --replay (else silently nothing)."""
    if opts.scrub is not None and not opts.record:
        raise ConfigurationError("--scrub says what a recording leaves out: add --record PATH, "
                                 "or leave --scrub out")
    if opts.fallback is not None and not opts.replay:
        raise ConfigurationError("--fallback says where a replay sends what its cassette "
                                 "lacks: add --replay PATH, or leave --fallback out")


#: what a batch (``--each``) has no use for: its requests are the rows', its answers a Batch
NOT_WITH_EACH = {"all": "--all", "limit": "--limit", "parquet": "--parquet", "since": "--since",
                 "until": "--until", "overwrite": "--overwrite", "as_style": "--as",
                 "next_page_uri": "--next-page-uri", "format": "--format",
                 "page_size": "--page-size", "df": "--df", "header": "--header",
                 "request_headers": "--request-headers", "send_body": "--send-body",
                 "response_headers": "--response-headers"}


def _check_each(opts: argparse.Namespace) -> None:
    """--each (a batch) and --checkpoint: with what they apply to (the walk's options go
    together by the core's rules: :class:`~twilio_nb.paging.WalkOptions`)."""
    if opts.checkpoint and not opts.each:
        raise ConfigurationError("--checkpoint applies to --each VAR (a batch): add it")
    if opts.start_again and not opts.checkpoint:
        raise ConfigurationError("--start-again applies to --checkpoint PATH: add it")
    if not opts.each:
        return
    defaults = vars(request_options().parse_args([]))  # as the declarations say
    given = [flag for dest, flag in NOT_WITH_EACH.items()
             if getattr(opts, dest) != defaults[dest]]
    if given:
        raise ConfigurationError(f"--each sends one request per row and gives a Batch: leave "
                                 f"out {', '.join(given)}")


def walk_options(opts: argparse.Namespace, *, page_size: int | None = None,
                 progress: bool = True) -> WalkOptions:
    """What a request line asks after its first page, as the core's ``WalkOptions`` (checked
    there, once, in the flags' words; ``page_size``: the default unless --page-size)."""
    return WalkOptions(every=opts.all, limit=opts.limit,
                       concurrency=1 if opts.concurrency is None else opts.concurrency,
                       since=opts.since, until=opts.until, parquet=opts.parquet,
                       overwrite=opts.overwrite,
                       page_size=page_size if opts.page_size is None else opts.page_size,
                       progress=progress, flags=True)


def header_pairs(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for v in values:
        name, sep, value = v.partition(":")
        if not sep or not name.strip():
            raise ConfigurationError(f"--header {v!r} is not 'Name: value'")
        out[name.strip()] = value.strip()
    return out
