"""`aixdr-agent install` / `uninstall` as the packages run them, against the fake host:
the boot entry right after srcmstr, the SRC subsystem with its flags, idempotence, and
the configuration and the state left alone."""

import os
import subprocess
import sys

from aixdr_agent.commands.install import AGENT, boot_entry, starter_entry
from fakeaix import scenarios

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC_ENTRY = "aixdr:2:wait:/usr/bin/aixdr-agent boot >/dev/console 2>&1"
OLD_ENTRY = "aixdr:2:wait:/opt/aixdr/bin/aixdr-boot > /dev/console 2>&1 # DR site check"


def inittab(lpar):
    return lpar.machine().file_lines("/etc/inittab")


def idents(lines):
    """The ident of every line (None for a comment), index for index with the lines."""
    return [None if line.startswith(":") else line.split(":", 1)[0] for line in lines]


def expected_entry(lpar):
    return boot_entry(["--config", lpar.config, "--state-dir", lpar.state]).record()


def subsystems(lpar):
    return lpar.machine()["src"]["subsystems"]


def assert_installed(lpar):
    lines = inittab(lpar)
    names = idents(lines)
    assert names.count("aixdr") == 1, lines
    assert names.index("aixdr") == names.index("srcmstr") + 1
    assert names.index("aixdr") < names.index("rctcpip")
    assert expected_entry(lpar) in lines
    assert names.count("aixdrd") == 1 and names[-1] == "aixdrd"
    assert starter_entry().record() in lines
    subs = subsystems(lpar)
    assert [n for n in subs if n == "aixdr"] == ["aixdr"]
    rec = subs["aixdr"]
    assert rec["path"] == AGENT
    assert rec["args"] == "--config %s --state-dir %s daemon" % (lpar.config, lpar.state)
    assert (rec["uid"], rec["contact"], rec["signorm"], rec["sigforce"]) == (0, "-S", 15, 9)
    assert (rec["action"], rec["multi"], rec["stdin"]) == ("-R", "-Q", "/dev/null")
    assert rec["stdout"] == os.path.join(lpar.state, "daemon.out")
    assert rec["stderr"] == os.path.join(lpar.state, "daemon.err")


def snapshot(*roots):
    """Every file under the roots: content and mtime."""
    out = {}
    for root in roots:
        if os.path.isfile(root):
            out[root] = (open(root, "rb").read(), os.stat(root).st_mtime_ns)
            continue
        for folder, _, files in os.walk(root):
            for name in files:
                path = os.path.join(folder, name)
                out[path] = (open(path, "rb").read(), os.stat(path).st_mtime_ns)
    return out


def test_install_twice_gives_one_entry_after_srcmstr_and_one_subsystem(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine())
    proc = lpar.agent("install")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "inittab: aixdr added after srcmstr" in proc.stdout
    assert_installed(lpar)
    first = [c[0] for c in lpar.changes()]
    assert first == ["mkitab", "mkitab", "mkssys", "startsrc"]
    assert subsystems(lpar)["aixdr"]["status"] == "active"

    lpar.host.clear_calls()
    again = lpar.agent("install")
    assert again.returncode == 0, again.stdout + again.stderr
    assert lpar.changes() == []                     # nothing to change the second time
    assert "inittab: aixdr ok" in again.stdout and "SRC: subsystem aixdr ok" in again.stdout
    assert_installed(lpar)


def test_default_paths_write_the_spec_entry_and_daemon_args(lpar_factory):
    """Without --config/--state-dir (what the packages run) the entry is SPEC's exactly."""
    lpar = lpar_factory(scenarios.production_machine())
    env = dict(os.environ)
    for key in ("AIXDR_CONFIG", "AIXDR_STATE_DIR"):
        env.pop(key, None)
    env.update(lpar.host.env())
    proc = subprocess.run([sys.executable, "-m", "aixdr_agent", "install"], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = inittab(lpar)
    assert lines[idents(lines).index("srcmstr") + 1] == SPEC_ENTRY
    rec = subsystems(lpar)["aixdr"]
    assert (rec["args"], rec["stdout"]) == ("daemon", "/var/adm/aixdr/daemon.out")


def test_uninstall_removes_both_and_leaves_configuration_and_state(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine())
    assert lpar.boot().returncode == 0                 # state.json, inventory.json, runs/
    assert lpar.agent("install").returncode == 0
    before = snapshot(lpar.config, lpar.state)
    assert any(p.endswith("state.json") for p in before)
    lpar.host.clear_calls()

    proc = lpar.agent("uninstall")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    names = idents(inittab(lpar))
    assert "aixdr" not in names and "aixdrd" not in names
    assert "aixdr" not in subsystems(lpar)
    changes = [c[0] for c in lpar.changes()]
    assert changes.index("stopsrc") < changes.index("rmssys")   # stopped before removal
    assert snapshot(lpar.config, lpar.state) == before
    assert os.path.isdir(lpar.state)

    lpar.host.clear_calls()
    again = lpar.agent("uninstall")
    assert again.returncode == 0, again.stderr
    assert lpar.changes() == []
    assert snapshot(lpar.config, lpar.state) == before


def test_an_entry_with_another_command_is_updated_in_place(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine())
    with lpar.host.edit() as m:
        lines = m.file_lines("/etc/inittab")
        lines.insert(idents(lines).index("srcmstr") + 1, OLD_ENTRY)
        m.set_file_lines("/etc/inittab", lines)
    proc = lpar.agent("install")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ["chitab", expected_entry(lpar)] in lpar.changes()
    assert not any(c[0] in ("mkitab", "rmitab") and "aixdr:" in " ".join(c) and
                   "aixdrd" not in " ".join(c) for c in lpar.changes())
    assert "inittab: aixdr updated (was: %s)" % OLD_ENTRY in proc.stdout
    assert OLD_ENTRY not in inittab(lpar)
    assert_installed(lpar)


def test_a_misplaced_or_duplicated_entry_is_moved_after_srcmstr(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine())
    with lpar.host.edit() as m:
        lines = m.file_lines("/etc/inittab")
        # an old hand-made entry appended at the end (runs after rctcpip), twice
        m.set_file_lines("/etc/inittab", lines + [OLD_ENTRY, SPEC_ENTRY])
    proc = lpar.agent("install")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [c for c in lpar.changes() if c[0] == "rmitab"] == [["rmitab", "aixdr"]] * 2
    assert ["mkitab", "-i", "srcmstr", expected_entry(lpar)] in lpar.changes()
    assert "inittab: aixdr moved after srcmstr" in proc.stdout
    assert_installed(lpar)


def test_a_subsystem_defined_differently_is_changed_not_duplicated(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine())
    with lpar.host.edit() as m:
        m["src"]["subsystems"]["aixdr"] = dict(
            m["src"]["subsystems"]["sendmail"], path="/opt/aixdr/bin/aixdrd", args="",
            group="", contact="-K", action="-O", status="inoperative", pid=None)
    proc = lpar.agent("install")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    changes = [c[0] for c in lpar.changes()]
    assert "chssys" in changes and "mkssys" not in changes and "rmssys" not in changes
    assert "SRC: subsystem aixdr changed (" in proc.stdout
    assert_installed(lpar)


def test_a_starter_entry_set_off_by_the_admin_stays_off(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine())
    off = starter_entry()._replace(action="off").record()
    with lpar.host.edit() as m:
        m.set_file_lines("/etc/inittab", m.file_lines("/etc/inittab") + [off])
    proc = lpar.agent("install")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert off in inittab(lpar)
    assert "startsrc" not in [c[0] for c in lpar.changes()]
    assert subsystems(lpar)["aixdr"]["status"] == "inoperative"


def test_without_srcmstr_running_the_inittab_part_is_done_and_the_failure_said(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine())
    with lpar.host.edit() as m:
        m["src"]["active"] = False
    proc = lpar.agent("install")
    assert proc.returncode == 1
    assert "srcmstr is not running" in proc.stderr
    assert "run the command again" in proc.stderr
    assert expected_entry(lpar) in inittab(lpar)
    with lpar.host.edit() as m:
        m["src"]["active"] = True
    proc = lpar.agent("install")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_installed(lpar)


def test_a_path_with_blanks_is_refused_before_anything_changes(lpar_factory, tmp_path):
    lpar = lpar_factory(scenarios.production_machine())
    proc = lpar.agent("--state-dir", str(tmp_path / "with blank"), "install")
    assert proc.returncode == 2
    assert "without blanks" in proc.stderr
    assert lpar.changes() == []
