"""netstat -rn (routing tables) and netstat -in / -idn (interface counters)."""

import ipaddress
import re
from typing import List, NamedTuple, Optional, Tuple

from . import AixParseError
from ._text import data_lines, is_num, to_int


class RouteRow(NamedTuple):
    destination: str    # as printed: "default", "10.20.1/24", "127/8", "10.20.1.10", "::1%1"
    gateway: str
    flags: str          # "UG", "UHSb", ...
    interface: str
    family: str         # "inet" or "inet6"

    @property
    def is_default(self) -> bool:
        return self.destination in ("default", "0", "0.0.0.0", "::/0")


# A family banner ends with ':' and names the family in parentheses. The words around it
# are translated ("Route Tree for Protocol Family 2 (Internet):", "Arborescence de la
# route pour la famille de protocoles 24 (Internet v6):"), the parenthesis is not.
_BANNER = re.compile(r"\((Internet(?: v6)?)\)\s*:$")


def parse_netstat_rn(text) -> List[RouteRow]:
    """Route rows of `netstat -rn [-f inet|inet6]`, in output order.

    A row is recognised by its shape (Refs and Use are numbers); banners, headers, the
    `=>` group markers and messages such as "Only the root user can specify the Z flag"
    are skipped. The family comes from the last banner; without one it is guessed from
    the addresses (a ':' means inet6)."""
    out = []
    family = None
    body = data_lines(text)
    for line in body:
        m = _BANNER.search(line)
        if m:
            family = "inet6" if m.group(1).endswith("v6") else "inet"
            continue
        f = line.split()
        if f and f[-1] == "=>":
            f = f[:-1]
        if len(f) < 6 or not (is_num(f[3]) and is_num(f[4])):
            continue
        fam = family or ("inet6" if ":" in f[0] + f[1] else "inet")
        out.append(RouteRow(f[0], f[1], f[2], f[5], fam))
    if body and not out and not any(line.split()[:1] == ["Destination"] for line in body):
        raise AixParseError("netstat -rn: no route rows in output")
    return out


def route_network(destination: str) -> Optional[Tuple[str, int]]:
    """(network address, prefix length) of an IPv4 netstat destination, expanding AIX's
    abbreviations: "10.20.1/24" -> ("10.20.1.0", 24), "127/8" -> ("127.0.0.0", 8),
    "default" -> ("0.0.0.0", 0), "10.20.1.10" -> ("10.20.1.10", 32). None if not IPv4."""
    if destination in ("default", "0"):
        return ("0.0.0.0", 0)
    addr, _, plen = destination.partition("/")
    octets = addr.split(".")
    if not 1 <= len(octets) <= 4 or not all(is_num(o) and int(o) < 256 for o in octets):
        return None
    if plen and not (is_num(plen) and int(plen) <= 32):
        return None
    octets += ["0"] * (4 - len(octets))
    return (".".join(str(int(o)) for o in octets), int(plen) if plen else 32)


def default_gateways(rows: List[RouteRow], family: str = "inet") -> List[str]:
    """Gateways of the default routes (AIX may hold several), in output order."""
    return [r.gateway for r in rows if r.is_default and r.family == family]


class InterfaceRow(NamedTuple):
    name: str                # "en0" (the "*" of a down interface removed)
    up: bool                 # False when netstat printed "lo0*"
    mtu: int
    network: str             # "link#2", "10.20.1", "::1%1" (may be truncated to 11 chars)
    address: Optional[str]   # MAC ("a.c6.24.39.41.3"), IP, or None (empty cell)
    ipkts: int
    ierrs: int
    opkts: int
    oerrs: int
    coll: int
    drop: Optional[int]      # only with -d

    @property
    def kind(self) -> str:
        """"link", "inet6" or "inet"."""
        if self.network.startswith("link#"):
            return "link"
        if ":" in self.network or (self.address and ":" in self.address):
            return "inet6"
        return "inet"


def parse_netstat_in(text) -> List[InterfaceRow]:
    """Rows of `netstat -in`, `netstat -i -n -I enX`, and `netstat -idn`.

    Header and data columns do not line up and the Address cell may be empty (lo0 link
    row, IPv6 rows), so rows are split on whitespace: Name, Mtu, Network, then the
    Address if the 4th field is not a counter, then 5 counters (6 with the Drop column)."""
    out = []
    body = data_lines(text)
    for line in body:
        f = line.split()
        if len(f) < 8 or not is_num(f[1]):
            continue
        address = None
        rest = f[3:]
        if not is_num(rest[0]):
            address, rest = rest[0], rest[1:]
        if len(rest) not in (5, 6) or not all(is_num(x) for x in rest):
            continue
        counters = [to_int(x, "netstat counter") for x in rest]
        drop = counters[5] if len(counters) == 6 else None
        name = f[0]
        out.append(InterfaceRow(name.rstrip("*"), not name.endswith("*"), int(f[1]), f[2],
                                address, *counters[:5], drop))
    if body and not out and not any(line.split()[:1] == ["Name"] for line in body):
        raise AixParseError("netstat -in: no interface rows in output")
    return out


parse_netstat_idn = parse_netstat_in


def ipv4_in_network(address: str, network: str, prefixlen: int) -> bool:
    """True when `address` lies in `network`/`prefixlen` (all IPv4 text)."""
    try:
        net = ipaddress.IPv4Network("%s/%d" % (network, prefixlen), strict=False)
        return ipaddress.IPv4Address(address) in net
    except ValueError:
        return False
