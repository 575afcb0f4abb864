import os
import sys
import time

import pytest

from aixdr_agent.runner import (
    CommandError,
    DeadlineExceeded,
    DryRunRunner,
    Runner,
    search_path,
)


@pytest.fixture()
def bindir(tmp_path):
    """A PATH folder with small commands written for these tests."""
    d = tmp_path / "bin"
    d.mkdir()

    def add(name, body):
        path = d / name
        path.write_text("#!%s\nimport os, sys, time\n%s\n" % (sys.executable, body))
        path.chmod(0o755)

    add("echoargs", "print(repr(sys.argv[1:])); print(os.environ.get('LC_ALL'), "
                    "os.environ.get('PATH')); print(sys.stdin.read() == '')")
    add("fail", "sys.stderr.write('0516-306 getlvodm: Unable to find volume group x\\n');"
                " sys.exit(1)")
    add("hang", "import subprocess\nsubprocess.Popen([sys.executable, '-c', "
                "'import time; time.sleep(60)'])\ntime.sleep(60)")
    add("envvar", "print(os.environ.get('AIXDR_SITE'))")
    return d


def runner_for(bindir, **kw):
    return Runner(environ={"AIXDR_PATH": str(bindir), "HOME": "/"}, **kw)


@pytest.fixture(params=["files", "pipes"])
def spooling(request, tmp_path, monkeypatch):
    """Both ways a command's output comes back: anonymous temporary files, and the pipes of
    the last resort when no temporary folder takes a file (every one full or read-only)."""
    from aixdr_agent import runner as runner_mod

    if request.param == "pipes":
        monkeypatch.setattr(runner_mod, "_SPOOL_DIR", [])
        monkeypatch.setattr(runner_mod, "SPOOL_DIRS", (str(tmp_path / "full"),))
    return request.param


def test_argv_reaches_command_literally_with_c_locale_and_pinned_path(bindir):
    r = runner_for(bindir)
    res = r.query(["echoargs", "a b", "$(reboot)", ";", "*"])
    lines = res.stdout.splitlines()
    assert lines[0] == repr(["a b", "$(reboot)", ";", "*"])
    assert lines[1] == "C %s" % bindir
    assert lines[2] == "True"  # stdin closed (empty)
    assert r.journal[-1].record()["argv"] == ["echoargs", "a b", "$(reboot)", ";", "*"]


def test_failure_is_recorded_and_raised_on_check(bindir):
    r = runner_for(bindir)
    res = r.query(["fail"], check=False)
    assert res.rc == 1 and "0516-306" in res.stderr
    with pytest.raises(CommandError) as info:
        r.query(["fail"])
    assert "0516-306" in str(info.value)


def test_missing_command_is_a_failed_result(bindir):
    res = runner_for(bindir).query(["nosuchcommand"], check=False)
    assert res.rc == 127 and not res.ok


def test_timeout_kills_the_whole_process_group(bindir, spooling):
    r = runner_for(bindir)
    t0 = time.monotonic()
    res = r.change(["hang"], timeout=0.5)
    assert time.monotonic() - t0 < 5
    assert res.timed_out and not res.ok
    assert "timeout" in res.describe_failure()


def test_deadline_bounds_every_command(bindir):
    r = runner_for(bindir, deadline=time.monotonic() + 0.5)
    res = r.change(["hang"])
    assert res.timed_out
    with pytest.raises(DeadlineExceeded):
        r.query(["echoargs"])


def test_dry_run_runs_queries_but_not_changes(bindir):
    r = DryRunRunner(environ={"AIXDR_PATH": str(bindir)})
    assert r.query(["echoargs", "x"]).stdout.startswith("['x']")
    res = r.change(["fail"])
    assert res.ok and res.dry_run and res.mutating
    assert [c.mutating for c in r.journal] == [False, True]


def test_extra_env_for_hooks(bindir):
    res = runner_for(bindir).change(["envvar"], extra_env={"AIXDR_SITE": "dr"})
    assert res.stdout.strip() == "dr"


def test_default_search_path_is_aix_default():
    assert search_path({}).startswith("/usr/bin:/etc:/usr/sbin:/usr/ucb:/sbin")
    assert search_path({"AIXDR_PATH": "/x"}) == "/x"


def test_only_the_runner_starts_processes():
    """No module but runner.py may import subprocess or call os.system/os.popen/exec."""
    import aixdr_agent

    root = os.path.dirname(aixdr_agent.__file__)
    offenders = []
    for folder, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(folder, name)
            if path == os.path.join(root, "runner.py"):
                continue
            text = open(path).read()
            for needle in ("import subprocess", "from subprocess", "os.system", "os.popen",
                           "os.exec", "os.spawn", "pty.spawn", "os.fork"):
                if needle in text:
                    offenders.append("%s: %s" % (os.path.relpath(path, root), needle))
    assert offenders == []


def test_a_hook_is_done_when_its_process_exits_and_its_background_child_lives(bindir,
                                                                             spooling):
    path = bindir / "starter"
    path.write_text("#!%s\nimport subprocess, sys\n"
                    "child = subprocess.Popen([sys.executable, '-c', 'import time; "
                    "print(\\\"child up\\\", flush=True); time.sleep(60)'])\n"
                    "print(child.pid, flush=True)\n" % sys.executable)
    path.chmod(0o755)
    t0 = time.monotonic()
    res = runner_for(bindir).hook(["starter"], timeout=30)
    assert time.monotonic() - t0 < 10 and res.ok and not res.timed_out
    child = int(res.stdout.split()[0])
    try:
        os.kill(child, 0)           # still running
    finally:
        os.kill(child, 9)


def test_output_is_read_whole_for_queries_and_bounded_in_records_and_for_hooks(bindir,
                                                                             spooling):
    path = bindir / "chatty"
    path.write_text("#!%s\nimport os\nos.write(1, b'HEAD' + b'x' * 199992 + b'TAIL')\n"
                    % sys.executable)
    path.chmod(0o755)
    r = runner_for(bindir)
    res = r.query(["chatty"])
    assert len(res.stdout) == 200000 and res.stdout_bytes is None
    rec = res.record()
    assert rec["stdout_bytes"] == 200000 and len(rec["stdout"]) < 4100
    assert rec["stdout"].startswith("HEAD") and rec["stdout"].endswith("TAIL")
    assert "196000 bytes not kept" in rec["stdout"]
    hook = r.hook(["chatty"])
    assert hook.stdout_bytes == 200000 and len(hook.stdout) < 4100
    assert hook.record()["stdout"] == hook.stdout and hook.stdout.endswith("TAIL")
    small = r.query(["echoargs"]).record()
    assert "stdout_bytes" not in small and "stderr_bytes" not in small


def test_output_is_spooled_to_unlinked_files_in_tmpdir(bindir, tmp_path, monkeypatch):
    from aixdr_agent import runner as runner_mod

    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(runner_mod, "_SPOOL_DIR", [])
    r = Runner(environ={"AIXDR_PATH": str(bindir), "HOME": "/", "TMPDIR": str(spool)})
    res = r.query(["echoargs", "a b"])
    assert res.ok and res.stdout.startswith("['a b']")
    assert list(spool.iterdir()) == []          # nothing left behind, nothing by name


def test_failures_and_stdin_text_come_back_either_way(bindir, spooling):
    r = runner_for(bindir)
    res = r.change(["fail"])
    assert res.rc == 1 and "0516-306" in res.stderr
    path = bindir / "reader"
    path.write_text("#!%s\nimport sys\nprint(len(sys.stdin.read()))\n" % sys.executable)
    path.chmod(0o755)
    res = r.change(["reader"], input_text="x" * 300000)
    assert res.ok and res.stdout.strip() == "300000"
    res = r.change(["fail"], input_text="x" * 300000)     # exits without reading stdin
    assert res.rc == 1
