"""What install writes, the files shipped beside it (inittab/, rc/, packaging/), and the
launcher's behaviour at boot. The install itself runs against the fake host in
tests/e2e/test_install.py; the built RPM is checked by .ci/packaging.sh."""

import ast
import json
import os
import re
import stat
import subprocess
import sys

import pytest

from aixdr_agent.commands.install import (
    AGENT,
    agent_options,
    boot_entry,
    ssys_flags,
    starter_entry,
    subsystem_definition,
)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC_ENTRY = "aixdr:2:wait:/usr/bin/aixdr-agent boot >/dev/console 2>&1"


def read(*parts):
    with open(os.path.join(ROOT, *parts)) as fh:
        return fh.read()


def test_the_default_entry_is_the_one_spec_names():
    assert agent_options("/etc/aixdr/agent.yaml", "/var/adm/aixdr/") == []
    assert boot_entry().record() == SPEC_ENTRY
    assert len(boot_entry().ident) <= 14 and len(boot_entry().record()) <= 1024


def test_inittab_folder_holds_the_records_install_writes():
    assert read("inittab", "aixdr") == boot_entry().record() + "\n"
    assert read("inittab", "aixdrd") == starter_entry().record() + "\n"


def test_other_paths_are_passed_on_and_unsafe_ones_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(str(tmp_path))
    opts = agent_options("etc/agent.yaml", "/var/adm/aixdr")
    assert opts == ["--config", str(tmp_path / "etc" / "agent.yaml")]
    for bad in ("/tmp/with blank", "/tmp/x;reboot", "/tmp/$(id)", "/tmp/a'b"):
        with pytest.raises(ValueError):
            agent_options(bad, "/var/adm/aixdr")


def test_the_subsystem_is_a_signal_subsystem_restarted_on_abnormal_exit():
    d = subsystem_definition([], "/var/adm/aixdr")
    assert d["path"] == AGENT and d["cmdargs"] == "daemon" and d["uid"] == "0"
    flags = ssys_flags(d)
    assert flags[flags.index("-a") + 1] == "daemon"
    assert flags[flags.index("-n") + 1] == "15" and flags[flags.index("-f") + 1] == "9"
    assert "-S" in flags and "-R" in flags and "-Q" in flags
    assert flags[flags.index("-i") + 1] == "/dev/null"
    assert flags[flags.index("-o") + 1] == "/var/adm/aixdr/daemon.out"
    assert flags[flags.index("-e") + 1] == "/var/adm/aixdr/daemon.err"


# -- rc/aixdr-agent: the launcher -------------------------------------------------------------

FAKE_PYTHON = """#!{python}
import json, os, stat, sys
st, null = os.fstat(0), os.stat(os.devnull)
print(json.dumps({{"argv": sys.argv[1:], "PATH": os.environ.get("PATH"),
                  "ODMDIR": os.environ.get("ODMDIR"), "cwd": os.getcwd(),
                  "stdin_null": stat.S_ISCHR(st.st_mode) and st.st_rdev == null.st_rdev}}))
"""


@pytest.fixture()
def launcher(tmp_path):
    fake = tmp_path / "python3"
    fake.write_text(FAKE_PYTHON.format(python=sys.executable))
    fake.chmod(0o755)
    text = read("rc", "aixdr-agent")
    assert "for candidate in /opt/freeware/bin/python3 " in text
    text = text.replace("for candidate in /opt/freeware/bin/python3 ",
                        "for candidate in %s " % fake)
    path = tmp_path / "aixdr-agent"
    path.write_text(text)

    def run(*args):
        proc = subprocess.run(["/bin/sh", str(path)] + list(args), stdin=subprocess.PIPE,
                              capture_output=True, text=True, timeout=30,
                              env={"PATH": "/nonexistent", "PYTHONPATH": "/evil"})
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    return run


def test_launcher_is_executable_posix_sh_with_absolute_paths():
    path = os.path.join(ROOT, "rc", "aixdr-agent")
    assert os.stat(path).st_mode & stat.S_IXUSR
    assert subprocess.run(["sh", "-n", path]).returncode == 0
    text = read("rc", "aixdr-agent")
    assert text.startswith("#!/usr/bin/ksh\n")
    assert "\nread " not in text and "select " not in text


def test_launcher_sets_path_odmdir_and_passes_the_arguments(launcher):
    doc = launcher("--config", "/etc/aixdr/agent.yaml", "status", "--json")
    assert doc["PATH"] == "/usr/bin:/etc:/usr/sbin:/usr/ucb:/sbin"
    assert doc["ODMDIR"] == "/etc/objrepos"
    argv = doc["argv"]
    assert argv[:3] == ["-E", "-s", "-c"] and argv[4] == "/opt/aixdr/lib"
    assert argv[5:] == ["--config", "/etc/aixdr/agent.yaml", "status", "--json"]
    assert doc["stdin_null"] is False          # an admin's `run` may ask on the terminal


@pytest.mark.parametrize("args", [["boot"], ["daemon", "--interval", "60"],
                                  ["--state-dir", "/x", "-v", "boot"]])
def test_launcher_never_lets_boot_or_daemon_read_input(launcher, args):
    assert launcher(*args)["stdin_null"] is True


def test_an_option_value_named_boot_is_not_the_command(launcher):
    assert launcher("--config", "boot", "status")["stdin_null"] is False


def test_launcher_keeps_the_current_directory_off_sys_path(tmp_path):
    """The -c program drops '' from sys.path: root in /tmp never imports a planted module."""
    code = re.search(r"-c '([^']*)'", read("rc", "aixdr-agent")).group(1)
    assert code.endswith("from aixdr_agent.cli import main; main()")
    head = code.split("; from aixdr_agent")[0] + "; print(sys.path)"
    out = subprocess.run([sys.executable, "-E", "-s", "-c", head, "/opt/aixdr/lib"],
                         capture_output=True, text=True, cwd=str(tmp_path)).stdout
    path = ast.literal_eval(out)
    assert path[0] == "/opt/aixdr/lib" and "" not in path and str(tmp_path) not in path


# -- packaging/installp ---------------------------------------------------------------------

def test_installp_template_renders_with_every_file_and_both_parts(tmp_path):
    out = tmp_path / "out"
    env = dict(os.environ, TMPDIR=str(tmp_path))
    proc = subprocess.run(["sh", os.path.join(ROOT, "packaging", "installp", "build.sh"),
                           "-n", str(out)], capture_output=True, text=True, env=env,
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    work = proc.stdout.strip().splitlines()[-1]
    text = (out / "aixdr.agent.template").read_text()
    assert "@" not in text.replace("@(#)", "")
    assert "  Fileset Name: aixdr.agent.rte\n" in text
    assert re.search(r"^  Fileset VRMF: \d+\.\d+\.\d+\.\d+$", text, re.M)
    usr = text.split("  USRFiles\n")[1].split("  EOUSRFiles")[0].split()
    root = text.split("  ROOTFiles\n")[1].split("  EOROOTFiles")[0].split()
    assert "  ROOT Part: Y\n" in text
    assert root == ["/etc/aixdr", "/etc/aixdr/agent.yaml.example", "/var/adm/aixdr"]
    assert "/usr/bin/aixdr-agent" in usr and "/usr/bin" not in usr and "/opt" not in usr
    assert "/usr/share/man/man8/aixdr-agent.8" in usr
    assert not [p for p in usr if p.startswith("/usr/share") and not p.endswith(".8")]
    code = set()
    for folder, dirs, files in os.walk(os.path.join(ROOT, "aixdr_agent")):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in files:
            if not name.endswith(".pyc"):
                rel = os.path.relpath(os.path.join(folder, name), ROOT)
                code.add("/opt/aixdr/lib/" + rel)
    assert code <= set(usr)
    assert not [p for p in usr if "__pycache__" in p or p.endswith(".pyc")]
    for kind in ("USRLIBLPPFiles", "ROOTLIBLPPFiles"):
        block = text.split("  %s\n" % kind)[1].split("  EO%s" % kind)[0]
        for line in block.strip().splitlines():
            script = line.split(": ", 1)[1]
            assert os.access(script, os.X_OK), script
            assert subprocess.run(["sh", "-n", script]).returncode == 0
    staged = os.path.join(work, "root")
    assert os.stat(os.path.join(staged, "usr/bin/aixdr-agent")).st_mode & 0o777 == 0o755
    assert read("docs", "aixdr-agent.8") == open(
        os.path.join(staged, "usr/share/man/man8/aixdr-agent.8")).read()
    assert read("aixdr_agent", "examples", "agent.yaml") == open(
        os.path.join(staged, "etc/aixdr/agent.yaml.example")).read()
    assert not os.path.exists(os.path.join(staged, "etc/aixdr/agent.yaml"))


def test_installp_scripts_call_install_and_uninstall_and_never_write_the_config():
    config = read("packaging", "installp", "config")
    unconfig = read("packaging", "installp", "unconfig")
    assert "/usr/bin/aixdr-agent install" in config
    assert "/usr/bin/aixdr-agent uninstall" in unconfig
    for text in (config, unconfig):
        assert not re.search(r"(>|cp .*|mv .*|rm .*)/etc/aixdr/agent\.yaml\b(?!\.example)",
                             text)
        assert "rm -rf /var/adm/aixdr" not in text
        assert text.rstrip().endswith("exit 0")


# -- packaging/rpm --------------------------------------------------------------------------

def test_rpm_spec_requirements_scriptlets_and_config():
    spec = read("packaging", "rpm", "aixdr-agent.spec")
    assert re.search(r"^BuildArch:\s+noarch$", spec, re.M)
    for req in ("python3 >= 3.9", "python3-pyyaml", "python3-psutil"):
        assert re.search(r"^Requires:\s+%s$" % re.escape(req), spec, re.M)
    post = spec.split("%post\n")[1].split("\n%preun")[0]
    preun = spec.split("%preun\n")[1].split("\n%files")[0]
    assert "/usr/bin/aixdr-agent install" in post
    assert 'if [ "$1" -eq 0 ]; then\n    /usr/bin/aixdr-agent uninstall' in preun
    files = spec.split("%files\n")[1].split("\n%changelog")[0]
    assert "%config(noreplace) %attr(0644,root,system) /etc/aixdr/agent.yaml.example" in files
    assert not re.search(r"/etc/aixdr/agent\.yaml$", files, re.M)
    assert "%post" not in spec.split("%post\n")[0].split("%description")[1]
