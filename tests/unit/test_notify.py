"""Runner.change(input_text=...) and notify(): the summary on the notify command's stdin,
errlogger on a failed run, and nothing of it able to break a boot."""

import json
import sys
import time

import pytest

from aixdr_agent.config import Config
from aixdr_agent.notify import notify
from aixdr_agent.runner import DryRunRunner, Runner


@pytest.fixture()
def bindir(tmp_path):
    d = tmp_path / "bin"
    d.mkdir()
    log = tmp_path / "calls.jsonl"

    def add(name, body):
        path = d / name
        path.write_text("#!%s\nimport json, os, sys, time\nLOG = %r\n%s\n"
                        % (sys.executable, str(log), body))
        path.chmod(0o755)

    record = ("open(LOG, 'a').write(json.dumps({'argv': [os.path.basename(sys.argv[0])] + "
              "sys.argv[1:], 'stdin': %s, 'env': {k: v for k, v in os.environ.items() "
              "if k.startswith('AIXDR_')}}) + '\\n')")
    add("mailer", record % "sys.stdin.read()")
    add("errlogger", record % "None")
    add("deaf", "sys.exit(0)")                       # never reads its stdin
    add("sulk", record % "sys.stdin.read()" + "\nsys.exit(3)")
    add("sleeper", "time.sleep(30)")
    return Bin(d, log)


class Bin:
    """The test commands' folder and what they recorded."""

    def __init__(self, path, log):
        self.path, self.log = path, log

    def __str__(self):
        return str(self.path)

    def calls(self):
        if not self.log.exists():
            return []
        return [json.loads(x) for x in self.log.read_text().splitlines()]


def runner_for(bindir, cls=Runner, **kw):
    return cls(environ={"AIXDR_PATH": str(bindir), "HOME": "/"}, **kw)


def run_record(result="changed", steps=(("mktcpip", "changed"),)):
    return {"schema": "aixdr-agent/run/v1", "id": "20260101T000000.000Z-1", "trigger": "boot",
            "site": "dr", "previous_site": "prod", "result": result, "hostname": "aixprd01",
            "start": "2026-01-01T00:00:00.000Z", "end": "2026-01-01T00:00:03.000Z",
            "duration": 3.0, "identity": {"lpar_number": 5, "lpar_name": "aixprd01",
                                          "systemid": "IBM,0211D11C1",
                                          "boot_time": 1767225540.0},
            "steps": [{"name": n, "status": s, "message": "m %s" % n, "duration": 1.0,
                       "start": "2026-01-01T00:00:01.000Z", "items": [], "commands": []}
                      for n, s in steps],
            "notes": []}


# -- Runner.change(input_text=...) -----------------------------------------------------------


def test_input_text_reaches_stdin_and_the_record_is_unchanged(bindir):
    r = runner_for(bindir)
    res = r.change(["mailer", "-s", "subject"], input_text="line 1\nlïne 2\n")
    assert res.ok and res.mutating
    assert bindir.calls()[-1]["stdin"] == "line 1\nlïne 2\n"
    assert set(res.record()) == {"argv", "rc", "start", "duration", "mutating", "stdout",
                                 "stderr"}


def test_without_input_text_stdin_stays_closed(bindir):
    runner_for(bindir).change(["mailer"])
    assert bindir.calls()[-1]["stdin"] == ""


def test_a_command_that_ignores_its_stdin_is_not_an_error(bindir):
    res = runner_for(bindir).change(["deaf"], input_text="x" * 1_000_000)
    assert res.ok


def test_input_text_keeps_the_timeout(bindir):
    t0 = time.monotonic()
    res = runner_for(bindir).change(["sleeper"], input_text="hello", timeout=0.5)
    assert res.timed_out and time.monotonic() - t0 < 5


def test_dry_run_does_not_run_a_change_with_input(bindir):
    res = runner_for(bindir, DryRunRunner).change(["mailer"], input_text="x")
    assert res.dry_run and bindir.calls() == []


# -- notify() ------------------------------------------------------------------------------


def test_notify_sends_the_summary_with_the_run_in_the_environment(bindir):
    lines = []
    config = Config(path="agent.yaml", notify=("mailer", "-s", "DR"))
    assert notify(runner_for(bindir), config, run_record(), lines.append)
    (call,) = bindir.calls()
    assert call["argv"] == ["mailer", "-s", "DR"]
    assert call["stdin"].splitlines()[0].startswith("aixdr-agent on aixprd01 (LPAR 5 aixprd01")
    assert "prod -> dr CHANGED" in call["stdin"]
    assert "aixdr-agent report 20260101T000000.000Z-1" in call["stdin"]
    assert call["env"] == {"AIXDR_PATH": str(bindir), "AIXDR_SITE": "dr",
                           "AIXDR_PREVIOUS_SITE": "prod", "AIXDR_RUN_ID": "20260101T000000.000Z-1",
                           "AIXDR_RESULT": "changed"}
    assert lines == ["notified: mailer -s DR"]


def test_a_failed_run_goes_to_the_error_log_and_to_notify(bindir):
    config = Config(path="agent.yaml", notify=("mailer",))
    record = run_record("failed", (("importvg", "failed"), ("scripts", "skipped")))
    assert notify(runner_for(bindir), config, record, lambda m: None)
    errl, mail = bindir.calls()
    assert errl["argv"][0] == "errlogger"
    assert "towards site dr failed (steps importvg)" in errl["argv"][1]
    assert "aixdr-agent report 20260101T000000.000Z-1" in errl["argv"][1]
    assert "importvg  failed" in mail["stdin"]


def test_no_notify_command_and_a_good_run_runs_nothing(bindir):
    assert notify(runner_for(bindir), Config(path="a"), run_record(), lambda m: None)
    assert notify(runner_for(bindir), Config(path="a"), None, lambda m: None)
    assert bindir.calls() == []


def test_a_failing_notify_command_is_logged_never_raised(bindir):
    lines = []
    config = Config(path="agent.yaml", notify=("sulk",))
    assert not notify(runner_for(bindir), config, run_record(), lines.append)
    assert lines and lines[0].startswith("warning: notify command failed: sulk: exit 3")
    config = Config(path="agent.yaml", notify=("/nonexistent/mailer",))
    assert not notify(runner_for(bindir), config, run_record(), lines.append)


def test_past_the_boot_deadline_notify_gives_up_quietly(bindir):
    lines = []
    r = runner_for(bindir, deadline=time.monotonic() - 1)
    config = Config(path="agent.yaml", notify=("mailer",))
    assert not notify(r, config, run_record(), lines.append)
    assert bindir.calls() == [] and "deadline" in lines[0]
