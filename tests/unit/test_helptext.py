"""Every subcommand's --help explains its options and ends with its exit codes, and the
manual page names every command and option the parser knows."""

import argparse
import os
import re

import pytest

from aixdr_agent import cli
from aixdr_agent.config import STEP_NAMES

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def subparsers():
    parser = cli.build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


@pytest.mark.parametrize("name", [c[0] for c in cli.COMMANDS])
def test_every_option_has_help_and_the_epilog_lists_exit_codes(name):
    sp = subparsers()[name]
    text = sp.format_help()
    for action in sp._actions:
        if action.option_strings or action.dest == "run_id":
            assert action.help, (name, action.option_strings)
    assert "exit codes" in text
    if name in ("boot", "run", "plan"):
        for code in "01234":
            assert re.search(r"^  %s  " % code, text, re.M), (name, code)
    if name == "check":
        assert "3 UNKNOWN" in text
    if name in ("run", "plan"):
        assert all(step in text.replace("\n", " ") for step in STEP_NAMES)
        assert "--site" in text and "--resume" in text


def test_the_manual_page_names_every_command_and_option():
    page = open(os.path.join(ROOT, "docs", "aixdr-agent.8")).read().replace("\\-", "-")
    for name, sp in subparsers().items():
        assert re.search(r"^(?:\.(?:B|BR|BI) .*|\\fB)%s\b" % re.escape(name), page, re.M), name
        for action in sp._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in page, (name, option)
    for step in STEP_NAMES:
        assert step in page
    for section in ("EXIT STATUS", "FILES", "EXAMPLES", "THE BOOT DECISION", "ENVIRONMENT"):
        assert ".SH %s" % section in page
