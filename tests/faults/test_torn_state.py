"""Issue 6, torn and hostile state: state.json, inventory.json or a run record that is
empty, truncated, garbage, not a JSON object or of a foreign schema is reported clearly
by boot, status, detect and check, and handled safely - never taken as "site already
applied", never acted on by a guess.

What an AIX admin gets (SPEC sections 6 and 9):
- state.json unreadable: `boot` refuses, exit 3, console line and errpt entry naming the
  file, nothing changed, the file left as it is (it is the evidence). Treating it as
  "no state" would adopt the current site - at DR that leaves production's IPs on a DR
  LPAR, silently. `detect` refuses the same way (exit 3), `status` answers (exit 0) with
  the problem, `check` is CRITICAL (exit 2).
- inventory.json unreadable at a site change: the run goes on (the network steps do not
  need it), but importvg fails naming the file - an unreadable inventory is not "no data
  VGs" - so the run fails (exit 1, errpt), the site is not marked applied and the next
  boot resumes importvg once the file is restored.
- a run record unreadable: status and history say so; the decisions do not depend on it
  (they are in state.json), so boot goes on.
- ENOSPC during a state write (atomic_write_json): the old file is intact, no temporary
  file is left, the error reaches the caller.
"""

import errno
import json
import os

import pytest

from aixdr_agent import state as statemod
from fakeaix import scenarios
from tests.harness import view
from tests.harness.dr import assert_dr_state, assert_vgs
from tests.harness.faultlib import count
from tests.harness.slices import sampled


def damage(raw):
    return {
        "empty": b"",
        "blank": b"\n  \n",
        "truncated": raw[: len(raw) // 2],
        "garbage": b"\x00\xff\xfe garbage \x89PNG\r\n",
        "not-an-object": b'["applied_site", "dr"]\n',
        "foreign-schema": b'{"schema": "someone-else/v9", "applied_site": "dr"}\n',
    }


DAMAGES = sorted(damage(b"{}"))


def at_dr(lpar_factory):
    """Settled at production (state and inventory written), then booted from the
    replica at DR after an ODM reset: the next boot is a site change."""
    lpar = lpar_factory(scenarios.production_machine())
    assert lpar.boot().returncode == 0
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    return lpar


def tear(lpar, name, how):
    path = os.path.join(lpar.state, name)
    with open(path, "rb") as fh:
        bad = damage(fh.read())[how]
    with open(path, "wb") as fh:
        fh.write(bad)
    return path, bad


def errlog_texts(lpar):
    return [" ".join(c["argv"][1:]) for c in lpar.calls() if c["argv"][0] == "errlogger"]


# Two damages in the default run, the others in the slow one.
@pytest.mark.parametrize("how", [pytest.param(h, marks=[] if h in ("truncated", "garbage")
                                             else [pytest.mark.slow]) for h in DAMAGES])
def test_an_unreadable_state_json_at_dr_is_refused_not_guessed(lpar_factory, how):
    lpar = at_dr(lpar_factory)
    path, bad = tear(lpar, "state.json", how)
    before = lpar.machine().to_dict()

    proc = lpar.boot()
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "state.json" in proc.stdout and "refused" in proc.stdout
    assert "will not guess" in proc.stdout
    assert lpar.changes() == []
    assert any("refused" in t and "state.json" in t for t in errlog_texts(lpar))
    m = lpar.machine().to_dict()
    assert view.network(m) == view.network(before)          # production's network still
    assert view.volume_groups(m) == {}
    assert open(path, "rb").read() == bad                    # the evidence is kept

    detect = lpar.agent("detect")
    assert detect.returncode == 3 and "state.json" in detect.stderr
    status = lpar.agent("status", "--json")
    assert status.returncode == 2            # it cannot tell: boot would refuse to act
    doc = json.loads(status.stdout)
    assert doc["applied_site"] is None and doc["last_run"] is None
    assert len(doc["problems"]) == 1 and "state.json" in doc["problems"][0]
    text = lpar.agent("status")
    assert text.returncode == 2 and "problem:" in text.stdout and "state.json" in text.stdout
    check = lpar.agent("check", "--json")
    assert check.returncode == 2
    state_finding = [f for f in json.loads(check.stdout)["findings"] if f["check"] == "state"]
    assert state_finding[0]["severity"] == "CRITICAL"
    assert "refuse" in state_finding[0]["message"]
    assert "run --yes" in state_finding[0]["action"]
    assert lpar.changes() == []
    assert open(path, "rb").read() == bad
    count("torn state.json cases refused", 1)


# Every damage takes the same path (StateError); three of them, for the time two DR
# boots each take.
@pytest.mark.parametrize("how", sampled(["empty", "truncated", "foreign-schema"]))
def test_an_unreadable_inventory_fails_importvg_instead_of_skipping_it(lpar_factory, how):
    lpar = at_dr(lpar_factory)
    good = open(os.path.join(lpar.state, "inventory.json"), "rb").read()
    tear(lpar, "inventory.json", how)

    proc = lpar.boot()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    run = lpar.agent_json("status")["last_run"]
    steps = {s["name"]: s for s in run["steps"]}
    assert steps["importvg"]["status"] == "failed"
    assert "inventory.json" in steps["importvg"]["message"]
    assert steps["scripts"]["status"] == "skipped"
    for name in ("mktcpip", "aliases", "dns", "clouddev"):
        assert steps[name]["status"] == "changed", name
    assert steps["routes"]["status"] == "skipped"    # dr sets no routes
    assert not any(c[0] == "importvg" for c in lpar.changes())
    assert any("importvg" in t for t in errlog_texts(lpar))
    st = lpar.state_doc()
    assert st.get("applied_site") == "prod" and st["target"]["site"] == "dr"
    assert "importvg" not in st["target"]["done"]
    check = lpar.agent("check", "--json")
    inv = [f for f in json.loads(check.stdout)["findings"] if f["check"] == "inventory"]
    assert check.returncode == 2 and inv[0]["severity"] == "CRITICAL"
    assert "inventory.json" in inv[0]["message"]

    # Restored (from production's copy): the next boot imports, and the site is applied.
    with open(os.path.join(lpar.state, "inventory.json"), "wb") as fh:
        fh.write(good)
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_dr_state(lpar.machine().to_dict())
    assert lpar.state_doc()["applied_site"] == "dr"
    count("torn inventory.json cases failing importvg", 1)


@pytest.mark.parametrize("how", sampled(["empty", "garbage", "foreign-schema"]))
def test_an_unreadable_run_record(lpar_factory, how):
    lpar = at_dr(lpar_factory)
    assert lpar.boot().returncode == 0
    run_id = lpar.state_doc()["last_run"]["id"]
    tear(lpar, os.path.join("runs", run_id + ".json"), how)

    doc = lpar.agent_json("status")
    assert doc["applied_site"] == "dr" and doc["last_run"] is None
    assert any(run_id in p for p in doc["problems"])
    runs = lpar.agent_json("history")["runs"]
    assert runs[0]["id"] == run_id and runs[0]["result"] == "unreadable"
    report = lpar.agent("report")
    assert report.returncode != 0 and run_id in report.stderr + report.stdout
    proc = lpar.boot()                       # the decision is in state.json: nothing to do
    assert proc.returncode == 0 and lpar.changes() == []
    assert_vgs(lpar.machine().to_dict())
    count("torn run records reported", 1)


def test_an_unreadable_record_of_an_interrupted_run_does_not_stop_the_resume(lpar_factory):
    lpar = at_dr(lpar_factory)
    with lpar.host.edit() as m:
        m["behaviour"]["kill_agent"] = {"at": 8, "when": "after"}
    assert lpar.boot().returncode == -9
    run_id = lpar.state_doc()["target"]["run_id"]
    tear(lpar, os.path.join("runs", run_id + ".json"), "truncated")
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_dr_state(lpar.machine().to_dict())
    runs = lpar.agent_json("history")["runs"]
    assert [r["result"] for r in runs[:2]] in (["changed", "unreadable"], ["ok", "unreadable"])
    count("torn run records reported", 1)


# -- ENOSPC during a state write: the atomic write keeps the old file ------------------


class Disk:
    """os.write/os.fsync/os.rename stand-ins that fail with ENOSPC at a chosen call; for
    "write" with short=N, the first write stores N bytes and the next one fails (a disk
    that fills up half-way)."""

    def __init__(self, monkeypatch, call, short=0):
        real = {"write": os.write, "fsync": os.fsync, "rename": os.rename}
        self.writes = 0

        def full():
            return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def write(fd, data):
            self.writes += 1
            if call == "write":
                if short and self.writes == 1:
                    return real["write"](fd, bytes(data[:short]))
                raise full()
            return real["write"](fd, data)

        def fsync(fd):
            if call == "fsync":
                raise full()
            return real["fsync"](fd)

        def rename(src, dst):
            if call == "rename":
                raise full()
            return real["rename"](src, dst)

        # state.py calls them through the os module, so they are patched there, for the
        # one write under test only
        monkeypatch.setattr(statemod.os, "write", write)
        monkeypatch.setattr(statemod.os, "fsync", fsync)
        monkeypatch.setattr(statemod.os, "rename", rename)


@pytest.mark.parametrize("call,short", [("write", 0), ("write", 7), ("fsync", 0),
                                        ("rename", 0)])
def test_enospc_during_a_state_write_leaves_the_old_file(tmp_path, monkeypatch, call, short):
    sd = statemod.StateDir(str(tmp_path))
    sd.save_state({"applied_site": "prod", "pad": "x" * 100000})
    old = open(sd.state_path, "rb").read()
    with monkeypatch.context() as mp:
        disk = Disk(mp, call, short)
        with pytest.raises(OSError) as info:
            sd.save_state({"applied_site": "dr", "pad": "y" * 100000})
    assert info.value.errno == errno.ENOSPC
    assert disk.writes >= (2 if short else 1)
    assert open(sd.state_path, "rb").read() == old
    assert sd.load_state()["applied_site"] == "prod"
    assert [n for n in os.listdir(str(tmp_path)) if n.endswith(".tmp")] == []
    count("ENOSPC state writes", 1)


# -- issue 13: what parses but has the wrong shape, and what is no regular file ----------


def reshape(change):
    def plant(path):
        with open(path) as fh:
            doc = json.load(fh)
        doc.update(change)
        with open(path, "w") as fh:
            json.dump(doc, fh)
    return plant


def fifo(path):
    os.unlink(path)
    os.mkfifo(path, 0o644)       # a reader without O_NONBLOCK would wait for a writer


def link_to_dev_zero(path):
    os.unlink(path)
    os.symlink("/dev/zero", path)   # read to the end, it never ends: MemoryError


def oversized(path):
    with open(path, "r+b") as fh:
        fh.truncate(statemod.MAX_STATE_BYTES + 1)    # sparse: costs no disk


HOSTILE_STATE = {
    "applied_site-5": (reshape({"applied_site": 5}), "applied_site is 5"),
    "target.done-5": (reshape({"target": {"site": "dr", "done": 5}}), "target.done is 5"),
    "target-x": (reshape({"target": "x"}), 'target is "x"'),
    "last_run-list": (reshape({"last_run": [1, 2]}), "last_run is [1, 2]"),
    "fifo": (fifo, "a FIFO, not a regular file; refused unread"),
    "link-to-dev-zero": (link_to_dev_zero, "a symbolic link, not a regular file"),
    "oversized": (oversized, "refused unread"),
}


@pytest.mark.parametrize("case", sampled(sorted(HOSTILE_STATE), fast=3))
def test_a_wrong_shape_or_no_regular_state_json_is_torn(lpar_factory, case):
    plant, said = HOSTILE_STATE[case]
    lpar = at_dr(lpar_factory)
    path = os.path.join(lpar.state, "state.json")
    plant(path)
    before = lpar.machine().to_dict()

    proc = lpar.boot()
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert said in proc.stdout and "will not guess" in proc.stdout, proc.stdout
    assert lpar.changes() == []
    assert any("refused" in t and "state.json" in t for t in errlog_texts(lpar))
    assert view.network(lpar.machine().to_dict()) == view.network(before)

    # status says so, and exits 2: boot will refuse to act until it is mended
    status = lpar.agent("status", "--json", timeout=30)
    assert status.returncode == 2, status.stderr
    doc = json.loads(status.stdout)
    assert doc["applied_site"] is None and len(doc["problems"]) == 1
    assert said in doc["problems"][0]
    text = lpar.agent("status", timeout=30)
    assert text.returncode == 2 and said in text.stdout
    check = lpar.agent("check", "--json", timeout=30)
    assert check.returncode == 2 and "Traceback" not in check.stderr
    finding = [f for f in json.loads(check.stdout)["findings"] if f["check"] == "state"]
    assert finding[0]["severity"] == "CRITICAL" and said in finding[0]["message"]
    detect = lpar.agent("detect", timeout=30)
    assert detect.returncode == 3 and said in detect.stderr
    assert lpar.changes() == []
    count("wrong-shape or non-regular state.json refused", 1)


@pytest.mark.parametrize("plant", sampled([fifo, link_to_dev_zero]), ids=["fifo", "dev-zero"])
def test_an_inventory_that_is_no_regular_file_fails_importvg(lpar_factory, plant):
    lpar = at_dr(lpar_factory)
    plant(os.path.join(lpar.state, "inventory.json"))
    proc = lpar.boot()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    steps = {s["name"]: s for s in lpar.agent_json("status")["last_run"]["steps"]}
    assert steps["importvg"]["status"] == "failed"
    assert "inventory.json" in steps["importvg"]["message"]
    assert "not a regular file" in steps["importvg"]["message"]
    assert steps["clouddev"]["status"] == "changed"
    count("non-regular inventory.json failing importvg", 1)


@pytest.mark.parametrize("field,value", sampled([("id", 5), ("steps", "x"), ("steps", [1])]))
def test_a_run_record_of_the_wrong_shape_is_unreadable(lpar_factory, field, value):
    lpar = at_dr(lpar_factory)
    assert lpar.boot().returncode == 0
    run_id = lpar.state_doc()["last_run"]["id"]
    reshape({field: value})(os.path.join(lpar.state, "runs", run_id + ".json"))
    doc = lpar.agent_json("status")
    assert doc["last_run"] is None and any(run_id in p for p in doc["problems"])
    runs = lpar.agent_json("history")["runs"]
    assert runs[0]["result"] == "unreadable"
    proc = lpar.boot()
    assert proc.returncode == 0 and "Traceback" not in proc.stdout + proc.stderr
    count("wrong-shape run records reported", 1)
