"""Issue 12, the storage and cluster half of a real DR boot: the real CLI against the fake
host, ending with assertions on the fake machine's state, through DR and failback where it
applies.

- a replica is a crash image: every filesystem's log replayed and the filesystem checked
  before it is mounted; one that fails its check is named and not mounted, the others are,
  and the next boot (the fault repaired) mounts it;
- a clone LUN carrying a replica disk's PVID: that VG is never imported from a guess;
- RSCT: skipped on a PowerHA node and on a peer-domain node, elsewhere rmcctrl -z,
  recfgct and a verified new node id;
- a site change without an inventory fails importvg and is resumed by the next boot.
"""

import os
import subprocess

from fakeaix import scenarios
from tests.harness import view
from tests.harness.dr import (
    PVID,
    assert_dr_state,
    assert_quiet_boot,
    assert_vgs,
    at_production,
    plan_then_boot,
)
from tests.harness.lpar import BASE

DATA_FS = ("/data", "/data/archive", "/oracle")


def run_on_host(lpar, argv):
    """An admin's command on the fake host."""
    proc = subprocess.run([os.path.join(lpar.host.bin_dir, argv[0])] + argv[1:],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def steps_of(lpar):
    return {s["name"]: s for s in lpar.agent_json("status")["last_run"]["steps"]}


def fs_state(m, mount_point):
    for vgda in m["vgdas"].values():
        for lv in vgda["lvs"].values():
            if lv.get("mount") == mount_point and lv.get("fs"):
                return lv["fs"]
    raise AssertionError(mount_point)


def argvs(lpar):
    return [c["argv"] for c in lpar.calls()]


def test_a_crash_image_is_replayed_and_checked_and_a_bad_filesystem_waits(lpar_factory):
    lpar = at_production(lpar_factory)
    m = scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1")
    scenarios.mark_filesystems(m, dirty=DATA_FS, corrupt=("/data/archive",))
    lpar.host.save(m)
    planned = lpar.agent_json("plan")["commands"]
    for mp in DATA_FS:
        assert ["fsck", "-p", mp] in planned
    assert ["logredo", "/dev/loglv00"] in planned and ["logredo", "/dev/loglv01"] in planned

    proc = lpar.boot()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    # everything planned ran, except the mount of the filesystem that failed its check
    # (in any order: the fake host logs a command as it ends, and filesystems of different
    # VGs are checked side by side; within one VG the order below holds)
    assert sorted(lpar.changes()) == sorted(c for c in planned if c != ["mount", "/data/archive"])
    calls = argvs(lpar)
    for log, mp in (("/dev/loglv00", "/data"), ("/dev/loglv00", "/data/archive"),
                    ("/dev/loglv01", "/oracle")):
        assert calls.index(["logredo", log]) < calls.index(["fsck", "-p", mp])
    assert calls.index(["fsck", "-p", "/data"]) < calls.index(["mount", "/data"])
    after = lpar.machine().to_dict()
    assert view.mounted(after) >= {"/data", "/oracle"}
    assert "/data/archive" not in view.mounted(after)
    # the logs were replayed by logredo before fsck, not left to fsck
    assert fs_state(after, "/data")["replayed_by"] == "logredo"
    assert fs_state(after, "/oracle")["replayed_by"] == "logredo"
    steps = steps_of(lpar)
    assert steps["importvg"]["status"] == "failed"
    assert "/data/archive failed its check" in steps["importvg"]["message"]
    for name in ("mktcpip", "dns", "bootlist", "clouddev"):
        assert steps[name]["status"] == "changed", name
    assert lpar.state_doc()["applied_site"] == "prod"     # not applied: resumed next boot

    # The admin repairs the filesystem (fsck -y); the next boot mounts it and finishes.
    with lpar.host.edit() as m:
        fs_state(m.to_dict(), "/data/archive")["state"] = "clean"
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert [s["name"] for s in lpar.agent_json("status")["last_run"]["steps"]] == [
        "devices", "importvg"]
    assert lpar.changes() == [["fsck", "-p", "/data/archive"], ["mount", "/data/archive"]]
    assert_dr_state(lpar.machine().to_dict())
    assert lpar.state_doc()["applied_site"] == "dr"
    assert_quiet_boot(lpar)

    # Failback: production's LUNs are a crash image of DR's filesystems too.
    m = scenarios.boot_back_at_prod(lpar.machine(), odm_reset=True)
    scenarios.mark_filesystems(m, dirty=DATA_FS)
    lpar.host.save(m)
    proc = plan_then_boot(lpar)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    back = lpar.machine().to_dict()
    assert_vgs(back)
    assert all(fs_state(back, mp)["state"] == "clean" for mp in DATA_FS)
    assert lpar.state_doc()["applied_site"] == "prod"
    assert_quiet_boot(lpar)


def test_without_checks_a_crash_image_is_not_mounted(lpar_factory):
    """volume_groups.fsck: none mounts straight after importvg, which AIX refuses for a
    filesystem that was not cleanly unmounted."""
    lpar = at_production(lpar_factory)
    lpar.write_config(BASE.replace("  mount: true\n", "  mount: true\n  fsck: none\n"))
    m = scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1")
    scenarios.mark_filesystems(m, dirty=("/oracle",))
    lpar.host.save(m)
    proc = lpar.boot()
    assert proc.returncode == 1
    assert not [c for c in lpar.changes() if c[0] in ("fsck", "logredo")]
    after = lpar.machine().to_dict()
    assert {"/data", "/data/archive"} <= view.mounted(after)
    assert "/oracle" not in view.mounted(after)
    assert "0506-324" in steps_of(lpar)["importvg"]["message"]


def test_a_clone_lun_with_the_same_pvid_is_never_guessed(lpar_factory):
    lpar = at_production(lpar_factory)
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1",
                                        clones=("PRD-1",)))
    m = lpar.machine().to_dict()
    twins = sorted(n for n, d in m["devices"].items() if d.get("pvid") == PVID["datavg"][0])
    assert len(twins) == 2
    proc = plan_then_boot(lpar)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    msg = steps_of(lpar)["importvg"]["message"]
    assert PVID["datavg"][0] in msg and all(d in msg for d in twins)
    assert "clone" in msg and "resume" in msg
    after = lpar.machine().to_dict()
    assert set(view.volume_groups(after)) == {"concvg", "oravg"}     # the others went on
    assert "/oracle" in view.mounted(after)
    assert not [c for c in lpar.changes() if c[0] == "importvg" and "datavg" in c]

    # The clone is unmapped; the next boot imports datavg from the replica.
    with lpar.host.edit() as m:
        clone = next(n for n, d in m.devices.items() if d.get("lun") == "CLONE-1")
        del m.devices[clone]
        m["luns"]["CLONE-1"]["visible"] = False
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = lpar.machine().to_dict()
    assert_dr_state(after)
    imported = next(c for c in lpar.changes() if c[0] == "importvg")
    assert after["devices"][imported[-1]]["lun"].startswith("DR-")
    assert_quiet_boot(lpar)


def rsct_calls(lpar):
    return [c for c in argvs(lpar) if c[0] in ("rmcctrl", "recfgct", "cat", "lsrpdomain")
            or c[:2] == ["lslpp", "-Lcq"]]


def test_rsct_gets_a_new_node_id_on_a_plain_lpar(lpar_factory):
    lpar = at_production(lpar_factory)
    old = lpar.machine()["rsct"]["node_id"]
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    proc = plan_then_boot(lpar)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    calls = argvs(lpar)
    order = [calls.index(c) for c in (["cat", "/etc/ct_node_id"], ["rmcctrl", "-z"],
                                      ["recfgct"])]
    assert order == sorted(order)
    assert calls[calls.index(["recfgct"]) + 1:].count(["cat", "/etc/ct_node_id"]) == 1
    m = lpar.machine()
    assert m["rsct"]["node_id"] != old
    assert m["src"]["subsystems"]["ctrmc"]["status"] == "active"
    assert steps_of(lpar)["rsct"]["status"] == "changed"


def test_rsct_fails_when_recfgct_leaves_the_node_id(lpar_factory):
    lpar = at_production(lpar_factory)
    m = scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1")
    m["behaviour"]["fail"] = [{"match": "recfgct", "rc": 0, "when": "before"}]
    lpar.host.save(m)
    proc = lpar.boot()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    step = steps_of(lpar)["rsct"]
    assert step["status"] == "failed" and "still a1b2c3d4e5f60718" in step["message"]


def test_rsct_is_left_alone_on_a_powerha_node(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine(powerha=True))
    assert lpar.boot().returncode == 0
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    proc = plan_then_boot(lpar)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    step = steps_of(lpar)["rsct"]
    assert step["status"] == "skipped" and "PowerHA" in step["message"]
    assert "cluster.es.server.rte" in step["message"]
    assert not [c for c in argvs(lpar) if c[0] in ("recfgct", "rmcctrl")]
    assert lpar.machine()["rsct"]["node_id"] == "a1b2c3d4e5f60718"
    assert_dr_state(lpar.machine().to_dict())
    # failback: still a cluster node, still left alone
    lpar.host.save(scenarios.boot_back_at_prod(lpar.machine(), odm_reset=True))
    proc = plan_then_boot(lpar)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert steps_of(lpar)["rsct"]["status"] == "skipped"
    assert not [c for c in argvs(lpar) if c[0] in ("recfgct", "rmcctrl")]


def test_rsct_is_left_alone_on_a_peer_domain_node(lpar_factory):
    lpar = lpar_factory(scenarios.production_machine(rpdomain="sapdom"))
    assert lpar.boot().returncode == 0
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    proc = plan_then_boot(lpar)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    step = steps_of(lpar)["rsct"]
    assert step["status"] == "skipped" and "peer domain sapdom" in step["message"]
    m = lpar.machine()
    assert [d["name"] for d in m["rsct"]["domains"]] == ["sapdom"]   # the domain survives
    assert m["rsct"]["node_id"] == "a1b2c3d4e5f60718"
    assert not [c for c in argvs(lpar) if c[0] in ("recfgct", "rmcctrl")]


def test_a_site_change_without_an_inventory_fails_importvg_until_it_is_done(lpar_factory):
    lpar = at_production(lpar_factory)
    os.unlink(os.path.join(lpar.state, "inventory.json"))
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    proc = lpar.boot()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    msg = steps_of(lpar)["importvg"]["message"]
    m = lpar.machine().to_dict()
    for pvids in PVID.values():
        for pvid in pvids:
            assert "%s (%s)" % (view.disk_of_pvid(m, pvid), pvid) in msg
    assert "importvg -y VGNAME -V MAJOR hdisk" in msg
    assert view.volume_groups(m) == {}
    assert lpar.state_doc()["applied_site"] == "prod"
    assert lpar.agent_json("status")["pending_site"] == "dr"

    # The next boot, nothing imported yet: it fails again, the site still not applied.
    assert lpar.boot().returncode == 1
    assert steps_of(lpar)["importvg"]["status"] == "failed"

    # The admin imports the VGs by hand; the next boot finishes the site change.
    for vg, major in (("datavg", 50), ("concvg", 51), ("oravg", 52)):
        disk = view.disk_of_pvid(lpar.machine().to_dict(), PVID[vg][0])
        args = ["importvg", "-y", vg, "-V", str(major)] + (["-n"] if vg == "concvg" else [])
        run_on_host(lpar, args + [disk])
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert steps_of(lpar)["importvg"]["status"] in ("ok", "changed")
    assert lpar.state_doc()["applied_site"] == "dr"
    assert_quiet_boot(lpar)


def test_a_disk_attribute_that_cannot_be_set_does_not_hold_back_the_import(lpar_factory):
    """devices fails when chdev refuses a disk's queue_depth, but importvg does not depend
    on it: the VGs are imported and mounted, the hooks (which need every step) wait, and
    the next boot finishes devices."""
    hook = ("10-app", "open(os.path.join(os.path.dirname(sys.argv[0]), 'app.out'), 'a')"
            ".write(os.environ['AIXDR_SITE'] + '\\n')", 30)
    lpar = at_production(lpar_factory, scripts=[hook])
    m = scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1")
    m["behaviour"]["fail"] = [{
        "match": "chdev -l hdisk*", "rc": 1,
        "stderr": "Method error (/usr/lib/methods/chgdisk):\n"
                  "        0514-062 Cannot perform the requested function because the\n"
                  "                 specified device is busy.\n"}]
    lpar.host.save(m)
    proc = lpar.boot()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    steps = steps_of(lpar)
    assert steps["devices"]["status"] == "failed"
    assert "0514-062" in steps["devices"]["message"]
    assert steps["importvg"]["status"] == "changed"
    assert steps["scripts"]["status"] == "skipped"          # the application waits
    assert "devices" in steps["scripts"]["message"]
    after = lpar.machine().to_dict()
    assert set(view.volume_groups(after)) == set(PVID)
    assert {"/data", "/data/archive", "/oracle"} <= view.mounted(after)
    assert lpar.agent_json("status")["pending_site"] == "dr"

    with lpar.host.edit() as m:
        m["behaviour"]["fail"] = []
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert steps_of(lpar)["devices"]["status"] == "changed"
    assert_vgs(lpar.machine().to_dict())
    assert lpar.state_doc()["applied_site"] == "dr"
