"""netstat, ifconfig, route: the running network."""


def test_netstat_rn(aix):
    out = aix("netstat", "-rn").stdout.splitlines()
    assert out[:4] == [
        "Routing tables",
        "Destination        Gateway           Flags   Refs     Use  If   Exp  Groups",
        "", "Route Tree for Protocol Family 2 (Internet):"]
    rows = [x.split() for x in out[4:] if x and not x.startswith("Route")]
    assert rows[0][:3] == ["default", "10.1.1.1", "UG"] and rows[0][5] == "en0"
    dests = [r[0] for r in rows]
    assert dests.index("10.1.1.0") < dests.index("10.1.1/24") < dests.index("10.1.1.15")
    assert ["10.9/16", "10.1.1.254", "UGS"] == rows[dests.index("10.9/16")][:3]
    assert out[4].startswith("default            10.1.1.1          UG    ")
    assert aix("netstat", "-rn", "-f", "inet").stdout.count("Route Tree") == 1


def test_netstat_in(aix):
    out = aix("netstat", "-in").stdout.splitlines()
    assert out[0] == "Name  Mtu   Network     Address            Ipkts Ierrs    Opkts Oerrs  Coll"
    assert [x.split()[:4] for x in out[1:5]] == [
        ["en0", "1500", "link#1", "fa.16.3e.12.9a.1"], ["en0", "1500", "10.1.1", "10.1.1.15"],
        ["en0", "1500", "10.1.1", "10.1.1.16"], ["en0", "1500", "10.1.1", "10.1.1.17"]]
    assert out[5].split()[:3] == ["lo0", "16896", "link#1"]


def test_ifconfig(host, aix):
    assert aix("ifconfig", "-l").stdout == "en0 lo0\n"
    block = aix("ifconfig", "en0").stdout
    assert block == (
        "en0: flags=1e084863,480<UP,BROADCAST,NOTRAILERS,RUNNING,SIMPLEX,MULTICAST,GROUPRT,"
        "64BIT,CHECKSUM_OFFLOAD(ACTIVE),CHAIN>\n"
        "\tinet 10.1.1.15 netmask 0xffffff00 broadcast 10.1.1.255\n"
        "\tinet 10.1.1.16 netmask 0xffffff00 broadcast 10.1.1.255\n"
        "\tinet 10.1.1.17 netmask 0xffffff00 broadcast 10.1.1.255\n"
        "\t tcp_sendspace 262144 tcp_recvspace 262144 rfc1323 1\n")
    assert aix("ifconfig", "-a").stdout.startswith(block + "lo0: flags=e08084b,c0<UP,")
    r = aix("ifconfig", "en5")
    assert r.returncode == 1 and "No such device or address" in r.stderr
    assert aix("ifconfig", "en0", "delete", "10.1.1.17").returncode == 0
    assert aix("ifconfig", "en0", "alias", "10.20.1.50", "netmask", "255.255.255.0").returncode == 0
    m = host.machine()
    assert m["net"]["interfaces"]["en0"]["aliases"] == [["10.1.1.16", "255.255.255.0"],
                                                         ["10.20.1.50", "255.255.255.0"]]
    # not persistent: the ODM still has production's aliases
    assert m.device("en0")["attrs"]["alias4"][-1] == "10.1.1.17,255.255.255.0"


def test_route(host, aix):
    r = aix("route", "add", "default", "10.20.1.1")
    assert (r.returncode, r.stdout) == (0, "add net default: gateway 10.20.1.1\n")
    r = aix("route", "delete", "0", "10.1.1.1")
    assert (r.returncode, r.stdout) == (0, "delete net 0: gateway 10.1.1.1\n")
    r = aix("route", "delete", "0", "10.1.1.1")
    assert (r.returncode, r.stdout) == (1, "delete net 0: gateway 10.1.1.1: not in table\n")
    r = aix("route", "add", "-net", "10.30.0.0", "-netmask", "255.255.0.0", "10.20.1.254")
    assert r.stdout == "add net 10.30.0.0: gateway 10.20.1.254\n"
    r = aix("route", "add", "-net", "10.30.0.0", "-netmask", "255.255.0.0", "10.20.1.254")
    assert r.returncode == 1 and r.stdout.endswith(": route already in table\n")
    routes = host.machine()["net"]["routes"]
    assert {(x["dest"], x["mask"], x["gateway"]) for x in routes} == {
        ("10.9.0.0", "255.255.0.0", "10.1.1.254"), ("default", None, "10.20.1.1"),
        ("10.30.0.0", "255.255.0.0", "10.20.1.254")}
    # not persistent
    assert host.machine().device("inet0")["attrs"]["route"][0] == "net,-hopcount,0,,0,10.1.1.1"
