from aixdr_agent.config import parse_config_text
from aixdr_agent.profile import map_address, profile_dict, resolve

FLEET = """
version: 1
sites:
  prod:
    systemids: ["IBM,0284AB12C"]
    observed: true
    nimclient: enabled
  dr:
    systemids: ["IBM,0211D11C1"]
    derive_from: prod
    subnets:
      - {from: 10.1.0.0/16, to: 10.20.0.0/16}
      - {from: 10.9.0.0/16, to: 10.9.0.0/16}
    gateway: 10.20.1.1
    hostname: "{hostname}-dr"
    dns: {nameservers: [10.20.0.53], domain: corp.example.com}
    nimclient: disabled
hosts:
  aixprd07: {dr: {hostname: aixdr07}}
"""

OBSERVED = {
    "hostname": "aixprd01",
    "interfaces": [{"name": "en0", "address": "10.1.1.15", "netmask": "255.255.255.0",
                    "aliases": ["10.1.1.16/255.255.255.0"]}],
    "gateway": "10.1.1.1",
    "routes": [{"destination": "10.9.0.0/16", "gateway": "10.1.1.254"}],
    "dns": {"nameservers": ["10.1.0.53"], "domain": "corp.example.com"},
    "nimclient": "enabled",
    "bootlist": "rootvg",
}


def inventory(**observed):
    return {"observed": observed}


def test_derived_profile_keeps_host_bits_and_spelled_out_keys_win():
    config = parse_config_text(FLEET)
    r = resolve(config, "dr", inventory(prod=OBSERVED), "aixprd01_dr")
    assert r.problems == {}
    p = profile_dict(r.site)
    assert p["hostname"] == "aixprd01-dr"
    assert p["interfaces"] == [{"name": "en0", "address": "10.20.1.15",
                                "netmask": "255.255.255.0",
                                "aliases": ["10.20.1.16/255.255.255.0"], "primary": True}]
    assert p["gateway"] == "10.20.1.1"          # spelled out
    assert p["routes"] == [{"destination": "10.9.0.0/16", "gateway": "10.20.1.254"}]
    assert p["dns"] == {"nameservers": ["10.20.0.53"], "domain": "corp.example.com"}
    assert p["nimclient"] == "disabled"
    assert r.sources["interfaces"] == "derived from prod" and r.sources["gateway"] == "config"


def test_observed_site_is_what_capture_saw():
    config = parse_config_text(FLEET)
    r = resolve(config, "prod", inventory(prod=OBSERVED))
    p = profile_dict(r.site)
    assert p["interfaces"][0]["address"] == "10.1.1.15" and p["gateway"] == "10.1.1.1"
    assert p["nimclient"] == "enabled"


def test_unmapped_address_fails_only_the_steps_that_need_it_naming_it():
    odd = dict(OBSERVED, interfaces=[dict(OBSERVED["interfaces"][0], address="172.16.5.5")])
    config = parse_config_text(FLEET)
    r = resolve(config, "dr", inventory(prod=odd))
    assert set(r.problems) == {"mktcpip", "aliases"}
    assert "172.16.5.5" in r.problems["mktcpip"][0]


def test_hosts_override_by_production_hostname():
    config = parse_config_text(FLEET)
    r = resolve(config, "dr", inventory(prod=dict(OBSERVED, hostname="aixprd07")))
    assert r.site.hostname == "aixdr07" and r.sources["hostname"] == "hosts: aixprd07"


def test_no_capture_blocks_network_steps():
    config = parse_config_text(FLEET)
    r = resolve(config, "dr", {})
    assert "mktcpip" in r.problems and "capture" in r.problems["mktcpip"][0]


def test_map_address():
    config = parse_config_text(FLEET)
    rules = config.sites["dr"].subnets
    assert map_address("10.1.200.7", rules) == "10.20.200.7"
    assert map_address("10.9.1.1", rules) == "10.9.1.1"
    assert map_address("192.168.1.1", rules) is None


def test_profile_keys_are_declared_by_the_steps_once():
    """Each key of a site profile belongs to the steps that declare it; the schema parses
    exactly those keys, and which steps a key blocks is derived from the declarations."""
    from aixdr_agent.config.schema import PROFILE_KEYS
    from aixdr_agent.profile import ADDRESS_KEYS, steps_needing
    from aixdr_agent.steps import registry

    declared = {k for s in registry() for k in s.profile_keys}
    assert declared - {"aliases"} == set(PROFILE_KEYS)
    assert set(ADDRESS_KEYS) <= declared
    assert steps_needing(ADDRESS_KEYS) == ("mktcpip", "aliases", "routes", "dns")
    assert steps_needing(("hostname",)) == steps_needing(("gateway",)) == ("mktcpip",)
    assert steps_needing(("interfaces",)) == ("mktcpip", "aliases")
    assert steps_needing(("aliases",)) == ("aliases",)
