"""The fault suite's summary: what it exercised (tests.harness.faultlib.count)."""

from tests.harness.faultlib import COUNTS


def pytest_terminal_summary(terminalreporter):
    if COUNTS:
        terminalreporter.write_sep("-", "fault suite")
        for key in sorted(COUNTS):
            terminalreporter.write_line("%s: %d" % (key, COUNTS[key]))
