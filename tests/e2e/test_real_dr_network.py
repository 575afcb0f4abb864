"""Issue 12, the network of a real DR boot: every interface, omitted sections, /etc/hosts
with the same host name at both sites, static routes after `mktcpip -g`. The real CLI
against the fake host, each through DR and failback, ending with the machine's state."""

import json
import os
import subprocess

from fakeaix import netstate, scenarios
from tests.harness import view
from tests.harness.dr import assert_ran_as_planned

PROD = """    prod:
      systemids: ["IBM,0284AB12C", "IBM,0284AB13D"]
      hostname: aixprd01
      interfaces:
        - {name: en0, address: 10.1.1.15, netmask: 255.255.255.0, primary: true,
           aliases: ["10.1.1.16/255.255.255.0", "10.1.1.17/255.255.255.0"]}
%(prod_en1)s      gateway: 10.1.1.1
      routes:
        - {destination: 10.9.0.0/16, gateway: 10.1.1.254}
      dns:
        nameservers: [10.1.0.53, 10.1.0.54]
        domain: corp.example.com
        search: [corp.example.com]
"""
DR = """    dr:
      systemids: ["IBM,0211D11C1"]
      hostname: %(dr_hostname)s
      interfaces:
        - {name: en0, address: 10.20.1.15, netmask: 255.255.255.0}
%(dr_en1)s      gateway: 10.20.1.1
%(dr_routes)s      dns: {nameservers: [10.20.0.53], domain: corp.example.com}
"""
TAIL = """volume_groups: {import: all, mount: true}
steps: [devices, importvg, mktcpip, aliases, routes, dns, bootlist, clouddev]
"""
EN1_PROD = "        - {name: en1, address: 10.1.2.15, netmask: 255.255.255.0}\n"
EN1_DR = "        - {name: en1, address: 10.20.2.15, netmask: 255.255.255.0}\n"


def config(prod_en1="", dr_en1="", dr_hostname="aixprd01-dr", dr_routes="", dr=None):
    values = {"prod_en1": prod_en1, "dr_en1": dr_en1, "dr_hostname": dr_hostname,
              "dr_routes": dr_routes}
    return "version: 1\nsites:\n" + PROD % values + (dr if dr is not None else DR % values) \
        + TAIL


def with_en1(m):
    netstate.add_interface(m, "en1", "10.1.2.15", "255.255.255.0")
    return m


def at_production(lpar_factory, text, machine=None):
    lpar = lpar_factory(machine or scenarios.production_machine(), text)
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = lpar.agent("capture")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return lpar


def plan_then_boot(lpar):
    """`plan` before the boot lists exactly the mutating commands the boot executes."""
    planned = lpar.agent_json("plan")["commands"]
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # the run record in the planned order; the fake's log as commands end (filesystems of
    # different VGs are checked side by side)
    assert_ran_as_planned(lpar, planned)
    return planned


def to_dr(lpar):
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    return plan_then_boot(lpar)


def back_to_prod(lpar):
    lpar.host.save(scenarios.boot_back_at_prod(lpar.machine(), odm_reset=True))
    return plan_then_boot(lpar)


def quiet(lpar):
    proc = lpar.boot()
    assert proc.returncode == 0 and lpar.changes() == [], proc.stdout


def iface(m, name):
    """(address, mask, state) in the ODM, and (address, up, attached) running."""
    attrs = view.attrs(m, name)
    live = m["net"]["interfaces"].get(name) or {}
    return ((attrs.get("netaddr"), attrs.get("netmask"), attrs.get("state")),
            ((live.get("inet") or [None])[0], bool(live.get("up")),
             bool(live.get("attached", True))))


def hosts(m):
    """The IPv4 lines of /etc/hosts: [(address, [names])]."""
    out = []
    for line in (m["files"].get("/etc/hosts") or "").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields and "." in fields[0]:
            out.append((fields[0], fields[1:]))
    return out


def resolves(m, name):
    """What a local lookup of `name` answers: the first line that carries it."""
    return next((addr for addr, names in hosts(m) if name in names), None)


def step_status(lpar):
    run = lpar.agent_json("status")["last_run"]
    return {s["name"]: (s["status"], s["message"]) for s in run["steps"]}


def test_two_interfaces_both_named_at_dr_and_back(lpar_factory):
    lpar = at_production(lpar_factory, config(EN1_PROD, EN1_DR),
                         with_en1(scenarios.production_machine()))
    planned = to_dr(lpar)
    assert ["chdev", "-l", "en1", "-a", "netaddr=10.20.2.15", "-a",
            "netmask=255.255.255.0", "-a", "state=up"] in planned
    m = lpar.machine().to_dict()
    assert iface(m, "en0") == (("10.20.1.15", "255.255.255.0", "up"),
                               ("10.20.1.15", True, True))
    assert iface(m, "en1") == (("10.20.2.15", "255.255.255.0", "up"),
                               ("10.20.2.15", True, True))
    quiet(lpar)
    # what the daemon records at DR is DR's network, both interfaces
    assert lpar.agent("capture").returncode == 0
    observed = json.load(open(lpar.state + "/inventory.json"))["observed"]["dr"]
    assert [(i["name"], i["address"]) for i in observed["interfaces"]] == [
        ("en0", "10.20.1.15"), ("en1", "10.20.2.15")]

    back_to_prod(lpar)
    m = lpar.machine().to_dict()
    assert iface(m, "en0")[0] == ("10.1.1.15", "255.255.255.0", "up")
    assert iface(m, "en1") == (("10.1.2.15", "255.255.255.0", "up"), ("10.1.2.15", True, True))
    quiet(lpar)


def test_en1_named_only_at_production_is_detached_at_dr_and_back_at_failback(lpar_factory):
    lpar = at_production(lpar_factory, config(EN1_PROD),
                         with_en1(scenarios.production_machine()))
    proc = lpar.agent("check", "--json")
    doc = json.loads(proc.stdout)
    warned = [f["message"] for f in doc["findings"]
              if f["check"] == "interfaces" and f["severity"] == "WARNING"]
    assert warned == ["en1 is up with 10.1.2.15, which the profile of site dr does not name: "
                      "at dr it is taken off the network (detached)"], doc["findings"]

    planned = to_dr(lpar)
    assert ["chdev", "-l", "en1", "-a", "state=detach"] in planned
    m = lpar.machine().to_dict()
    odm, live = iface(m, "en1")
    assert odm[2] == "detach" and live == (None, False, False)   # off the network
    ifconfig = subprocess.run([os.path.join(lpar.host.bin_dir, "ifconfig"), "-a"],
                              env=dict(os.environ, **lpar.host.env()), capture_output=True,
                              text=True)
    assert ifconfig.returncode == 0 and "en0:" in ifconfig.stdout
    assert "en1" not in ifconfig.stdout
    quiet(lpar)
    assert lpar.agent("capture").returncode == 0
    observed = json.load(open(lpar.state + "/inventory.json"))["observed"]["dr"]
    assert [i["name"] for i in observed["interfaces"]] == ["en0"]

    back_to_prod(lpar)
    m = lpar.machine().to_dict()
    assert iface(m, "en1") == (("10.1.2.15", "255.255.255.0", "up"), ("10.1.2.15", True, True))
    quiet(lpar)


ONLY_SYSTEMIDS = """    dr:
      systemids: ["IBM,0211D11C1"]
"""


def test_a_site_with_only_systemids_changes_nothing_on_the_network(lpar_factory):
    lpar = at_production(lpar_factory, config(dr=ONLY_SYSTEMIDS))
    prod = lpar.machine().to_dict()
    before = (view.network(prod), hosts(prod))
    planned = to_dr(lpar)
    network_cmds = [c for c in planned if c[0] in ("mktcpip", "hostent", "namerslv") or
                    c[:3] in (["chdev", "-l", "en0"], ["chdev", "-l", "inet0"])]
    assert network_cmds == []
    m = lpar.machine().to_dict()
    after = view.network(m)
    assert after["hostname"] == "aixprd01" and after["aliases"] == before[0]["aliases"]
    assert (after, hosts(m)) == before
    status = step_status(lpar)
    for step in ("mktcpip", "aliases", "routes", "dns"):
        assert status[step] == ("skipped", "not in the profile of site dr"), step
    assert view.volume_groups(m)                                 # the site did change
    quiet(lpar)

    back_to_prod(lpar)
    m = lpar.machine().to_dict()
    assert (view.network(m), hosts(m)) == before
    assert lpar.state_doc()["applied_site"] == "prod"
    quiet(lpar)


def test_the_same_hostname_at_both_sites_resolves_to_the_site_address(lpar_factory):
    machine = scenarios.production_machine()
    machine["files"]["/etc/hosts"] += "10.1.9.5\tnimprd01.corp.example.com nimprd01\n"
    lpar = at_production(lpar_factory, config(dr_hostname="aixprd01"), machine)
    prod_hosts = hosts(lpar.machine().to_dict())
    assert prod_hosts[-2] == ("10.1.1.15", ["aixprd01.corp.example.com", "aixprd01"])
    observed = json.load(open(lpar.state + "/inventory.json"))["observed"]["prod"]
    assert observed["hosts"] == [{"address": "10.1.1.15",
                                  "names": ["aixprd01.corp.example.com", "aixprd01"]}]

    planned = to_dr(lpar)
    assert planned.index(["hostent", "-d", "10.1.1.15"]) > [c[0] for c in planned].index(
        "mktcpip")
    m = lpar.machine().to_dict()
    assert view.network(m)["hostname"] == "aixprd01"
    assert resolves(m, "aixprd01") == resolves(m, "aixprd01.corp.example.com") == "10.20.1.15"
    assert not [a for a, names in hosts(m) if a == "10.1.1.15"]  # no line keeps prod's
    assert ("10.20.1.15", ["aixprd01.corp.example.com", "aixprd01"]) in hosts(m)
    assert ("10.1.9.5", ["nimprd01.corp.example.com", "nimprd01"]) in hosts(m)  # untouched
    assert hosts(m)[:1] == prod_hosts[:1]                                       # loopback
    quiet(lpar)

    back_to_prod(lpar)
    m = lpar.machine().to_dict()
    assert resolves(m, "aixprd01") == resolves(m, "aixprd01.corp.example.com") == "10.1.1.15"
    assert sorted(hosts(m)) == sorted(prod_hosts)       # production's lines as observed
    quiet(lpar)


DR_ROUTES = "      routes:\n        - {destination: 10.9.0.0/16, gateway: 10.20.1.254}\n"


def test_static_routes_come_back_after_mktcpip_and_plan_says_so(lpar_factory):
    # 10.50/16 is an administrator's route that no profile names: mktcpip -g takes it too
    machine = scenarios.production_machine(routes=(("10.9.0.0", "255.255.0.0", "10.1.1.254"),
                                                   ("10.50.0.0", "255.255.0.0", "10.1.1.253")))
    lpar = at_production(lpar_factory, config(dr_routes=DR_ROUTES), machine)
    planned = to_dr(lpar)
    tcpip = [c[0] for c in planned].index("mktcpip")
    assert "-g" in planned[tcpip]
    after = planned[tcpip + 1:]
    assert ["chdev", "-l", "inet0", "-a",
            "route=net,-hopcount,0,-netmask,255.255.0.0,,,10.9.0.0,10.20.1.254"] in after
    assert ["chdev", "-l", "inet0", "-a",
            "route=net,-hopcount,0,-netmask,255.255.0.0,,,10.50.0.0,10.1.1.253"] in after
    assert not [c for c in planned if any(a.startswith("delroute=") for a in c)]
    m = lpar.machine().to_dict()
    net = view.network(m)
    assert net["gateway"] == "10.20.1.1"
    assert net["routes"] == [("10.50.0.0", "10.1.1.253"), ("10.9.0.0", "10.20.1.254")]
    live = {(r["dest"], r["gateway"]) for r in m["net"]["routes"]}
    assert {("default", "10.20.1.1"), ("10.9.0.0", "10.20.1.254"),
            ("10.50.0.0", "10.1.1.253")} == live
    quiet(lpar)

    back_to_prod(lpar)
    m = lpar.machine().to_dict()
    net = view.network(m)
    assert net["gateway"] == "10.1.1.1"
    assert net["routes"] == [("10.50.0.0", "10.1.1.253"), ("10.9.0.0", "10.1.1.254")]
    quiet(lpar)
