"""Issue 8: one configuration file for the whole fleet - observed production profiles,
DR profiles derived through subnet rules, failback to exactly what was observed."""

import os

import pytest

from fakeaix import scenarios
from tests.harness import view
from tests.harness.dr import assert_ran_as_planned

FLEET = open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                          "data", "fleet.yaml")).read()

LPARS = [
    # hostname, number, address, aliases, gateway, routes
    ("aixprd01", 5, "10.1.1.15", ("10.1.1.16",), "10.1.1.1",
     (("10.9.0.0", "255.255.0.0", "10.1.1.254"),)),
    ("aixprd02", 6, "10.1.2.40", ("10.1.2.41", "10.1.2.42"), "10.1.2.1",
     (("10.9.4.0", "255.255.255.0", "10.1.2.253"), ("10.1.8.0", "255.255.248.0", "10.1.2.1"))),
    ("aixprd07", 9, "10.1.3.7", (), "10.1.3.1", ()),
]


def production(hostname, number, address, aliases, gateway, routes):
    return scenarios.production_machine(hostname=hostname, lpar_number=number,
                                        address=address, aliases=aliases, gateway=gateway,
                                        routes=routes)


def dr_address(addr):
    return addr.replace("10.1.", "10.20.", 1)


# The first LPAR in the default run, the others in the slow one.
@pytest.mark.parametrize("lpar_def", [
    pytest.param(x, id=x[0], marks=[pytest.mark.slow] if n else []) for n, x in enumerate(LPARS)])
def test_one_file_gives_each_lpar_its_own_dr_profile_and_failback(lpar_factory, lpar_def):
    hostname, number, address, aliases, gateway, routes = lpar_def
    lpar = lpar_factory(production(*lpar_def), FLEET)
    assert lpar.boot().returncode == 0          # adopts prod, captures the observed profile
    prod = view.network(lpar.machine().to_dict())

    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1",
                                        lpar_name=hostname + "_dr"))
    render = lpar.agent("config", "render", "--site", "dr")
    assert render.returncode == 0, render.stdout + render.stderr
    assert dr_address(address) in render.stdout
    planned = lpar.agent_json("plan")["commands"]
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # the run record in the planned order; the fake's log as commands end (filesystems of
    # different VGs are checked side by side)
    assert_ran_as_planned(lpar, planned)
    net = view.network(lpar.machine().to_dict())
    assert net["hostname"] == ("aixdr07" if hostname == "aixprd07" else hostname + "-dr")
    assert net["en0"] == (dr_address(address), "255.255.255.0")
    assert net["aliases"] == sorted("%s,255.255.255.0" % dr_address(a) for a in aliases)
    assert net["gateway"] == dr_address(gateway)
    assert net["routes"] == sorted((dr_address(dest), dr_address(gw)) for dest, _, gw in routes)
    assert sorted(net["resolv"]) == ["domain corp.example.com", "nameserver 10.20.0.53"]

    lpar.host.save(scenarios.boot_back_at_prod(lpar.machine(), odm_reset=True,
                                               lpar_name=hostname, lpar_number=number))
    proc = lpar.boot()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    back = view.network(lpar.machine().to_dict())
    for key in ("hostname", "en0", "aliases", "gateway", "routes", "nimclient"):
        assert back[key] == prod[key], key
    assert sorted(back["resolv"]) == sorted(prod["resolv"])


def test_an_address_outside_every_rule_fails_only_the_network_steps(lpar_factory):
    lpar = lpar_factory(production("aixprd09", 11, "10.1.4.9", ("172.16.9.9",), "10.1.4.1", ()),
                        FLEET)
    assert lpar.boot().returncode == 0
    lpar.host.save(scenarios.boot_at_dr(lpar.machine(), odm_reset=True, clouddev="1"))
    proc = lpar.boot()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    steps = {s["name"]: s for s in lpar.agent_json("status")["last_run"]["steps"]}
    assert steps["aliases"]["status"] == "failed"
    assert "172.16.9.9" in steps["aliases"]["message"]
    for name in ("devices", "importvg", "mktcpip", "dns", "bootlist", "nimclient", "clouddev"):
        assert steps[name]["status"] in ("ok", "changed"), name
    assert view.network(lpar.machine().to_dict())["en0"][0] == "10.20.4.9"


@pytest.mark.parametrize("rules,line,message", [
    ("      - {from: 10.1.0.0/16, to: 10.20.0.0/16}\n"
     "      - {from: 10.1.4.0/24, to: 10.30.4.0/24}\n", 14, "overlaps"),
    ("      - {from: 10.1.0.0/16, to: 10.20.0.0/24}\n", 13, "same length"),
])
def test_overlapping_or_resized_subnet_rules_are_config_errors(lpar_factory, rules, line,
                                                               message):
    text = FLEET.replace("      - {from: 10.1.0.0/16, to: 10.20.0.0/16}\n"
                         "      - {from: 10.9.0.0/16, to: 10.9.0.0/16}\n", rules)
    lpar = lpar_factory(scenarios.production_machine(), text)
    proc = lpar.agent("config", "check")
    assert proc.returncode == 2
    assert "agent.yaml:%d: sites.dr.subnets[" % line in proc.stderr, proc.stderr
    assert message in proc.stderr.lower()
    assert lpar.calls() == []
