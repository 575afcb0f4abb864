"""The configuration loader, fed mutated good configurations (YAML punctuation, anchors,
tags, control characters, tabs, odd numbers put in; pieces cut and spliced), raises
ConfigError and nothing else, and every problem it reports names a key path. This is how
a NUL byte was found to crash `config check` with a PyYAML traceback and exit 1."""

import glob
import os

import pytest

from aixdr_agent.config import ConfigError, parse_config_text
from tests.harness import faultlib

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

DATA = os.path.join(faultlib.ROOT, "tests", "data")
GOOD = [open(p).read() for p in sorted(glob.glob(os.path.join(DATA, "configs", "good",
                                                               "*.yaml")))
        + [os.path.join(DATA, "agent.yaml")]]
TOKENS = ["\t", "&a ", "*a", "!!binary ", "!!python/object:os.system ", "? ", "- ", ": ",
          "{", "}", "[", "]", "'", '"', "\x00", "\x01", "\x1b", "\x85", "\u2028", "\ufeff",
          "1e999", "99999999999999999999999", ".inf", "~", "yes", "0x1F", "0o7", "1:30",
          "2024-01-01", "<<: ", "#", "\n", "  ", "%YAML 1.1\n", "---\n", "...\n", "|\n",
          ">-\n", "\\", "$(reboot)", "`id`", ";", "\u00e9", "\r", "!!set ", "!!omap "]
EXAMPLES = 300


def mutate(text, edits):
    for op, at, span, token in edits:
        at %= len(text) + 1
        if op == 0:
            text = text[:at] + token + text[at:]
        elif op == 1:
            text = text[:at] + text[at + span % 12 + 1:]
        else:
            start = span % (len(text) + 1)
            text = text[:at] + text[start:start + 25] + text[at:]
    return text


edit = st.tuples(st.integers(0, 2), st.integers(0, 1 << 14), st.integers(0, 1 << 14),
                 st.sampled_from(TOKENS))
configs = st.builds(mutate, st.sampled_from(GOOD), st.lists(edit, min_size=1, max_size=5))


@pytest.mark.slow
def test_mutated_configurations_raise_only_config_errors(request):
    runs = [0]

    @hypothesis.settings(max_examples=EXAMPLES, deadline=None, database=None,
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(configs)
    def check(text):
        runs[0] += 1
        try:
            parse_config_text(text, "agent.yaml")
        except ConfigError as exc:
            assert exc.problems
            for problem in exc.problems:
                assert problem.key and problem.message
                assert str(problem).startswith("agent.yaml")

    check()
    faultlib.count("config fuzz examples", runs[0])
