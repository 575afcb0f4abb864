"""Issue 3: whole DR scenarios, the real CLI against the fake host, ending with
assertions on the fake machine's state."""

import os

from fakeaix import scenarios
from tests.harness import view
from tests.harness.dr import (
    PVID,
    ROOTVG_PVID,
    assert_dr_state,
    assert_quiet_boot,
    assert_vgs,
    at_production,
    plan_then_boot,
)


def test_first_dr_boot_after_an_odm_reset(lpar_factory):
    lpar = at_production(lpar_factory)
    m = scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1")
    # datavg's disks are Defined until cfgmgr (the SAN logins came late at boot).
    for pvid in PVID["datavg"]:
        m["devices"][view.disk_of_pvid(m.to_dict(), pvid)]["status"] = "Defined"
    lpar.host.save(m)
    before = m.to_dict()
    assert view.network(before)["en0"] == ("10.1.1.15", "255.255.255.0")
    assert len(view.network(before)["aliases"]) == 2
    assert view.volume_groups(before) == {} and view.clouddev(before) == "1"
    assert len(view.defined_disks(before)) == 2
    proc = plan_then_boot(lpar)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert ["cfgmgr"] in lpar.changes()
    assert_dr_state(lpar.machine().to_dict())
    assert_quiet_boot(lpar)


def test_disks_that_only_cfgmgr_finds_are_imported_too(lpar_factory):
    """LUNs presented after boot: no hdisk exists yet, so no plan can name the disks
    cfgmgr will create; the run still reaches the DR profile."""
    lpar = at_production(lpar_factory)
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1",
                                        late=("DR-2", "DR-3")))
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_dr_state(lpar.machine().to_dict())
    assert_quiet_boot(lpar)


def test_dr_boot_without_odm_reset_gives_the_same_end_state(lpar_factory):
    lpar = at_production(lpar_factory)
    m = scenarios.boot_at_dr(lpar.machine(), odm_reset=False, clouddev="0")
    lpar.host.save(m)
    assert view.defined_disks(m.to_dict())          # production's disks, now stale
    proc = plan_then_boot(lpar)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_dr_state(lpar.machine().to_dict())
    assert_quiet_boot(lpar)


def test_a_vgs_log_replay_and_check_overlap_the_next_import(lpar_factory):
    """importvg's log replay and check of datavg's /data start while oravg is still being
    imported (each import is slow here), never before datavg's own import ended; `plan`
    still lists the very commands the run starts, in that order."""
    lpar = at_production(lpar_factory)
    m = scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1")
    m["behaviour"]["latency"] = {"importvg": 1.5}
    lpar.host.save(m)
    proc = plan_then_boot(lpar)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    step = next(s for s in lpar.agent_json("status")["last_run"]["steps"]
                if s["name"] == "importvg")
    ran = {tuple(c["argv"]): c for c in step["commands"] if c.get("mutating")}
    imports = {c["argv"][2]: c for c in ran.values() if c["argv"][0] == "importvg"}
    datavg_end = imports["datavg"]["start"] + imports["datavg"]["duration"]
    oravg_end = imports["oravg"]["start"] + imports["oravg"]["duration"]
    for argv in (("logredo", "/dev/loglv00"), ("fsck", "-p", "/data")):
        assert datavg_end - 0.01 <= ran[argv]["start"] < oravg_end, (argv, ran[argv], imports)
    assert ran[("mount", "/data")]["start"] >= datavg_end
    assert ran[("fsck", "-p", "/oracle")]["start"] >= oravg_end
    assert_dr_state(lpar.machine().to_dict())
    assert_quiet_boot(lpar)


def test_failback_returns_every_item_to_production(lpar_factory):
    lpar = at_production(lpar_factory)
    prod = view.network(lpar.machine().to_dict())
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    assert lpar.boot().returncode == 0
    # The DR-applied rootvg boots on the production frame again, ODM reset once more.
    lpar.host.save(scenarios.boot_back_at_prod(lpar.machine(), odm_reset=True))
    proc = plan_then_boot(lpar)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    m = lpar.machine().to_dict()
    back = view.network(m)
    for key in ("hostname", "running_hostname", "en0", "aliases", "gateway", "routes",
                "nimclient"):
        assert back[key] == prod[key], key
    assert sorted(back["resolv"]) == sorted(prod["resolv"])
    assert_vgs(m)
    assert view.bootlist(m) == [view.disk_of_pvid(m, ROOTVG_PVID)]
    assert lpar.state_doc()["applied_site"] == "prod"
    assert_quiet_boot(lpar)


def test_a_missing_disk_fails_importvg_only_and_the_next_boot_finishes(lpar_factory):
    hook = ("10-env", "open(os.path.join(os.path.dirname(sys.argv[0]), 'env.out'), 'a')"
            ".write('%s %s\\n' % (os.environ['AIXDR_SITE'], os.environ['AIXDR_PREVIOUS_SITE']))",
            30)
    lpar = at_production(lpar_factory, scripts=[hook])
    full = scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1")
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1",
                                        missing=("DR-2",)))
    proc = lpar.boot()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    run = lpar.agent_json("status")["last_run"]
    steps = {s["name"]: s for s in run["steps"]}
    assert steps["importvg"]["status"] == "failed"
    assert PVID["datavg"][1] in steps["importvg"]["message"]
    assert "datavg" in steps["importvg"]["message"]
    for name in ("mktcpip", "aliases", "dns", "clouddev"):
        assert steps[name]["status"] == "changed", name
    # dr sets no routes: mktcpip -g took production's, and nothing else is to be put back
    assert steps["routes"]["status"] == "skipped"
    assert steps["scripts"]["status"] == "skipped"
    m = lpar.machine().to_dict()
    assert view.clouddev(m) == "0" and view.network(m)["hostname"] == "aixprd01-dr"
    assert set(view.volume_groups(m)) == {"concvg", "oravg"}   # the others went on
    env_out = os.path.join(os.path.dirname(lpar.config), "env.out")
    assert not os.path.exists(env_out)
    assert "importvg" in str(lpar.machine()["errlog"][-1])   # the failure reaches errpt

    # The LUN is presented; the next boot runs only what did not finish.
    with lpar.host.edit() as m:
        m["luns"]["DR-2"] = full["luns"]["DR-2"]
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    run = lpar.agent_json("status")["last_run"]
    assert [s["name"] for s in run["steps"]] == ["devices", "importvg", "scripts"]
    assert_dr_state(lpar.machine().to_dict())
    assert open(env_out).read() == "dr prod\n"
    assert_quiet_boot(lpar)


def test_a_hanging_hook_is_killed_at_its_timeout(lpar_factory):
    hook = ("20-hang", "time.sleep(600)", 2)
    lpar = at_production(lpar_factory, scripts=[hook])
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    proc = lpar.boot()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    run = lpar.agent_json("status")["last_run"]
    steps = {s["name"]: s for s in run["steps"]}
    assert steps["scripts"]["status"] == "failed"
    assert "timeout" in steps["scripts"]["message"]
    cmd = steps["scripts"]["commands"][-1]
    assert cmd["timed_out"] and cmd["duration"] < 10
    assert steps["clouddev"]["status"] == "changed"
