"""check: severities and exit codes, the plugin's first line, the host checks on canned
command output (a stub runner that refuses any command it was not given), and the
best-effort readiness write."""

import json
import os

import pytest

from aixdr_agent.commands.check import (
    CRITICAL,
    OK,
    UNKNOWN,
    WARNING,
    Checks,
    Finding,
    check_text,
    store_readiness,
    summary_line,
    worst,
)
from aixdr_agent.exitcodes import PLUGIN_EXIT as EXIT
from aixdr_agent.state import StateDir
from tests.harness.stub import StubRunner

ENTRY = "aixdr:2:wait:/usr/bin/aixdr-agent boot >/dev/console 2>&1"
INITTAB = ("init:2:initdefault:\nsrcmstr:23456789:respawn:/usr/sbin/srcmstr\n%s\n"
           "rctcpip:23456789:wait:/etc/rc.tcpip > /dev/console 2>&1\n")
LSSRC_HEAD = "Subsystem         Group            PID          Status\n"


def checks(tmp_path, answers, **kw):
    return Checks(str(tmp_path / "agent.yaml"), str(tmp_path / "state"),
                  runner=StubRunner(answers), **kw)


def only(c):
    return [(f.severity, f.check) for f in c.findings]


# -- severities, the first line, the text ------------------------------------------------------


def test_worst_wins_critical_over_warning_over_unknown():
    f = [Finding(OK, "a", ""), Finding(UNKNOWN, "b", ""), Finding(WARNING, "c", "")]
    assert worst(f) == WARNING
    assert worst(f + [Finding(CRITICAL, "d", "")]) == CRITICAL
    assert worst([Finding(OK, "a", ""), Finding(UNKNOWN, "b", "")]) == UNKNOWN
    assert worst([]) == OK
    assert EXIT == {OK: 0, WARNING: 1, CRITICAL: 2, UNKNOWN: 3}


def test_summary_line_counts_names_and_perfdata():
    f = [Finding(CRITICAL, "inittab", "x"), Finding(WARNING, "ghostdev", "y"),
         Finding(WARNING, "src", "z"), Finding(OK, "config", "")]
    assert summary_line(f, 7200.4) == (
        "AIXDR CRITICAL - 1 critical, 2 warnings: inittab, ghostdev, src | critical=1 "
        "warning=2 unknown=0 inventory_age=7200s;86400;604800")
    assert summary_line([Finding(OK, "config", "")]) == (
        "AIXDR OK - 1 checks OK | critical=0 warning=0 unknown=0")


def test_text_has_one_line_per_finding_with_what_to_do():
    doc = {"summary": "AIXDR WARNING - 1 warning: src | x", "findings": [
        Finding(WARNING, "src", "stopped", "startsrc -s aixdr").record(),
        Finding(OK, "config", "valid", "").record()]}
    assert check_text(doc).splitlines() == [
        "AIXDR WARNING - 1 warning: src | x",
        "WARNING  src        stopped -- do: startsrc -s aixdr",
        "OK       config     valid"]


# -- host checks on canned output ----------------------------------------------------------


@pytest.mark.parametrize("answer, expected", [
    ((0, "cloud-init:cloud-init:0.7.5-4: : :C:R:Cloud-init: : : : : : :0:0:/:\n", ""), WARNING),
    ((1, "", "lslpp: 0504-132  Fileset cloud-init not installed.\n"), OK),
    ((2, "", "lslpp: something else\n"), UNKNOWN),
])
def test_cloud_init(tmp_path, answer, expected):
    c = checks(tmp_path, {"lslpp -Lcq cloud-init": answer})
    c.check_cloud_init()
    assert only(c) == [(expected, "cloud-init")]
    if expected == WARNING:
        assert "0.7.5-4" in c.findings[0].message


@pytest.mark.parametrize("inittab, expected", [
    (INITTAB % ENTRY, OK),
    (INITTAB % ENTRY.replace("wait", "once"), WARNING),
    (INITTAB % ENTRY.replace("wait", "off"), CRITICAL),
    (INITTAB % ENTRY.replace(" boot ", " daemon "), CRITICAL),
    (INITTAB % (ENTRY + "\n" + ENTRY), WARNING),
    ((INITTAB % "").replace("\n\n", "\n") + ENTRY + "\n", WARNING),
    (INITTAB % ENTRY.replace(" boot", " --state-dir /var/tmp/x boot"), WARNING),
    ((INITTAB % "").replace("\n\n", "\n"), CRITICAL),
])
def test_inittab_entry(tmp_path, inittab, expected):
    c = Checks("/etc/aixdr/agent.yaml", "/var/adm/aixdr",
               runner=StubRunner({"lsitab -a": (0, inittab, "")}))
    c.check_inittab()
    assert only(c) == [(expected, "inittab")]


def test_inittab_unreadable_is_unknown(tmp_path):
    c = checks(tmp_path, {"lsitab -a": (1, "", "lsitab: 0481-208 Cannot open /etc/inittab.\n")})
    c.guard("inittab", c.check_inittab)
    assert only(c) == [(UNKNOWN, "inittab")]
    assert "0481-208" in c.findings[0].message


@pytest.mark.parametrize("answer, expected, word", [
    ((0, LSSRC_HEAD + " aixdr            aixdr            4915390      active\n", ""), OK,
     "4915390"),
    ((0, LSSRC_HEAD + " aixdr            aixdr                         inoperative\n", ""),
     WARNING, "startsrc"),
    ((1, "", "0513-085 The aixdr Subsystem is not on file.\n"), WARNING, "install"),
    ((1, "", "0513-001 The System Resource Controller daemon is not active.\n"), WARNING,
     "no-src"),
])
def test_src_subsystem(tmp_path, answer, expected, word):
    c = checks(tmp_path, {"lssrc -s aixdr": answer})
    c.check_src()
    assert only(c) == [(expected, "src")]
    assert word in c.findings[0].message + c.findings[0].action


@pytest.mark.parametrize("bootlist, settled, expected", [
    ("hdisk0 blv=hd5 pathid=0\nhdisk0 blv=hd5 pathid=1\n", True, OK),
    ("hdisk1 blv=hd5\n", True, CRITICAL),
    ("", True, CRITICAL),
    ("hdisk8 blv=hd5\n", False, CRITICAL),     # no configuration: nothing will fix it
])
def test_bootlist_must_hold_a_rootvg_disk(tmp_path, bootlist, settled, expected):
    lspv = ("hdisk0          00c8ab12d0e1f200                    rootvg          active\n"
            "hdisk1          00c8ab12d0e1f201                    datavg          active\n")
    c = checks(tmp_path, {"lspv": (0, lspv, ""), "bootlist -m normal -o": (0, bootlist, "")})
    c.settled = settled
    c.check_bootlist()
    assert only(c) == [(expected, "bootlist")]


def test_sys0_values(tmp_path):
    from aixdr_agent.decision import Identity

    c = checks(tmp_path, {})
    c.ident = Identity("IBM,0284AB12C", 5, "aixprd01", "1", "2", None)
    c.check_sys0()
    assert only(c) == [(WARNING, "ghostdev"), (WARNING, "clouddev")]
    c = checks(tmp_path, {})
    c.ident = Identity("IBM,0284AB12C", 5, "aixprd01", "1", "0", None)
    c.pending = {"site": "dr"}                 # clouddev=1 is expected during a change
    c.check_sys0()
    assert only(c) == [(OK, "sys0")]
    c = checks(tmp_path, {})
    c.ident = Identity("IBM,0284AB12C", 5, "aixprd01", None, None, None)   # old AIX level
    c.check_sys0()
    assert only(c) == [(OK, "sys0")]


def test_an_unexpected_error_in_a_check_is_unknown_not_a_traceback(tmp_path):
    c = checks(tmp_path, {})

    def broken():
        raise KeyError("x")

    c.guard("disks", broken)
    assert only(c) == [(UNKNOWN, "disks")]


# -- readiness in state.json -------------------------------------------------------------------


def doc_with(*findings):
    return {"status": worst(findings), "time": "2026-01-01T00:00:00.000Z",
            "summary": summary_line(list(findings)),
            "findings": [f.record() for f in findings]}


def test_readiness_is_stored_beside_the_state_and_keeps_it(tmp_path):
    sd = StateDir(str(tmp_path))
    sd.save_state({"applied_site": "prod", "target": {"site": "prod", "complete": True}})
    doc = doc_with(Finding(WARNING, "src", "stopped", "startsrc -s aixdr"),
                   Finding(OK, "config", "valid"))
    assert store_readiness(str(tmp_path), doc)
    state = sd.load_state()
    assert state["applied_site"] == "prod" and state["target"]["complete"]
    assert [(f["severity"], f["check"]) for f in state["readiness"]] == [
        (WARNING, "summary"), (WARNING, "src")]
    assert state["readiness"][0]["message"] == (
        "check at 2026-01-01T00:00:00.000Z: AIXDR WARNING - 1 warning: src")


def test_readiness_is_never_a_reason_to_fail(tmp_path):
    doc = doc_with(Finding(OK, "config", "valid"))
    assert not store_readiness(str(tmp_path / "nothing-here"), doc)   # no state: not created
    assert not os.path.exists(str(tmp_path / "nothing-here"))
    (tmp_path / "state.json").write_text("{torn")
    assert not store_readiness(str(tmp_path), doc)
    assert (tmp_path / "state.json").read_text() == "{torn"


def test_document_shape(tmp_path):
    c = checks(tmp_path, {"hostname": (0, "aixprd01\n", "")}, now=1767225600.0)
    c.add(OK, "config", "valid")
    doc = c.document()
    assert doc["schema"] == "aixdr-agent/check/v1" and doc["exit_code"] == 0
    assert doc["hostname"] == "aixprd01" and doc["time"] == "2026-01-01T00:00:00.000Z"
    assert json.loads(json.dumps(doc)) == doc


def test_a_command_the_test_did_not_give_fails_the_test_through_the_guard(tmp_path):
    """The stub runner's refusal is a BaseException: the guard's broad `except Exception`
    cannot turn it into an UNKNOWN finding that lets the test pass."""
    from tests.harness.stub import UnexpectedCommand

    c = checks(tmp_path, {})
    with pytest.raises(UnexpectedCommand, match="lsitab -a"):
        c.guard("inittab", c.check_inittab)
    assert c.findings == []
