"""No configuration string is ever read by a shell.

The validator keeps shell metacharacters out of every name (hostnames, interfaces, VGs,
hdisks, domains: see the bad corpus), so the strings that may still hold them are those
it has no reason to restrict: hook script paths, the notify command's arguments and
device attribute values. Each is given `$(...)`, backquotes, `;`, `|`, `&&`, redirections,
quotes, globs and spaces, goes through a real DR boot, and must arrive as one literal
argument (the fake host's calls.jsonl, the hooks' own argv, the run record), with no
marker file made by an injected `touch`.

test_runner.py already greps the package for subprocess/os.system; the AST check here
also catches aliases, `from os import system`, __import__/importlib, posix_spawn,
multiprocessing, asyncio subprocesses and shell=True anywhere, runner.py included."""

import ast
import glob
import json
import os
import sys

from fakeaix import scenarios
from tests.harness import faultlib

DATA = os.path.join(faultlib.ROOT, "tests", "data")
BASE = open(os.path.join(DATA, "agent.yaml")).read().replace(
    'device_attributes:\n  hdisk: {queue_depth: "32", reserve_policy: no_reserve}\n', "")
RECORDER = "#!%s -S\nimport json, sys\njson.dump(sys.argv, open(%r, 'w'))\n"

# one component of a path each (no "/"): an injected touch would land in the cwd
NAME_PAYLOADS = ["10 $(touch pwned-a).sh", "20 `touch pwned-b`.sh", "30 ;touch pwned-c.sh",
                 "40 | touch pwned-d && touch pwned-e.sh", "50 > pwned-f < x 'q' \"dq\" *.sh",
                 "60 ${IFS}$HOME~#!{a,b}[x]%^\\.sh"]


def quote(text):
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


def payloads(folder):
    """Strings with "/" allowed: markers go to an absolute folder."""
    m = os.path.join(folder, "pwned")
    return ["$(touch %s-1)" % m, "`touch %s-2`" % m, "x; touch %s-3" % m,
            "x | touch %s-4" % m, "x && touch %s-5 || touch %s-6" % (m, m),
            "> %s-7" % m, "'\"\\ * ? [a] ~ # ! %% $HOME ${IFS}" % (), "-", "--",
            "\u00e9t\u00e9 \u2603"]


def markers(*folders):
    return sorted(p for folder in folders for p in glob.glob(os.path.join(folder, "pwned*")))


def dr_boot(lpar):
    """Production boot (adopts the site), then the replica booted at DR."""
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lpar.host.save(scenarios.boot_at_dr(lpar.machine()))
    return lpar.boot()


def test_hook_paths_and_notify_arguments_arrive_literally(lpar_factory, tmp_path, request):
    count = faultlib.count
    lpar = lpar_factory(scenarios.production_machine())
    hooks_dir = os.path.join(os.path.dirname(lpar.config), "scripts.d $(touch pwned-dir)")
    os.mkdir(hooks_dir, 0o755)
    records = str(tmp_path / "records")
    os.mkdir(records)
    hooks = []
    for index, name in enumerate(NAME_PAYLOADS):
        path = os.path.join(hooks_dir, name)
        with open(path, "w") as f:
            f.write(RECORDER % (sys.executable, os.path.join(records, "hook%d" % index)))
        os.chmod(path, 0o755)
        hooks.append(path)
    notify = os.path.join(os.path.dirname(lpar.config), "notify $(touch pwned-n)")
    with open(notify, "w") as f:
        f.write(RECORDER % (sys.executable, os.path.join(records, "notify")))
    os.chmod(notify, 0o755)
    arguments = payloads(str(tmp_path))
    lpar.write_config(BASE + "scripts:\n%s\nnotify: [%s]\n" % (
        "\n".join("  - %s" % quote(h) for h in hooks),
        ", ".join(quote(a) for a in [notify] + arguments)))
    proc = lpar.agent("config", "check")
    assert proc.returncode == 0, proc.stderr

    proc = dr_boot(lpar)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for index, path in enumerate(hooks):
        with open(os.path.join(records, "hook%d" % index)) as f:
            assert json.load(f) == [path]
    log = open(os.path.join(lpar.state, "agent.log")).read()
    with open(os.path.join(records, "notify")) as f:
        assert json.load(f) == [notify] + arguments, log
    # the run record holds the very argv that was executed
    run = max(glob.glob(os.path.join(lpar.state, "runs", "*.json")), key=os.path.getmtime)
    with open(run) as f:
        text = f.read()
    for path in hooks:
        assert json.dumps([path]) in text.replace("\n", "").replace(" ", "") or \
            json.dumps(path) in text, path
    assert markers(faultlib.ROOT, str(tmp_path), hooks_dir, os.path.dirname(lpar.config),
                   lpar.state) == []
    count("metacharacter strings passed literally", len(hooks) + len(arguments) + 2)


def test_device_attribute_values_reach_chdev_as_one_argument(lpar_factory, tmp_path,
                                                              request):
    m = os.path.join(str(tmp_path), "pwned")
    values = ["32$(touch${IFS}%s-8)" % m, "`touch${IFS}%s-9`" % m, "x;touch${IFS}%s-10" % m,
              "x|touch${IFS}%s-11" % m, "x&&touch${IFS}%s-12||x" % m, ">%s-13" % m,
              "'\"\\*?[a]~#!%$HOME", "-P", "--"]
    names = ["queue_depth", "reserve_policy", "max_transfer", "algorithm", "hcheck_interval",
             "hcheck_mode", "rw_timeout", "timeout_policy"]
    attrs = dict(zip(names, values))
    block = "device_attributes:\n  hdisk:\n%s\n  fscsi: {dyntrk: %s}\n" % (
        "\n".join("    %s: %s" % (k, quote(v)) for k, v in attrs.items()), quote(values[-1]))
    lpar = lpar_factory(scenarios.production_machine(), BASE + block)
    proc = lpar.agent("config", "check")
    assert proc.returncode == 0, proc.stderr

    dr_boot(lpar)  # fails in devices (chdev refuses such values): what matters is argv
    sent = {a for c in lpar.calls() if c["argv"][0] == "chdev" for a in c["argv"]}
    expected = {"%s=%s" % (k, v) for k, v in attrs.items()} | {"dyntrk=%s" % values[-1]}
    assert expected <= sent, sorted(expected - sent)
    assert markers(faultlib.ROOT, str(tmp_path), lpar.state) == []
    faultlib.count("metacharacter strings passed literally", len(expected))


# --- static: only runner.py starts processes, and never through a shell ---------------------

SPAWNERS = {"subprocess", "pty", "multiprocessing", "popen2", "commands"}
OS_SPAWN = {"system", "popen", "fork", "forkpty", "posix_spawn", "posix_spawnp"}
OS_SPAWN_PREFIXES = ("exec", "spawn")


def _is_os_spawn(name):
    return name in OS_SPAWN or name.startswith(OS_SPAWN_PREFIXES)


def offences(path, tree):
    found = []
    runner = path.endswith(os.path.join("aixdr_agent", "runner.py"))
    for node in ast.walk(tree):
        where = "%s:%d" % (os.path.relpath(path, faultlib.ROOT), getattr(node, "lineno", 0))
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in SPAWNERS and not (
                        runner and alias.name == "subprocess"):
                    found.append("%s: import %s" % (where, alias.name))
        elif isinstance(node, ast.ImportFrom):
            # a relative import is of the package's own modules (.commands is not the old
            # `commands` module)
            module = "" if node.level else (node.module or "").split(".")[0]
            if module in SPAWNERS or (module == "asyncio" and any(
                    "subprocess" in a.name for a in node.names)):
                found.append("%s: from %s import" % (where, node.module))
            if module == "os" and any(_is_os_spawn(a.name) for a in node.names):
                found.append("%s: from os import %s" % (where, [a.name for a in node.names]))
        elif isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            if owner == "os" and _is_os_spawn(node.attr):
                found.append("%s: os.%s" % (where, node.attr))
            if owner == "asyncio" and "subprocess" in node.attr:
                found.append("%s: asyncio.%s" % (where, node.attr))
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in ("__import__", "import_module") and node.args and isinstance(
                    node.args[0], ast.Constant) and str(node.args[0].value).split(".")[0] in (
                    SPAWNERS | {"os"}):
                found.append("%s: %s(%r)" % (where, name, node.args[0].value))
            if name == "getattr" and len(node.args) >= 2 and isinstance(
                    node.args[1], ast.Constant) and _is_os_spawn(str(node.args[1].value)):
                found.append("%s: getattr(..., %r)" % (where, node.args[1].value))
            for keyword in node.keywords:
                if keyword.arg == "shell" and not (
                        isinstance(keyword.value, ast.Constant) and keyword.value.value is False):
                    found.append("%s: shell=..." % where)
            if runner and name == "Popen" and node.args and (
                    isinstance(node.args[0], ast.Constant)
                    or isinstance(node.args[0], ast.JoinedStr)):
                found.append("%s: Popen of a string" % where)
    return found


def test_only_the_runner_starts_processes_and_never_through_a_shell():
    files = glob.glob(os.path.join(faultlib.ROOT, "aixdr_agent", "**", "*.py"), recursive=True)
    assert len(files) > 40
    found = []
    for path in sorted(files):
        with open(path) as f:
            found += offences(path, ast.parse(f.read(), path))
    assert found == []


def test_the_static_check_sees_what_it_must():
    bad = ("import subprocess as sp\nfrom os import system\nimport os\nos.execv('/x', [])\n"
           "__import__('subprocess')\ngetattr(os, 'popen')\nx(shell=True)\n"
           "from asyncio import create_subprocess_exec\nimport multiprocessing\n")
    found = offences("/x/aixdr_agent/other.py", ast.parse(bad))
    assert len(found) == 8, found
    runner = "import subprocess\nsubprocess.Popen(['ls'], shell=False)\n"
    assert offences(os.path.join("/x", "aixdr_agent", "runner.py"), ast.parse(runner)) == []
