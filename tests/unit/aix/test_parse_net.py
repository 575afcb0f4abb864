"""netstat -rn, netstat -in/-idn, ifconfig -a/-l, namerslv."""

import pytest

from aixdr_agent.aix import AixParseError
from aixdr_agent.aix.ifconfig import hex_netmask, parse_ifconfig_a, parse_ifconfig_l
from aixdr_agent.aix.namerslv import Resolver, parse_namerslv_s, parse_namerslv_Z
from aixdr_agent.aix.netstat import (
    RouteRow,
    default_gateways,
    ipv4_in_network,
    parse_netstat_idn,
    parse_netstat_in,
    parse_netstat_rn,
    route_network,
)
from tests.harness.samples import sample

# COMMANDS.md 4.5
NETSTAT_RN = """\
Routing tables
Destination        Gateway           Flags   Refs     Use  If   Exp  Groups

Route Tree for Protocol Family 2 (Internet):
default            10.20.1.1         UG        3    904112 en0      -      -
10.20.1.0          10.20.1.10        UHSb      0         0 en0      -      -   =>
10.20.1/24         10.20.1.10        U         5   1203342 en0      -      -
10.20.1.10         127.0.0.1         UGHS      0        12 lo0      -      -
10.20.1.255        10.20.1.10        UHSb      0         4 en0      -      -
127/8              127.0.0.1         U         8    388201 lo0      -      -

Route Tree for Protocol Family 24 (Internet v6):
::1%1              ::1%1             UH        1      1402 lo0      -      -
"""

NETSTAT_IN = """\
Name  Mtu   Network     Address            Ipkts Ierrs    Opkts Oerrs  Coll
en0   1500  link#2      fa.16.3e.12.9a.01  5123391     0  2210874     0     0
en0   1500  10.20.1     10.20.1.10         5123391     0  2210874     0     0
en0   1500  10.20.1     10.20.1.50         5123391     0  2210874     0     0
lo0   16896 link#1                          388201     0   388201     0     0
lo0   16896 127         127.0.0.1           388201     0   388201     0     0
lo0   16896 ::1%1                           388201     0   388201     0     0
"""

IFCONFIG = (
    "en0: flags=1e084863,480<UP,BROADCAST,NOTRAILERS,RUNNING,SIMPLEX,MULTICAST,GROUPRT,"
    "64BIT,CHECKSUM_OFFLOAD(ACTIVE),CHAIN>\n"
    "\tinet 10.20.1.10 netmask 0xffffff00 broadcast 10.20.1.255\n"
    "\tinet 10.20.1.50 netmask 0xffffff00 broadcast 10.20.1.255\n"
    "\t tcp_sendspace 262144 tcp_recvspace 262144 rfc1323 1\n"
    "lo0: flags=e08084b,c0<UP,BROADCAST,LOOPBACK,RUNNING,SIMPLEX,MULTICAST,GROUPRT,64BIT,"
    "LARGESEND,CHAIN>\n"
    "\tinet 127.0.0.1 netmask 0xff000000 broadcast 127.255.255.255\n"
    "\tinet6 ::1%1/0\n"
    "\t tcp_sendspace 131072 tcp_recvspace 131072 rfc1323 1\n")


def test_netstat_rn_golden():
    rows = parse_netstat_rn(NETSTAT_RN)
    assert rows[0] == RouteRow("default", "10.20.1.1", "UG", "en0", "inet")
    assert rows[1].destination == "10.20.1.0"            # the "=>" marker is dropped
    assert rows[-1] == RouteRow("::1%1", "::1%1", "UH", "lo0", "inet6")
    assert default_gateways(rows) == ["10.20.1.1"]
    assert len(rows) == 7


def test_route_network():
    assert route_network("10.20.1/24") == ("10.20.1.0", 24)
    assert route_network("127/8") == ("127.0.0.0", 8)
    assert route_network("default") == ("0.0.0.0", 0)
    assert route_network("10.20.1.10") == ("10.20.1.10", 32)
    assert route_network("::1%1") is None
    assert route_network("10.300/16") is None
    assert ipv4_in_network("10.20.1.77", "10.20.1.0", 24)
    assert not ipv4_in_network("10.20.2.1", "10.20.1.0", 24)
    assert not ipv4_in_network("x", "10.20.1.0", 24)


def test_netstat_rn_french_and_two_defaults():
    rows = parse_netstat_rn(sample("netstat-rn", "fusioninventory-1.txt"))
    assert default_gateways(rows) == ["192.168.2.254", "192.168.2.250"]
    # the IPv6 banner is translated; the "(Internet v6)" part is not
    assert rows[-1].family == "inet6" and rows[-1].destination == "::1"


def test_netstat_rn_hand_mangled_and_header_first():
    # ohai-1: Linux-style header, cut banners, "Only the root user ..." noise
    rows = parse_netstat_rn(sample("netstat-rn", "ohai-1.txt"))
    assert default_gateways(rows) == ["172.31.0.1"]
    assert [r.family for r in rows].count("inet6") == 1
    rows = parse_netstat_rn(sample("netstat-rn", "ohai-2.txt"))   # header before banner
    assert rows[2] == RouteRow("172.29.128/18", "172.29.174.58", "U", "en0", "inet")
    rows = parse_netstat_rn(sample("netstat-rn", "oshi-2.txt"))   # -f inet6 only
    assert rows == [RouteRow("::1%1", "::1%1", "UH", "lo0", "inet6")]


def test_netstat_rn_errors():
    assert parse_netstat_rn("") == []
    with pytest.raises(AixParseError):
        parse_netstat_rn("garbage\n")


def test_netstat_in_golden():
    rows = parse_netstat_in(NETSTAT_IN)
    assert rows[0].address == "fa.16.3e.12.9a.01" and rows[0].kind == "link"
    assert [r.address for r in rows if r.kind == "inet" and r.name == "en0"] == [
        "10.20.1.10", "10.20.1.50"]
    lo_link = rows[3]
    assert lo_link.address is None and lo_link.ipkts == 388201 and lo_link.coll == 0
    assert rows[5].kind == "inet6" and rows[5].address is None
    assert rows[0].drop is None


def test_netstat_in_samples():
    rows = parse_netstat_in(sample("netstat-in", "facter-2.txt"))     # "lo0*" = down
    assert [(r.name, r.up) for r in rows][-1] == ("lo0", False)
    rows = parse_netstat_in(sample("netstat-in", "salt-1.txt"))       # truncated Network
    assert rows[1].network == "129.40.94.5" and rows[1].address == "129.40.94.58"
    rows = parse_netstat_in(sample("netstat-in", "salt-5.txt"))       # IPv6, empty Address
    assert rows[1].ipkts == 25611 and rows[1].opkts == 25611
    rows = parse_netstat_idn(sample("netstat-idn", "gopsutil-1.txt"))
    assert rows[0].drop == 0 and rows[2].address is None and rows[2].ipkts == 1986929


def test_netstat_in_errors():
    assert parse_netstat_in("") == []
    with pytest.raises(AixParseError):
        parse_netstat_in("garbage\n")


def test_ifconfig_golden():
    ifs = parse_ifconfig_a(IFCONFIG)
    assert list(ifs) == ["en0", "lo0"]
    assert ifs["en0"].inet == [("10.20.1.10", "255.255.255.0"), ("10.20.1.50", "255.255.255.0")]
    assert ifs["en0"].up and "CHECKSUM_OFFLOAD(ACTIVE)" in ifs["en0"].flags
    assert ifs["lo0"].inet6 == ["::1%1/0"]
    assert ifs["lo0"].inet == [("127.0.0.1", "255.0.0.0")]


def test_ifconfig_samples():
    ifs = parse_ifconfig_a(sample("ifconfig-a", "ohai-1.txt"))
    assert ifs["en0"].inet == [("172.29.174.58", "255.255.192.0"), ("172.29.174.59", None),
                               ("172.29.174.60", "255.255.192.0")]   # alias without netmask
    assert ifs["en1"].inet == [("172.31.10.211", "255.255.252.0")]
    ifs = parse_ifconfig_a(sample("ifconfig-a", "chef-1.txt"))
    assert list(ifs) == ["en1", "en0", "lo0"]                      # output order kept
    ifs = parse_ifconfig_a(sample("ifconfig-en", "ohai-1.txt"))
    assert list(ifs) == ["en0"]


def test_hex_netmask():
    assert hex_netmask("0xffffff00") == "255.255.255.0"
    assert hex_netmask("0xffffc000") == "255.255.192.0"
    assert hex_netmask("255.255.0.0") == "255.255.0.0"
    with pytest.raises(AixParseError):
        hex_netmask("0xzz")


def test_ifconfig_errors_and_l():
    assert parse_ifconfig_a("") == {}
    with pytest.raises(AixParseError):
        parse_ifconfig_a("ifconfig: ioctl (SIOCGIFFLAGS): No such device or address\n")
    with pytest.raises(AixParseError):
        parse_ifconfig_a("en0: flags=1e080863<UP>\n\tinet 10.0.0.1 netmask 0xQ broadcast x\n")
    assert parse_ifconfig_l(sample("ifconfig-l", "fusioninventory-2.txt")) == ["en0", "en1",
                                                                              "lo0"]
    assert parse_ifconfig_l("") == []
    with pytest.raises(AixParseError):
        parse_ifconfig_l("en0: bad\n")


def test_namerslv_s():
    text = "domain\tcorp.example.com\nnameserver\t10.20.0.53\nnameserver\t10.20.0.54\n"
    assert parse_namerslv_s(text) == Resolver(["10.20.0.53", "10.20.0.54"],
                                              "corp.example.com", [])
    text = ("nameserver 10.1.1.1\nsearch a.example b.example\noptions ndots:2\n"
            "options timeout:1\n")
    assert parse_namerslv_s(text) == Resolver(["10.1.1.1"], None, ["a.example",
                                                                   "b.example"])
    assert parse_namerslv_s("") == Resolver([], None, [])
    assert parse_namerslv_s("domain\tcorp.example.com\r\n").domain == "corp.example.com"


def test_namerslv_Z():
    assert parse_namerslv_Z("#nameserver\n10.20.0.53\n10.20.0.54\n") == ["10.20.0.53",
                                                                         "10.20.0.54"]
    assert parse_namerslv_Z("#domain\ncorp.example.com\n") == ["corp.example.com"]
    assert parse_namerslv_Z("") == []
