"""The fault and bad-input suite reuses the end-to-end harness: the Lpar class and the
lpar_factory fixture of tests/e2e/conftest.py, loaded under a name of its own (pytest keeps
its conftest modules under the name "conftest"), and tests/e2e on sys.path for `view` and
the DR scenario helpers."""

import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
E2E = os.path.join(os.path.dirname(HERE), "e2e")
if E2E not in sys.path:
    sys.path.insert(0, E2E)


def _harness():
    name = "aixdr_e2e_harness"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, os.path.join(E2E, "conftest.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


harness = _harness()
# The fault tests import this module as `aixdr_faults` (`from aixdr_faults import count`):
# the name "conftest" belongs to whichever conftest.py pytest imported last.
sys.modules["aixdr_faults"] = sys.modules[__name__]
Lpar = harness.Lpar
lpar_factory = harness.lpar_factory

# What the suite exercised, for the summary at the end of the session (CI's log).
COUNTS = {}


def count(key, n=1):
    COUNTS[key] = COUNTS.get(key, 0) + n


def pytest_terminal_summary(terminalreporter):
    if COUNTS:
        terminalreporter.write_sep("-", "fault suite")
        for key in sorted(COUNTS):
            terminalreporter.write_line("%s: %d" % (key, COUNTS[key]))
