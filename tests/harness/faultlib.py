"""Helpers shared by the fault suite (bad configurations, hostile files, no shell, hangs,
power cuts, parser fuzzing): what the suite exercised (count, printed at the end of the
session by tests/faults/conftest.py), running jobs side by side, and a fork server for the
CLI."""

import concurrent.futures
import os
import sys

from tests.harness.lpar import ROOT

# What the suite exercised, for the summary at the end of the session (CI's log).
COUNTS = {}


def count(key, n=1):
    COUNTS[key] = COUNTS.get(key, 0) + n


def parallel(jobs, workers=None):
    """Run callables concurrently (each mostly waits for a child process); their results
    in order. The agent starts in ~0.2 s, so a corpus of 150 files is seconds, not minutes."""
    workers = workers or max(2, 2 * (os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda job: job(), jobs))


# A fork server for the CLI: one interpreter imports the agent (and PyYAML) once, then
# forks a child per job that runs `aixdr-agent ARGV` through cli.main with its own
# environment and stdout/stderr files. Each job is still a process of its own, started the
# way the launcher's `python -m aixdr_agent` ends up (cli.main), minus 0.15 s of imports.
_SERVER = r"""
import json, os, sys
sys.path.insert(0, os.getcwd())
import aixdr_agent.cli, aixdr_agent.config.schema, aixdr_agent.operations  # noqa: E401
jobs, workers = json.load(sys.stdin), int(sys.argv[1])
running, codes = {}, {}

def reap():
    pid, status = os.wait()
    codes[running.pop(pid)] = os.waitstatus_to_exitcode(status)

for index, job in enumerate(jobs):
    while len(running) >= workers:
        reap()
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            os.environ.update(job["env"])
            fd_out = os.open(job["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            fd_err = os.open(job["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            null = os.open(os.devnull, os.O_RDONLY)
            os.dup2(null, 0); os.dup2(fd_out, 1); os.dup2(fd_err, 2)
            try:
                aixdr_agent.cli.main(job["argv"])
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except BaseException:
            import traceback
            traceback.print_exc()
        finally:
            sys.stdout.flush(); sys.stderr.flush()
            os._exit(code)
    running[pid] = index
while running:
    reap()
json.dump([codes[i] for i in range(len(jobs))], sys.stdout)
"""


class Finished:
    """What a CompletedProcess has that the tests read."""

    def __init__(self, argv, returncode, stdout, stderr):
        self.args, self.returncode, self.stdout, self.stderr = argv, returncode, stdout, stderr


def fork_cli(jobs, scratch, workers=None):
    """jobs: [(argv, env)] -> [Finished], each run as `aixdr-agent ARGV` in a child forked
    from one pre-imported interpreter."""
    import json
    import subprocess

    workers = workers or max(2, os.cpu_count() or 1)
    specs = []
    for index, (argv, env) in enumerate(jobs):
        base = os.path.join(str(scratch), "job%04d" % index)
        specs.append({"argv": list(argv), "env": dict(env), "stdout": base + ".out",
                      "stderr": base + ".err"})
    proc = subprocess.run([sys.executable, "-c", _SERVER, str(workers)], cwd=ROOT,
                          input=json.dumps(specs), capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr
    codes = json.loads(proc.stdout)
    done = []
    for spec, code in zip(specs, codes):
        with open(spec["stdout"]) as out, open(spec["stderr"]) as err:
            done.append(Finished(spec["argv"], code, out.read(), err.read()))
    return done
