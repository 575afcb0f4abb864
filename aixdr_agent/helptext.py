"""The words of `aixdr-agent COMMAND --help`: what each option means, the steps, the exit
codes. Kept apart from the parsers in cli.py, which say only what each command takes;
`fill` gives every option that has no help of its own the text below."""

from .config import STEP_NAMES

RUN_EXIT_HELP = """exit codes of boot and run:
  0  nothing to do, or every step ok or changed
  1  a step failed (aixdr-agent status; aixdr-agent run --resume once fixed)
  2  configuration or usage error (nothing changed)
  3  refused for safety: unknown site, a frame of another site without --force,
     an unsafe file or folder, an unreadable state (nothing changed)
  4  another aixdr-agent holds the lock"""

CHECK_CODES = """exit codes (monitoring-plugin convention, e.g. NRPE):
  0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (a bad option, or the checks ran past -t)"""

STATUS_CODES = """exit codes:
  0  the last run succeeded, or nothing ran yet
  1  the last run failed, or a site change is unfinished
  2  usage or configuration error"""

OTHER_CODES = """exit codes: 0 done, 1 failed, 2 usage or configuration error,
3 refused for safety, 4 another aixdr-agent holds the lock"""

EPILOGS = {
    "boot": RUN_EXIT_HELP, "run": RUN_EXIT_HELP, "plan": RUN_EXIT_HELP,
    "check": CHECK_CODES, "status": STATUS_CODES,
}

SITE = ("the site to act on, a name under `sites:` in the configuration "
        "(default: the site this frame belongs to)")
JSON = ("print one JSON document on stdout and nothing else; its \"schema\" key names "
        "its kind and version (e.g. aixdr-agent/status/v1)")

OPTIONS = {
    "--site": SITE,
    "--json": JSON,
    "--only": "only these steps, in their usual order; steps: " + ", ".join(STEP_NAMES),
    "--resume": "only the steps that failed or did not run in the last run",
    "--yes": ("do not show the plan and ask; needed when there is no terminal "
              "(without it run refuses, exit 2)"),
    "--force": ("act even when this frame belongs to another site than --site "
                "(without it that is refused, exit 3)"),
    "-t": "give up after this many seconds and report UNKNOWN (3)",
    "--html": "also write one self-contained HTML page to FILE ('-': stdout)",
    "--rto": ("the recovery time objective in minutes, shown beside the time to ready "
              "in the summary (none by default)"),
}

# options whose short help in cli.py is replaced by the fuller one above
REWORDED = {"--resume", "--yes"}

DESCRIPTIONS = {
    "boot": ("The boot entry point (inittab entry aixdr). Detects the site and, on a site "
             "change or an unfinished one, runs the steps; never asks; short console "
             "lines; an overall deadline (timeouts.boot)."),
    "detect": ("The identity (systemid, LPAR, clouddev, ghostdev, ODM reset), the site it "
               "maps to, the last applied site and the decision boot would take. "
               "Changes nothing."),
    "status": ("The site, the identity now, the last run and each step's result, the "
               "steps boot would resume, readiness findings (stale ones marked). Reads "
               "the records only."),
    "plan": ("Dry run: the exact changing commands that run would execute now, step by "
             "step, with the reason for each. Runs read-only queries only."),
    "run": ("Apply a site's profile by hand. Without --yes it shows the plan and asks on "
            "a terminal, and refuses without one. On a frame that no site claims, "
            "--site S --yes is the manual activation (recorded in the AIX error log)."),
    "check": "Readiness for a DR test, as a monitoring plugin (NRPE, Nagios).",
    "report": ("DR test evidence of one run (default: the last; a unique prefix of the "
               "id is enough): a summary, then each step and command with times."),
    "fleet-report": ("Many LPARs' status --json and check --json documents (one folder "
                     "per LPAR, or HOST.status.json files) as one table, worst first."),
}


def fill(parser, name):
    """Give `parser` (the subparser of command `name`) its description, its epilog and a
    help text for every option that has none."""
    import argparse  # lazy: only for --help
    import textwrap  # lazy: only for --help

    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    if parser.description is None and name in DESCRIPTIONS:
        parser.description = textwrap.fill(DESCRIPTIONS[name], 78)
    if parser.epilog is None:
        parser.epilog = EPILOGS.get(name, OTHER_CODES)
    for action in parser._actions:
        for sub_name, sub in (getattr(action, "choices", None) or {}).items():
            if isinstance(sub, argparse.ArgumentParser):
                fill(sub, sub_name)
        if action.dest == "run_id":
            action.help = "the run, as `aixdr-agent history` lists it"
        if action.help is None or set(action.option_strings) & REWORDED:
            for option in action.option_strings:
                if option in OPTIONS:
                    action.help = OPTIONS[option]
                    break
