"""Command line: one handler per command, each returning an exit code. The only sys.exit.

Imports are lazy: `status` reads two JSON files and must not pay for yaml or psutil.
"""

import os
import sys
from collections import namedtuple
from types import SimpleNamespace

from . import __version__
from .exitcodes import (
    EXIT_CONFIG,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_REFUSED,
)
from .paths import DEFAULT_CONFIG, DEFAULT_STATE_DIR, config_path, disabled_reason, state_root
from .render import detect_text, emit_json, history_text, plan_text, status_text
from .state import LockHeld, StateDir
from .trust import UnsafeFileError, prepare_state_dir

HISTORY_DEFAULT = 20  # runs `history` shows without --all or --limit


def _json(sp):
    sp.add_argument("--json", action="store_true")


def _manual(sp, plan):
    sp.add_argument("--site")
    sp.add_argument("--only", nargs="+", metavar="STEP")
    sp.add_argument("--resume", action="store_true",
                    help="only the steps that failed or did not run last time")
    if plan:
        _json(sp)
    else:
        sp.add_argument("--yes", action="store_true", help="do not ask")
        sp.add_argument("--force", action="store_true",
                        help="apply --site even on a frame that belongs to another site")


def _capture(sp):
    _json(sp)
    sp.add_argument("--print-config", action="store_true",
                    help="print the running system as a site profile")


def _config(sp):
    csub = sp.add_subparsers(dest="config_command", metavar="SUBCOMMAND")
    csub.required = True
    csub.add_parser("check", help="validate the configuration")
    csub.add_parser("render", help="this LPAR's resolved profile of a site, as YAML"
                    ).add_argument("--site")


def _positive(text):
    value = float(text)
    if not value > 0:
        raise ValueError(text)
    return value


_positive.__name__ = "positive number"    # argparse names the type in its message


def _check(sp):
    sp.add_argument("--site")
    _json(sp)
    sp.add_argument("-t", "--timeout", type=_positive, metavar="SECONDS",
                    help="give up after SECONDS, UNKNOWN (default 50)")
    sp.add_argument("--inventory-warn", type=_positive, metavar="DAYS",
                    help="WARNING when the inventory is older (default 1)")
    sp.add_argument("--inventory-crit", type=_positive, metavar="DAYS",
                    help="CRITICAL when the inventory is older (default 7)")


def _history(sp):
    _json(sp)
    sp.add_argument("--all", action="store_true", help="every recorded run")
    sp.add_argument("-n", "--limit", type=int, default=HISTORY_DEFAULT, metavar="N",
                    help="the newest N runs (default %d)" % HISTORY_DEFAULT)


def _report(sp):
    sp.add_argument("run_id", nargs="?", metavar="RUN_ID")
    sp.add_argument("--html", metavar="FILE")
    sp.add_argument("--rto", type=float, metavar="MINUTES")
    _json(sp)


def _daemon(sp):
    sp.add_argument("--interval", type=float, default=3600.0,
                    help="seconds between inventory refreshes (default 3600)")


def _fleet(sp):
    sp.add_argument("directory", metavar="DIR")
    sp.add_argument("--html", metavar="FILE")
    _json(sp)


# name, help, what its parser takes. In this order in `aixdr-agent --help`.
class Command(namedtuple("Command", "name help arguments handler agent", defaults=(False,))):
    """One command: its options (a function that adds them to its subparser) and its
    handler, which returns the exit code. An `agent` handler is called as
    handler(agent, args, log) once the configuration and the state folder are trusted;
    any other as handler(args). A handler named "module:function" lives in commands/ and
    is imported only when its command runs (so boot and status never load the others).
    A namedtuple, not typing.NamedTuple: `status` does not import typing."""

    __slots__ = ()


_GLOBAL_WITH_VALUE = ("--config", "--state-dir")


def command_word(argv):
    """The COMMAND of an argv (None when there is none before the end)."""
    tokens = iter(argv)
    for token in tokens:
        if token in _GLOBAL_WITH_VALUE:
            next(tokens, None)
        elif not token.startswith("-"):
            return token
    return None


def build_parser(argv=None):
    """The parser; for an argv whose command is known, with only that command's
    subparser (building all fourteen took 6 ms of every command's start, an idle boot's
    included). `--help` and unknown commands get them all."""
    import argparse  # lazy: status parses its arguments without argparse

    from .helptext import fill as fill_help  # lazy: status parses its arguments without argparse

    class Parser(argparse.ArgumentParser):
        def error(self, message):
            self.print_usage(sys.stderr)
            raise UsageExit(message, "%s: error: %s\n" % (self.prog, message))

    p = Parser(prog="aixdr-agent", description="AIX DR site-switch agent")
    p.add_argument("--version", action="version", version="aixdr-agent " + __version__)
    p.add_argument("--config", help="configuration file (default $AIXDR_CONFIG or %s)"
                   % DEFAULT_CONFIG)
    p.add_argument("--state-dir", help="state folder (default $AIXDR_STATE_DIR or %s)"
                   % DEFAULT_STATE_DIR)
    p.add_argument("-v", "--verbose", action="store_true")
    p.add_argument("-q", "--quiet", action="store_true")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    word = command_word(argv) if argv is not None else None
    wanted = word if word in [c.name for c in COMMANDS] else None
    for command in COMMANDS:
        if wanted in (None, command.name):
            sp = sub.add_parser(command.name, help=command.help)
            if command.arguments is not None:
                command.arguments(sp)
            fill_help(sp, command.name)
    return p


class UsageExit(Exception):
    """A bad option or argument (argparse's error)."""

    def __init__(self, message, text):
        super().__init__(message)
        self.text = text


def parse(argv):
    """The arguments; a usage error exits 2, except for `check`, a monitoring plugin, for
    which it is UNKNOWN (3) with a first line saying why."""
    try:
        return build_parser(argv).parse_args(argv)
    except UsageExit as exc:
        sys.stderr.write(exc.text)
        if command_word(argv) == "check":
            from .commands.check import usage_unknown  # lazy: only on a usage error

            sys.exit(usage_unknown(str(exc), "--json" in argv))
        sys.exit(EXIT_CONFIG)


def fast_args(argv):
    """`[--config F] [--state-dir D] [-v|-q] status [--json]` and `... boot` parsed without
    argparse, which with gettext, locale and the help texts is half of what `status` costs
    beyond Python's start-up (monitors call it every few minutes) and a good part of an idle
    boot's; None for anything else (argparse decides)."""
    values = {"config": None, "state_dir": None, "verbose": False, "quiet": False,
              "json": False, "command": None}
    tokens = iter(argv)
    for token in tokens:
        if token in _GLOBAL_WITH_VALUE and values["command"] is None:
            value = next(tokens, None)
            if value is None or value.startswith("-"):
                return None
            values[token[2:].replace("-", "_")] = value
        elif token in ("-v", "--verbose", "-q", "--quiet") and values["command"] is None:
            values["verbose" if token in ("-v", "--verbose") else "quiet"] = True
        elif token in ("status", "boot") and values["command"] is None:
            values["command"] = token
        elif token == "--json" and values["command"] == "status":
            values["json"] = True
        else:
            return None
    if values["command"] is None:
        return None
    return SimpleNamespace(**values)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = fast_args(argv)
    if args is None:
        args = parse(argv)
    try:
        code = dispatch(args)
    except KeyboardInterrupt:
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        code = EXIT_OK
    except OSError as exc:
        # A full or read-only /var (ENOSPC, EROFS) while writing a record: one line that
        # names the file, not a traceback on the console. The atomic writes left the old
        # files as they were.
        where = "%s: " % exc.filename if getattr(exc, "filename", None) else ""
        code = err("%s%s" % (where, exc.strerror or exc), EXIT_FAILED)
        _errlog_boot(args, "boot stopped: %s%s; see aixdr-agent status"
                     % (where, exc.strerror or exc))
    except Exception as exc:  # noqa: BLE001 - never a traceback on the boot console
        text = "internal error, stopped: %s: %s" % (type(exc).__name__, exc)
        code = err(" ".join(text.split())[:2000], EXIT_FAILED)
        _errlog_boot(args, "boot %s; see aixdr-agent status" % text)
    sys.exit(code)


def _errlog_boot(args, text):
    """At boot, a failure no step recorded goes to the AIX error log too."""
    if getattr(args, "command", None) != "boot":
        return
    from .log import errlog  # lazy: only when boot fails
    from .runner import Runner  # lazy: only when boot fails

    errlog(Runner(timeout=30), text)


def dispatch(args):
    command = next(c for c in COMMANDS if c.name == args.command)
    if command.agent:
        return with_agent(args, command.handler)
    handler = command.handler
    if isinstance(handler, str):
        import importlib  # lazy: only the command that runs is imported

        module, function = handler.split(":")
        handler = getattr(importlib.import_module("aixdr_agent.commands." + module), function)
    return handler(args)


def out(text):
    sys.stdout.write(text + "\n")


def err(text, code):
    sys.stderr.write("aixdr-agent: %s\n" % text)
    return code


def load_config(args):
    """(config, None) or (None, exit code) with the problem already printed."""
    from .config import ConfigError  # lazy: status reads no configuration (yaml)
    from .config import load_config as load  # lazy: status reads no configuration (yaml)

    path = config_path(args)
    if not os.path.exists(path):
        return None, err("%s: no such configuration file (give --config or set "
                         "AIXDR_CONFIG)" % path, EXIT_CONFIG)
    try:
        return load(path, trusted_uids=(0, os.geteuid())), None
    except ConfigError as exc:
        return None, err("configuration error, nothing changed:\n%s" % exc, EXIT_CONFIG)
    except UnsafeFileError as exc:
        if args.command == "boot":
            from .log import errlog  # lazy: only when boot fails
            from .runner import Runner  # lazy: only when boot fails

            errlog(Runner(timeout=30), "refused, nothing changed: %s" % exc)
        return None, err("refused, nothing changed: %s" % exc, EXIT_REFUSED)


def check_state_dir(args, root):
    """None when the state folder is trusted (created if missing), else the exit code
    (3) with the refusal and its fix printed, and at boot in the error log."""
    try:
        prepare_state_dir(root, trusted_uids=(0, os.geteuid()))
        return None
    except UnsafeFileError as exc:
        text = "refused, nothing changed: the state folder is not safe:\n%s" % exc
    except OSError as exc:
        text = "refused, nothing changed: state folder %s: %s" % (
            exc.filename or root, exc.strerror or exc)
    _errlog_boot(args, text)
    return err(text, EXIT_REFUSED)


def with_agent(args, handler):
    """Load the configuration and check the state folder, then call handler(agent, args,
    log) and turn the agent's refusals into their exit codes."""
    config, code = load_config(args)
    if config is None:
        return code
    if args.command == "config" and args.config_command == "check":
        out("%s: OK (%d sites: %s; steps: %s)" % (config_path(args), len(config.sites),
                                                 ", ".join(config.sites),
                                                 ", ".join(config.steps)))
        return EXIT_OK
    from .log import setup  # lazy: status imports no engine
    from .operations import Agent, Refused, UsageError  # lazy: status imports no engine

    root = state_root(args)
    code = check_state_dir(args, root)
    if code is not None:
        return code
    console = None if args.quiet or args.command not in ("boot", "run") else sys.stdout
    log = setup(root, console=console, verbose=args.verbose)
    agent = Agent(config, StateDir(root), log=log)
    try:
        return handler(agent, args, log)
    except Refused as exc:
        log("refused: %s" % exc)
        return err("refused: %s" % exc, EXIT_REFUSED) if console is None else EXIT_REFUSED
    except UsageError as exc:
        return err(str(exc), EXIT_CONFIG)
    except LockHeld as exc:
        return err("another aixdr-agent is running (%s); nothing done" % exc, EXIT_LOCKED)
    except UnsafeFileError as exc:   # planted in the state folder since it was checked
        _errlog_boot(args, "refused: %s" % exc)
        return err("refused, nothing changed: %s" % exc, EXIT_REFUSED)


def cmd_boot(agent, args, log):
    reason = disabled_reason(agent.config, config_path(args))
    if reason:
        log("disabled (%s): nothing changed" % reason)
        return EXIT_OK
    # each step's line was printed as the step ended; what is left is the result
    doc, code = agent.boot()
    run = doc["run"]
    if run is not None:
        agent.progress.end(run)
        if code == EXIT_FAILED:
            log("what to do: fix what the failed steps say (aixdr-agent report %s shows each "
                "command and its output), then run aixdr-agent run --resume --yes, or "
                "reboot: the next boot runs the unfinished steps again" % run["id"])
    return code


def cmd_run(agent, args, log):
    if not args.yes:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            return err("run changes the system: give --yes (no terminal to ask on)",
                       EXIT_CONFIG)
        doc = agent.plan(args.site, args.only, args.resume, force=args.force)
        out(_plan_text(doc))
        if not doc["commands"]:
            out("Nothing to change.")
        answer = input("Apply this plan to site %s? [y/N] " % doc["site"])
        if answer.strip().lower() not in ("y", "yes"):
            out("Nothing changed.")
            return EXIT_OK
    doc, code = agent.run(args.site, args.only, args.resume, force=args.force)
    agent.progress.end(doc["run"])
    return code


def cmd_detect(agent, args, log):
    doc = agent.detect()
    emit_json(doc) if args.json else out(_detect_text(doc))
    return EXIT_OK


def cmd_plan(agent, args, log):
    doc = agent.plan(args.site, args.only, args.resume)
    emit_json(doc) if args.json else out(_plan_text(doc))
    return EXIT_OK


def cmd_capture(agent, args, log):
    doc, written, site, settled = agent.capture(write=not args.print_config)
    if args.print_config:
        import yaml  # lazy: status and boot must not import yaml

        profile = dict(doc["network"])
        out("# site profile of %s as it runs now (systemid %s)" % (
            profile.get("hostname"), doc["identity"]["systemid"]))
        out(yaml.safe_dump({site or "SITE": profile}, default_flow_style=False,
                           sort_keys=False).rstrip())
        return EXIT_OK
    if args.json:
        emit_json(doc)
    else:
        vgs = doc["volume_groups"]
        out("inventory: %d data VG(s) %s, rootvg on %s" % (
            len(vgs), " ".join(sorted(vgs)), " ".join(doc["rootvg"]["disks"]) or "-"))
    if not written:
        return err("inventory not written: the LPAR is not settled on a known site (site %s)"
                   % (site or "unknown"), EXIT_REFUSED)
    return EXIT_OK


def cmd_render(agent, args, log):
    import yaml  # lazy: status and boot must not import yaml

    doc = agent.render(args.site)
    out("# resolved profile of site %s for this LPAR (%s)" % (
        doc["site"], ", ".join("%s: %s" % kv for kv in sorted(doc["sources"].items()))))
    out(yaml.safe_dump({doc["site"]: doc["profile"]}, default_flow_style=False,
                       sort_keys=False).rstrip())
    code = EXIT_OK
    for step, messages in sorted(doc["problems"].items()):
        for message in messages:
            out("# PROBLEM for step %s: %s" % (step, message))
            code = EXIT_FAILED
    return code


def _plan_text(doc):
    return plan_text(doc)


def _detect_text(doc):
    return detect_text(doc)


def cmd_status(args):
    from .commands.status import status_document  # lazy: only status and history

    doc = status_document(state_root(args))
    emit_json(doc) if args.json else out(status_text(doc))
    return doc["exit_code"]


def cmd_history(args):
    from .commands.status import history  # lazy: only status and history

    if args.limit < 1 and not args.all:
        return err("history --limit: give a number of runs, 1 or more (or --all)", EXIT_CONFIG)
    runs, total = history(state_root(args), None if args.all else args.limit)
    if args.json:
        emit_json({"schema": "aixdr-agent/history/v1", "total": total, "runs": runs})
    else:
        out(history_text(runs, total))
    return EXIT_OK


COMMANDS = (
    Command("boot", "the boot entry point (inittab/SRC)", None,
            cmd_boot, agent=True),
    Command("detect", "identity, site and what boot would do", _json,
            cmd_detect, agent=True),
    Command("status", "site, last run, readiness (reads files only)", _json,
            cmd_status),
    Command("history", "past runs, newest first (the last %d)" % HISTORY_DEFAULT, _history,
            cmd_history),
    Command("plan", "dry run: the commands run would execute", lambda sp: _manual(sp, True),
            cmd_plan, agent=True),
    Command("run", "apply a site's profile by hand", lambda sp: _manual(sp, False),
            cmd_run, agent=True),
    Command("capture", "record the inventory of the running system", _capture,
            cmd_capture, agent=True),
    Command("config", "check or render the configuration", _config,
            cmd_render, agent=True),
    Command("check", "readiness checks (monitoring-plugin exit codes)", _check,
            "check:check_command"),
    Command("report", "DR test evidence of one run (default: the last)", _report,
            "report:report_command"),
    Command("daemon", "long-running mode for the SRC", _daemon, "daemon:daemon_command"),
    Command("install", "add the inittab entry and the SRC subsystem", None,
            "install:install_command"),
    Command("uninstall", "remove the inittab entry and the SRC subsystem", None,
            "install:install_command"),
    Command("fleet-report", "many LPARs' status/check documents as one table", _fleet,
            "fleet:fleet_command"),
)
