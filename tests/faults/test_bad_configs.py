"""Every malformed configuration makes the real CLI (`config check`, `plan`, `boot`) exit 2,
name the file, line and key path of each problem, and run no command at all: the fake
host's calls.jsonl stays empty and no state folder appears.

The corpus is tests/data/configs/bad (each file's `# expect: LINE KEY` lines; the unit test
test_config.py checks the same files in-process) plus files that cannot sit in git: over
the size limit (one of them a 1 GiB sparse file), not UTF-8, UTF-16, raw NUL and escape
bytes, 200,000 nested brackets, comments only. All runs of the module happen in one
parallel batch: each file through a fork server (cli.main in a child of one pre-imported
interpreter, 0.15 s of imports saved per run) and a sample as real `python -m aixdr_agent`
processes; each file then is its own test."""

import glob
import os
import time

import pytest

from fakeaix.scenarios import production_machine
from tests.harness import faultlib
from tests.harness.configs import CONFIGS, EXPECT, MINIMAL
from tests.harness.lpar import Lpar

COMMANDS = (("config", "check"), ("plan", "--site", "dr"), ("boot",))
SECONDS_EACH = 10  # a refusal is the interpreter's start-up plus a read: well under this


def corpus():
    """name -> (bytes of the file, {(line or None, key)}, text the message must hold)"""
    cases = {}
    for path in sorted(glob.glob(os.path.join(CONFIGS, "bad", "*.yaml"))):
        with open(path, "rb") as f:
            data = f.read()
        expected = {(int(n), k) for n, k in EXPECT.findall(data.decode("utf-8"))}
        cases[os.path.basename(path)] = (data, expected, "")
    big = (MINIMAL + "# padding\n" * 120000).encode()  # 1.2 MB of valid YAML
    cases["generated:over-1MiB"] = (big, {(None, "(file)")}, "larger than 1048576 bytes")
    cases["generated:1GiB-sparse"] = (None, {(None, "(file)")}, "refused unread")
    cases["generated:latin-1"] = (MINIMAL.encode() + b"    hostname: caf\xe9\n",
                                  {(7, "(file)")}, "not UTF-8")
    cases["generated:utf-16"] = (MINIMAL.encode("utf-16"), {(1, "(file)")}, "not UTF-8")
    cases["generated:nul-byte"] = (MINIMAL.replace("dr:", "d\0r:").encode(),
                                   {(5, "(file)")}, "#x0000")
    cases["generated:escape-sequence"] = (
        MINIMAL.encode() + b"    hostname: aix\x1b]0;owned\x07\n", {(7, "(file)")}, "#x001b")
    cases["generated:200k-brackets"] = (
        ("version: 1\nsites: " + "[" * 200000 + "]" * 200000 + "\n").encode(),
        {(2, "(file)")}, "nested more than")
    cases["generated:comments-only"] = (b"# version: 1\n# sites:\n", {(1, "(file)")},
                                        "empty")
    return cases


CASES = corpus()


def make_config(lpar, data):
    if data is None:  # a 1 GiB file that costs no disk: the reader must stop at the limit
        with open(lpar.config, "wb") as f:
            f.write(MINIMAL.encode())
            f.truncate(1 << 30)
    else:
        with open(lpar.config, "wb") as f:
            f.write(data)
    os.chmod(lpar.config, 0o644)


def exec_sample():
    """Names run as real `python -m aixdr_agent` processes too (the rest through the fork
    server): the generated files and every 16th of the corpus."""
    names = sorted(CASES)
    return {n for n in names if n.startswith("generated:")} | set(names[::16])


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory, request):
    """name -> {"lpar", "procs": [(argv, finished process, seconds or None)]}."""
    machine = production_machine()
    lpars = {}
    for index, name in enumerate(CASES):
        lpar = Lpar(tmp_path_factory.mktemp("bad%03d" % index), machine)
        make_config(lpar, CASES[name][0])
        lpars[name] = lpar
    results = {name: {"lpar": lpar, "procs": []} for name, lpar in lpars.items()}

    forked = [(name, argv) for name in CASES for argv in COMMANDS]
    env = {name: dict(lpar.host.env()) for name, lpar in lpars.items()}
    done = faultlib.fork_cli(
        [(["--config", lpars[n].config, "--state-dir", lpars[n].state] + list(argv), env[n])
         for n, argv in forked], tmp_path_factory.mktemp("forked"))
    for (name, argv), proc in zip(forked, done):
        results[name]["procs"].append((argv, proc, None))

    def job(name, argv):
        def run():
            start = time.monotonic()
            proc = lpars[name].agent(*argv, timeout=60)
            return name, argv, proc, time.monotonic() - start
        return run

    sample = sorted(exec_sample())
    jobs = [job(name, argv) for name in sample for argv in COMMANDS]
    for name, argv, proc, seconds in faultlib.parallel(jobs):
        results[name]["procs"].append((argv, proc, seconds))
    count = faultlib.count
    count("configs refused", len(CASES))
    count("config refusals run (forked cli.main)", len(forked))
    count("config refusals run (python -m aixdr_agent)", len(jobs))
    return results


def test_corpus_is_large_and_each_file_says_what_it_expects():
    assert len(CASES) >= 150
    assert all(expected for _, expected, _ in CASES.values())


@pytest.mark.parametrize("name", sorted(CASES))
def test_refused_with_exit_2_line_and_key_and_no_command(outcomes, name):
    _, expected, must_say = CASES[name]
    lpar = outcomes[name]["lpar"]
    for argv, proc, seconds in outcomes[name]["procs"]:
        what = "%s on %s" % (" ".join(argv), name)
        assert proc.returncode == 2, "%s: exit %s\n%s" % (what, proc.returncode, proc.stderr)
        assert "Traceback" not in proc.stderr, what
        assert proc.stdout == "", what
        message = proc.stderr
        assert "configuration error, nothing changed" in message, what
        for line, key in expected:
            where = "%s:%d: %s: " % (lpar.config, line, key) if line else "%s: %s: " % (
                lpar.config, key)
            assert where in message, "%s: %r not in\n%s" % (what, where, message)
        assert must_say in message, what
        assert seconds is None or seconds < SECONDS_EACH, "%s took %.1f s" % (what, seconds)
    assert lpar.calls() == [], "%s ran commands: %s" % (name, lpar.calls())
    assert not os.path.exists(lpar.state), "%s created the state folder" % name


def test_an_alias_bomb_costs_nothing(outcomes):
    """The billion laughs: refused at its first anchor, in start-up time and memory."""
    procs = outcomes["yaml-alias-bomb.yaml"]["procs"]
    assert procs and all("anchors (&" in proc.stderr for _, proc, _ in procs)


def test_the_big_ones_are_refused_fast_as_real_processes(outcomes):
    for name in ("generated:over-1MiB", "generated:1GiB-sparse", "generated:200k-brackets",
                 "yaml-alias-bomb.yaml"):
        timed = [s for _, _, s in outcomes.get(name, {"procs": []})["procs"] if s is not None]
        assert name not in exec_sample() or len(timed) == len(COMMANDS), name
        assert all(s < SECONDS_EACH for s in timed), (name, timed)
