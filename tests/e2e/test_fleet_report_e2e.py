"""The fleet: packaging/ansible's playbooks run with ansible-core (connection local) over
fake LPARs built by packaging/ansible/ci/fakefleet.py, and `aixdr-agent fleet-report`
over what they gathered.

The LPARs (one fleet configuration, tests/data/fleet.yaml): aixprd01 settled at
production, aixprd02 after a DR test (prod -> dr changed), aixprd03 whose DR boot failed
(a disk of datavg not presented), aixprd04 that ansible cannot reach.

The playbook tests are skipped when ansible-playbook is not installed, unless
AIXDR_REQUIRE_ANSIBLE=1 (.ci/run sets it after installing ansible-core)."""

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.harness.lpar import ROOT

PLAYBOOKS = os.path.join(ROOT, "packaging", "ansible")


def _fakefleet():
    path = os.path.join(PLAYBOOKS, "ci", "fakefleet.py")
    spec = importlib.util.spec_from_file_location("aixdr_fakefleet", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    work = str(tmp_path_factory.mktemp("fleet"))
    expected = _fakefleet().build(work, unreachable=True)
    return work, expected


def ansible_playbook():
    found = shutil.which("ansible-playbook")
    if not found:
        if os.environ.get("AIXDR_REQUIRE_ANSIBLE") == "1":
            pytest.fail("AIXDR_REQUIRE_ANSIBLE=1 but no ansible-playbook in PATH")
        pytest.skip("no ansible-playbook (pip install ansible-core; .ci/run does)")
    return found


def playbook(work, name, *extra):
    env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_HOST_KEY_CHECKING="False",
               ANSIBLE_RETRY_FILES_ENABLED="False", ANSIBLE_LOCAL_TEMP=os.path.join(work, ".at"))
    cmd = [ansible_playbook(), "-i", os.path.join(work, "inventory.yml"),
           os.path.join(PLAYBOOKS, name)] + list(extra)
    return subprocess.run(cmd, env=env, cwd=work, capture_output=True, text=True, timeout=600)


def recap(stdout):
    """{host: {"ok": n, "changed": n, "failed": n, "unreachable": n, ...}} of PLAY RECAP."""
    out = {}
    for host, fields in re.findall(r"^(\S+)\s+:\s+(ok=.*)$", stdout, re.M):
        out[host] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", fields)}
    return out


def agent(*args, env=None):
    return subprocess.run([sys.executable, "-m", "aixdr_agent"] + list(args), cwd=ROOT,
                          env=dict(os.environ, **(env or {})), capture_output=True, text=True,
                          timeout=120)


def assert_rows(doc, expected):
    rows = {r["lpar"]: r for r in doc["lpars"]}
    assert sorted(rows) == sorted(expected)
    for name, want in expected.items():
        row = rows[name]
        assert row["site"] == want["site"], name
        assert bool(row["last_test"]) == want["tested"], name
        assert (row["last_run"] or {}).get("result") == want["last_run"], name
        assert row["failed"] == want.get("failed", False), name
        assert row["gathered"] == (not want.get("unreachable")), name
    return rows


@pytest.mark.slow   # an ansible-playbook run over the fake LPARs
def test_gather_playbook_and_fleet_report(fleet):
    work, expected = fleet
    out = os.path.join(work, "gathered")
    proc = playbook(work, "gather.yml", "-e", "aixdr_fleet_dir=" + out, "-e",
                    json.dumps({"aixdr_report_command": [sys.executable, "-m", "aixdr_agent"],
                                "aixdr_report_environment": {"PYTHONPATH": ROOT}}))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    hosts = recap(proc.stdout)
    assert all(hosts[h]["failed"] == 0 for h in hosts), proc.stdout
    # Gathering is read-only on the LPARs: no change reported but the controller's copies.
    for name in ("aixprd01", "aixprd02", "aixprd03"):
        # report.html: the evidence of the LPAR's last run, where it has one
        want = ["check.json", "history.json", "status.json"] + (
            [] if name == "aixprd01" else ["report.html"])
        assert sorted(os.listdir(os.path.join(out, name))) == sorted(want), name
    assert os.listdir(os.path.join(out, "aixprd04")) == ["gather-error.json"]

    doc = json.loads(agent("fleet-report", out, "--json").stdout)
    assert doc["schema"] == "aixdr-agent/fleet/v1"
    rows = assert_rows(doc, expected)
    assert doc["summary"]["lpars"] == 4 and doc["summary"]["not_gathered"] == 1
    assert doc["summary"]["failed"] == 1 and doc["summary"]["never_tested"] == 2
    assert rows["aixprd02"]["last_test"]["previous_site"] == "prod"
    assert rows["aixprd03"]["pending_site"] == "dr"
    assert rows["aixprd03"]["ready"] == "CRITICAL"
    assert any("datavg" in p for p in rows["aixprd03"]["problems"])
    assert rows["aixprd04"]["problems"][0].startswith("not gathered: unreachable")

    # The text table and the page the playbook rendered beside the documents.
    text = open(os.path.join(out, "fleet.txt")).read()
    assert text.startswith("4 LPAR(s): ")
    for name in expected:
        assert re.search(r"^%s\s" % name, text, re.M), text
    page = open(os.path.join(out, "fleet.html")).read()
    found = dict(re.findall(r'<tr class="lpar" data-lpar="([^"]+)" data-site="[^"]*" '
                            r'data-ready="([^"]+)"', page))
    assert found == {name: rows[name]["ready"] for name in expected}
    assert "http://" not in page and "https://" not in page and "<script" not in page
    # worst first: the failed DR boot, the LPAR not gathered, then the ones that are ready;
    # an LPAR never tested at another site is not OK
    order = re.findall(r'<tr class="lpar" data-lpar="([^"]+)"[^>]* data-state="([^"]+)"', page)
    assert order == [("aixprd03", "FAILED"), ("aixprd04", "NOT GATHERED"),
                     ("aixprd02", "WARNING"), ("aixprd01", "NEVER TESTED")]
    assert rows["aixprd01"]["ready"] == "OK"      # ready, but never tested: not shown as OK
    assert [r["lpar"] for r in doc["lpars"]] == [n for n, _ in order]
    assert text.splitlines()[2].split()[:2] == ["aixprd03", "FAILED"]
    # a link to each LPAR's evidence page that exists, relative to the page
    links = dict(re.findall(r'data-lpar="([^"]+)"[^>]*><td><b>[^<]*</b><br>'
                            r'<a class="report" href="([^"]+)"', page))
    assert links == {"aixprd02": "aixprd02/report.html", "aixprd03": "aixprd03/report.html"}
    evidence = open(os.path.join(out, links["aixprd03"])).read()
    assert 'data-outcome="failed"' in evidence
    # the time-to-ready chart: a bar for the LPAR whose DR test succeeded, the others named
    chart = page[page.index('<svg'):page.index('</svg>')]
    bars = re.findall(r'<g class="bar" data-lpar="([^"]+)" data-seconds="([0-9.]+)"', chart)
    assert [b[0] for b in bars] == ["aixprd02"] and float(bars[0][1]) > 0
    assert rows["aixprd02"]["time_to_ready"]["from"] == "boot"
    assert "No successful DR test yet: aixprd03 (failed), aixprd04 (not gathered), " \
           "aixprd01 (never tested)" in page
    assert text.splitlines()[-1].split()[:2] == ["aixprd01", "NEVER"]


@pytest.mark.slow   # an ansible-playbook run over the fake LPARs
def test_install_playbook_configures_and_is_idempotent(fleet, tmp_path):
    work, _ = fleet
    config = str(tmp_path / "agent.yaml")
    shutil.copy(os.path.join(ROOT, "tests", "data", "fleet.yaml"), config)
    limit = ["-l", "aixprd01:aixprd02", "-e", "aixdr_config=" + config]
    first = playbook(work, "install.yml", *limit)
    assert first.returncode == 0, first.stdout + first.stderr
    second = playbook(work, "install.yml", *limit)
    assert second.returncode == 0, second.stdout + second.stderr
    assert all(h["changed"] == 0 and h["failed"] == 0 for h in recap(second.stdout).values()), \
        second.stdout
    from fakeaix import FakeHost

    for name in ("aixprd01", "aixprd02"):
        machine = FakeHost(os.path.join(work, name, "host")).machine()
        idents = [line.split(":", 1)[0] for line in machine.file_lines("/etc/inittab")]
        assert idents.count("aixdr") == 1 and idents.count("aixdrd") == 1
        assert idents.index("aixdr") == idents.index("srcmstr") + 1
    # A configuration that `config check` refuses is never copied.
    bad = str(tmp_path / "bad.yaml")
    with open(bad, "w") as fh:
        fh.write(open(config).read().replace("10.20.0.53", "10.20.0.530"))
    before = open(os.path.join(work, "aixprd01", "etc", "agent.yaml")).read()
    proc = playbook(work, "install.yml", "-l", "aixprd01", "-e", "aixdr_config=" + bad)
    assert proc.returncode != 0
    assert "not an IPv4 address" in proc.stdout
    assert open(os.path.join(work, "aixprd01", "etc", "agent.yaml")).read() == before


STUB = """#!/bin/sh
# {name}: a stand-in for the AIX command, over the package database file {db}
echo "{name} $*" >> {db}.calls
{body}
"""


@pytest.mark.slow   # an ansible-playbook run over the fake LPARs
def test_install_playbook_with_a_package_changes_nothing_on_a_rerun(fleet, tmp_path):
    """The package step installs only when the LPAR lacks that level: with aixdr_package
    set, a second run reports changed=0; --check runs the read-only checks for real."""
    work, _ = fleet
    db = tmp_path / "rpmdb"
    rpm = tmp_path / "rpm"
    rpm.write_text(STUB.format(name="rpm", db=db, body=(
        '[ -s %s ] && { cat %s; exit 0; }\necho "package aixdr-agent is not installed"\n'
        "exit 1" % (db, db))))
    dnf = tmp_path / "dnf"
    dnf.write_text(STUB.format(name="dnf", db=db, body=(
        'file=$3; base=${file##*/}; printf %%s "${base%%.noarch.rpm}" > %s\n'
        'echo "Installed: $base"' % db)))
    rpm.chmod(0o755)
    dnf.chmod(0o755)
    package = tmp_path / "aixdr-agent-0.1.0-1.noarch.rpm"
    package.write_text("not really an rpm")
    extra = ["-l", "aixprd01", "-e", "aixdr_package=%s" % package, "-e", json.dumps({
        "aixdr_rpm_command": [str(rpm)], "aixdr_dnf_command": [str(dnf)],
        "aixdr_stage": str(tmp_path / "stage"), "aixdr_fail_on_critical": False})]
    first = playbook(work, "install.yml", *extra)
    assert first.returncode == 0, first.stdout + first.stderr
    assert recap(first.stdout)["aixprd01"]["changed"] >= 1
    assert db.read_text() == "aixdr-agent-0.1.0-1"
    second = playbook(work, "install.yml", *extra)
    assert second.returncode == 0, second.stdout + second.stderr
    assert recap(second.stdout)["aixprd01"]["changed"] == 0, second.stdout
    calls = (tmp_path / "rpmdb.calls").read_text().splitlines()
    assert sum(1 for c in calls if c.startswith("dnf ")) == 1, calls
    assert not (tmp_path / "stage").exists()
    # --check: the read-only tasks run (their output is shown), nothing is installed
    db.write_text("aixdr-agent-0.0.9-1")
    checked = playbook(work, "install.yml", "--check", *extra)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    for task in ("Validate the configuration", "Check readiness"):
        assert re.search(r"TASK \[aixdr : %s[^\n]*\nok: \[aixprd01\]" % task,
                         checked.stdout), checked.stdout
    assert "AIXDR OK" in checked.stdout or "AIXDR WARNING" in checked.stdout
    assert db.read_text() == "aixdr-agent-0.0.9-1"
    assert sum(1 for c in (tmp_path / "rpmdb.calls").read_text().splitlines()
               if c.startswith("dnf ")) == 1


@pytest.mark.slow   # the fleet of fake LPARs is the slow run's (its playbooks too)
def test_fleet_report_from_flat_files_without_ansible(fleet, tmp_path):
    """Any way of collecting works: HOST.status.json / HOST-check.json in one folder."""
    work, expected = fleet
    fakefleet = _fakefleet()
    for name in ("aixprd01", "aixprd02", "aixprd03"):
        lpar = fakefleet.FakeLpar.__new__(fakefleet.FakeLpar)
        lpar.dir = os.path.join(work, name)
        lpar.config = os.path.join(lpar.dir, "etc", "agent.yaml")
        lpar.state = os.path.join(lpar.dir, "state")
        from fakeaix import FakeHost

        lpar.host = FakeHost(os.path.join(lpar.dir, "host"))
        env = lpar.environment()
        for kind, sep in (("status", "."), ("check", "-")):
            proc = agent(*lpar.options(), kind, "--json", env=env)
            (tmp_path / ("%s%s%s.json" % (name, sep, kind))).write_text(proc.stdout)
    (tmp_path / "README.txt").write_text("not a document")
    (tmp_path / "aixprd09.status.json").write_text('{"schema": "aixdr-agent/status/v1"')
    html = str(tmp_path / "out" / "fleet.html")
    os.makedirs(os.path.dirname(html))
    proc = agent("fleet-report", str(tmp_path), "--html", html)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("4 LPAR(s): 2 at dr, 1 at prod, 1 at unknown")
    table = {line.split()[0]: line for line in lines[2:]}
    assert sorted(table) == ["aixprd01", "aixprd02", "aixprd03", "aixprd09"]
    assert "prod->dr changed" in table["aixprd02"]
    assert "dr (pending)" in table["aixprd03"] and "CRITICAL" in table["aixprd03"]
    assert "unreadable" in table["aixprd09"]
    assert os.path.getsize(html) > 0
    doc = json.loads(agent("fleet-report", str(tmp_path), "--json").stdout)
    assert_rows(doc, {k: v for k, v in expected.items() if k != "aixprd04"} | {
        "aixprd09": {"site": None, "tested": False, "last_run": None, "unreachable": True}})


def test_fleet_report_refuses_an_empty_or_missing_folder(tmp_path):
    proc = agent("fleet-report", str(tmp_path / "nowhere"))
    assert proc.returncode == 2 and "no such folder" in proc.stderr
    proc = agent("fleet-report", str(tmp_path))
    assert proc.returncode == 2 and "holds no aixdr-agent document" in proc.stderr
    assert proc.stdout == ""
