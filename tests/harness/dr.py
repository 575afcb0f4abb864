"""The DR scenario of tests/data/agent.yaml (one LPAR, production and DR): the LPAR booted
at production, plan == run, and what the fake machine must look like after a DR boot."""

from fakeaix import scenarios
from tests.harness import view
from tests.harness.lpar import make_hook, with_scripts

PVID = {"datavg": ["00c8ab12d0e1f201", "00c8ab12d0e1f202"], "concvg": ["00c8ab12d0e1f203"],
        "oravg": ["00c8ab12d0e1f204"]}
ROOTVG_PVID = "00c8ab12d0e1f200"


def at_production(lpar_factory, scripts=()):
    lpar = lpar_factory(scenarios.production_machine())
    if scripts:
        with_scripts(lpar, *[(make_hook(lpar, n, b), t) for n, b, t in scripts])
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert lpar.changes() == []
    return lpar


def assert_dr_state(m):
    net = view.network(m)
    assert net["hostname"] == net["running_hostname"] == "aixprd01-dr"
    assert net["en0"] == ("10.20.1.15", "255.255.255.0")
    assert net["aliases"] == []                         # production's aliases removed
    assert net["gateway"] == "10.20.1.1"
    assert net["routes"] == []                          # production's route removed
    assert sorted(net["resolv"]) == ["domain corp.example.com", "nameserver 10.20.0.53"]
    assert net["nimclient"] == ["off"]
    assert_vgs(m)
    assert view.bootlist(m) == [view.disk_of_pvid(m, ROOTVG_PVID)]
    assert view.clouddev(m) == "0"
    assert view.defined_disks(m) == []


def assert_vgs(m):
    vgs = view.volume_groups(m)
    assert {n: v[0] for n, v in vgs.items()} == {n: sorted(p) for n, p in PVID.items()}
    assert vgs["datavg"][1] and vgs["oravg"][1] and not vgs["concvg"][1]
    assert (vgs["datavg"][2], vgs["concvg"][2], vgs["oravg"][2]) == (50, 51, 52)
    assert {"/data", "/data/archive", "/oracle"} <= view.mounted(m)
    for raw in ("/dev/roraraw01", "/dev/roraraw02"):
        assert view.dev_mode(m, raw) == ("oracle", "dba", "660")
    for name, attrs in view.disk_attrs(m).items():
        assert (attrs.get("queue_depth"), attrs.get("reserve_policy")) == ("32", "no_reserve"), \
            name


def plan_then_boot(lpar):
    """`plan` before the boot lists exactly the mutating commands the boot executes."""
    planned = lpar.agent_json("plan")["commands"]
    proc = lpar.boot()
    assert_ran_as_planned(lpar, planned)
    return proc


def assert_ran_as_planned(lpar, planned):
    """The run started exactly the planned commands in the planned order (its record keeps
    the order of start), and the host saw exactly those: commands of different VGs run side
    by side (the default `parallel`), so the host's log is in the order they ended."""
    ran = [c["argv"] for step in lpar.agent_json("status")["last_run"]["steps"]
           for c in step["commands"] if c.get("mutating")]
    assert ran == planned
    assert sorted(lpar.changes()) == sorted(planned)


def assert_quiet_boot(lpar):
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert lpar.changes() == []
    assert len(lpar.calls()) <= 3
